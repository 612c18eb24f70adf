import type { Transferable } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';

/**
 * The import's threads (the id table, the file reader) run texts of plain JavaScript: the same text runs on a thread
 * and, for work too small to be worth one or whose thread failed, here. One text, so the two can never disagree.
 */

/** Evaluates `source` here and returns its function `name`; `modules` are the names the text uses (crypto, fs…). */
export function compileHere<T>(source: string, name: string, modules: Record<string, unknown>): T {
  return new Function(...Object.keys(modules), `${source}\nreturn ${name};`)(...Object.values(modules)) as T;
}

/** Starts a thread running `source`. No execArgv: the text needs none of the parent's loaders (tsx would cost it 0.1 s). */
export function startThread(source: string, workerData: unknown, transferList: readonly Transferable[] = []): Worker {
  return new Worker(source, { eval: true, execArgv: [], workerData, transferList: [...transferList] });
}

/** Stops a thread whatever it was doing. An error it raised just before may still be on its way: unheard, it would end the process. */
export async function stopThread(worker: Worker): Promise<void> {
  worker.removeAllListeners();
  worker.on('error', () => {});
  await worker.terminate();
}

/** A typed array twice as long, with the same start: how the import's flat tables grow. */
export function grown<T extends Float64Array | Int32Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
