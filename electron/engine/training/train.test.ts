import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingReport } from '../../../shared/reports';
import { loadForecast, makeForecast } from '../forecast/forecast';
import { candidateNamed } from '../models/candidates';
import { importFiles } from '../snapshots/import-files';
import { listModelVersions } from '../monitor/model-versions';
import { status } from '../monitor/status';
import { champion } from '../registry/models';
import { demoFiles, tempWorkspace } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { explainTraining } from './explain';
import { train } from './train';

let ws: Workspace;
let report: TrainingReport;

beforeAll(async () => {
  ws = tempWorkspace();
  await importFiles(ws.db, demoFiles().map((file) => ({ file })), { key: ws.key });
  report = await train(ws.db, { seed: 7 });
});
afterAll(() => ws.close());

describe('training on the demo institute (real TF.js training)', () => {
  it('backtests every candidate on the last three months, with bias and interval coverage per fold', () => {
    expect(report.backtest_periods).toEqual(['202608', '202609', '202610']);
    expect(report.candidates.map((c) => c.candidate)).toEqual(['last_value', 'seasonal_naive', 'moving_average', 'cohort_progression', 'boosted', 'combined']);
    expect(report.folds).toHaveLength(18);
    const served = report.folds.filter((f) => f.candidate === report.winner);
    for (const f of served) {
      expect(Math.abs(f.bias)).toBeLessThan(0.05);
      expect(f.coverage).toBeGreaterThan(0.7);
      expect(f.coverage).toBeLessThan(0.9);
      expect(f.course_wape).toBeLessThan(f.wape);
    }
  });

  it('serves a model at least as good as repeating last period, and clearly better on this data', () => {
    const served = report.candidates.find((c) => c.candidate === report.serving!.candidate)!;
    expect(served.wape).toBeLessThanOrEqual(report.last_value_wape);
    expect(served.wape).toBeLessThan(0.6 * report.last_value_wape);
    expect(report.serving!.wape).toBe(Math.min(...report.candidates.map((c) => c.wape)));
  });

  it('records the run: seed, parameters, data versions and every fold’s metrics', () => {
    const run = ws.db.prepare(`SELECT * FROM training_run WHERE id = ?`).get(report.run_id) as Record<string, unknown>;
    expect(run).toMatchObject({ seed: 7, platinum_version: report.platinum_version, features_version: report.features_version, target_version: report.target_version, winner: report.winner });
    expect(JSON.parse(run.params as string)).toMatchObject({ backtest_periods: 3, promote: true });
    expect(ws.db.prepare(`SELECT COUNT(*) FROM run_metric WHERE run_id = ?`).pluck().get(report.run_id)).toBe(18);
    expect(champion(ws.db)).toMatchObject({ run_id: report.run_id, candidate: report.winner, features_version: report.features_version });
    expect(champion(ws.db)!.params).toMatchObject({ seed: 7, backtest_periods: 3, hyperparameters: candidateNamed(report.winner).params ?? {} });
    expect(candidateNamed('neural').params).toMatchObject({ hidden_layers: [32, 16], learning_rate: expect.any(Number), batch: expect.any(Number), target_steps: expect.any(Number) });
  });

  it('keeps each fold’s course × site error, bias and coverage, so the model’s promise can be shown later', () => {
    const kept = listModelVersions(ws.db).find((m) => m.id === report.serving!.model_version)!;
    const folds = report.folds.filter((f) => f.candidate === report.winner);
    expect(kept.backtest.map((f) => f.period)).toEqual(report.backtest_periods);
    kept.backtest.forEach((f, i) => {
      expect(f.wape).toBeCloseTo(folds[i]!.wape, 12);
      expect(f.bias).toBeCloseTo(folds[i]!.bias, 12);
      expect(f.course_wape).toBeCloseTo(folds[i]!.course_wape, 12);
      expect(f.site_wape).toBeCloseTo(folds[i]!.site_wape, 12);
      expect(f.coverage).toBeCloseTo(folds[i]!.coverage!, 12);
    });
  });

  it('explains the result in plain words', () => {
    const text = explainTraining(report);
    expect(text.es).toMatch(/en promedio el pronóstico se equivocó en \d+[.,]\d alumnos por clase/);
    expect(text.en).toMatch(/better than repeating the previous period/);
  });

  it('forecasts the next month for running classes and for the next course of those that progress, in whole students with their interval', async () => {
    const { report: f, rows } = await makeForecast(ws.db);
    expect(f.period).toBe('202611');
    expect(f.model_version).toBe(report.serving!.model_version);
    // What the backtest promised travels with the forecast, so the screen and the CLI can say it beside the numbers.
    const promised = report.candidates.find((c) => c.candidate === report.serving!.candidate)!;
    expect(f.promise.wape).toBeCloseTo(promised.wape, 12);
    expect(f.promise.bias).toBeCloseTo(promised.bias, 12);
    expect(f.promise.coverage).toBeCloseTo(promised.coverage!, 12);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => Number.isInteger(r.PREDICT_ALUMNOS) && r.PREDICT_ALUMNOS > 0)).toBe(true);
    expect(rows.every((r) => r.p10 <= r.PREDICT_ALUMNOS && r.PREDICT_ALUMNOS <= r.p90)).toBe(true);
    expect(rows.filter((r) => r.p10 < r.p90).length).toBeGreaterThan(0.9 * rows.length);
    expect(rows.every((r) => r.p_below_min >= 0 && r.p_below_min <= 1 && r.sections >= 1)).toBe(true);
    // Classes of the last month that are not forecast are listed as closing, with their students.
    const last = new Set(rows.map((r) => `${r.SEDE}|${r.CURSO_ACTUAL}|${r.HORARIO_ACTUAL}`));
    expect(f.closing.every((c) => !last.has(`${c.SEDE}|${c.CURSO_ACTUAL}|${c.HORARIO_ACTUAL}`) && c.last_students > 0)).toBe(true);
    expect(f.total_check?.flagged).toBe(false);
    // The 15:00 schedule closed in 2025: nothing is forecast for it.
    expect(rows.some((r) => r.HORARIO_ACTUAL === 'LMV 15:00-17:00')).toBe(false);
    expect(rows.some((r) => r.SEDE === 'LOS OLIVOS')).toBe(true);
    expect(ws.db.prepare(`SELECT COUNT(*) FROM forecast_row WHERE forecast_id = ? AND predicted > 0`).pluck().get(f.forecast_id)).toBe(rows.length);
    // Read back, it is the same forecast.
    const stored = loadForecast(ws.db, f.forecast_id)!;
    expect(stored.rows).toEqual(rows);
    expect(stored.report.closing).toEqual(f.closing);
  });

  it('refuses to forecast a period that already has data', async () => {
    await expect(makeForecast(ws.db, { period: '202605' })).rejects.toThrow(/after Oct 2026/);
  });

  it('keeps the previous model, retired, when a new one is made to serve', async () => {
    expect(report.decision).toMatchObject({ promoted: true, champion_before: null, champion_after: report.serving!.model_version });
    const second = await train(ws.db, { seed: 7, candidates: ['last_value', 'cohort_progression'], force: true });
    expect(second.decision).toMatchObject({ promoted: true, champion_before: report.serving!.model_version, champion_after: second.serving!.model_version });
    expect(second.decision.reason.en).toMatch(/^The change was forced/);
    const models = ws.db.prepare(`SELECT run_id, status FROM model_version ORDER BY created_at DESC, id DESC`).all() as { run_id: string; status: string }[];
    expect(models.map((m) => m.status)).toEqual(['champion', 'retired']);
    expect(models[0]!.run_id).toBe(second.run_id);
    expect(champion(ws.db)!.run_id).toBe(second.run_id);
    expect(status(ws.db, ws.file).serving?.stale).toBe(false);
  });
});
