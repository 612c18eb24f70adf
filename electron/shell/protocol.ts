import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { staticFile } from '../engine/host/static-files';

const SCHEME = 'app';
/** Where the interface lives: a privileged scheme of our own rather than file://, which would open the whole disk. */
export const APP_ORIGIN = `${SCHEME}://cupo`;

export function isAppUrl(url: string): boolean {
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}

/** Must run before the app is ready: the scheme behaves like https (secure context, fetch) and nothing more. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built interface from its folder only, every answer carrying the strict CSP. */
export function serveInterface(rendererDir: string): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const found = url.host === 'cupo' && request.method === 'GET' ? staticFile(rendererDir, url.pathname) : null;
    if (!found) return new Response('Not found', { status: 404 });
    return new Response(await fs.readFile(found.file), {
      headers: { 'Content-Type': found.type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });
}
