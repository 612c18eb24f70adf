import type { DesktopBridge, Uploaded } from '../shared/bridge';
import type { Args, CallResult, Method, ProgressEvent, Results } from '../shared/contract';
import { desktopHost } from './hosts/desktop';
import { localServerHost } from './hosts/local-server';

export interface CallOptions {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** The same three things from either host: run an operation, hand over a file, hand an export to the user. */
export interface Host {
  call<M extends Method>(method: M, args: Args<M>, options?: CallOptions): Promise<CallResult<Results[M]>>;
  upload(file: File): Promise<Uploaded>;
  /** Resolves false when the user cancelled (the desktop app's save dialog). */
  download(exportId: string, fileName: string): Promise<boolean>;
}

const bridge = (window as { cupo?: DesktopBridge }).cupo;

/**
 * The renderer's only way to the engine: the desktop app's preload when there is one, else the browser mode's
 * local server. Screens never know which.
 */
export const api: Host = bridge ? desktopHost(bridge) : localServerHost;
