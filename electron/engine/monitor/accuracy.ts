import type { AccuracyReport } from '../../../shared/contract';
import { addToTally, emptyTally, wape } from '../backtest/metrics';
import type { ReadableDB } from '../db/types';
import { classKey, foldedKeyString } from '../domain/class-key';
import { forecastPredictions, latestForecastPerPeriod } from '../forecast/forecast';
import { servingModelInfo } from '../registry/models';
import { currentPlatinum, loadPlatinumClasses } from '../snapshots/platinum';
import { periodFormatter } from '../snapshots/raw';
import { runMetrics, siteErrors } from '../training/runs';

/**
 * How good the forecasts are: the serving model's backtest per period and per site, and every stored forecast
 * whose period has since been imported, scored against what really happened.
 */
export function accuracy(db: ReadableDB): AccuracyReport {
  const platinum = currentPlatinum(db);
  const show = periodFormatter(db);
  const model = servingModelInfo(db);

  const backtest = model ? runMetrics(db, model.run_id) : [];
  const bySite = model ? siteErrors(db, model.run_id, model.candidate).map((s) => ({ site: s.site, actual: s.actual, wape: s.actual > 0 ? s.error / s.actual : 0 })) : [];

  const forecastVsActual: AccuracyReport['forecastVsActual'] = [];
  if (platinum) {
    for (const f of latestForecastPerPeriod(db)) {
      if (!platinum.summary.periods.includes(f.period)) continue;
      // Labels are compared folded: platinum may spell a label differently since the forecast was made.
      const actual = new Map(loadPlatinumClasses(db, platinum.id, f.period).map((r) => [foldedKeyString(r), r.students]));
      const predicted = new Map(forecastPredictions(db, f.id).map((r) => [foldedKeyString(classKey(f.period, r)), r.predicted]));
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
