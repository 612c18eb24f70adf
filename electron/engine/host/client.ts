import type { Args, CallResult, Method, ProgressEvent, Results } from '../../../shared/contract';
import type { FileTable } from './call';
import type { FromEngine, ToEngine } from './protocol';

/** Whatever carries the engine's messages: a worker thread in Node, a utility process in Electron. */
export interface EngineTransport {
  post(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  /** Called once if the engine's thread or process ends. */
  onExit(listener: (reason: string) => void): void;
  terminate(): Promise<void>;
}

export interface SendOptions {
  files?: FileTable;
  onProgress?: (event: ProgressEvent) => void;
}

interface Pending {
  resolve: (result: CallResult<unknown>) => void;
  onProgress?: (event: ProgressEvent) => void;
}

const stopped = (reason: string): CallResult<never> => ({
  ok: false,
  error: { code: 'internal', message: { es: `El motor de Cupo se detuvo (${reason}): no se guardó nada de esta operación.`, en: `Cupo's engine stopped (${reason}): nothing of this operation was stored.` } },
});

/**
 * The engine seen from a host: `send` passes one operation along and resolves with its result, progress arrives
 * on the way, `cancel` stops it leaving the database as it was. If the engine dies, every call waiting on it is
 * answered with one sentence instead of hanging the interface.
 */
export class EngineClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited: string | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly transport: EngineTransport) {
    this.ready = new Promise((resolve, reject) => {
      transport.onMessage((message) => {
        if (message.type === 'ready') resolve();
        if (message.type === 'failed') reject(new Error(message.message));
        if (message.type === 'progress') this.pending.get(message.id)?.onProgress?.(message.event);
        if (message.type === 'result') {
          this.pending.get(message.id)?.resolve(message.result);
          this.pending.delete(message.id);
        }
      });
      transport.onExit((reason) => {
        this.exited = reason;
        reject(new Error(reason));
        for (const call of this.pending.values()) call.resolve(stopped(reason));
        this.pending.clear();
      });
    });
    // A host that never awaits `ready` (the desktop app starts the engine lazily) must not crash on a failed start.
    this.ready.catch(() => undefined);
  }

  get alive(): boolean {
    return this.exited === null;
  }

  /** Sends a call as given: validation happens on the engine side, so a host may pass along what it received. */
  send(method: string, args: unknown, options: SendOptions = {}): { id: number; result: Promise<CallResult<unknown>> } {
    const id = this.nextId++;
    if (this.exited !== null) return { id, result: Promise.resolve(stopped(this.exited)) };
    const result = new Promise<CallResult<unknown>>((resolve) => this.pending.set(id, { resolve, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }));
    this.transport.post({ type: 'call', id, method, args, files: options.files ?? {} });
    return { id, result };
  }

  call<M extends Method>(method: M, args: Args<M>, options: SendOptions = {}): Promise<CallResult<Results[M]>> {
    return this.send(method, args, options).result as Promise<CallResult<Results[M]>>;
  }

  cancel(id: number): void {
    if (this.exited === null) this.transport.post({ type: 'cancel', id });
  }

  /** Lets the engine finish what it is doing and close the database, then stops it. */
  async close(): Promise<void> {
    if (this.exited === null) {
      const exited = new Promise<void>((resolve) => this.transport.onExit(() => resolve()));
      this.transport.post({ type: 'close' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await this.transport.terminate();
  }
}
