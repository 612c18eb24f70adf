import { spawn } from 'node:child_process';
import readline from 'node:readline/promises';
import { build as buildInterface } from 'vite';
import { buildDesktop, REPO } from './build';
import { downloadElectron, ELECTRON_VERSION, installedElectron } from './electron-binary';
import { sqliteForElectron } from './native';

/**
 * `npm start`: builds the interface and the desktop bundles and opens the desktop app. Where no Electron binary
 * exists and none can be downloaded, it says so in one sentence and offers the browser mode, which runs the same
 * screens on the same engine.
 */
const NO_ELECTRON =
  'Esta máquina no tiene el programa Electron y no pudo descargarlo, así que la app de escritorio no puede abrirse aquí: «npm run web» abre la misma app en el navegador. / ' +
  'This machine has no Electron binary and could not download it, so the desktop app cannot open here: "npm run web" opens the same app in the browser.';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => spawn(command, args, { cwd: REPO, stdio: 'inherit', env }).on('exit', (code) => resolve(code ?? 1)));
}

async function offerBrowserMode(): Promise<number> {
  if (!process.stdin.isTTY) return 1;
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await prompt.question('¿Abrirla ahora en el navegador? / Open it in the browser now? [S/n] ')).trim().toLowerCase();
  prompt.close();
  if (answer !== '' && !['s', 'si', 'sí', 'y', 'yes'].includes(answer)) return 1;
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'web']);
}

const electron = installedElectron() ?? (downloadElectron() ? installedElectron() : null);
if (!electron) {
  console.error(NO_ELECTRON);
  process.exit(await offerBrowserMode());
}
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `La app de escritorio necesita Node 22.12 o más nuevo para compilar su módulo de base de datos para Electron (este es ${process.versions.node}): actualice Node o use «npm run web». / ` +
      `The desktop app needs Node 22.12 or newer to build its database module for Electron (this is ${process.versions.node}): update Node or use "npm run web".`,
  );
  process.exit(await offerBrowserMode());
}
await buildInterface({ logLevel: 'warn' });
await buildDesktop();
const binding = await sqliteForElectron(ELECTRON_VERSION);
process.exit(await run(electron, [REPO], { ...process.env, CUPO_SQLITE_BINDING: binding }));
