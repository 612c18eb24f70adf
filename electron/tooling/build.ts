import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DESKTOP_OUT = path.join(REPO, 'dist', 'electron');

const common: BuildOptions = { bundle: true, platform: 'node', target: 'node22', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: REPO };

/**
 * Bundles the desktop app's three programs. dist/electron sits two folders below the app root, as
 * electron/engine does, so the engine's own paths to package.json and data/demo hold in the bundle too. Main and engine stay ES modules that load their packages from
 * node_modules (better-sqlite3 and TF.js's .wasm must stay real files); the preload runs sandboxed, where only a
 * self-contained CommonJS script with `electron` may load.
 */
export async function buildDesktop(): Promise<void> {
  await Promise.all([
    build({ ...common, entryPoints: { main: 'electron/main.ts' }, outdir: DESKTOP_OUT, format: 'esm', outExtension: { '.js': '.mjs' }, packages: 'external' }),
    build({ ...common, entryPoints: { engine: 'electron/engine/host/utility-process.ts' }, outdir: DESKTOP_OUT, format: 'esm', outExtension: { '.js': '.mjs' }, packages: 'external' }),
    build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir: DESKTOP_OUT, format: 'cjs', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDesktop();
