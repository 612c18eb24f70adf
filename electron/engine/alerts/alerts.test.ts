import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../snapshots/import-files';
import { crown, registerModel } from '../registry/models';
import { tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import type { AlertInput } from './alerts';
import { SEVERITY_LABELS } from '../../../shared/drift';
import { acknowledgeAlert, highestOpenSeverity, listAlerts, raiseAlerts, resolveAlert } from './alerts';
import { accuracyAlert, alertsAfterImport, dataGapAlerts, importAlerts, modelAlerts, raiseAccuracyAlert, refreshStateAlerts } from './sources';

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
let ws: (Workspace & { dir: string }) | undefined;
afterEach(() => {
  ws?.close();
  ws = undefined;
});

function alert(key: string, severity: AlertInput['severity'], text = key): AlertInput {
  return { key, category: 'drift', kind: 'vanished', severity, message: { es: `m ${text}`, en: `m ${text}` }, action: { es: `a ${text}`, en: `a ${text}` }, period: '2026-11', scope: { site: 'SURCO' } };
}

describe('alerts', () => {
  it('merges an alert raised again for the same cause instead of repeating it', () => {
    ws = tempWorkspace();
    const first = raiseAlerts(ws.db, [alert('drift:vanished:site:SURCO', 'high', 'one')]);
    const again = raiseAlerts(ws.db, [alert('drift:vanished:site:SURCO', 'high', 'two')]);
    expect(again.merged).toEqual(first.raised);
    const [only, ...rest] = listAlerts(ws.db);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ severity: 'high', category: 'drift', message: { es: 'm two' }, action: { en: 'a two' }, period: '2026-11', scope: { site: 'SURCO' }, state: 'open', occurrences: 2 });
    expect(only!.created_at).toEqual(expect.any(String));
    expect(SEVERITY_LABELS[only!.severity].es).toBe('alta');
  });

  it('keeps who acknowledged and resolved and when; a resolved cause that returns is a new alert', () => {
    ws = tempWorkspace();
    const [id] = raiseAlerts(ws.db, [alert('k', 'medium')]).raised;
    expect(highestOpenSeverity(ws.db)).toBe('medium');
    expect(acknowledgeAlert(ws.db, id!, 'Rosa', '2026-11-05T10:00:00Z')).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'Rosa', at: '2026-11-05T10:00:00Z' } });
    expect(highestOpenSeverity(ws.db)).toBeNull();
    // An acknowledged alert that gets worse is open again.
    raiseAlerts(ws.db, [alert('k', 'critical')]);
    expect(listAlerts(ws.db, { state: 'open' })).toHaveLength(1);
    expect(highestOpenSeverity(ws.db)).toBe('critical');
    expect(resolveAlert(ws.db, id!, 'Rosa', '2026-11-06T10:00:00Z')).toMatchObject({ state: 'resolved', resolved: { by: 'Rosa', at: '2026-11-06T10:00:00Z' } });
    const back = raiseAlerts(ws.db, [alert('k', 'low')]);
    expect(back.raised).toHaveLength(1);
    expect(back.raised[0]).not.toBe(id);
    expect(listAlerts(ws.db, { state: 'resolved' }).map((a) => a.id)).toEqual([id]);
    expect(() => acknowledgeAlert(ws!.db, 999, 'Rosa')).toThrow(/no alert 999/);
    expect(() => resolveAlert(ws!.db, back.raised[0]!, '  ')).toThrow(/who/);
  });

  it('lists the most severe first and resolves, when asked, what a new round no longer raises', () => {
    ws = tempWorkspace();
    raiseAlerts(ws.db, [alert('drift:a', 'low'), alert('drift:b', 'critical'), alert('data:c', 'medium')]);
    expect(listAlerts(ws.db).map((a) => a.severity)).toEqual(['critical', 'medium', 'low']);
    const round = raiseAlerts(ws.db, [alert('drift:b', 'critical')], { settle: { prefixes: ['drift:'] } });
    expect(round.resolved).toHaveLength(1);
    expect(listAlerts(ws.db, { state: 'open' }).map((a) => a.key)).toEqual(['drift:b', 'data:c']);
    expect(listAlerts(ws.db, { state: 'resolved' })[0]!.resolved!.by).toBe('cupo');
  });

  it('turns a forecast scored much worse than promised into an alert with an action', () => {
    expect(accuracyAlert({ period: '2026-11', wape: 0.13, expected_wape: 0.12 })).toBeNull();
    expect(accuracyAlert({ period: '2026-11', wape: 0.17, expected_wape: 0.12 })!.severity).toBe('medium');
    expect(accuracyAlert({ period: '2026-11', wape: 0.2, expected_wape: 0.12 })!.severity).toBe('high');
    const critical = accuracyAlert({ period: '2026-11', wape: 0.3, expected_wape: 0.12 })!;
    expect(critical).toMatchObject({ severity: 'critical', category: 'accuracy', period: '2026-11', key: 'accuracy:wape:2026-11' });
    expect(critical.message.es).toBe('El pronóstico de nov. 2026 se equivocó en 30% de los alumnos (WAPE), 2.5 veces el 12% que prometía el modelo.');
    expect(critical.action.es).toMatch(/^Reentrene el modelo y revise los datos de ese periodo: el pronóstico de nov\. 2026/);
  });
});

describe('alerts from the state of the data and the model', () => {
  it('says when there is no model, when it was not retrained since new data, and when the next period has no forecast', async () => {
    ws = tempWorkspace();
    const months = ['202601', '202602', '202603', '202604'];
    const file = (ps: string[], name: string) => writeFile(ws!.dir, name, `${HEADER}\n${ps.map((p) => `${p},NORTE,BAS01,LMV,12\n${p},SUR,BAS01,LMV,10`).join('\n')}\n`);
    await importFiles(ws.db, [{ file: file(months.slice(0, 3), 'a.csv') }], { key: ws.key });
    expect(modelAlerts(ws.db).map((a) => a.kind)).toEqual(['no_model']);

    // A model trained on the first three months (registered directly: training is not what is tested here).
    const platinum = ws.db.prepare(`SELECT id FROM dataset_version WHERE kind = 'platinum'`).pluck().get() as string;
    ws.db.prepare(`INSERT INTO training_run VALUES ('run-1', 'now', 1, '0', 42, '{}', ?, ?, ?, '["2026-02","2026-03"]', 'last_value')`).run(platinum, platinum, platinum);
    crown(ws.db, registerModel(ws.db, { run_id: 'run-1', candidate: 'last_value', backtest_wape: 0.1, platinum_version: platinum, features_version: platinum, target_version: platinum, params: {}, artifact: { kind: 'last_value' } as never }), { how: 'train', reason: 'test' });
    expect(modelAlerts(ws.db).map((a) => a.kind)).toEqual(['no_forecast']);
    refreshStateAlerts(ws.db);

    const outcome = await importFiles(ws.db, [{ file: file(months.slice(3), 'b.csv') }], { key: ws.key });
    alertsAfterImport(ws.db, { snapshotIds: outcome.reports.map((r) => r.snapshot_id!), drift: null });
    const open = listAlerts(ws.db, { state: 'open' });
    const stale = open.find((a) => a.kind === 'not_retrained')!;
    expect(stale).toMatchObject({ category: 'model', severity: 'medium', period: '202604' });
    expect(stale.message.es).toBe('El modelo que pronostica se entrenó con datos hasta mar. 2026; desde entonces llegó 1 periodo nuevo (abr. 2026).');
    expect(stale.action.es).toMatch(/^Reentrene el modelo: el modelo que pronostica/);
    expect(open.find((a) => a.kind === 'no_forecast')!.message.en).toBe('There is no served forecast for May 2026, the next period.');
    // The forecast for 202604 that the earlier state asked for is no longer the next period's: resolved.
    expect(listAlerts(ws.db, { state: 'resolved' }).map((a) => a.key)).toEqual(['model:forecast:2026-04']);
  });

  it('finds a site missing a period it used to have, periods missing from the sequence, and imports that warned', async () => {
    ws = tempWorkspace();
    const lines = ['202601,NORTE,BAS01,LMV,12', '202601,SUR,BAS01,LMV,10', '202602,NORTE,BAS01,LMV,12', '202603,NORTE,BAS01,LMV,12', '202603,SUR,BAS01,LMV,10',
      '202605,NORTE,BAS01,LMV,12', '202605,SUR,BAS01,LMV,10', '202605,SUR,BAS01,LMV,1'];
    const outcome = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'gaps.csv', `${HEADER}\n${lines.join('\n')}\n`) }], { key: ws.key });
    const gaps = dataGapAlerts(ws.db);
    expect(gaps.map((g) => [g.kind, g.severity, g.message.es])).toEqual([
      ['missing_periods', 'low', 'Falta 1 periodo entre ene. 2026 y may. 2026: abr. 2026.'],
      ['site_gap', 'medium', 'La sede SUR no tiene datos de feb. 2026, aunque sí antes y después: probablemente falta su archivo.'],
    ]);
    const warned = importAlerts(ws.db, outcome.reports.map((r) => r.snapshot_id!));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.message.en).toMatch(/^The import of gaps\.csv had 1 warning and 0 rejected rows \(/);
    refreshStateAlerts(ws.db);
    expect(listAlerts(ws.db, { state: 'open' }).map((a) => a.kind).sort()).toEqual(['missing_periods', 'no_model', 'site_gap']);
    raiseAccuracyAlert(ws.db, { period: '2026-05', wape: 0.4, expected_wape: 0.1 });
    expect(highestOpenSeverity(ws.db)).toBe('critical');
  });
});
