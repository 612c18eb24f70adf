import type { HistoryReport } from '../../../shared/contract';
import type { ReadableDB } from '../db/types';
import { formatPeriod } from '../ingest/periods';
import { describeSnapshots, latestNotation } from '../snapshots/raw';

/** Imports, training runs and forecasts, newest first, with what each produced. */
export function history(db: ReadableDB): HistoryReport {
  const style = latestNotation(db)?.period_style;
  const runs = db
    .prepare(
      `SELECT r.id, r.started_at, r.winner, r.seed, r.duration_ms, r.platinum_version,
              COALESCE(SUM(m.wape * m.actual_total) / NULLIF(SUM(m.actual_total), 0), 0) AS wape,
              EXISTS (SELECT 1 FROM model_version v WHERE v.run_id = r.id AND v.status = 'champion') AS serving
       FROM training_run r LEFT JOIN run_metric m ON m.run_id = r.id AND m.candidate = r.winner
       GROUP BY r.id ORDER BY r.started_at DESC, r.rowid DESC`,
    )
    .all() as (Omit<HistoryReport['runs'][number], 'serving'> & { serving: number })[];
  const forecasts = db
    .prepare(
      `SELECT f.id, f.period, f.model_version_id AS model_version, f.created_at, COUNT(r.site) AS rows, COALESCE(SUM(r.predicted), 0) AS students
       FROM forecast f LEFT JOIN forecast_row r ON r.forecast_id = f.id GROUP BY f.id ORDER BY f.created_at DESC, f.rowid DESC`,
    )
    .all() as HistoryReport['forecasts'];
  return {
    snapshots: describeSnapshots(db).reverse(),
    runs: runs.map((r) => ({ ...r, serving: Boolean(r.serving) })),
    forecasts: forecasts.map((f) => ({ ...f, period: style ? formatPeriod(f.period, style) : f.period })),
  };
}
