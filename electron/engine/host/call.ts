import type { z } from 'zod';
import type { CONTRACT, Method, ProgressEvent, Results } from '../../../shared/contract';

/**
 * What a handler of the contract is given and must return: the shapes the dispatcher, the hosts and the handlers
 * share (apart from handlers.ts, so that modules the handlers use can name them without importing the handlers).
 */

/** Files the host let the user pick (an upload, a file chosen in a dialog), by the id the renderer knows them by. */
export type FileTable = Record<string, { path: string; name: string }>;

export interface CallContext {
  files: FileTable;
  onProgress: (event: ProgressEvent) => void;
  signal: AbortSignal;
}

export type ValidArgs<M extends Method> = z.output<(typeof CONTRACT)[M]['args']>;
export type Handlers = { [M in Method]: (args: ValidArgs<M>, call: CallContext) => Promise<Results[M]> };
