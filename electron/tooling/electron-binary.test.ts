import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../engine/testing/fixtures';
import { REPO } from './build';
import { ELECTRON_VERSION, installedElectron } from './electron-binary';

const manifest = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as { devDependencies: Record<string, string> };

describe('the Electron the desktop app is built for', () => {
  it('is one exact version: the installed package, the root manifest and the one electron/ declares for scanners', () => {
    expect(manifest('package.json').devDependencies.electron).toBe(ELECTRON_VERSION);
    expect(manifest('electron/package.json').devDependencies.electron).toBe(ELECTRON_VERSION);
  });

  it('is found where ELECTRON_OVERRIDE_DIST_PATH points, and reported missing when it is not there', () => {
    const dist = tempDir();
    const executable = path.join(dist, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    expect(installedElectron({ ELECTRON_OVERRIDE_DIST_PATH: dist })).toBeNull();
    fs.mkdirSync(path.dirname(executable), { recursive: true });
    fs.writeFileSync(executable, '');
    expect(installedElectron({ ELECTRON_OVERRIDE_DIST_PATH: dist })).toBe(executable);
  });
});
