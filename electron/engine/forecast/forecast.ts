/**
 * Owns the tables forecast and forecast_row: every forecast made, with the model version that made it. Reports
 * list and score stored forecasts through the functions at the end of this file.
 */
import { randomUUID } from 'node:crypto';
import type { ForecastReport, ForecastRow } from '../../../shared/reports';
import { roundStudents } from '../backtest/backtest';
import { BatchInsert } from '../db/insert-many';
import type { ReadableDB, WritableDB } from '../db/types';
import type { ClassLabels } from '../domain/class-key';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import { canonicalPeriod, periodForPeople, readPeriod } from '../domain/periods';
import { UserError } from '../errors';
import type { FeatureRow } from '../features/build';
import { F, featureRowsFor } from '../features/build';
import { restoreModel } from '../models/candidates';
import { findModel, modelIsStale, champion } from '../registry/models';
import { loadSettings } from '../settings';
import { periodFormatter } from '../snapshots/raw';
import { currentDataset } from '../training/dataset';
import { decide } from './decisions';

export interface ForecastOptions {
  /** A period after the last one imported, in any notation Cupo reads; the next period by default. */
  period?: string;
}

export interface ForecastResult {
  report: ForecastReport;
  rows: ForecastRow[];
}

/**
 * Forecasts every class of a coming period with the model that serves: the classes running now, those that ran
 * a year ago, and the next course where its feeder ran. Classes forecast at 0 are the ones expected to close,
 * and are left out. The forecast is stored with the model version that made it, to be scored against actuals.
 */
export async function makeForecast(db: WritableDB, options: ForecastOptions = {}): Promise<ForecastResult> {
  const model = champion(db);
  if (!model) {
    throw new UserError({
      es: 'Todavía no hay un modelo entrenado: entrene uno primero.',
      en: 'There is no trained model yet: train one first.',
    }, 'failed');
  }
  const dataset = currentDataset(db);
  const { panel, summary } = dataset;
  const show = periodFormatter(db);
  const lastPeriod = panel.periods[panel.periodCount - 1]!;

  let period = dataset.nextPeriod;
  let rows: FeatureRow[];
  if (options.period === undefined) {
    rows = dataset.rows.filter((r) => r.periodIndex === panel.periodCount);
  } else {
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
    rows = featureRowsFor(panel, dataset.feeders, period, panel.periodCount);
  }

  const fittedModel = await restoreModel(model.artifact);
  const expected = await fittedModel.predict(rows);
  fittedModel.dispose();

  const label = show(period);
  const settings = loadSettings(db);
  const out: ForecastRow[] = [];
  const raw: number[] = [];
  rows.forEach((r, i) => {
    const students = roundStudents(expected[i]!);
    if (students === 0) return;
    raw.push(expected[i]!);
    out.push({
      PERIODO: label,
      SEDE: r.site,
      CURSO_ACTUAL: r.course,
      HORARIO_ACTUAL: r.schedule,
      PREDICT_ALUMNOS: students,
      last_students: r.x[F.lag1]!,
      feeder_students: r.x[F.feeder_lag1]!,
      reason: r.reason,
      decision: decide(students, settings),
    });
  });

  const id = `forecast-${new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 14)}-${randomUUID().slice(0, 4)}`;
  db.transaction(() => {
    db.prepare(`INSERT INTO forecast (id, model_version_id, period, features_version, created_at) VALUES (?, ?, ?, ?, ?)`).run(id, model.id, period, dataset.featuresVersion, new Date().toISOString());
    const insert = new BatchInsert(db, 'forecast_row', ['forecast_id', 'site', 'course', 'schedule', 'predicted', 'predicted_raw', 'last_students', 'feeder_students', 'reason']);
    out.forEach((r, i) => insert.add(id, r.SEDE, r.CURSO_ACTUAL, r.HORARIO_ACTUAL, r.PREDICT_ALUMNOS, raw[i], r.last_students, r.feeder_students, r.reason));
    insert.flush();
  })();

  return {
    report: {
      forecast_id: id,
      period: label,
      model_version: model.id,
      candidate: model.candidate,
      rows: out.length,
      total_students: out.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0),
      out: null,
      stale_model: modelIsStale(model, dataset.platinumVersion),
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
  const rows = (db
    .prepare(`SELECT site, course, schedule, predicted, last_students, feeder_students, reason FROM forecast_row WHERE forecast_id = ? ORDER BY site, course, schedule`)
    .all(forecast.id) as { site: string; course: string; schedule: string; predicted: number; last_students: number; feeder_students: number; reason: ForecastRow['reason'] }[])
    .map((r) => ({
      PERIODO: label,
      SEDE: r.site,
      CURSO_ACTUAL: r.course,
      HORARIO_ACTUAL: r.schedule,
      PREDICT_ALUMNOS: r.predicted,
      last_students: r.last_students,
      feeder_students: r.feeder_students,
      reason: r.reason,
      decision: decide(r.predicted, settings),
    }));
  const report: ForecastReport = {
    forecast_id: forecast.id,
    period: label,
    model_version: forecast.model_version_id,
    candidate: model.candidate,
    rows: rows.length,
    total_students: rows.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0),
    out: null,
    stale_model: false,
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
      `SELECT f.id, f.period, f.model_version_id AS model_version, f.created_at, COUNT(r.site) AS rows, COALESCE(SUM(r.predicted), 0) AS students
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
