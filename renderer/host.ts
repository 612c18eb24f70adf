// What every host of the engine offers the renderer: hosts/ implement it, api.ts picks one. Its own module so
// neither imports the other.
import type { Uploaded } from '../shared/bridge';
import type { Args, CallResult, Method, ProgressEvent, Results } from '../shared/contract';

export interface CallOptions {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * The same three things from either host: run an operation, hand over a file, hand an export to the user. Each
 * resolves to a `CallResult`, never throws: a failure carries its one bilingual sentence for the screen to show.
 */
export interface Host {
  call<M extends Method>(method: M, args: Args<M>, options?: CallOptions): Promise<CallResult<Results[M]>>;
  upload(file: File): Promise<CallResult<Uploaded>>;
  /** `false` when the user cancelled (the desktop app's save dialog). */
  download(exportId: string, fileName: string): Promise<CallResult<boolean>>;
}
