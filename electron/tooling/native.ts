import fs from 'node:fs';
import path from 'node:path';
import { rebuild } from '@electron/rebuild';
import { REPO } from './build';

/**
 * better-sqlite3 compiled for Electron's ABI, in a folder of its own under build/: the copy in node_modules stays
 * built for Node, so `npm test` and the CLI never break because the desktop app was started. The engine loads
 * this one through better-sqlite3's `nativeBinding` option. Built once per Electron version.
 */
export async function sqliteForElectron(electronVersion: string): Promise<string> {
  const project = path.join(REPO, 'build', 'native', `electron-${electronVersion}-${process.platform}-${process.arch}`);
  const moduleDir = path.join(project, 'node_modules', 'better-sqlite3');
  const binding = path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;

  fs.rmSync(project, { recursive: true, force: true });
  const source = path.join(REPO, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string };
  fs.cpSync(source, moduleDir, { recursive: true, filter: (from) => path.relative(source, from).split(path.sep)[0] !== 'build' });
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'cupo-native', private: true, dependencies: { 'better-sqlite3': version } }));
  await rebuild({ buildPath: project, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  if (!fs.existsSync(binding)) throw new Error(`better-sqlite3 was not built for Electron ${electronVersion}`);
  return binding;
}
