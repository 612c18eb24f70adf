import { randomUUID } from 'node:crypto';
import type { Settings } from '../../../shared/contract';
import type { ClosingClass, ForecastReason, ForecastReport, ForecastRow, TotalCheck } from '../../../shared/reports';
import { roundCoherently } from '../backtest/rounding';
import type { IntervalTable } from '../backtest/intervals';
import { interval, probabilityBelow } from '../backtest/intervals';
import { planFor } from '../backtest/plan';
import type { ReadableDB, WritableDB } from '../db/types';
import { UserError } from '../errors';
import { canonicalPeriod, formatPeriod, readPeriod } from '../ingest/periods';
import type { ServedArtifact } from '../models/served';
import { isServedArtifact, restoreServing } from '../models/served';
import type { ModelArtifact } from '../models/types';
import type { ModelVersion } from '../registry/models';
import { servingModel } from '../registry/models';
import { loadSettings } from '../settings';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId } from '../snapshots/platinum';
import { latestNotation } from '../snapshots/raw';
import { findVersion } from '../snapshots/versions';
import { currentDataset } from '../training/dataset';
import type { Dataset } from '../features/build';
import { ensureFeatures, loadNextPeriod } from '../features/build';
import { ensurePlatinum } from '../snapshots/platinum';
import { decide, sectionsFor } from './decisions';
import { totalCheck } from './total-check';
import { BatchInsert } from '../db/insert-many';

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
  settings: Pick<Settings, 'minClassSize' | 'maxClassSize'>,
): ForecastRow {
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
  };
}

function intervalsOf(artifact: ModelArtifact): { intervals: IntervalTable | null; totalErrors: number[]; unlistedShare: number | null } {
  return isServedArtifact(artifact)
    ? { intervals: artifact.intervals, totalErrors: artifact.total_errors, unlistedShare: artifact.unlisted_share ?? null }
    : { intervals: null, totalErrors: [], unlistedShare: null };
}

/** How many recent periods say what share of students sit in courses a site never offered before. */
const NEW_COURSE_PERIODS = 3;

/** Students per period of a platinum version, for judging a forecast's total. */
function periodTotals(db: ReadableDB, platinumId: string): { summary: PlatinumSummary; totals: number[] } | null {
  const platinum = findVersion<PlatinumSummary>(db, platinumId);
  if (!platinum) return null;
  const byPeriod = new Map((db.prepare(`SELECT period, SUM(students) AS n FROM platinum_class WHERE version_id = ? GROUP BY period`).all(platinumId) as { period: string; n: number }[]).map((r) => [r.period, r.n]));
  return { summary: platinum.summary, totals: platinum.summary.periods.map((p) => byPeriod.get(p) ?? 0) };
}

/**
 * For a model from before its backtest measured it: the share of students that, in the last periods, sat in a
 * course its site had never offered before (no forecast row can name them).
 */
function newCourseShare(db: ReadableDB, platinumId: string, periods: readonly string[]): number {
  const rows = db.prepare(
    `WITH first AS (SELECT site, course, MIN(period) AS period FROM platinum_class WHERE version_id = ? AND students > 0 GROUP BY site, course)
     SELECT c.period, SUM(c.students) AS n, SUM(CASE WHEN f.period = c.period THEN c.students ELSE 0 END) AS fresh
     FROM platinum_class c JOIN first f ON f.site = c.site AND f.course = c.course WHERE c.version_id = ? GROUP BY c.period`,
  ).all(platinumId, platinumId) as { period: string; n: number; fresh: number }[];
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  const recent = periods.slice(1).slice(-NEW_COURSE_PERIODS).map((p) => byPeriod.get(p)).filter((r) => r && r.n > 0) as { n: number; fresh: number }[];
  return recent.length > 0 ? recent.reduce((a, r) => a + r.fresh / r.n, 0) / recent.length : 0;
}

function checkTotal(db: ReadableDB, platinumId: string | null, period: string, total: number, totalErrors: number[], unlistedShare: number | null): TotalCheck | null {
  const data = platinumId ? periodTotals(db, platinumId) : null;
  if (!data) return null;
  const { summary, totals } = data;
  // A forecast of a period that has since been imported is judged by its accuracy, not by this check.
  if (summary.periods.some((p) => p >= period)) return null;
  const share = unlistedShare ?? newCourseShare(db, platinumId!, summary.periods);
  return totalCheck(summary.periods, totals, summary.frequency, period, total, totalErrors, share, (p) => formatPeriod(p, summary.period_style));
}

/**
 * Forecasts every class of a coming period with the model that serves: the classes running now, those that ran
 * a year ago, the next course where its feeder ran, and where a course's schedules churn, the course as a whole
 * split across its recent schedules. Each row carries its 80 % interval and the decision they support. Classes
 * of the last period forecast at 0 are listed apart as closing. The forecast is stored with the model version
 * that made it, to be scored against actuals.
 */
export async function makeForecast(db: WritableDB, options: ForecastOptions = {}): Promise<ForecastResult> {
  const model = servingModel(db);
  if (!model) {
    throw new UserError({
      es: 'Todavía no hay un modelo entrenado: ejecute primero «cupo train».',
      en: 'There is no trained model yet: run "cupo train" first.',
    }, 1);
  }
  // The next period's rows are stored with the features; a later period is built from the whole history.
  const dataset = options.period === undefined ? nextPeriodDataset(db) : currentDataset(db);
  const { panel, summary } = dataset;
  const P = panel.periodCount;
  const lastPeriod = panel.periods[P - 1]!;

  let period = dataset.nextPeriod;
  if (options.period !== undefined) {
    const reading = readPeriod(options.period);
    const wanted = reading && reading.frequency === summary.frequency ? canonicalPeriod(reading) : null;
    if (!wanted || wanted <= lastPeriod) {
      throw new UserError({
        es: `No se puede pronosticar «${options.period}»: indique un periodo posterior a ${formatPeriod(lastPeriod, summary.period_style)}, escrito como sus datos (p. ej. ${formatPeriod(dataset.nextPeriod, summary.period_style)}).`,
        en: `Cannot forecast "${options.period}": give a period after ${formatPeriod(lastPeriod, summary.period_style)}, written like your data (e.g. ${formatPeriod(dataset.nextPeriod, summary.period_style)}).`,
      });
    }
    period = wanted;
  }
  const plan = planFor(dataset, P, period);
  const servedModel = await restoreServing(model.artifact);
  const expected = await servedModel.forecast(plan);
  servedModel.dispose();
  const { intervals, totalErrors, unlistedShare } = intervalsOf(model.artifact);

  const label = formatPeriod(period, summary.period_style);
  const settings = loadSettings(db);
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
    out.push(forecastRow(label, key, expected[i]!, students, plan.reasons[i]!, plan.lastStudents[i]!, plan.feederStudents[i]!, intervals, settings));
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
      stale_model: model.features_version !== dataset.featuresVersion,
      closing,
      total_check: checkTotal(db, dataset.platinumVersion, period, total, totalErrors, unlistedShare),
    },
    rows: out,
  };
}

/** A stored forecast (the latest by default) read back as rows, with decisions from the current settings. */
export function loadForecast(db: ReadableDB, forecastId?: string): { report: ForecastReport; rows: ForecastRow[] } | null {
  const forecast = (forecastId
    ? db.prepare(`SELECT f.id, f.period, f.model_version_id, f.features_version, m.candidate FROM forecast f JOIN model_version m ON m.id = f.model_version_id WHERE f.id = ?`).get(forecastId)
    : db.prepare(`SELECT f.id, f.period, f.model_version_id, f.features_version, m.candidate FROM forecast f JOIN model_version m ON m.id = f.model_version_id ORDER BY f.created_at DESC, f.rowid DESC LIMIT 1`).get()) as
    | { id: string; period: string; model_version_id: string; features_version: string; candidate: string }
    | undefined;
  if (!forecast) return null;
  const style = latestNotation(db)?.period_style;
  const label = style ? formatPeriod(forecast.period, style) : forecast.period;
  const settings = loadSettings(db);
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
    rows.push(forecastRow(label, { site: r.site, course: r.course, schedule: r.schedule }, r.predicted_raw, r.predicted, r.reason as ForecastReason, r.last_students, r.feeder_students, intervals, settings));
  }
  const total = rows.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0);
  const report: ForecastReport = {
    forecast_id: forecast.id,
    period: label,
    model_version: forecast.model_version_id,
    candidate: forecast.candidate,
    rows: rows.length,
    total_students: total,
    out: null,
    stale_model: false,
    closing,
    total_check: checkTotal(db, currentPlatinumId(db), forecast.period, total, totalErrors, unlistedShare),
  };
  return { report, rows };
}
