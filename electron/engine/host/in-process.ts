import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Args, CallResult, Method, ProgressEvent, Results } from '../../../shared/contract';
import { UserError } from '../errors';
import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';
import { dispatch } from './dispatch';
import { exportedFile } from './exports';
import type { FileTable, Handlers } from './call';
import { createHandlers } from './handlers';

export interface InProcessCall {
  /** Files named on a command line, by path: the host gives each an id, as the other hosts do for uploads. */
  paths?: readonly string[];
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * The engine in the caller's own process, for the command line: the same handlers and the same validating
 * dispatcher as the desktop app and browser mode, without a thread in between (one command, one call at a time).
 */
export interface InProcessEngine {
  file: string;
  /** Set when opening upgraded the schema: the copy taken before. */
  backup: string | null;
  /** The ids `call` will give the files in `paths`, in order. */
  fileIds(paths: readonly string[]): string[];
  call<M extends Method>(method: M, args: Args<M>, options?: InProcessCall): Promise<CallResult<Results[M]>>;
  /** Where an export the engine wrote lies, to copy it where the user asked. */
  exportPath(exportId: string, fileName: string): string | null;
  close(): void;
}

export function openInProcessEngine(databaseFile: string, exportsDir: string): CallResult<InProcessEngine> {
  let ws: Workspace;
  try {
    ws = openWorkspace(databaseFile);
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: { code: error.kind, message: error.bilingualMessage } };
    throw error;
  }
  const handlers: Handlers = createHandlers(ws, exportsDir);
  const ids = new Map<string, string>();
  const idOf = (file: string) => {
    let id = ids.get(file);
    if (!id) ids.set(file, (id = `f-${randomBytes(8).toString('hex')}`));
    return id;
  };
  return {
    ok: true,
    value: {
      file: ws.file,
      backup: ws.backup,
      fileIds: (paths) => paths.map(idOf),
      call: async (method, args, options = {}) => {
        const files: FileTable = {};
        for (const file of options.paths ?? []) files[idOf(file)] = { path: path.resolve(file), name: path.basename(file) };
        const result = await dispatch(handlers, method, args, {
          files,
          onProgress: options.onProgress ?? (() => undefined),
          signal: options.signal ?? new AbortController().signal,
        });
        return result as CallResult<Results[typeof method]>;
      },
      exportPath: (exportId, fileName) => exportedFile(exportsDir, exportId, fileName),
      close: () => ws.close(),
    },
  };
}
