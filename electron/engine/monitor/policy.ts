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
import { decimal, percent } from '../words';
import type { ClassCount } from './scores';
import { periodFormatter } from '../snapshots/raw';
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
  if (!latest || !forecast || latest.model_id !== current.id || (since !== null && forecast.created_at < since)) {
    return outcome('no_evidence', {
      es: `El modelo en uso (${current.id}) todavía no tiene un pronóstico comparado con datos reales.`,
      en: `The model in use (${current.id}) has no forecast compared with actual data yet.`,
    }, { champion: current.id, champion_after: current.id });
  }

  const show = periodFormatter(db);
  const label = show(latest.period);
  const threshold = loadEngineSettings(db).rollbackThreshold;
  const actual = actualClasses(db, currentPlatinumId(db)!, latest.period);
  const rows = rowsOfForecast(db, forecast);
  const naiveWape = wape(scoreForecast(actual, await predictClasses(await lastValue.fit({ rows: [], y: new Float64Array() }, 0), rows)).tally);
  const evidence: Partial<PolicyOutcome> = { period: label, champion: current.id, champion_wape: latest.wape, expected_wape: latest.expected_wape, last_value_wape: naiveWape };
  const overPromise = latest.wape > threshold * latest.expected_wape;
  const overNaive = latest.wape > naiveWape + 1e-12;
  const real = { es: `${percent(latest.wape, 'es')} en ${label}`, en: `${percent(latest.wape, 'en')} in ${label}` };
  if (!overPromise && !overNaive) {
    return outcome('none', {
      es: `El modelo en uso (${current.id}) se equivocó en ${real.es}, dentro de lo esperado (${percent(latest.expected_wape, 'es')} en las pruebas, hasta ${decimal(threshold, 'es')} veces) y mejor que repetir el periodo anterior (${percent(naiveWape, 'es')}): sigue en uso.`,
      en: `The model in use (${current.id}) was off by ${real.en}, within what was expected (${percent(latest.expected_wape, 'en')} in testing, up to ${decimal(threshold, 'en')} times) and better than repeating the previous period (${percent(naiveWape, 'en')}): it stays.`,
    }, { ...evidence, champion_after: current.id });
  }
  const why: Bilingual = { es: `El modelo en uso (${current.id}) se equivocó en ${real.es}`, en: `The model in use (${current.id}) was off by ${real.en}` };
  const problem: Bilingual = overPromise
    ? { es: `, más de ${decimal(threshold, 'es')} veces lo que prometían las pruebas (${percent(latest.expected_wape, 'es')})`, en: `, more than ${decimal(threshold, 'en')} times what testing promised (${percent(latest.expected_wape, 'en')})` }
    : { es: `, peor que repetir el periodo anterior (${percent(naiveWape, 'es')})`, en: `, worse than repeating the previous period (${percent(naiveWape, 'en')})` };

  const previous = previousChampion(db);
  const previousWape = previous ? await scoreOtherModel(db, previous, forecast, rows, actual) : null;
  if (previous && previousWape !== null && previousWape < latest.wape) {
    const reason: Bilingual = {
      es: `${why.es}${problem.es}; el modelo anterior (${previous.id}) se habría equivocado en ${percent(previousWape, 'es')} con los mismos datos, así que se volvió a él automáticamente.`,
      en: `${why.en}${problem.en}; the previous model (${previous.id}) would have been off by ${percent(previousWape, 'en')} on the same data, so Cupo went back to it automatically.`,
    };
    rollback(db, { reason, by: AUTOMATIC, how: 'auto_rollback' });
    return outcome('rolled_back', reason, { ...evidence, previous_champion: previous.id, previous_wape: previousWape, champion_after: previous.id });
  }
  const retrain: Bilingual = previous && previousWape !== null
    ? {
        es: `${why.es}${problem.es}, y el modelo anterior (${previous.id}, ${percent(previousWape, 'es')}) no lo habría hecho mejor: conviene reentrenar con los datos nuevos.`,
        en: `${why.en}${problem.en}, and the previous model (${previous.id}, ${percent(previousWape, 'en')}) would not have done better: retraining on the new data is advised.`,
      }
    : { es: `${why.es}${problem.es}, y no hay un modelo anterior al que volver: conviene reentrenar con los datos nuevos.`, en: `${why.en}${problem.en}, and there is no earlier model to go back to: retraining on the new data is advised.` };
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
