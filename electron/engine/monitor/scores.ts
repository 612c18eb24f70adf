import { createHash } from 'node:crypto';
import { both } from '../../../shared/format';
import type { Bilingual } from '../../../shared/messages';
import type { AccuracyHistoryReport, ForecastScore, ScoringReport } from '../../../shared/reports';
import type { ErrorTally } from '../backtest/metrics';
import { addToTally, bias, emptyTally, mae, wape } from '../backtest/metrics';
import { BatchInsert } from '../db/insert-many';
import type { ReadableDB, WritableDB } from '../db/types';
import type { ClassLabels } from '../domain/class-key';
import { classKey, foldedKeyString } from '../domain/class-key';
import { forecastPredictions } from '../forecast/forecast';
import type { StoredForecast } from '../forecast/served';
import { servedForecastsWithActuals } from '../forecast/served';
import { loadEngineSettings } from '../settings';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId, ensurePlatinum, loadPlatinumClasses } from '../snapshots/platinum';
import { periodFormatter, periodStyleInUse } from '../snapshots/raw';
import { findVersion } from '../snapshots/versions';
import type { PeriodStyle } from '../domain/periods';
import { periodForPeople } from '../domain/periods';

/** Periods as the user's data writes them (202501, 2025-I…). */
export interface ClassCount {
  site: string;
  course: string;
  schedule: string;
  students: number;
}

export interface ForecastScoring {
  tally: ErrorTally;
  sites: { label: string; tally: ErrorTally }[];
  courses: { label: string; tally: ErrorTally }[];
  unforecast: { classes: number; students: number };
  notRun: { classes: number; students: number };
}

const keyOf = (c: ClassLabels) => foldedKeyString(classKey('', c));

/**
 * A forecast against what happened, over the union of classes as the backtest scores a fold: a class that opened
 * without a forecast counts as forecast 0, a forecast class that did not run as 0 students. Labels that differ
 * only in letter case are one class (as in platinum).
 */
export function scoreForecast(actual: readonly ClassCount[], predicted: readonly ClassCount[]): ForecastScoring {
  const a = new Map(actual.map((c) => [keyOf(c), c]));
  const p = new Map(predicted.map((c) => [keyOf(c), c]));
  const tally = emptyTally();
  const bySite = new Map<string, { label: string; tally: ErrorTally }>();
  const byCourse = new Map<string, { label: string; tally: ErrorTally }>();
  const unforecast = { classes: 0, students: 0 };
  const notRun = { classes: 0, students: 0 };
  const add = (groups: Map<string, { label: string; tally: ErrorTally }>, label: string, actualN: number, predictedN: number) => {
    const key = label.toUpperCase();
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { label, tally: emptyTally() }));
    addToTally(g.tally, actualN, predictedN);
  };
  for (const key of new Set([...a.keys(), ...p.keys()])) {
    const actualN = a.get(key)?.students ?? 0;
    const predictedN = p.get(key)?.students ?? 0;
    if (actualN === 0 && predictedN === 0) continue;
    const c = a.get(key) ?? p.get(key)!;
    addToTally(tally, actualN, predictedN);
    add(bySite, c.site, actualN, predictedN);
    add(byCourse, c.course, actualN, predictedN);
    if (predictedN === 0) {
      unforecast.classes++;
      unforecast.students += actualN;
    } else if (actualN === 0) {
      notRun.classes++;
      notRun.students += predictedN;
    }
  }
  const sorted = (m: Map<string, { label: string; tally: ErrorTally }>) => [...m.values()].sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
  return { tally, sites: sorted(bySite), courses: sorted(byCourse), unforecast, notRun };
}

export function actualClasses(db: ReadableDB, platinumId: string, period: string): ClassCount[] {
  return loadPlatinumClasses(db, platinumId, period).map((c) => ({ site: c.site, course: c.course, schedule: c.schedule, students: c.students }));
}

export function forecastClasses(db: ReadableDB, forecastId: string): ClassCount[] {
  return forecastPredictions(db, forecastId).map((r) => ({ site: r.site, course: r.course, schedule: r.schedule, students: r.predicted }));
}

/** Identifies a period's actuals: the same classes and counts give the same digest, whatever the platinum version. */
function actualsDigest(rows: readonly ClassCount[]): string {
  const lines = rows.map((r) => `${keyOf(r)}\u0001${r.students}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32);
}

interface ScoreRow {
  forecast_id: string;
  actuals_digest: string;
  period: string;
  model_id: string;
  candidate: string;
  wape: number;
  mae: number;
  bias: number;
  actual_total: number;
  predicted_total: number;
  unforecast_classes: number;
  not_run_classes: number;
  expected_wape: number;
  scored_at: string;
}

const SCORE_COLUMNS = `s.forecast_id, s.actuals_digest, s.period, s.model_id, m.candidate, s.wape, s.mae, s.bias, s.actual_total, s.predicted_total,
  s.unforecast_classes, s.not_run_classes, s.expected_wape, s.scored_at`;

/**
 * The scores that hold for the data as it is now, one per period: each period's served forecast scored against
 * the actuals the current data holds for it (a score against actuals since replaced is kept, not shown).
 */
export function currentScores(db: ReadableDB): ScoreRow[] {
  const platinumId = currentPlatinumId(db);
  const built = platinumId !== null && findVersion(db, platinumId) !== null;
  const rows = db.prepare(`SELECT ${SCORE_COLUMNS} FROM forecast_score s JOIN model_version m ON m.id = s.model_id ORDER BY s.period, s.scored_at`).all() as ScoreRow[];
  const digests = new Map<string, string>();
  const digestOf = (period: string) => {
    let d = digests.get(period);
    if (d === undefined) digests.set(period, (d = actualsDigest(actualClasses(db, platinumId!, period))));
    return d;
  };
  const byPeriod = new Map<string, ScoreRow>();
  for (const r of rows) {
    // Before the current data's platinum is built (never, after an import), the latest score stands.
    if (!built || r.actuals_digest === digestOf(r.period)) byPeriod.set(r.period, r);
  }
  return [...byPeriod.values()];
}

function scoreSentence(period: string, style: PeriodStyle | null, s: { candidate: string; wape: number; mae: number; expected_wape: number }): Bilingual {
  return both((f) =>
    f.lang === 'es'
      ? `El pronóstico de ${periodForPeople(period, style, f)} (${f.model(s.candidate)}) se equivocó en ${f.pct(s.wape)} (${f.one(s.mae)} alumnos por clase); en las pruebas se esperaba ${f.pct(s.expected_wape)}.`
      : `The forecast for ${periodForPeople(period, style, f)} (${f.model(s.candidate)}) was off by ${f.pct(s.wape)} (${f.one(s.mae)} students per class); testing had promised ${f.pct(s.expected_wape)}.`,
  );
}

function joinSentences(messages: readonly Bilingual[]): Bilingual {
  return { es: messages.map((m) => m.es).join(' '), en: messages.map((m) => m.en).join(' ') };
}

/**
 * After an import brings actuals: scores every served forecast whose period now has actuals and no score against
 * these actuals yet (never scored, or its actuals changed since). Scores are kept in their own tables, so they
 * outlive retraining and reopening an older import.
 */
export function scoreArrivedForecasts(db: WritableDB): ScoringReport {
  const platinum = ensurePlatinum(db);
  const summary = platinum ? findVersion<PlatinumSummary>(db, platinum.id)?.summary : undefined;
  if (!platinum || !summary) return { scored: [], message: { es: 'Todavía no hay datos con los que comparar los pronósticos.', en: 'There is no data yet to compare the forecasts with.' } };
  const show = periodFormatter(db);
  const style = periodStyleInUse(db);
  const exists = db.prepare(`SELECT 1 FROM forecast_score WHERE forecast_id = ? AND actuals_digest = ?`).pluck();
  const modelOf = db.prepare(`SELECT candidate, backtest_wape FROM model_version WHERE id = ?`);
  const insert = db.prepare(
    `INSERT INTO forecast_score (forecast_id, actuals_digest, period, model_id, platinum_version, scored_at, wape, mae, bias, absolute_error, actual_total, predicted_total, classes,
       unforecast_classes, unforecast_students, not_run_classes, not_run_students, expected_wape) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const scored: ForecastScore[] = [];
  const toScore: { forecast: StoredForecast; actual: ClassCount[]; digest: string }[] = [];
  for (const forecast of servedForecastsWithActuals(db, summary.periods)) {
    const actual = actualClasses(db, platinum.id, forecast.period);
    const digest = actualsDigest(actual);
    if (!exists.get(forecast.id, digest)) toScore.push({ forecast, actual, digest });
  }
  db.transaction(() => {
    const at = new Date().toISOString();
    for (const { forecast, actual, digest } of toScore) {
      const model = modelOf.get(forecast.model_version_id) as { candidate: string; backtest_wape: number };
      const s = scoreForecast(actual, forecastClasses(db, forecast.id));
      const t = s.tally;
      insert.run(forecast.id, digest, forecast.period, forecast.model_version_id, platinum.id, at, wape(t), mae(t), bias(t), t.absoluteError, t.actual, t.predicted, t.classes,
        s.unforecast.classes, s.unforecast.students, s.notRun.classes, s.notRun.students, model.backtest_wape);
      const detail = new BatchInsert(db, 'forecast_score_detail', ['forecast_id', 'actuals_digest', 'level', 'label', 'absolute_error', 'actual', 'predicted', 'classes']);
      for (const [level, groups] of [['site', s.sites], ['course', s.courses]] as const) {
        for (const g of groups) detail.add(forecast.id, digest, level, g.label, g.tally.absoluteError, g.tally.actual, g.tally.predicted, g.tally.classes);
      }
      detail.flush();
      const result = { model_id: forecast.model_version_id, wape: wape(t), mae: mae(t), expected_wape: model.backtest_wape };
      scored.push({
        period: show(forecast.period),
        period_code: forecast.period,
        forecast_id: forecast.id,
        candidate: model.candidate,
        ...result,
        bias: bias(t),
        actual_total: t.actual,
        predicted_total: t.predicted,
        unforecast_classes: s.unforecast.classes,
        not_run_classes: s.notRun.classes,
        message: scoreSentence(forecast.period, style, { ...result, candidate: model.candidate }),
      });
    }
  })();
  return {
    scored,
    message: scored.length > 0
      ? joinSentences(scored.map((s) => s.message))
      : { es: 'No hay pronósticos nuevos que comparar con datos reales.', en: 'There are no new forecasts to compare with actual data.' },
  };
}

/** Within this factor of its promise, a model does as its testing said. */
const AS_PROMISED = 1.15;
/** A change of the real error of more than this share, first to last of the recent periods, is a trend. */
const TREND_CHANGE = 0.1;
const TREND_PERIODS = 4;

/**
 * Real accuracy per period, overall and per site, beside what the backtest of the model that made each forecast
 * promised; the trend over the last periods; and one sentence on what it means.
 */
export function accuracyHistory(db: ReadableDB): AccuracyHistoryReport {
  const show = periodFormatter(db);
  const scores = currentScores(db);
  const details = db.prepare(`SELECT label, absolute_error, actual FROM forecast_score_detail WHERE forecast_id = ? AND actuals_digest = ? AND level = 'site' ORDER BY label`);
  const promised = db.prepare(
    `SELECT s.site, SUM(s.absolute_error) AS error, SUM(s.actual) AS actual FROM run_site_metric s JOIN model_version m ON m.run_id = s.run_id AND m.candidate = s.candidate
     WHERE m.id = ? GROUP BY s.site`,
  );
  const periods: AccuracyHistoryReport['periods'] = scores.map((s) => {
    const expectedBySite = new Map((promised.all(s.model_id) as { site: string; error: number; actual: number }[]).map((r) => [r.site.toUpperCase(), r.actual > 0 ? r.error / r.actual : 0]));
    return {
      period: show(s.period),
      forecast_id: s.forecast_id,
      model_id: s.model_id,
      candidate: s.candidate,
      wape: s.wape,
      expected_wape: s.expected_wape,
      mae: s.mae,
      bias: s.bias,
      actual_total: s.actual_total,
      sites: (details.all(s.forecast_id, s.actuals_digest) as { label: string; absolute_error: number; actual: number }[]).map((d) => ({
        site: d.label,
        wape: d.actual > 0 ? d.absolute_error / d.actual : d.absolute_error > 0 ? 1 : 0,
        expected_wape: expectedBySite.get(d.label.toUpperCase()) ?? null,
        actual: d.actual,
      })),
    };
  });
  if (periods.length === 0) {
    return {
      periods,
      trend: null,
      message: {
        es: 'Todavía no hay pronósticos con resultados reales: cuando importe los datos de un periodo pronosticado, aquí verá cuánto se equivocó.',
        en: 'No forecast has met its actual results yet: once you import the data of a forecast period, you will see here how far off it was.',
      },
    };
  }
  const recent = periods.slice(-TREND_PERIODS);
  let trend: AccuracyHistoryReport['trend'] = null;
  if (recent.length >= 2) {
    const first = recent[0]!.wape;
    const last = recent.at(-1)!.wape;
    const change = first > 0 ? (last - first) / first : last > 0 ? 1 : 0;
    trend = change < -TREND_CHANGE ? 'improving' : change > TREND_CHANGE ? 'worsening' : 'steady';
  }
  const actual = recent.reduce((a, p) => a + p.actual_total, 0);
  const real = actual > 0 ? recent.reduce((a, p) => a + p.wape * p.actual_total, 0) / actual : 0;
  const expected = actual > 0 ? recent.reduce((a, p) => a + p.expected_wape * p.actual_total, 0) / actual : 0;
  const ratio = expected > 0 ? real / expected : real > 0 ? Infinity : 1;
  const threshold = loadEngineSettings(db).rollbackThreshold;
  const verdict: Bilingual =
    ratio <= AS_PROMISED
      ? { es: 'los pronósticos rinden como prometían las pruebas', en: 'the forecasts do as testing promised' }
      : ratio <= threshold
        ? { es: 'los pronósticos rinden algo peor de lo que prometían las pruebas', en: 'the forecasts do somewhat worse than testing promised' }
        : { es: 'los pronósticos rinden bastante peor de lo que prometían las pruebas: conviene reentrenar', en: 'the forecasts do much worse than testing promised: retraining is advised' };
  const moving: Bilingual =
    trend === 'improving'
      ? { es: ', y el error va bajando', en: ', and the error is going down' }
      : trend === 'worsening'
        ? { es: ', y el error va subiendo', en: ', and the error is going up' }
        : trend === 'steady'
          ? { es: ', y el error se mantiene', en: ', and the error holds steady' }
          : { es: '', en: '' };
  const n = recent.length;
  return {
    periods,
    trend,
    message: both((f) =>
      f.lang === 'es'
        ? `${f.message('{n, plural, one {En el último periodo} other {En los últimos # periodos}}', { n })} con datos reales el error fue ${f.pct(real)}, frente al ${f.pct(expected)} que prometían las pruebas: ${verdict.es}${moving.es}.`
        : `${f.message('{n, plural, one {Over the last period} other {Over the last # periods}}', { n })} with actual data the error was ${f.pct(real)}, against the ${f.pct(expected)} testing promised: ${verdict.en}${moving.en}.`,
    ),
  };
}

/** The real error of each period's served forecast, oldest first: the series drift watches for a slow slide. */
export function scoredErrors(db: ReadableDB): { period: string; wape: number }[] {
  return currentScores(db).map((s) => ({ period: s.period, wape: s.wape }));
}
