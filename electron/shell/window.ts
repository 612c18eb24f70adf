import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './protocol';

/**
 * The one window: sandboxed renderer, no Node, the interface from our own scheme only. Its preload is registered
 * on the session (see `registerPreload`), the only session this app has.
 */
export function openMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'Cupo',
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click would otherwise open links in new windows (refused anyway by the window-open handler).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.removeMenu();
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
