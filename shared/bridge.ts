import type { Args, CallResult, Method, ProgressEvent, Results } from './contract';

/** A file the user chose, as the engine will know it: by an id the host gave out, never by a path. */
export interface Uploaded {
  fileId: string;
  name: string;
  size: number;
}

/**
 * What the desktop app's preload puts on `window.cupo`: one method per operation of the contract (each with the
 * caller's id for the call, so it can be cancelled and its progress told apart), plus the few things only a
 * desktop host does — taking a file the user picked, saving an export where the user says.
 */
export type DesktopOperations = { [M in Method]: (args: Args<M>, callId: number) => Promise<CallResult<Results[M]>> };

export interface DesktopBridge extends DesktopOperations {
  cancel(callId: number): void;
  /** Subscribes to progress of running calls; returns the unsubscribe function. */
  onProgress(listener: (callId: number, event: ProgressEvent) => void): () => void;
  addFile(file: File): Promise<CallResult<Uploaded>>;
  /** Asks where to save an export; `false` when the user cancelled the dialog. */
  saveExport(exportId: string, fileName: string): Promise<CallResult<boolean>>;
}

/** Channel names between preload and main: one per operation, plus the desktop-only ones. */
export const channelOf = (name: Method | 'cancel' | 'progress' | 'addFile' | 'saveExport') => `cupo:${name}`;
