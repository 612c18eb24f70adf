import type { Alert } from '../shared/drift';
import { NoticeLog } from '../shared/notices';
import type { Host } from './host';

/**
 * Browser mode's notices: the new critical and high alerts a call raised (an import, the sample data, a drift
 * check), kept until the user dismisses them and shown as a banner by `NoticeBanner`. The desktop app tells them
 * with the system's notifications instead (from its main process), so this is only wrapped around the local
 * server's host. Settings can turn them off.
 */
let shown: readonly Alert[] = [];
let enabled = true;
const listeners = new Set<() => void>();
const log = new NoticeLog();

function emit(next: readonly Alert[]): void {
  shown = next;
  for (const listener of listeners) listener();
}

export const notices = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  current: (): readonly Alert[] => shown,
  dismiss(id: number): void {
    emit(shown.filter((a) => a.id !== id));
  },
  /** Settings' switch: off clears what is shown and shows nothing new. */
  enable(on: boolean): void {
    enabled = on;
    if (!on && shown.length > 0) emit([]);
  },
  /** The new serious alerts of a call's result, shown once each. */
  take(method: string, value: unknown): void {
    const fresh = log.take(method, value);
    if (enabled && fresh.length > 0) emit([...shown, ...fresh]);
  },
};

/** The same host, with the results of every call looked at for new serious alerts on their way to the screen. */
export function withNotices(host: Host): Host {
  return {
    ...host,
    call: async (method, args, options) => {
      const result = await host.call(method, args, options);
      if (!result.ok) return result;
      // An alert seen or dealt with (on Home) needs no notice any more.
      if (method === 'acknowledgeAlert' || method === 'resolveAlert') notices.dismiss((args as { id: number }).id);
      else notices.take(method, result.value);
      return result;
    },
  };
}
