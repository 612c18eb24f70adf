import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingReport } from '../../../shared/reports';
import { AUTOMATIC, listAudit } from '../audit/audit';
import type { ForecastResult } from '../forecast/forecast';
import { makeForecast } from '../forecast/forecast';
import { markForecastExported } from '../forecast/served';
import { importFiles } from '../snapshots/import-files';
import type { ModelArtifact } from '../models/types';
import { onActualsArrived, reviewChampion } from './policy';
import { accuracyHistory, scoreArrivedForecasts } from './scores';
import { loadEngineSettings, loadSettings, saveSettings } from '../settings';
import { listRawSnapshots, reopenSnapshot } from '../snapshots/raw';
import { demoFiles, tempDir, tempWorkspace, writeFile } from '../testing/fixtures';
import { train } from '../training/train';
import type { Workspace } from '../workspace';
import { listModelVersions } from './model-versions';
import { champion, findModel, promote, registerModel, rollback } from '../registry/models';

const [OLDER, NEWER] = demoFiles() as [string, string];
const BASELINES = ['last_value', 'moving_average', 'cohort_progression'];

/** Students per class of one period, counted straight from the demo file (one row per enrolment, each student once). */
function classesInFile(file: string, period: string): Map<string, number> {
  const students = new Map<string, Set<string>>();
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
    const [p, site, course, schedule, student] = line.split(',');
    if (p !== period) continue;
    const key = `${site}|${course}|${schedule}`;
    students.set(key, (students.get(key) ?? new Set()).add(student!));
  }
  return new Map([...students].map(([k, s]) => [k, s.size]));
}

describe('the model lifecycle, scripted on the demo institute', () => {
  let ws: Workspace;
  let first: TrainingReport;
  let exported: ForecastResult;
  let challenger: TrainingReport;
  let a: string;
  beforeAll(async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: OLDER }], { key: ws.key });
  });
  afterAll(() => ws.close());

  it('trains a first champion (A)', async () => {
    first = await train(ws.db, { seed: 42, candidates: BASELINES, by: 'ana@pc-coordinacion' });
    a = first.decision.model_version!;
    expect(first.decision).toMatchObject({ promoted: true, champion_before: null, champion_after: a });
    expect(first.decision.reason.es).toMatch(/^No había un modelo en uso; pasa a usarse el nuevo \(Avance desde el curso previo, \d+\.\d%\)\.$/);
    expect(champion(ws.db)).toMatchObject({ id: a, candidate: 'cohort_progression', status: 'champion' });
  });

  it('forecasts the next period with A and marks the forecast exported', async () => {
    exported = await makeForecast(ws.db);
    expect(exported.report.period).toBe('202501');
    markForecastExported(ws.db, exported.report.forecast_id, { by: 'ana@pc-coordinacion', format: 'csv' });
    // Made later but never exported: not the one planners used, so not the one scored.
    await makeForecast(ws.db);
  });

  it('scores the exported forecast when the newer file brings its actuals, as a hand count says', async () => {
    await importFiles(ws.db, [{ file: NEWER }], { key: ws.key });
    const { scored, message } = scoreArrivedForecasts(ws.db);
    expect(scored).toHaveLength(1);
    const score = scored[0]!;
    expect(score).toMatchObject({ period: '202501', model_id: a, forecast_id: exported.report.forecast_id, expected_wape: first.serving!.wape });

    const actual = classesInFile(NEWER, '202501');
    const forecast = new Map(exported.rows.map((r) => [`${r.SEDE}|${r.CURSO_ACTUAL}|${r.HORARIO_ACTUAL}`, r.PREDICT_ALUMNOS]));
    let misplaced = 0;
    let enrolled = 0;
    let classes = 0;
    let opened = 0;
    let notRun = 0;
    for (const key of new Set([...actual.keys(), ...forecast.keys()])) {
      const f = forecast.get(key) ?? 0;
      const n = actual.get(key) ?? 0;
      misplaced += Math.abs(f - n);
      enrolled += n;
      classes++;
      if (f === 0) opened++;
      if (n === 0) notRun++;
    }
    console.info(`hand count for 202501: ${misplaced} students misplaced of ${enrolled} enrolled, ${classes} classes (${opened} opened without a forecast, ${notRun} forecast did not run), forecast total ${exported.report.total_students}`);
    console.info(message.es, '|', message.en);
    expect(score.wape).toBeCloseTo(misplaced / enrolled, 12);
    expect(score.mae).toBeCloseTo(misplaced / classes, 12);
    expect(score.actual_total).toBe(enrolled);
    expect(score.predicted_total).toBe(exported.report.total_students);
    expect(score.bias).toBeCloseTo((exported.report.total_students - enrolled) / enrolled, 12);
    expect(score).toMatchObject({ unforecast_classes: opened, not_run_classes: notRun });
    expect(message.es).toMatch(/^El pronóstico de ene\. 2025 \(Avance desde el curso previo\) se equivocó en \d+\.\d% \(\d+\.\d alumnos por clase\); en las pruebas se esperaba \d+\.\d%\.$/);
    expect(message.en).toMatch(/^The forecast for Jan 2025 \(Progression from the previous course\) was off by \d+\.\d% \(\d+\.\d students per class\); testing had promised \d+\.\d%\.$/);

    // Scored once: nothing new the second time.
    expect(scoreArrivedForecasts(ws.db).scored).toEqual([]);
    const history = accuracyHistory(ws.db);
    expect(history.periods).toHaveLength(1);
    const sites = history.periods[0]!.sites;
    expect(sites.length).toBeGreaterThan(1);
    expect(sites.reduce((n, s) => n + s.actual, 0)).toBe(enrolled);
    expect(sites.every((s) => s.expected_wape !== null)).toBe(true);
    expect(history.message.en).toMatch(/^Over the last period with actual data the error was \d+\.\d%, against the \d+\.\d% testing promised: /);
    console.info(history.message.es);
  });

  it('leaves A serving when it does as promised, and recommends retraining when a stricter threshold is not met and there is nothing to go back to', async () => {
    const fine = await reviewChampion(ws.db);
    console.info(fine.message.es);
    expect(fine).toMatchObject({ action: 'none', champion: a, champion_after: a, period: '202501' });
    expect(fine.champion_wape!).toBeLessThan(fine.last_value_wape!);
    const settings = loadSettings(ws.db);
    expect(loadEngineSettings(ws.db)).toMatchObject({ promotionMargin: 0.02, rollbackThreshold: 1.5 });
    saveSettings(ws.db, { ...settings, rollbackThreshold: 1.1 });
    // A caller that leaves a setting out (an older screen, the locale switch) leaves it as it is.
    const { rollbackThreshold: _threshold, ...others } = settings;
    expect(saveSettings(ws.db, others)).toEqual({ ...settings, rollbackThreshold: 1.1 });
    const strict = await reviewChampion(ws.db);
    saveSettings(ws.db, { ...settings, rollbackThreshold: 1.5 });
    expect(strict).toMatchObject({ action: 'recommend_retrain', champion_after: a, previous_champion: null });
    expect(strict.message.en).toMatch(/there is no earlier model to go back to: retraining on the new data is advised\.$/);
  });

  it('keeps A when a new model does not beat it on the same folds, and says why', async () => {
    challenger = await train(ws.db, { seed: 42, candidates: ['last_value'], by: 'ana@pc-coordinacion' });
    // A's method was re-scored on this run's folds, beside the candidate asked for.
    expect(challenger.candidates.map((c) => c.candidate)).toEqual(['last_value', 'cohort_progression']);
    expect(challenger.winner).toBe('last_value');
    expect(challenger.decision).toMatchObject({ promoted: false, champion_before: a, champion_after: a });
    expect(challenger.decision.champion_wape).toBe(challenger.candidates[1]!.wape);
    expect(challenger.decision.reason.es).toMatch(/^El nuevo modelo \(Repetir el periodo anterior, \d+\.\d%\) no mejora al actual \(Avance desde el curso previo, \d+\.\d%\); se mantiene el actual\.$/);
    expect(challenger.decision.reason.en).toMatch(/^The new model \(Repeat last period, \d+\.\d%\) does not improve on the current one \(Progression from the previous course, \d+\.\d%\); the current one stays\.$/);
    console.info(challenger.decision.reason.es, '|', challenger.decision.reason.en);
    expect(challenger.serving).toMatchObject({ model_version: a });
    expect(findModel(ws.db, challenger.decision.model_version!)).toMatchObject({ status: 'challenger', candidate: 'last_value' });
  });

  it('promotes the challenger by hand, then rolls back to A', () => {
    const b = challenger.decision.model_version!;
    expect(promote(ws.db, b, { reason: 'Probar la regla simple en enero', by: 'luis@pc-direccion' })).toEqual({ from: a, to: b });
    expect(champion(ws.db)!.id).toBe(b);
    expect(findModel(ws.db, a)!.status).toBe('retired');
    expect(() => promote(ws.db, b, { reason: 'otra vez' })).toThrow(/already the one in use/);

    expect(rollback(ws.db, { reason: 'Mejor como estaba', by: 'luis@pc-direccion' })).toEqual({ from: b, to: a });
    expect(champion(ws.db)!.id).toBe(a);
    expect(findModel(ws.db, b)!.status).toBe('retired');
    // A rollback undoes a change: there is nothing before A.
    expect(() => rollback(ws.db, { reason: 'más atrás' })).toThrow(/There is no earlier model to go back to: the one in use \(Progression from the previous course\) is the first one that served\./);
  });

  it('shows the timeline of every model version', () => {
    const b = challenger.decision.model_version!;
    const versions = listModelVersions(ws.db);
    expect(versions.map((v) => [v.id, v.status, v.candidate])).toEqual([
      [b, 'retired', 'last_value'],
      [a, 'champion', 'cohort_progression'],
    ]);
    const [vb, va] = versions as [(typeof versions)[0], (typeof versions)[0]];
    expect(va.served.map((s) => [s.how, s.by, s.to === null])).toEqual([
      ['train', 'ana@pc-coordinacion', false],
      ['rollback', 'luis@pc-direccion', true],
    ]);
    expect(vb.served.map((s) => [s.how, s.by, s.reason.es])).toEqual([['promote', 'luis@pc-direccion', 'Probar la regla simple en enero']]);
    expect(va.served[0]!.to).toBe(vb.served[0]!.from);
    expect(vb.served[0]!.to).toBe(va.served[1]!.from);
    expect(va.scored).toEqual([{ period: '202501', wape: expect.any(Number) }]);
    expect(vb.scored).toEqual([]);
    expect(va).toMatchObject({ run_id: first.run_id, backtest_wape: first.serving!.wape });
  });

  it('scores again when the period’s actuals change, and the first score holds again when its import is reopened', async () => {
    const before = accuracyHistory(ws.db).periods[0]!;
    // A corrected count for January: one class had 30 more students than first reported.
    const counts = [...classesInFile(NEWER, '202501')].map(([k, n], i) => [...k.split('|'), i === 0 ? n + 30 : n].join(','));
    const corrected = writeFile(tempDir(), 'enero-corregido.csv', ['Periodo,Sede,Curso,Horario,Alumnos', ...counts.map((c) => `202501,${c}`)].join('\n'));
    const outcome = await importFiles(ws.db, [{ file: corrected }], { key: ws.key });
    expect(outcome.committed).toBe(true);
    const rescored = scoreArrivedForecasts(ws.db).scored;
    expect(rescored).toMatchObject([{ period: '202501', forecast_id: exported.report.forecast_id, actual_total: before.actual_total + 30 }]);
    expect(accuracyHistory(ws.db).periods[0]!.wape).toBe(rescored[0]!.wape);

    const newer = listRawSnapshots(ws.db).find((r) => r.file_name === 'matriculas-2025-2026.csv')!;
    reopenSnapshot(ws.db, newer.id);
    expect(scoreArrivedForecasts(ws.db).scored).toEqual([]);
    expect(accuracyHistory(ws.db).periods[0]!.wape).toBe(before.wape);
  });

  it('keeps every act in the audit log, newest first', () => {
    const b = challenger.decision.model_version!;
    const log = listAudit(ws.db);
    expect(log.map((e) => [e.what, e.who, e.from, e.to])).toEqual([
      ['rollback', 'luis@pc-direccion', b, a],
      ['promote', 'luis@pc-direccion', a, b],
      ['train', 'ana@pc-coordinacion', a, a],
      ['forecast_exported', 'ana@pc-coordinacion', null, exported.report.forecast_id],
      ['train', 'ana@pc-coordinacion', null, a],
    ]);
    expect(log[2]!.details).toMatchObject({ run_id: challenger.run_id, model_id: b, promoted: false });
    expect(log[2]!.reason).toEqual(challenger.decision.reason);
    expect(log[3]!.details).toMatchObject({ period: '2025-01', model_id: a, format: 'csv' });
    expect(() => ws.db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
  });
});

describe('rollback by policy', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: OLDER }], { key: ws.key });
  });
  afterAll(() => ws.close());

  it('goes back by itself to the previous champion when a forced model meets real actuals and does badly', async () => {
    const good = await train(ws.db, { seed: 42, candidates: BASELINES });
    const a = good.decision.model_version!;
    const byA = (await makeForecast(ws.db)).report.total_students;

    // A deliberately bad model: the champion's own forecast, tripled (a combination of one member weighing 3).
    const a0 = findModel(ws.db, a)!;
    const artifact = { format: 2, candidate: 'combined', kind: 'baseline', members: [{ weight: 3, artifact: a0.artifact }], intervals: null, total_errors: [] } as unknown as ModelArtifact;
    const bad = registerModel(ws.db, { ...a0, candidate: 'combined', backtest_wape: 0.2, params: { crafted: 'the champion tripled' }, artifact });
    promote(ws.db, bad, { how: 'force', reason: 'Probar un modelo que predice mal', by: 'tester@lab' });
    expect(champion(ws.db)!.id).toBe(bad);

    const forecast = await makeForecast(ws.db);
    expect(forecast.report.total_students).toBeGreaterThan(2 * byA);
    markForecastExported(ws.db, forecast.report.forecast_id, { by: 'tester@lab' });

    await importFiles(ws.db, [{ file: NEWER }], { key: ws.key });
    const after = await onActualsArrived(ws.db);
    console.info(after.policy.message.es, '|', after.policy.message.en);
    expect(after.scored).toHaveLength(1);
    expect(after.scored[0]).toMatchObject({ model_id: bad, period: '202501' });
    expect(after.policy).toMatchObject({ action: 'rolled_back', champion: bad, previous_champion: a, champion_after: a, period: '202501' });
    expect(after.policy.champion_wape!).toBeGreaterThan(after.policy.last_value_wape!);
    expect(after.policy.previous_wape!).toBeLessThan(after.policy.champion_wape!);
    expect(champion(ws.db)!.id).toBe(a);
    expect(ws.db.prepare(`SELECT COUNT(*) FROM champion_history WHERE to_at IS NULL`).pluck().get()).toBe(1);

    const tenure = listModelVersions(ws.db).find((v) => v.id === a)!.served.at(-1)!;
    expect(tenure).toMatchObject({ how: 'auto_rollback', by: AUTOMATIC, to: null });
    expect(tenure.reason.en).toMatch(/so Cupo went back to it automatically\.$/);
    expect(listAudit(ws.db, { what: ['rollback'] })).toMatchObject([{ who: AUTOMATIC, from: bad, to: a, details: { how: 'auto_rollback' } }]);

    // The same evidence does not act twice, and A is not judged on a forecast it did not make.
    const again = await onActualsArrived(ws.db);
    expect(again.scored).toEqual([]);
    expect(again.policy.action).toBe('no_evidence');
    expect(champion(ws.db)!.id).toBe(a);
  });
});
