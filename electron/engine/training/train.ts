import { randomUUID } from 'node:crypto';
import type { PromotionDecision, TrainingReport } from '../../../shared/reports';
import { currentUser, recordAudit } from '../audit/audit';
import type { BacktestProgress } from '../backtest/backtest';
import { chooseWinner, commonPeriods, runBacktest, wapeOn } from '../backtest/backtest';
import { fitServing } from '../backtest/serving';
import { BatchInsert } from '../db/insert-many';
import type { WritableDB } from '../db/types';
import { UserError } from '../errors';
import { yieldToEventLoop } from '../event-loop';
import { both } from '../../../shared/format';
import { formatPeriod } from '../domain/periods';
import { CANDIDATES, DEFAULT_CANDIDATES, candidateNamed } from '../models/candidates';
import { decidePromotion } from '../registry/gate';
import { champion, crown, registerModel } from '../registry/models';
import { loadEngineSettings } from '../settings';
import { APP_VERSION } from '../version';
import { currentDataset } from './dataset';

export const DEFAULT_SEED = 42;
export const DEFAULT_BACKTEST_PERIODS = 3;

export interface TrainOptions {
  seed?: number;
  backtestPeriods?: number;
  /** Candidate names; DEFAULT_CANDIDATES (all but the network) by default. */
  candidates?: string[];
  /** false: measure only (a backtest), no model is kept and the champion does not change. */
  promote?: boolean;
  /** Promote the winner even if the promotion gate would keep the champion (recorded as forced). */
  force?: boolean;
  /** Who asked, `user@machine`; the current OS user by default. */
  by?: string;
  onProgress?: (p: BacktestProgress | { candidate: string; period: 'final'; step: number; steps: number }) => void;
  signal?: AbortSignal;
}

/**
 * One experiment: backtest every candidate, pick the one with the lowest WAPE, refit it on all the history and
 * keep it. It serves only if it passes the promotion gate against the champion, re-scored on the same folds
 * (registry/gate.ts); otherwise it is kept as a challenger. The run, its parameters, data versions and every
 * fold's metrics are recorded either way; a measure-only run (promote: false) keeps no model.
 */
export async function train(db: WritableDB, options: TrainOptions = {}): Promise<TrainingReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const seed = options.seed ?? DEFAULT_SEED;
  const backtestPeriods = options.backtestPeriods ?? DEFAULT_BACKTEST_PERIODS;
  const candidates = options.candidates ? options.candidates.map(candidateNamed) : [...DEFAULT_CANDIDATES];
  if (!candidates.some((c) => c.name === 'last_value')) candidates.unshift(candidateNamed('last_value'));
  const promote = options.promote ?? true;
  const force = options.force ?? false;
  const by = options.by ?? currentUser();
  const before = champion(db);
  // The champion's method is measured on the very folds the candidates are, so the gate compares like with like.
  const requested = new Set(candidates.map((c) => c.name));
  const comparable = before !== null && CANDIDATES.some((c) => c.name === before.candidate);
  if (promote && !force && before && comparable && !requested.has(before.candidate)) candidates.push(candidateNamed(before.candidate));

  const dataset = currentDataset(db);
  if (dataset.panel.periodCount < 3) {
    const n = dataset.panel.periodCount;
    throw new UserError(both((f) =>
      f.message(
        f.lang === 'es'
          ? '{n, plural, one {Hay # periodo} other {Hay # periodos}} de datos; se necesitan al menos 3 para entrenar y medir un modelo honestamente.'
          : '{n, plural, one {There is # period} other {There are # periods}} of data; at least 3 are needed to train and measure a model honestly.',
        { n },
      ),
    ), 'failed');
  }
  await yieldToEventLoop(options.signal);
  const result = await runBacktest(dataset, { folds: backtestPeriods, seed, candidates, onProgress: options.onProgress, signal: options.signal });
  const winner = chooseWinner(result.summaries.filter((s) => requested.has(s.candidate)), result.folds);
  // Winner and champion judged on the same test periods (see chooseWinner).
  const gatePeriods = before ? commonPeriods(result.folds, [winner.candidate, before.candidate]) : [];
  const championWape = before ? wapeOn(result.folds, before.candidate, gatePeriods) : null;
  const verdict = decidePromotion({
    winner: championWape === null ? winner : { ...winner, wape: wapeOn(result.folds, winner.candidate, gatePeriods)! },
    champion: before && { id: before.id, candidate: before.candidate, wape: championWape },
    margin: loadEngineSettings(db).promotionMargin,
    force,
  });
  const lastValueWape = result.summaries.find((s) => s.candidate === 'last_value')!.wape;

  let artifact = null;
  if (promote) {
    options.onProgress?.({ candidate: winner.candidate, period: 'final', step: result.folds.length, steps: result.folds.length + 1 });
    artifact = await fitServing(dataset, result, winner.candidate, seed, options.signal);
  }

  let modelId: string | null = null;
  const decision = (kept: string | null): PromotionDecision => ({
    promoted: promote && verdict.promote,
    reason: promote
      ? verdict.reason
      : { es: 'Solo se midió: no se guardó ningún modelo y el que se usa no cambia.', en: 'Measured only: no model was kept and the one in use does not change.' },
    champion_before: before?.id ?? null,
    champion_after: promote && verdict.promote ? kept : (before?.id ?? null),
    model_version: kept,
    winner_wape: winner.wape,
    champion_wape: championWape,
  });
  const runId = `run-${startedAt.replace(/[-:TZ.]/g, '').slice(0, 14)}-${randomUUID().slice(0, 4)}`;
  const durationMs = Math.round(performance.now() - started);
  // Cancelled before this line, a training leaves no trace; from here to the end nothing waits, so no cancel can land half-way.
  options.signal?.throwIfAborted();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO training_run (id, started_at, duration_ms, app_version, seed, params, platinum_version, features_version, target_version, backtest_periods, winner)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(runId, startedAt, durationMs, APP_VERSION, seed, JSON.stringify({ backtest_periods: backtestPeriods, candidates: candidates.map((c) => c.name), promote, force, champion: before?.id ?? null }),
      dataset.platinumVersion, dataset.featuresVersion, dataset.targetVersion, JSON.stringify(result.foldPeriods), winner.candidate);
    const metric = db.prepare(
      `INSERT INTO run_metric (run_id, candidate, period, wape, mae, bias, actual_total, predicted_total, classes, duration_ms, course_wape, site_wape, covered, intervals)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const siteMetric = new BatchInsert(db, 'run_site_metric', ['run_id', 'candidate', 'period', 'site', 'absolute_error', 'actual']);
    for (const f of result.folds) {
      metric.run(runId, f.candidate, f.period, f.wape, f.mae, f.bias, f.actual_total, f.predicted_total, f.classes, f.duration_ms, f.course_wape, f.site_wape, f.covered, f.intervals);
      for (const site of f.sites) siteMetric.add(runId, f.candidate, f.period, site.site, site.absolute_error, site.actual);
    }
    siteMetric.flush();
    if (artifact) {
      modelId = registerModel(db, {
        run_id: runId,
        candidate: winner.candidate,
        backtest_wape: winner.wape,
        platinum_version: dataset.platinumVersion,
        features_version: dataset.featuresVersion,
        target_version: dataset.targetVersion,
        params: { seed, backtest_periods: backtestPeriods, app_version: APP_VERSION, hyperparameters: candidateNamed(winner.candidate).params ?? {} },
        artifact,
      });
      if (verdict.promote) crown(db, modelId, { how: verdict.how, reason: verdict.reason, by });
    }
    recordAudit(db, {
      what: 'train',
      who: by,
      from: before?.id ?? null,
      to: champion(db)?.id ?? null,
      reason: decision(modelId).reason,
      details: { run_id: runId, model_id: modelId, promoted: promote && verdict.promote, forced: promote && force },
    });
  })();

  const after = champion(db);
  const serving: TrainingReport['serving'] = !promote || !after
    ? null
    : after.id === modelId
      ? { model_version: after.id, candidate: after.candidate, wape: winner.wape }
      : { model_version: after.id, candidate: after.candidate, wape: championWape ?? after.backtest_wape };

  const style = dataset.summary.period_style;
  return {
    run_id: runId,
    seed,
    backtest_periods: result.foldPeriods.map((p) => formatPeriod(p, style)),
    candidates: result.summaries,
    folds: result.folds.map(({ duration_ms: _d, sites: _s, ...f }) => ({ ...f, period: formatPeriod(f.period, style) })),
    serving,
    winner: winner.candidate,
    decision: decision(modelId),
    last_value_wape: lastValueWape,
    platinum_version: dataset.platinumVersion,
    features_version: dataset.featuresVersion,
    target_version: dataset.targetVersion,
    duration_ms: durationMs,
  };
}
