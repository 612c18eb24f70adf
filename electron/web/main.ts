import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveDatabasePath } from '../engine/db/location';
import { startWebServer } from './server';

/** `npm run web [-- --port N --no-open --db PATH]`: the interface in the browser, on this machine only. */
const { values } = parseArgs({ options: { port: { type: 'string' }, 'no-open': { type: 'boolean', default: false }, db: { type: 'string' } } });
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('--port debe ser un número de 0 a 65535 / --port must be a number from 0 to 65535');
  process.exit(2);
}
const staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');
const server = await startWebServer({ databaseFile: resolveDatabasePath(values.db), staticDir, port });
console.log(`Cupo está abierto en / Cupo is open at:\n  ${server.url}\n(Ctrl+C para cerrar / to stop)`);
if (!values['no-open']) {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(opener, [server.url], { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
}
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
