import { Worker } from 'node:worker_threads';
import { EngineClient } from './client';
import type { EngineConfig } from './protocol';

/**
 * The engine is TypeScript run by tsx, and Node 20 does not pass `--import` loaders to worker threads: the worker
 * registers tsx itself, then loads its entry.
 */
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.loader).then(({ register }) => { register(); return import(workerData.entry); });
`;

/** The engine in a worker thread of this Node process (CLI-free hosts: browser mode, tests). */
export function startEngineWorker(config: EngineConfig): EngineClient {
  const worker = new Worker(WORKER_BOOTSTRAP, {
    eval: true,
    workerData: { ...config, loader: import.meta.resolve('tsx/esm/api'), entry: new URL('./worker.ts', import.meta.url).href },
  });
  return new EngineClient({
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      worker.once('error', (error) => listener(error.message));
      worker.once('exit', (code) => listener(`exit ${code}`));
    },
    terminate: async () => {
      await worker.terminate();
    },
  });
}
