import type { DesktopBridge } from '../../shared/bridge';
import type { Args, CallResult, Method, Results } from '../../shared/contract';
import type { CallOptions, Host } from '../api';

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
      return await operation(args, callId);
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      progressListeners.delete(callId);
    }
  }

  return { call, upload: (file) => bridge.addFile(file), download: (exportId, fileName) => bridge.saveExport(exportId, fileName) };
}
