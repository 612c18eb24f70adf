import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO } from './build';

const ELECTRON_PACKAGE = path.join(REPO, 'node_modules', 'electron');
export const ELECTRON_VERSION: string = (createRequire(import.meta.url)(path.join(ELECTRON_PACKAGE, 'package.json')) as { version: string }).version;

const EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' };

/**
 * The Electron executable npm installed, or null. Requiring the `electron` package would try to download it on
 * the spot; this only looks (ELECTRON_OVERRIDE_DIST_PATH first, as the package itself honours it).
 */
export function installedElectron(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(ELECTRON_PACKAGE, 'path.txt');
  const candidate = override
    ? path.join(override, EXECUTABLE[process.platform] ?? 'electron')
    : fs.existsSync(pathFile)
      ? path.join(ELECTRON_PACKAGE, 'dist', fs.readFileSync(pathFile, 'utf8').trim())
      : null;
  return candidate && fs.existsSync(candidate) ? candidate : null;
}

/** Tries the electron package's own download once (npm did not run it: see allowScripts); true when it worked. */
export function downloadElectron(): boolean {
  const result = spawnSync(process.execPath, [path.join(ELECTRON_PACKAGE, 'install.js')], { stdio: 'pipe', timeout: 10 * 60_000 });
  return result.status === 0 && installedElectron() !== null;
}
