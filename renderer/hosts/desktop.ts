import type { DesktopBridge } from '../../shared/bridge';
import type { Args, CallResult, Method, Results } from '../../shared/contract';
import type { CallOptions, Host } from '../host';

/** What the main process could not even answer (it threw, or the app is closing), as the one result shape. */
async function settled<T>(pending: () => Promise<CallResult<T>>): Promise<CallResult<T>> {
  try {
    return await pending();
  } catch (error) {
    const detail = (error as Error).message;
    return { ok: false, error: { code: 'internal', message: { es: `La aplicación no respondió: ${detail}`, en: `The app did not answer: ${detail}` } } };
  }
}

/** Desktop app: the preload's methods, one per operation, with progress and cancel keyed by a call id. */
export function desktopHost(bridge: DesktopBridge): Host {
  let nextCallId = 1;
  const progressListeners = new Map<number, NonNullable<CallOptions['onProgress']>>();
  bridge.onProgress((callId, event) => progressListeners.get(callId)?.(event));

  async function call<M extends Method>(method: M, args: Args<M>, options: CallOptions = {}): Promise<CallResult<Results[M]>> {
    const callId = nextCallId++;
    if (options.onProgress) progressListeners.set(callId, options.onProgress);
    const cancel = () => bridge.cancel(callId);
    options.signal?.addEventListener('abort', cancel);
    try {
      const operation = bridge[method] as (a: Args<M>, id: number) => Promise<CallResult<Results[M]>>;
      return await settled(() => operation(args, callId));
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      progressListeners.delete(callId);
    }
  }

  return {
    call,
    upload: (file) => settled(() => bridge.addFile(file)),
    download: (exportId, fileName) => settled(() => bridge.saveExport(exportId, fileName)),
  };
}
