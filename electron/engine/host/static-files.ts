import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The built interface's file for a URL path, never outside its folder (`..`, encoded or not, resolves inside or
 * falls back); unknown paths get index.html, as a single-page app expects. Null when the interface is not built.
 */
export function staticFile(root: string, pathname: string): { file: string; type: string } | null {
  const base = path.resolve(root);
  let wanted: string;
  try {
    wanted = path.resolve(base, `.${decodeURIComponent(pathname === '/' ? '/index.html' : pathname)}`);
  } catch {
    return null;
  }
  const file = wanted.startsWith(base + path.sep) && fs.existsSync(wanted) && fs.statSync(wanted).isFile() ? wanted : path.join(base, 'index.html');
  if (!fs.existsSync(file)) return null;
  return { file, type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
}
