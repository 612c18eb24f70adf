import { build } from 'electron-builder';
import { PACKAGING } from './packaging';

/**
 * `npm run dist [-- --dir]`: the installer for this operating system (NSIS on Windows, dmg on macOS, AppImage on
 * Linux) in out/. Native modules cannot be cross-compiled, so each platform is packaged on itself.
 */
const dir = process.argv.includes('--dir');
const artifacts = await build({ config: PACKAGING, publish: 'never', ...(dir ? { dir: true } : {}) });
console.log(artifacts.join('\n'));
