import { useState } from 'react';
import type { CallError } from '../../shared/contract';
import type { Alert, Finding, Severity } from '../../shared/drift';
import { severityRank } from '../../shared/drift';
import { api } from '../api';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { ErrorNote } from './common';

/** A severity in colour and in words ("Crítica"), never in colour alone. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useI18n();
  return <span className={`sev ${severity}`}>{t(`severity.${severity}` as MessageKey)}</span>;
}

/** What changed in the data, each finding with its severity in words. */
export function FindingList({ findings }: { findings: readonly Finding[] }) {
  const { say } = useI18n();
  return (
    <ul className="findings">
      {findings.map((f, i) => (
        <li key={`${f.cause}-${f.period}-${i}`}>
          <SeverityBadge severity={f.severity} /> {say(f.message)}
        </li>
      ))}
    </ul>
  );
}

/** Open alerts first, then those already seen; within each, the most severe first (the engine's order kept). */
export function byUrgency(alerts: readonly Alert[]): Alert[] {
  const stateRank = (a: Alert) => (a.state === 'open' ? 0 : a.state === 'acknowledged' ? 1 : 2);
  return [...alerts].sort((a, b) => stateRank(a) - stateRank(b) || severityRank(a.severity) - severityRank(b.severity));
}

/**
 * What to do, without the message again: most actions are "Reentrene el modelo: <the message>", and the message
 * is already shown above them.
 */
export function whatToDo(action: string, message: string): string {
  const at = message.length > 1 ? action.indexOf(message.slice(1)) : -1;
  if (at <= 1) return action;
  const head = action.slice(0, at - 1).replace(/[\s:;,.—-]+$/u, '');
  return head ? `${head}.` : action;
}

/**
 * One alert: its severity, what happened, what to do, and — when `onChange` is given — the buttons to say it was
 * seen or dealt with.
 */
export function AlertItem({ alert, onChange }: { alert: Alert; onChange?: (updated: Alert) => void }) {
  const { t, say, period, date } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const act = async (method: 'acknowledgeAlert' | 'resolveAlert') => {
    setBusy(true);
    const result = await api.call(method, { id: alert.id });
    setBusy(false);
    setError(result.ok ? null : result.error);
    if (result.ok) onChange?.(result.value);
  };
  const message = say(alert.message);
  const action = say(alert.action);
  return (
    <li className={`alert ${alert.severity}`}>
      <div className="alert-head">
        <SeverityBadge severity={alert.severity} />
        {alert.state === 'acknowledged' && alert.acknowledged && <span className="muted">{t('alerts.seenBy', { who: alert.acknowledged.by, date: date(alert.acknowledged.at) })}</span>}
        {alert.period && <span className="muted">{t('alerts.period', { period: period(alert.period) })}</span>}
      </div>
      <p className="alert-message">{message}</p>
      {action && <p className="alert-action">{t('alerts.action', { action: whatToDo(action, message) })}</p>}
      {onChange && alert.state !== 'resolved' && (
        <div className="actions">
          {alert.state === 'open' && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void act('acknowledgeAlert')}>
              {t('alerts.acknowledge')}
            </button>
          )}
          <button type="button" className="secondary" disabled={busy} onClick={() => void act('resolveAlert')}>
            {t('alerts.resolve')}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </li>
  );
}

export function AlertList({ alerts, onChange, label }: { alerts: readonly Alert[]; onChange?: (updated: Alert) => void; label: string }) {
  return (
    <ul className="alerts" aria-label={label}>
      {byUrgency(alerts).map((a) => (
        <AlertItem key={a.id} alert={a} {...(onChange ? { onChange } : {})} />
      ))}
    </ul>
  );
}
