import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import type { Bilingual } from '../../../shared/messages';
import type { PolicyOutcome, ScoringReport } from '../../../shared/reports';
import { AUTOMATIC } from '../audit/audit';
import { roundStudents } from '../backtest/backtest';
import { wape } from '../backtest/metrics';
import type { WritableDB } from '../db/types';
import type { FeatureRow } from '../features/build';
import { ensureFeatures, featureRowsFor, loadDataset } from '../features/build';
import type { StoredForecast } from '../forecast/served';
import { forecastByModel } from '../forecast/served';
import { lastValue } from '../models/baselines';
import { restoreModel } from '../models/candidates';
import type { FittedModel } from '../models/types';
import type { ModelVersion } from '../registry/models';
import { champion, championSince, previousChampion, rollback } from '../registry/models';
import { loadEngineSettings } from '../settings';
import { currentPlatinumId, ensurePlatinum } from '../snapshots/platinum';
import { findVersion } from '../snapshots/versions';
import { periodForPeople } from '../domain/periods';
import type { ClassCount } from './scores';
import { periodFormatter, periodStyleInUse } from '../snapshots/raw';
import { actualClasses, currentScores, forecastClasses, scoreArrivedForecasts, scoreForecast } from './scores';

/**
 * The feature rows a stored forecast was made from: the "next period" rows of the data it saw, or, for a period
 * further ahead, the rows rebuilt the way makeForecast built them. Another model predicting from these rows sees
 * exactly what the served model saw, nothing of the period it predicts.
 */
function rowsOfForecast(db: WritableDB, forecast: StoredForecast): FeatureRow[] {
  const platinumId = findVersion(db, forecast.features_version)!.parents[0]!;
  const { featuresVersion, targetVersion } = ensureFeatures(db, platinumId);
  const dataset = loadDataset(db, platinumId, featuresVersion, targetVersion);
  const { panel } = dataset;
  return forecast.period === dataset.nextPeriod
    ? dataset.rows.filter((r) => r.periodIndex === panel.periodCount)
    : featureRowsFor(panel, dataset.feeders, forecast.period, panel.periodCount);
}

/** What a model would have forecast from those rows: whole students, the classes at 0 left out as makeForecast does. */
async function predictClasses(model: FittedModel, rows: readonly FeatureRow[]): Promise<ClassCount[]> {
  const expected = await model.predict(rows);
  model.dispose();
  return rows.map((r, i) => ({ site: r.site, course: r.course, schedule: r.schedule, students: roundStudents(expected[i]!) })).filter((c) => c.students > 0);
}

function outcome(action: PolicyOutcome['action'], message: Bilingual, rest: Partial<PolicyOutcome> = {}): PolicyOutcome {
  return {
    action,
    message,
    period: null,
    champion: null,
    champion_wape: null,
    expected_wape: null,
    last_value_wape: null,
    previous_champion: null,
    previous_wape: null,
    champion_after: null,
    ...rest,
  };
}

/**
 * The rollback policy, run after scoring. It judges the champion on the last period scored, if the champion served
 * it during its current time in service (older evidence was judged already, or belongs to another model). The
 * champion is in trouble if its real error exceeds its backtest promise by more than the threshold (settings:
 * rollbackThreshold), or is worse than simply repeating the previous period on the same actuals. Then, if the
 * previous champion did better on those same actuals (its own stored forecast of the period, or its artifact
 * predicting from the same inputs), Cupo rolls back by itself (how 'auto_rollback', by "automático", in the
 * champion history and the audit log); otherwise it recommends retraining.
 */
export async function reviewChampion(db: WritableDB): Promise<PolicyOutcome> {
  ensurePlatinum(db);
  const current = champion(db);
  if (!current) return outcome('no_evidence', { es: 'Todavía no hay un modelo en uso.', en: 'No model is in use yet.' });
  const latest = currentScores(db).at(-1);
  const since = championSince(db);
  const forecast = latest
    ? (db.prepare(`SELECT id, period, model_version_id, features_version, created_at FROM forecast WHERE id = ?`).get(latest.forecast_id) as StoredForecast)
    : null;
  const previous = previousChampion(db);
  // The model in use and the one before it, by name; by name and date when they are two versions of one method.
  const twins = previous !== null && previous.candidate === current.candidate;
  const named = (m: ModelVersion, f: Formatter) => f.model(m.candidate, twins ? m.created_at : undefined);
  if (!latest || !forecast || latest.model_id !== current.id || (since !== null && forecast.created_at < since)) {
    return outcome('no_evidence', both((f) =>
      f.lang === 'es'
        ? `El modelo en uso, ${f.model(current.candidate)}, todavía no tiene un pronóstico comparado con datos reales.`
        : `The model in use, ${f.model(current.candidate)}, has no forecast compared with actual data yet.`,
    ), { champion: current.id, champion_after: current.id });
  }

  const show = periodFormatter(db);
  const style = periodStyleInUse(db);
  const label = show(latest.period);
  const threshold = loadEngineSettings(db).rollbackThreshold;
  const actual = actualClasses(db, currentPlatinumId(db)!, latest.period);
  const rows = rowsOfForecast(db, forecast);
  const naiveWape = wape(scoreForecast(actual, await predictClasses(await lastValue.fit({ rows: [], y: new Float64Array() }, 0), rows)).tally);
  const evidence: Partial<PolicyOutcome> = { period: label, champion: current.id, champion_wape: latest.wape, expected_wape: latest.expected_wape, last_value_wape: naiveWape };
  const overPromise = latest.wape > threshold * latest.expected_wape;
  const overNaive = latest.wape > naiveWape + 1e-12;
  const real = (f: Formatter) => (f.lang === 'es' ? `${f.pct(latest.wape)} en ${periodForPeople(latest.period, style, f)}` : `${f.pct(latest.wape)} in ${periodForPeople(latest.period, style, f)}`);
  if (!overPromise && !overNaive) {
    return outcome('none', both((f) =>
      f.lang === 'es'
        ? `El modelo en uso, ${named(current, f)}, se equivocó en ${real(f)}, dentro de lo esperado (${f.pct(latest.expected_wape)} en las pruebas, hasta ${f.one(threshold)} veces) y mejor que repetir el periodo anterior (${f.pct(naiveWape)}): sigue en uso.`
        : `The model in use, ${named(current, f)}, was off by ${real(f)}, within what was expected (${f.pct(latest.expected_wape)} in testing, up to ${f.one(threshold)} times) and better than repeating the previous period (${f.pct(naiveWape)}): it stays.`,
    ), { ...evidence, champion_after: current.id });
  }
  const why = (f: Formatter) =>
    (f.lang === 'es' ? `El modelo en uso, ${named(current, f)}, se equivocó en ${real(f)}` : `The model in use, ${named(current, f)}, was off by ${real(f)}`) +
    (overPromise
      ? f.lang === 'es' ? `, más de ${f.one(threshold)} veces lo que prometían las pruebas (${f.pct(latest.expected_wape)})` : `, more than ${f.one(threshold)} times what testing promised (${f.pct(latest.expected_wape)})`
      : f.lang === 'es' ? `, peor que repetir el periodo anterior (${f.pct(naiveWape)})` : `, worse than repeating the previous period (${f.pct(naiveWape)})`);

  const previousWape = previous ? await scoreOtherModel(db, previous, forecast, rows, actual) : null;
  if (previous && previousWape !== null && previousWape < latest.wape) {
    const reason = both((f) =>
      f.lang === 'es'
        ? `${why(f)}; el modelo anterior, ${named(previous, f)}, se habría equivocado en ${f.pct(previousWape)} con los mismos datos, así que se volvió a él automáticamente.`
        : `${why(f)}; the previous model, ${named(previous, f)}, would have been off by ${f.pct(previousWape)} on the same data, so Cupo went back to it automatically.`,
    );
    rollback(db, { reason, by: AUTOMATIC, how: 'auto_rollback' });
    return outcome('rolled_back', reason, { ...evidence, previous_champion: previous.id, previous_wape: previousWape, champion_after: previous.id });
  }
  const retrain = both((f) =>
    previous && previousWape !== null
      ? f.lang === 'es'
        ? `${why(f)}, y el modelo anterior, ${named(previous, f)}, con ${f.pct(previousWape)}, no lo habría hecho mejor: conviene reentrenar con los datos nuevos.`
        : `${why(f)}, and the previous model, ${named(previous, f)}, at ${f.pct(previousWape)}, would not have done better: retraining on the new data is advised.`
      : f.lang === 'es'
        ? `${why(f)}, y no hay un modelo anterior al que volver: conviene reentrenar con los datos nuevos.`
        : `${why(f)}, and there is no earlier model to go back to: retraining on the new data is advised.`,
  );
  return outcome('recommend_retrain', retrain, { ...evidence, previous_champion: previous?.id ?? null, previous_wape: previousWape, champion_after: current.id });
}

/** Another model's error on the same actuals: its own forecast of the period if it made one in time, else its artifact on the same inputs. */
async function scoreOtherModel(db: WritableDB, model: ModelVersion, served: StoredForecast, rows: readonly FeatureRow[], actual: readonly ClassCount[]): Promise<number> {
  const own = forecastByModel(db, served.period, model.id);
  const predicted = own ? forecastClasses(db, own.id) : await predictClasses(await restoreModel(model.artifact), rows);
  return wape(scoreForecast(actual, predicted).tally);
}

/**
 * What to run after an import or a reopen changed the data: score the served forecasts whose actuals arrived,
 * then let the rollback policy judge the champion.
 */
export async function onActualsArrived(db: WritableDB): Promise<ScoringReport & { policy: PolicyOutcome }> {
  const scoring = scoreArrivedForecasts(db);
  const policy = await reviewChampion(db);
  return { ...scoring, policy };
}
