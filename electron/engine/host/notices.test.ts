import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Method, Results, Settings } from '../../../shared/contract';
import type { Alert } from '../../../shared/drift';
import { NoticeLog, newSeriousAlerts, noticeOf } from '../../../shared/notices';
import { tempWorkspace } from '../testing/fixtures';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { RecordingNotifier, alertNotices } from './notices';

function alert(id: number, severity: Alert['severity'], more: Partial<Alert> = {}): Alert {
  const labels = { critical: 'crítica', high: 'alta', medium: 'media', low: 'baja' } as const;
  return {
    id,
    severity,
    category: 'accuracy',
    message: { es: `El pronóstico ${id} se equivocó.`, en: `Forecast ${id} was off.` },
    action: { es: `Reentrene el modelo: el pronóstico ${id} se equivocó.`, en: `Retrain the model: forecast ${id} was off.` },
    period: '202501',
    scope: {},
    state: 'open',
    created_at: '2026-11-23T10:00:00.000Z',
    kind: 'accuracy',
    key: `k${id}`,
    severity_label: { es: labels[severity], en: severity },
    occurrences: 1,
    updated_at: '2026-11-23T10:00:00.000Z',
    acknowledged: null,
    resolved: null,
    evidence: {},
    ...more,
  };
}

describe('picking the alerts worth a notice', () => {
  const alerts = [
    alert(1, 'critical'),
    alert(2, 'high'),
    alert(3, 'medium'),
    alert(4, 'low'),
    alert(5, 'high', { occurrences: 3 }),
    alert(6, 'critical', { state: 'acknowledged' }),
  ];

  it('takes the new, open critical and high alerts of the calls that raise them, and nothing else', () => {
    for (const method of ['importFiles', 'loadDemo', 'checkDrift']) expect(newSeriousAlerts(method, { alerts }).map((a) => a.id), method).toEqual([1, 2]);
    expect(newSeriousAlerts('alerts', alerts)).toEqual([]);
    expect(newSeriousAlerts('status', { alerts })).toEqual([]);
    expect(newSeriousAlerts('importFiles', { committed: false })).toEqual([]);
    expect(newSeriousAlerts('importFiles', null)).toEqual([]);
  });

  it('says each once, with the app’s name and the severity, the action not repeating the message', () => {
    expect(noticeOf(alerts[0]!, 'es')).toEqual({ title: 'Cupo: alerta crítica', body: 'Reentrene el modelo: el pronóstico 1 se equivocó.' });
    expect(noticeOf(alert(7, 'high', { action: { es: 'Revise el archivo.', en: 'Check the file.' } }), 'en')).toEqual({ title: 'Cupo: high alert', body: 'Forecast 7 was off. Check the file.' });
    const log = new NoticeLog();
    expect(log.take('importFiles', { alerts }).map((a) => a.id)).toEqual([1, 2]);
    expect(log.take('checkDrift', { alerts: [alert(2, 'high'), alert(8, 'high')] }).map((a) => a.id)).toEqual([8]);
  });

  it('tells the notifier in the user’s language, unless notifications are off or the call failed', async () => {
    let settings: Pick<Settings, 'locale' | 'notifications'> = { locale: 'en', notifications: true };
    const notifier = new RecordingNotifier();
    const watch = alertNotices(notifier, async () => settings);
    expect(await watch('loadDemo', { ok: false, error: { code: 'failed', message: { es: 'x', en: 'x' } } })).toEqual([]);
    await watch('importFiles', { ok: true, value: { alerts: [alert(1, 'critical')] } });
    expect(notifier.notices).toEqual([{ title: 'Cupo: critical alert', body: 'Retrain the model: forecast 1 was off.' }]);
    settings = { locale: 'es', notifications: false };
    expect(await watch('importFiles', { ok: true, value: { alerts: [alert(2, 'high')] } })).toEqual([]);
    expect(notifier.notices).toHaveLength(1);
  });
});

describe('notices from the engine’s own results', () => {
  const ws = tempWorkspace();
  const handlers = createHandlers(ws, path.join(ws.dir, 'exports'));
  afterAll(() => ws.close());
  const demo = (name: string) => ({ path: path.resolve('data/demo', name), name });
  const call = {
    files: { 'f-0000000000000001': demo('matriculas-2023-2024.csv'), 'f-0000000000000002': demo('matriculas-2025-2026.csv') },
    onProgress: () => undefined,
    signal: new AbortController().signal,
  };
  const ok = async <M extends Method>(method: M, args: unknown): Promise<Results[M]> => {
    const result = await dispatch(handlers, method, args, call);
    if (!result.ok) throw new Error(result.error.message.en);
    return result.value as Results[M];
  };

  it('keeps notifications on by default, and the lifecycle settings within their limits', async () => {
    const settings = await ok('getSettings', {});
    expect(settings).toMatchObject({ notifications: true, promotionMargin: 0.02, rollbackThreshold: 1.5 });
    for (const bad of [{ promotionMargin: -0.01 }, { promotionMargin: 0.6 }, { rollbackThreshold: 0.9 }, { rollbackThreshold: 6 }, { notifications: 'no' }]) {
      expect(await dispatch(handlers, 'saveSettings', { ...settings, ...bad }, call), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    }
    const saved = await ok('saveSettings', { ...settings, notifications: false, promotionMargin: 0.05, rollbackThreshold: 2 });
    expect(saved).toMatchObject({ notifications: false, promotionMargin: 0.05, rollbackThreshold: 2 });
    // A caller that does not know them leaves them as they are.
    expect(await ok('saveSettings', { locale: 'es', minClassSize: 8, maxClassSize: 25 })).toEqual(saved);
    await ok('saveSettings', settings);
  });

  it('tells the high alert of a forecast that missed by far when its actuals arrive', async () => {
    const notifier = new RecordingNotifier();
    const watch = alertNotices(notifier, async () => ok('getSettings', {}));
    const through = async (method: 'importFiles', args: unknown) => {
      const result = await dispatch(handlers, method, args, call);
      await watch(method, result);
      return result;
    };
    await through('importFiles', { files: [{ fileId: 'f-0000000000000001' }] });
    await ok('train', { backtestPeriods: 1, candidates: ['last_value'] });
    await ok('forecast', {});
    await ok('exportForecast', { format: 'csv' });
    expect(notifier.notices).toEqual([]);
    const arrived = await through('importFiles', { files: [{ fileId: 'f-0000000000000002' }] });
    const raised = arrived.ok ? (arrived.value as Results['importFiles']).alerts : [];
    expect(notifier.notices.length).toBe(raised.filter((a) => a.severity === 'critical' || a.severity === 'high').length);
    expect(notifier.notices.length).toBeGreaterThan(0);
    expect(notifier.notices.every((n) => /^Cupo: alerta (crítica|alta)$/.test(n.title) && n.body.length > 0)).toBe(true);
  });
});
