import { Worker } from 'node:worker_threads';
import type { Args, CallResult, Method, ProgressEvent, Results } from '../../../shared/contract';
import type { FileTable } from './handlers';
import type { EngineConfig, FromEngine, ToEngine } from './protocol';

/**
 * The engine is TypeScript run by tsx, and Node 20 does not pass `--import` loaders to worker threads: the worker
 * registers tsx itself, then loads its entry.
 */
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.loader).then(({ register }) => { register(); return import(workerData.entry); });
`;
const TSX_LOADER = import.meta.resolve('tsx/esm/api');

interface Pending {
  resolve: (result: CallResult<unknown>) => void;
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * The engine in a worker thread, seen from the host: `call` sends one operation and resolves with its result;
 * progress arrives on the way; `cancel` stops it, leaving the database as it was.
 */
export class EngineWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  readonly ready: Promise<void>;

  constructor(config: EngineConfig) {
    this.worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { ...config, loader: TSX_LOADER, entry: new URL('./worker.ts', import.meta.url).href } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      const onReady = (message: FromEngine) => {
        if (message.type === 'ready') resolve();
        if (message.type === 'failed') reject(new Error(message.message));
      };
      this.worker.once('message', onReady);
    });
    this.worker.on('message', (message: FromEngine) => {
      if (message.type === 'progress') this.pending.get(message.id)?.onProgress?.(message.event);
      if (message.type === 'result') {
        this.pending.get(message.id)?.resolve(message.result);
        this.pending.delete(message.id);
      }
    });
  }

  /** Sends a call as given: validation happens on the engine side, so a host may pass along what it received. */
  send(method: string, args: unknown, options: { files?: FileTable; onProgress?: (e: ProgressEvent) => void } = {}): { id: number; result: Promise<CallResult<unknown>> } {
    const id = this.nextId++;
    const result = new Promise<CallResult<unknown>>((resolve) => this.pending.set(id, { resolve, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }));
    this.post({ type: 'call', id, method, args, files: options.files ?? {} });
    return { id, result };
  }

  call<M extends Method>(method: M, args: Args<M>, options: { files?: FileTable; onProgress?: (e: ProgressEvent) => void } = {}): Promise<CallResult<Results[M]>> {
    return this.send(method, args, options).result as Promise<CallResult<Results[M]>>;
  }

  cancel(id: number): void {
    this.post({ type: 'cancel', id });
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post({ type: 'close' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    await this.worker.terminate();
  }

  private post(message: ToEngine): void {
    this.worker.postMessage(message);
  }
}
