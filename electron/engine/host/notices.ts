import type { CallResult, Settings } from '../../../shared/contract';
import type { Notice } from '../../../shared/notices';
import { NoticeLog, noticeOf } from '../../../shared/notices';

export type { Notice } from '../../../shared/notices';
export { newSeriousAlerts } from '../../../shared/notices';

/**
 * Where a host tells the user about new critical and high alerts: the desktop app's system notifications
 * (electron/shell/notifier.ts), the page's banner in browser mode (renderer), a list in tests (below).
 */
export interface Notifier {
  notify(notice: Notice): void;
}

/** The Node notifier: keeps every notice, for tests (and any host with nothing better to show them with). */
export class RecordingNotifier implements Notifier {
  readonly notices: Notice[] = [];

  notify(notice: Notice): void {
    this.notices.push(notice);
  }
}

/**
 * Watches the results that pass through a host and tells the notifier about each new critical or high alert,
 * once per alert, in the user's language, unless Settings turned notifications off. `settings` is asked only when
 * there is something to tell.
 */
export function alertNotices(notifier: Notifier, settings: () => Promise<Pick<Settings, 'locale' | 'notifications'> | null>) {
  const log = new NoticeLog();
  return async (method: string, result: CallResult<unknown>): Promise<Notice[]> => {
    if (!result.ok) return [];
    const fresh = log.take(method, result.value);
    if (fresh.length === 0) return [];
    const current = await settings();
    if (current?.notifications === false) return [];
    const notices = fresh.map((alert) => noticeOf(alert, current?.locale ?? 'es'));
    for (const notice of notices) notifier.notify(notice);
    return notices;
  };
}
