import type { AccuracyReport } from '../../../shared/contract';
import { wape } from '../backtest/metrics';
import type { ReadableDB } from '../db/types';
import { servedForecastsWithActuals } from '../forecast/served';
import { formatPeriod } from '../ingest/periods';
import { servingModel } from '../registry/models';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId } from '../snapshots/platinum';
import { findVersion } from '../snapshots/versions';
import { actualClasses, forecastClasses, scoreForecast } from './scores';

/**
 * How good the forecasts are: the serving model's backtest per period and per site, and the forecast served for
 * every period that has since been imported, scored against what really happened.
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
    // The forecast served for each period (forecast/served.ts), scored as scoreArrivedForecasts scores it.
    for (const f of servedForecastsWithActuals(db, platinum.summary.periods)) {
      const { tally } = scoreForecast(actualClasses(db, platinum.id, f.period), forecastClasses(db, f.id));
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
