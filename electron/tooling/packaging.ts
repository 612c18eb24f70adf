import fs from 'node:fs';
import path from 'node:path';
import type { AfterPackContext, Configuration } from 'electron-builder';
import { ELECTRON_VERSION } from './electron-binary';
import { sqliteForElectron } from './native';

const NATIVE_ADDON = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/**
 * electron-builder would rebuild better-sqlite3 for Electron inside node_modules, leaving the Node copy the tests
 * and the CLI use broken. Its rebuild is off; after packing, the Electron build made beside it (build/native)
 * replaces the addon in the package's unpacked folder.
 */
async function installElectronAddon(context: AfterPackContext): Promise<void> {
  if (context.electronPlatformName !== process.platform) {
    throw new Error(`better-sqlite3 cannot be cross-compiled: package for ${context.electronPlatformName} on ${context.electronPlatformName}.`);
  }
  const resources =
    context.electronPlatformName === 'darwin'
      ? path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
      : path.join(context.appOutDir, 'resources');
  fs.copyFileSync(await sqliteForElectron(ELECTRON_VERSION), path.join(resources, 'app.asar.unpacked', NATIVE_ADDON));
}

/**
 * The desktop package: Windows installer (NSIS), macOS disk image, Linux AppImage. The native addon and TF.js's
 * .wasm files stay outside the asar archive (loaded from real files); fuses turn off running the binary as Node,
 * NODE_OPTIONS and --inspect, and make Electron load the app only from its integrity-checked asar.
 */
export const PACKAGING: Configuration = {
  appId: 'app.cupo.desktop',
  productName: 'Cupo',
  copyright: 'Cupo',
  directories: { output: 'out', buildResources: 'resources' },
  files: ['dist/electron/**', 'dist/renderer/**', 'data/demo/*.csv', 'package.json', '!**/*.map', '!**/node_modules/{tsx,esbuild,@esbuild}/**'],
  asar: true,
  asarUnpack: ['**/node_modules/better-sqlite3/**', '**/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm'],
  npmRebuild: false,
  afterPack: installElectronAddon,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  win: { target: 'nsis', icon: 'resources/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, installerLanguages: ['es_ES', 'en_US'] },
  mac: { target: 'dmg', category: 'public.app-category.education', icon: 'resources/icon.png' },
  linux: { target: 'AppImage', category: 'Education', icon: 'resources/icon.png' },
};
