import { randomUUID } from 'node:crypto';
import type { TrainingReport } from '../../../shared/reports';
import type { BacktestProgress } from '../backtest/backtest';
import { chooseWinner, examplesBefore, runBacktest } from '../backtest/backtest';
import { BatchInsert } from '../db/insert-many';
import type { WritableDB } from '../db/types';
import { UserError } from '../errors';
import { yieldToEventLoop } from '../event-loop';
import { formatPeriod } from '../domain/periods';
import { CANDIDATES, candidateNamed } from '../models/candidates';
import { registerServingModel } from '../registry/models';
import { APP_VERSION } from '../version';
import { currentDataset } from './dataset';

export const DEFAULT_SEED = 42;
export const DEFAULT_BACKTEST_PERIODS = 3;

export interface TrainOptions {
  seed?: number;
  backtestPeriods?: number;
  /** Candidate names; all of them by default. */
  candidates?: string[];
  /** false: measure only (a backtest), nothing starts serving. */
  promote?: boolean;
  onProgress?: (p: BacktestProgress | { candidate: string; period: 'final'; step: number; steps: number }) => void;
  signal?: AbortSignal;
}

/**
 * One experiment: backtest every candidate, keep the one with the lowest WAPE, refit it on all the history and
 * make it serve. The run, its parameters, data versions and every fold's metrics are recorded either way.
 */
export async function train(db: WritableDB, options: TrainOptions = {}): Promise<TrainingReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const seed = options.seed ?? DEFAULT_SEED;
  const backtestPeriods = options.backtestPeriods ?? DEFAULT_BACKTEST_PERIODS;
  const candidates = options.candidates ? options.candidates.map(candidateNamed) : [...CANDIDATES];
  if (!candidates.some((c) => c.name === 'last_value')) candidates.unshift(candidateNamed('last_value'));
  const promote = options.promote ?? true;

  const dataset = currentDataset(db);
  if (dataset.panel.periodCount < 3) {
    throw new UserError({
      es: `Hay ${dataset.panel.periodCount} periodo(s) de datos; se necesitan al menos 3 para entrenar y medir un modelo honestamente.`,
      en: `There are ${dataset.panel.periodCount} period(s) of data; at least 3 are needed to train and measure a model honestly.`,
    }, 'failed');
  }
  await yieldToEventLoop(options.signal);
  const result = await runBacktest(dataset, { folds: backtestPeriods, seed, candidates, onProgress: options.onProgress, signal: options.signal });
  const winner = chooseWinner(result.summaries);
  const lastValueWape = result.summaries.find((s) => s.candidate === 'last_value')!.wape;

  let serving: TrainingReport['serving'] = null;
  let artifact = null;
  if (promote) {
    options.onProgress?.({ candidate: winner.candidate, period: 'final', step: result.folds.length, steps: result.folds.length + 1 });
    const model = await candidateNamed(winner.candidate).fit(examplesBefore(dataset, dataset.panel.periodCount), seed, options.signal);
    artifact = model.artifact();
    model.dispose();
  }

  const runId = `run-${startedAt.replace(/[-:TZ.]/g, '').slice(0, 14)}-${randomUUID().slice(0, 4)}`;
  const durationMs = Math.round(performance.now() - started);
  // Cancelled before this line, a training leaves no trace; from here to the end nothing waits, so no cancel can land half-way.
  options.signal?.throwIfAborted();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO training_run (id, started_at, duration_ms, app_version, seed, params, platinum_version, features_version, target_version, backtest_periods, winner)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(runId, startedAt, durationMs, APP_VERSION, seed, JSON.stringify({ backtest_periods: backtestPeriods, candidates: candidates.map((c) => c.name), promote }),
      dataset.platinumVersion, dataset.featuresVersion, dataset.targetVersion, JSON.stringify(result.foldPeriods), winner.candidate);
    const metric = db.prepare(
      `INSERT INTO run_metric (run_id, candidate, period, wape, mae, bias, actual_total, predicted_total, classes, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const siteMetric = new BatchInsert(db, 'run_site_metric', ['run_id', 'candidate', 'period', 'site', 'absolute_error', 'actual']);
    for (const f of result.folds) {
      metric.run(runId, f.candidate, f.period, f.wape, f.mae, f.bias, f.actual_total, f.predicted_total, f.classes, f.duration_ms);
      for (const site of f.sites) siteMetric.add(runId, f.candidate, f.period, site.site, site.absolute_error, site.actual);
    }
    siteMetric.flush();
    if (artifact) {
      const id = registerServingModel(db, { run_id: runId, candidate: winner.candidate, backtest_wape: winner.wape, features_version: dataset.featuresVersion, artifact });
      serving = { model_version: id, candidate: winner.candidate, wape: winner.wape };
    }
  })();

  const style = dataset.summary.period_style;
  return {
    run_id: runId,
    seed,
    backtest_periods: result.foldPeriods.map((p) => formatPeriod(p, style)),
    candidates: result.summaries,
    folds: result.folds.map(({ duration_ms: _d, sites: _s, ...f }) => ({ ...f, period: formatPeriod(f.period, style) })),
    serving,
    winner: winner.candidate,
    last_value_wape: lastValueWape,
    platinum_version: dataset.platinumVersion,
    features_version: dataset.featuresVersion,
    target_version: dataset.targetVersion,
    duration_ms: durationMs,
  };
}
