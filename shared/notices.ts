import type { Alert } from './drift';
import type { Locale } from './messages';

/**
 * Which alerts deserve a notice of their own (a system notification in the desktop app, a banner in browser mode):
 * the new critical and high ones a call raised. The pure part, shared by the desktop's main process and the page.
 */

/** The operations whose results carry the alerts they raised. */
export const NOTICE_METHODS = ['importFiles', 'loadDemo', 'checkDrift'] as const;

/** What a notice says: the app's name and the severity as its title, the alert's sentence as its body. */
export interface Notice {
  title: string;
  body: string;
}

const SERIOUS = new Set<Alert['severity']>(['critical', 'high']);

function alertsOf(result: unknown): Alert[] {
  const alerts = (result as { alerts?: unknown } | null)?.alerts;
  return Array.isArray(alerts) ? (alerts as Alert[]) : [];
}

/**
 * The new critical and high alerts in a call's result (its `value`, not the CallResult): raised now (seen once),
 * still open. An alert raised again, acknowledged or resolved was already told. Any other operation gives none.
 */
export function newSeriousAlerts(method: string, result: unknown): Alert[] {
  if (!(NOTICE_METHODS as readonly string[]).includes(method)) return [];
  return alertsOf(result).filter((a) => SERIOUS.has(a.severity) && a.state === 'open' && a.occurrences === 1);
}

/** The notice of one alert, in the interface language. */
export function noticeOf(alert: Alert, locale: Locale): Notice {
  const level = alert.severity_label?.[locale] ?? alert.severity;
  const message = alert.message[locale];
  const action = alert.action[locale];
  // Most actions repeat the message after what to do ("Reentrene el modelo: el modelo que…"): said once.
  const body = !action ? message : action.includes(message.slice(1)) ? action : `${message} ${action}`;
  return { title: locale === 'es' ? `Cupo: alerta ${level}` : `Cupo: ${level} alert`, body };
}

/**
 * Remembers which alerts were already told, so a notice is never repeated while the app runs (an alert raised by
 * an import and seen again in the same session's drift check).
 */
export class NoticeLog {
  private readonly told = new Set<number>();

  /** The alerts of this result not told yet, marked as told. */
  take(method: string, result: unknown): Alert[] {
    const fresh = newSeriousAlerts(method, result).filter((a) => !this.told.has(a.id));
    for (const a of fresh) this.told.add(a.id);
    return fresh;
  }
}
