/** The screens of the app, in the order the navigation lists them; a screen that links to another names it here. */
export type Screen = 'home' | 'import' | 'train' | 'forecast' | 'models' | 'accuracy' | 'drift' | 'history' | 'settings';
export const SCREENS: readonly Screen[] = ['home', 'import', 'train', 'forecast', 'models', 'accuracy', 'drift', 'history', 'settings'];
