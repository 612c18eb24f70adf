/**
 * The tables training_run, run_metric and run_site_metric belong to training/: train.ts writes every run with its
 * backtest metrics, and everything else reads them through here.
 */
import type { BacktestFold } from '../../../shared/reports';
import type { ReadableDB } from '../db/types';

export interface RunSummary {
  id: string;
  started_at: string;
  winner: string;
  /** The winner's backtest WAPE, all folds together (weighted by students). */
  wape: number;
  seed: number;
  duration_ms: number;
  platinum_version: string;
}

export function countRuns(db: ReadableDB): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM training_run`).get() as { n: number }).n;
}

/** When a run started (null for an unknown run). */
export function runStartedAt(db: ReadableDB, runId: string): string | null {
  return (db.prepare(`SELECT started_at FROM training_run WHERE id = ?`).pluck().get(runId) as string | undefined) ?? null;
}

/** Every run, newest first. */
export function listRuns(db: ReadableDB): RunSummary[] {
  return db
    .prepare(
      `SELECT r.id, r.started_at, r.winner, r.seed, r.duration_ms, r.platinum_version,
              COALESCE(SUM(m.wape * m.actual_total) / NULLIF(SUM(m.actual_total), 0), 0) AS wape
       FROM training_run r LEFT JOIN run_metric m ON m.run_id = r.id AND m.candidate = r.winner
       GROUP BY r.id ORDER BY r.started_at DESC, r.rowid DESC`,
    )
    .all() as RunSummary[];
}

/** A run's backtest WAPE per period (canonical) and candidate. */
export function runMetrics(db: ReadableDB, runId: string): { period: string; candidate: string; wape: number }[] {
  return db.prepare(`SELECT period, candidate, wape FROM run_metric WHERE run_id = ? ORDER BY period, candidate`).all(runId) as { period: string; candidate: string; wape: number }[];
}

/** One candidate's backtest error per site in a run, all folds together. */
export function siteErrors(db: ReadableDB, runId: string, candidate: string): { site: string; error: number; actual: number }[] {
  return db
    .prepare(`SELECT site, SUM(absolute_error) AS error, SUM(actual) AS actual FROM run_site_metric WHERE run_id = ? AND candidate = ? GROUP BY site ORDER BY site`)
    .all(runId, candidate) as { site: string; error: number; actual: number }[];
}

/**
 * One candidate's backtest folds in a run: what it promised, period by period. Course × site and site WAPE and
 * the interval's coverage are null for runs recorded before they were kept (migration 005).
 */
export function candidateFolds(db: ReadableDB, runId: string, candidate: string): BacktestFold[] {
  return db
    .prepare(
      `SELECT period, wape, mae, bias, actual_total, course_wape, site_wape,
              CASE WHEN intervals > 0 THEN covered * 1.0 / intervals END AS coverage
       FROM run_metric WHERE run_id = ? AND candidate = ? ORDER BY period`,
    )
    .all(runId, candidate) as BacktestFold[];
}

export interface RunDetail {
  id: string;
  started_at: string;
  duration_ms: number;
  seed: number;
  platinum_version: string;
  features_version: string;
  target_version: string;
  /** The periods (canonical) the candidates were tested on. */
  backtest_periods: string[];
  winner: string;
}

/** One run as it was recorded: its data versions, seed and the periods it tested on (null for an unknown run). */
export function runDetail(db: ReadableDB, runId: string): RunDetail | null {
  const row = db
    .prepare(`SELECT id, started_at, duration_ms, seed, platinum_version, features_version, target_version, backtest_periods, winner FROM training_run WHERE id = ?`)
    .get(runId) as (Omit<RunDetail, 'backtest_periods'> & { backtest_periods: string }) | undefined;
  return row ? { ...row, backtest_periods: JSON.parse(row.backtest_periods) as string[] } : null;
}

/**
 * Every candidate of a run, all folds together: WAPE and bias weighted by students (as a run's winner is
 * chosen), MAE by classes. Best first.
 */
export function candidateSummaries(db: ReadableDB, runId: string): { candidate: string; wape: number; mae: number; bias: number; folds: number; coverage: number | null }[] {
  return db
    .prepare(
      `SELECT candidate,
              COALESCE(SUM(wape * actual_total) / NULLIF(SUM(actual_total), 0), 0) AS wape,
              COALESCE(SUM(mae * classes) / NULLIF(SUM(classes), 0), 0) AS mae,
              COALESCE(SUM(bias * actual_total) / NULLIF(SUM(actual_total), 0), 0) AS bias,
              SUM(covered) * 1.0 / NULLIF(SUM(intervals), 0) AS coverage,
              COUNT(*) AS folds
       FROM run_metric WHERE run_id = ? GROUP BY candidate ORDER BY wape, candidate`,
    )
    .all(runId) as { candidate: string; wape: number; mae: number; bias: number; folds: number; coverage: number | null }[];
}

/** What one candidate's backtest in a run promised, all folds together (see candidateSummaries); null if it was not in the run. */
export function candidatePromise(db: ReadableDB, runId: string, candidate: string): { wape: number; bias: number; coverage: number | null } | null {
  const found = candidateSummaries(db, runId).find((c) => c.candidate === candidate);
  return found ? { wape: found.wape, bias: found.bias, coverage: found.coverage } : null;
}

/** Whether a training run (not a measure-only backtest) has already learnt from this platinum version. */
export function trainedOn(db: ReadableDB, platinumVersion: string): boolean {
  return db.prepare(`SELECT 1 FROM training_run WHERE platinum_version = ? AND COALESCE(json_extract(params, '$.promote'), 1) != 0 LIMIT 1`).get(platinumVersion) !== undefined;
}
