import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { isAppUrl } from './protocol';

/**
 * Applied to every web contents the app ever creates: the interface cannot be navigated away from its own
 * pages, cannot open windows, and cannot embed <webview>, so a link or an injected script never lands the
 * user (and the preload) on someone else's page.
 */
export function confineContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Cupo needs no camera, microphone, location, notifications or devices: every request is refused. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * The interface's protocol already sends the CSP; this puts the same policy on every response the session ever
 * receives, so nothing loaded by another route (there should be none) runs with a weaker one.
 */
export function enforceContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

/** The preload runs in the main frame of this session's pages: the app's one window (no other may open). */
export function registerPreload(session: Session, preload: string): void {
  session.registerPreloadScript({ type: 'frame', filePath: preload });
}
