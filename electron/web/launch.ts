import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(HERE, 'main.ts');

/**
 * Browser mode in a child process, as a user starts it, for the end-to-end tests and the benchmarks: resolves
 * with the address it prints (token included) once it listens.
 */
export function launchBrowserMode(databaseFile: string): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(process.execPath, ['--import', 'tsx', MAIN, '--no-open', '--db', databaseFile], { cwd: path.resolve(HERE, '../..') });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+/.exec(out);
      if (found) resolve({ url: found[0], server });
    });
    server.on('exit', (code) => reject(new Error(`browser mode exited with ${code} before listening`)));
  });
}
