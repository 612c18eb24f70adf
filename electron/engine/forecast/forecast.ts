/**
 * Owns the tables forecast and forecast_row: every forecast made, with the model version that made it. Reports
 * list and score stored forecasts through the functions at the end of this file.
 */
import { randomUUID } from 'node:crypto';
import { sizesFor } from '../../../shared/class-sizes';
import type { Settings } from '../../../shared/contract';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import type { ClosingClass, ForecastReason, ForecastReport, ForecastRow, TotalCheck } from '../../../shared/reports';
import type { IntervalTable } from '../backtest/intervals';
import { interval, probabilityBelow } from '../backtest/intervals';
import { planFor } from '../backtest/plan';
import { roundCoherently } from '../backtest/rounding';
import { BatchInsert } from '../db/insert-many';
import type { ReadableDB, WritableDB } from '../db/types';
import type { ClassLabels } from '../domain/class-key';
import { labelsString } from '../domain/class-key';
import { canonicalPeriod, periodForPeople, readPeriod } from '../domain/periods';
import { UserError } from '../errors';
import type { Dataset } from '../features/build';
import { ensureFeatures, loadNextPeriod } from '../features/build';
import type { ServedArtifact } from '../backtest/served-model';
import { isServedArtifact, restoreServing } from '../backtest/served-model';
import type { ModelArtifact } from '../models/types';
import type { ModelVersion } from '../registry/models';
import { champion, findModel, modelIsStale } from '../registry/models';
import { loadSettings } from '../settings';
import { currentPlatinumId, ensurePlatinum, lastCapacities, newCourseShares, studentsPerPeriod } from '../snapshots/platinum';
import { periodFormatter } from '../snapshots/raw';
import { currentDataset } from '../training/dataset';
import { candidatePromise } from '../training/runs';
import { decide, sectionsFor } from './decisions';
import { totalCheck } from './total-check';

export interface ForecastOptions {
  /** A period after the last one imported, in any notation Cupo reads; the next period by default. */
  period?: string;
}

export interface ForecastResult {
  report: ForecastReport;
  rows: ForecastRow[];
}

/** The data as it stands, brought up to date, with only what forecasting the next period needs. */
function nextPeriodDataset(db: WritableDB): Dataset {
  const platinum = ensurePlatinum(db);
  if (!platinum) return currentDataset(db); // says, in words, that there is no data yet
  const { featuresVersion, targetVersion } = ensureFeatures(db, platinum.id);
  return loadNextPeriod(db, platinum.id, featuresVersion, targetVersion);
}

/** Stored reason of a class of the last period that the forecast expects to close. */
const CLOSING_REASON = { too_few: 'closing:too_few', schedule_moves: 'closing:schedule_moves' } as const;

/** A forecast class as planners see it: whole students, its 80 % interval, the risk of ending under the minimum. */
function forecastRow(
  label: string,
  key: { site: string; course: string; schedule: string },
  expected: number,
  students: number,
  reason: ForecastReason,
  last: number,
  feeder: number,
  table: IntervalTable | null,
  schoolSettings: Pick<Settings, 'minClassSize' | 'maxClassSize' | 'classSizes'>,
  capacity: number | null,
): ForecastRow {
  // The sizes of this class's site or course where Settings name them, else the school's.
  const settings = sizesFor(schoolSettings, key.site, key.course);
  const { p10, p90 } = interval(table, expected, students, reason);
  const pBelowMin = probabilityBelow(table, expected, reason, settings.minClassSize);
  return {
    PERIODO: label,
    SEDE: key.site,
    CURSO_ACTUAL: key.course,
    HORARIO_ACTUAL: key.schedule,
    PREDICT_ALUMNOS: students,
    p10,
    p90,
    last_students: last,
    feeder_students: feeder,
    reason,
    p_below_min: Math.round(pBelowMin * 100) / 100,
    sections: sectionsFor(students, settings),
    decision: decide(students, settings, table ? { pBelowMin } : undefined),
    capacity,
  };
}

/** The capacities of the classes of a forecast of `period`, from the data of a platinum version (none without one). */
function capacitiesFor(db: ReadableDB, platinumId: string | null, period: string): (key: ClassLabels) => number | null {
  const known = platinumId ? lastCapacities(db, platinumId, period) : new Map<string, number>();
  return (key) => known.get(labelsString(key)) ?? null;
}

function intervalsOf(artifact: ModelArtifact): { intervals: IntervalTable | null; totalErrors: number[]; unlistedShare: number | null } {
  return isServedArtifact(artifact)
    ? { intervals: artifact.intervals, totalErrors: artifact.total_errors, unlistedShare: artifact.unlisted_share ?? null }
    : { intervals: null, totalErrors: [], unlistedShare: null };
}

/** How many recent periods say what share of students sit in courses a site never offered before. */
const NEW_COURSE_PERIODS = 3;

/**
 * For a model from before its backtest measured it: the share of students that, in the last periods, sat in a
 * course its site had never offered before (no forecast row can name them).
 */
function newCourseShare(db: ReadableDB, platinumId: string, periods: readonly string[]): number {
  const byPeriod = newCourseShares(db, platinumId);
  const recent = periods.slice(1).slice(-NEW_COURSE_PERIODS).map((p) => byPeriod.get(p)).filter((r) => r && r.students > 0) as { students: number; fresh: number }[];
  return recent.length > 0 ? recent.reduce((a, r) => a + r.fresh / r.students, 0) / recent.length : 0;
}

function checkTotal(db: ReadableDB, platinumId: string | null, period: string, total: number, totalErrors: number[], unlistedShare: number | null): TotalCheck | null {
  const data = platinumId ? studentsPerPeriod(db, platinumId) : null;
  if (!data) return null;
  const { summary, totals } = data;
  // A forecast of a period that has since been imported is judged by its accuracy, not by this check.
  if (summary.periods.some((p) => p >= period)) return null;
  const share = unlistedShare ?? newCourseShare(db, platinumId!, summary.periods);
  return totalCheck(summary.periods, totals, summary.frequency, period, total, totalErrors, share, (p, f) => periodForPeople(p, summary.period_style, f));
}

const overCapacity = (rows: readonly ForecastRow[]) => rows.filter((r) => r.capacity !== null && r.PREDICT_ALUMNOS > r.capacity).length;

/** What the model's backtest promised; its registered WAPE alone where its run's folds are gone. */
function promiseOf(db: ReadableDB, model: { run_id: string; candidate: string; backtest_wape: number }): ForecastReport['promise'] {
  return candidatePromise(db, model.run_id, model.candidate) ?? { wape: model.backtest_wape, bias: 0, coverage: null };
}

/**
 * Forecasts every class of a coming period with the model that serves: the classes running now, those that ran
 * a year ago, the next course where its feeder ran, and where a course's schedules churn, the course as a whole
 * split across its recent schedules. Each row carries its 80 % interval and the decision they support. Classes
 * of the last period forecast at 0 are listed apart as closing. The forecast is stored with the model version
 * that made it, to be scored against actuals.
 */
export async function makeForecast(db: WritableDB, options: ForecastOptions = {}): Promise<ForecastResult> {
  const model = champion(db);
  if (!model) {
    throw new UserError({
      es: 'Todavía no hay un modelo entrenado: entrene uno primero.',
      en: 'There is no trained model yet: train one first.',
    }, 'failed');
  }
  // The next period's rows are stored with the features; a later period is built from the whole history.
  const dataset = options.period === undefined ? nextPeriodDataset(db) : currentDataset(db);
  const { panel, summary } = dataset;
  const show = periodFormatter(db);
  const P = panel.periodCount;
  const lastPeriod = panel.periods[P - 1]!;

  let period = dataset.nextPeriod;
  if (options.period !== undefined) {
    const reading = readPeriod(options.period);
    const wanted = reading && reading.frequency === summary.frequency ? canonicalPeriod(reading) : null;
    if (!wanted || wanted <= lastPeriod) {
      const last = (f: Formatter) => periodForPeople(lastPeriod, summary.period_style, f);
      throw new UserError(both((f) =>
        f.lang === 'es'
          ? `No se puede pronosticar «${options.period}»: indique un periodo posterior a ${last(f)}, escrito como sus datos (p. ej. ${show(dataset.nextPeriod)}).`
          : `Cannot forecast "${options.period}": give a period after ${last(f)}, written like your data (e.g. ${show(dataset.nextPeriod)}).`,
      ));
    }
    period = wanted;
  }
  const plan = planFor(dataset, P, period);
  const servedModel = await restoreServing(model.artifact);
  const expected = await servedModel.forecast(plan);
  servedModel.dispose();
  const { intervals, totalErrors, unlistedShare } = intervalsOf(model.artifact);

  const label = show(period);
  const settings = loadSettings(db);
  const capacityOf = capacitiesFor(db, dataset.platinumVersion, period);
  const out: ForecastRow[] = [];
  const raw: number[] = [];
  const closing: ClosingClass[] = [];
  const closingRaw: number[] = [];
  const served = roundCoherently(plan.keys, expected);
  plan.keys.forEach((key, i) => {
    const students = served[i]!;
    if (students === 0) {
      if (plan.lastStudents[i]! > 0) {
        closing.push({ SEDE: key.site, CURSO_ACTUAL: key.course, HORARIO_ACTUAL: key.schedule, last_students: plan.lastStudents[i]!, why: plan.reasons[i] === 'schedule_split' && plan.share[i] === 0 ? 'schedule_moves' : 'too_few' });
        closingRaw.push(expected[i]!);
      }
      return;
    }
    raw.push(expected[i]!);
    out.push(forecastRow(label, key, expected[i]!, students, plan.reasons[i]!, plan.lastStudents[i]!, plan.feederStudents[i]!, intervals, settings, capacityOf(key)));
  });
  const total = out.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0);

  const id = `forecast-${new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 14)}-${randomUUID().slice(0, 4)}`;
  db.transaction(() => {
    db.prepare(`INSERT INTO forecast (id, model_version_id, period, features_version, created_at) VALUES (?, ?, ?, ?, ?)`).run(id, model.id, period, dataset.featuresVersion, new Date().toISOString());
    const insert = new BatchInsert(db, 'forecast_row', ['forecast_id', 'site', 'course', 'schedule', 'predicted', 'predicted_raw', 'last_students', 'feeder_students', 'reason']);
    out.forEach((r, i) => insert.add(id, r.SEDE, r.CURSO_ACTUAL, r.HORARIO_ACTUAL, r.PREDICT_ALUMNOS, raw[i], r.last_students, r.feeder_students, r.reason));
    // Closing classes are stored as forecasts of 0 students: scored against actuals like any other.
    closing.forEach((c, i) => insert.add(id, c.SEDE, c.CURSO_ACTUAL, c.HORARIO_ACTUAL, 0, closingRaw[i], c.last_students, 0, CLOSING_REASON[c.why]));
    insert.flush();
  })();

  return {
    report: {
      forecast_id: id,
      period: label,
      model_version: model.id,
      candidate: model.candidate,
      rows: out.length,
      total_students: total,
      out: null,
      stale_model: modelIsStale(model, dataset.platinumVersion),
      closing,
      total_check: checkTotal(db, dataset.platinumVersion, period, total, totalErrors, unlistedShare),
      promise: promiseOf(db, model),
      over_capacity: overCapacity(out),
    },
    rows: out,
  };
}

/** A stored forecast (the latest by default) read back as rows, with decisions from the current settings. */
export function loadForecast(db: ReadableDB, forecastId?: string): { report: ForecastReport; rows: ForecastRow[] } | null {
  const forecast = (forecastId
    ? db.prepare(`SELECT id, period, model_version_id, features_version FROM forecast WHERE id = ?`).get(forecastId)
    : db.prepare(`SELECT id, period, model_version_id, features_version FROM forecast ORDER BY created_at DESC, rowid DESC LIMIT 1`).get()) as
    | { id: string; period: string; model_version_id: string; features_version: string }
    | undefined;
  if (!forecast) return null;
  const model = findModel(db, forecast.model_version_id)!;
  const label = periodFormatter(db)(forecast.period);
  const settings = loadSettings(db);
  // Like the total's check, from the data as it stands: the capacities of the periods before the forecast's.
  const capacityOf = capacitiesFor(db, currentPlatinumId(db), forecast.period);
  const artifact = (db.prepare(`SELECT artifact FROM model_version WHERE id = ?`).pluck().get(forecast.model_version_id) as string | undefined) ?? '{}';
  const { intervals, totalErrors, unlistedShare } = intervalsOf(JSON.parse(artifact) as ServedArtifact | ModelVersion['artifact']);
  const stored = db
    .prepare(`SELECT site, course, schedule, predicted, predicted_raw, last_students, feeder_students, reason FROM forecast_row WHERE forecast_id = ? ORDER BY site, course, schedule`)
    .all(forecast.id) as { site: string; course: string; schedule: string; predicted: number; predicted_raw: number; last_students: number; feeder_students: number; reason: string }[];
  const rows: ForecastRow[] = [];
  const closing: ClosingClass[] = [];
  for (const r of stored) {
    if (r.reason.startsWith('closing:')) {
      closing.push({ SEDE: r.site, CURSO_ACTUAL: r.course, HORARIO_ACTUAL: r.schedule, last_students: r.last_students, why: r.reason === CLOSING_REASON.schedule_moves ? 'schedule_moves' : 'too_few' });
      continue;
    }
    const key = { site: r.site, course: r.course, schedule: r.schedule };
    rows.push(forecastRow(label, key, r.predicted_raw, r.predicted, r.reason as ForecastReason, r.last_students, r.feeder_students, intervals, settings, capacityOf(key)));
  }
  const total = rows.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0);
  const report: ForecastReport = {
    forecast_id: forecast.id,
    period: label,
    model_version: forecast.model_version_id,
    candidate: model.candidate,
    rows: rows.length,
    total_students: total,
    out: null,
    stale_model: false,
    closing,
    total_check: checkTotal(db, currentPlatinumId(db), forecast.period, total, totalErrors, unlistedShare),
    promise: promiseOf(db, model),
    over_capacity: overCapacity(rows),
  };
  return { report, rows };
}

/** A stored forecast as reports list it: its period (canonical), how many classes and students it forecast. */
export interface StoredForecast {
  id: string;
  period: string;
  model_version: string;
  created_at: string;
  rows: number;
  students: number;
}

/** Stored forecasts, newest first (the `limit` newest when given). */
export function listForecasts(db: ReadableDB, limit?: number): StoredForecast[] {
  return db
    .prepare(
      `SELECT f.id, f.period, f.model_version_id AS model_version, f.created_at, COUNT(CASE WHEN r.reason NOT LIKE 'closing:%' THEN 1 END) AS rows, COALESCE(SUM(r.predicted), 0) AS students
       FROM forecast f LEFT JOIN forecast_row r ON r.forecast_id = f.id GROUP BY f.id ORDER BY f.created_at DESC, f.rowid DESC LIMIT ?`,
    )
    .all(limit ?? -1) as StoredForecast[];
}

/** For each period forecast, the latest forecast made for it, in period order. */
export function latestForecastPerPeriod(db: ReadableDB): { id: string; period: string }[] {
  return db
    .prepare(`SELECT f.id, f.period FROM forecast f WHERE f.created_at = (SELECT MAX(created_at) FROM forecast g WHERE g.period = f.period) ORDER BY f.period`)
    .all() as { id: string; period: string }[];
}

/** What a stored forecast predicted for each class (classes forecast at 0 are not stored). */
export function forecastPredictions(db: ReadableDB, forecastId: string): (ClassLabels & { predicted: number })[] {
  return db.prepare(`SELECT site, course, schedule, predicted FROM forecast_row WHERE forecast_id = ?`).all(forecastId) as (ClassLabels & { predicted: number })[];
}
