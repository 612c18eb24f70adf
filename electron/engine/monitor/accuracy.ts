import type { AccuracyReport } from '../../../shared/contract';
import { addToTally, emptyTally, wape } from '../backtest/metrics';
import type { ReadableDB } from '../db/types';
import { formatPeriod } from '../ingest/periods';
import { servingModel } from '../registry/models';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId } from '../snapshots/platinum';
import { findVersion } from '../snapshots/versions';

/**
 * How good the forecasts are: the serving model's backtest per period and per site, and every stored forecast
 * whose period has since been imported, scored against what really happened.
 */
export function accuracy(db: ReadableDB): AccuracyReport {
  const platinumId = currentPlatinumId(db);
  const platinum = platinumId ? findVersion<PlatinumSummary>(db, platinumId) : null;
  const show = (p: string) => (platinum ? formatPeriod(p, platinum.summary.period_style) : p);
  const model = servingModel(db);

  const backtest = model
    ? (db.prepare(`SELECT period, candidate, wape FROM run_metric WHERE run_id = ? ORDER BY period, candidate`).all(model.run_id) as AccuracyReport['backtest'])
    : [];
  const bySite = model
    ? (db
        .prepare(`SELECT site, SUM(absolute_error) AS error, SUM(actual) AS actual FROM run_site_metric WHERE run_id = ? AND candidate = ? GROUP BY site ORDER BY site`)
        .all(model.run_id, model.candidate) as { site: string; error: number; actual: number }[]).map((s) => ({ site: s.site, actual: s.actual, wape: s.actual > 0 ? s.error / s.actual : 0 }))
    : [];

  const forecastVsActual: AccuracyReport['forecastVsActual'] = [];
  if (platinum) {
    const latestPerPeriod = db
      .prepare(`SELECT f.id, f.period FROM forecast f WHERE f.created_at = (SELECT MAX(created_at) FROM forecast g WHERE g.period = f.period) ORDER BY f.period`)
      .all() as { id: string; period: string }[];
    const actualRows = db.prepare(`SELECT site, course, schedule, students FROM platinum_class WHERE version_id = ? AND period = ?`);
    const forecastRows = db.prepare(`SELECT site, course, schedule, predicted FROM forecast_row WHERE forecast_id = ?`);
    for (const f of latestPerPeriod) {
      if (!platinum.summary.periods.includes(f.period)) continue;
      const key = (r: { site: string; course: string; schedule: string }) => `${r.site}\u0001${r.course}\u0001${r.schedule}`.toUpperCase();
      const actual = new Map((actualRows.all(platinum.id, f.period) as { site: string; course: string; schedule: string; students: number }[]).map((r) => [key(r), r.students]));
      const predicted = new Map((forecastRows.all(f.id) as { site: string; course: string; schedule: string; predicted: number }[]).map((r) => [key(r), r.predicted]));
      const tally = emptyTally();
      for (const k of new Set([...actual.keys(), ...predicted.keys()])) addToTally(tally, actual.get(k) ?? 0, predicted.get(k) ?? 0);
      forecastVsActual.push({ period: show(f.period), forecast_id: f.id, predicted: tally.predicted, actual: tally.actual, wape: wape(tally) });
    }
  }
  return {
    run_id: model?.run_id ?? null,
    candidate: model?.candidate ?? null,
    backtest: backtest.map((b) => ({ ...b, period: show(b.period) })),
    forecastVsActual,
    bySite,
  };
}
