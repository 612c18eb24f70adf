import type { StatusReport } from '../../../shared/reports';
import type { ReadableDB } from '../db/types';
import { featuresVersionOf } from '../features/build';
import { formatPeriod, nextPeriod } from '../ingest/periods';
import { servingModel } from '../registry/models';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId } from '../snapshots/platinum';
import { describeSnapshots } from '../snapshots/raw';
import { findVersion } from '../snapshots/versions';

/** The state of things at a glance: what data is loaded, which model serves and how good it is, the last forecast. */
export function status(db: ReadableDB, database: string): StatusReport {
  const snapshots = describeSnapshots(db);
  const platinumId = currentPlatinumId(db);
  const platinum = platinumId ? findVersion<PlatinumSummary>(db, platinumId) : null;
  let data: StatusReport['data'] = null;
  if (platinum) {
    const s = platinum.summary;
    const last = s.periods.at(-1)!;
    const lastTotals = db.prepare(`SELECT COUNT(*) AS classes, COALESCE(SUM(students), 0) AS students FROM platinum_class WHERE version_id = ? AND period = ?`).get(platinum.id, last) as { classes: number; students: number };
    data = {
      platinum_version: platinum.id,
      frequency: s.frequency,
      first_period: formatPeriod(s.periods[0]!, s.period_style),
      last_period: formatPeriod(last, s.period_style),
      next_period: formatPeriod(nextPeriod(last, s.frequency, s.term_slots), s.period_style),
      periods: s.periods.length,
      sites: s.sites,
      courses: s.courses,
      classes_last_period: lastTotals.classes,
      students_last_period: lastTotals.students,
    };
  }
  const model = servingModel(db);
  const run = model ? (db.prepare(`SELECT started_at FROM training_run WHERE id = ?`).get(model.run_id) as { started_at: string }) : null;
  const currentFeatures = platinumId ? featuresVersionOf(platinumId) : null;
  const forecast = db
    .prepare(`SELECT f.id, f.period, f.created_at, COUNT(r.site) AS rows, COALESCE(SUM(r.predicted), 0) AS students FROM forecast f LEFT JOIN forecast_row r ON r.forecast_id = f.id GROUP BY f.id ORDER BY f.created_at DESC, f.rowid DESC LIMIT 1`)
    .get() as { id: string; period: string; created_at: string; rows: number; students: number } | undefined;
  return {
    database,
    snapshots,
    data,
    serving: model && run ? { model_version: model.id, candidate: model.candidate, wape: model.backtest_wape, trained_at: run.started_at, stale: model.features_version !== currentFeatures } : null,
    last_forecast: forecast && platinum ? { forecast_id: forecast.id, period: formatPeriod(forecast.period, platinum.summary.period_style), rows: forecast.rows, students: forecast.students, created_at: forecast.created_at } : null,
    runs: (db.prepare(`SELECT COUNT(*) AS n FROM training_run`).get() as { n: number }).n,
  };
}
