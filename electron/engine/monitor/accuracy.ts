import type { AccuracyReport } from '../../../shared/contract';
import { wape } from '../backtest/metrics';
import type { ReadableDB } from '../db/types';
import { servedForecastsWithActuals } from '../forecast/served';
import { championInfo } from '../registry/models';
import { currentPlatinum } from '../snapshots/platinum';
import { periodFormatter } from '../snapshots/raw';
import { runMetrics, siteErrors } from '../training/runs';
import { accuracyHistory, actualClasses, forecastClasses, scoreForecast } from './scores';

/**
 * How good the forecasts are: the serving model's backtest per period and per site, and the forecast served for
 * every period that has since been imported, scored against what really happened.
 */
export function accuracy(db: ReadableDB): AccuracyReport {
  const platinum = currentPlatinum(db);
  const show = periodFormatter(db);
  const model = championInfo(db);

  const backtest = model ? runMetrics(db, model.run_id) : [];
  const bySite = model ? siteErrors(db, model.run_id, model.candidate).map((s) => ({ site: s.site, actual: s.actual, wape: s.actual > 0 ? s.error / s.actual : 0 })) : [];

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
    real: accuracyHistory(db),
  };
}
