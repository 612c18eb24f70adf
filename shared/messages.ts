/** Every sentence a user reads exists in both interface languages; Spanish is the default. */
export interface Bilingual {
  es: string;
  en: string;
}

export type Locale = keyof Bilingual;

export function bilingual(message: Bilingual): string {
  return `${message.es} / ${message.en}`;
}
