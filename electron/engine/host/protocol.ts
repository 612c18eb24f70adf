import type { CallResult, ProgressEvent } from '../../../shared/contract';
import type { FileTable } from './call';

/**
 * Messages between a host and the engine running off its main thread (a worker thread in Node, a utility
 * process in Electron): the same shapes both ways, whatever carries them.
 */
export type ToEngine = { type: 'call'; id: number; method: string; args: unknown; files: FileTable } | { type: 'cancel'; id: number } | { type: 'close' };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'progress'; id: number; event: ProgressEvent }
  | { type: 'result'; id: number; result: CallResult<unknown> };

export interface EngineConfig {
  databaseFile: string;
  exportsDir: string;
  /** A better-sqlite3 addon built for the host's runtime (Electron's ABI in `npm start`), when not the installed one. */
  sqliteBinding?: string;
}
