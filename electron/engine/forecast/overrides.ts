/**
 * Owns the table forecast_override: a planner's own number for a class of a forecast (a teacher left, a room
 * closed), with a note, kept beside the model's. The model's forecast (forecast_row) is never changed, so accuracy
 * is always scored on what the model said; the decision shown and exported follows the planner's number.
 */
import { sizesFor } from '../../../shared/class-sizes';
import type { Settings } from '../../../shared/contract';
import type { ForecastOverride, ForecastRow } from '../../../shared/reports';
import type { ReadableDB, WritableDB } from '../db/types';
import { UserError } from '../errors';
import { decide, sectionsFor } from './decisions';

interface Row {
  site: string;
  course: string;
  schedule: string;
  students: number;
  note: string;
  who: string;
  at: string;
}

const fromRow = (r: Row): ForecastOverride => ({ site: r.site, course: r.course, schedule: r.schedule, students: r.students, note: r.note, by: r.who, at: r.at });

export function listOverrides(db: ReadableDB, forecastId: string): ForecastOverride[] {
  return (db.prepare(`SELECT site, course, schedule, students, note, who, at FROM forecast_override WHERE forecast_id = ? ORDER BY site, course, schedule`).all(forecastId) as Row[]).map(fromRow);
}

export interface OverrideInput {
  forecastId: string;
  site: string;
  course: string;
  schedule: string;
  /** null removes the planner's number: the model's stands alone again. */
  students: number | null;
  note: string;
}

/**
 * Sets (or, with `students: null`, removes) the planner's number for one class of a stored forecast. Returns the
 * override as stored and the one it replaced, for the audit log.
 */
export function setOverride(db: WritableDB, input: OverrideInput, who: string): { before: ForecastOverride | null; after: ForecastOverride | null; predicted: number } {
  const model = db
    .prepare(`SELECT predicted FROM forecast_row WHERE forecast_id = ? AND site = ? AND course = ? AND schedule = ?`)
    .get(input.forecastId, input.site, input.course, input.schedule) as { predicted: number } | undefined;
  if (!model) {
    throw new UserError({
      es: `El pronóstico no tiene la clase ${input.site} · ${input.course} · ${input.schedule}: vuelva a abrirlo y elija una de sus filas.`,
      en: `The forecast has no class ${input.site} · ${input.course} · ${input.schedule}: open it again and pick one of its rows.`,
    });
  }
  const key = [input.forecastId, input.site, input.course, input.schedule] as const;
  const select = db.prepare(`SELECT site, course, schedule, students, note, who, at FROM forecast_override WHERE forecast_id = ? AND site = ? AND course = ? AND schedule = ?`);
  const found = select.get(...key) as Row | undefined;
  const before = found ? fromRow(found) : null;
  if (input.students === null) {
    db.prepare(`DELETE FROM forecast_override WHERE forecast_id = ? AND site = ? AND course = ? AND schedule = ?`).run(...key);
    return { before, after: null, predicted: model.predicted };
  }
  db.prepare(
    `INSERT INTO forecast_override (forecast_id, site, course, schedule, students, note, who, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (forecast_id, site, course, schedule) DO UPDATE SET students = excluded.students, note = excluded.note, who = excluded.who, at = excluded.at`,
  ).run(...key, input.students, input.note.trim(), who, new Date().toISOString());
  return { before, after: fromRow(select.get(...key) as Row), predicted: model.predicted };
}

/**
 * A new forecast of the same period keeps the planners' numbers of the one before, for the classes both hold: what
 * a person knows (a teacher left) does not change because the model ran again. Returns how many were kept.
 */
export function carryOverrides(db: WritableDB, fromForecastId: string, toForecastId: string): number {
  return db
    .prepare(
      `INSERT OR IGNORE INTO forecast_override (forecast_id, site, course, schedule, students, note, who, at)
       SELECT ?, o.site, o.course, o.schedule, o.students, o.note, o.who, o.at FROM forecast_override o
       WHERE o.forecast_id = ? AND EXISTS (SELECT 1 FROM forecast_row r WHERE r.forecast_id = ? AND r.site = o.site AND r.course = o.course AND r.schedule = o.schedule)`,
    )
    .run(toForecastId, fromForecastId, toForecastId).changes;
}

/** The forecast of the same period made just before this one, if any: the one whose planners' numbers it keeps. */
export function previousForecastOf(db: ReadableDB, forecastId: string): string | null {
  return (
    (db
      .prepare(
        `SELECT p.id FROM forecast f JOIN forecast p ON p.period = f.period AND p.id <> f.id AND p.created_at <= f.created_at
         WHERE f.id = ? ORDER BY p.created_at DESC, p.rowid DESC LIMIT 1`,
      )
      .pluck()
      .get(forecastId) as string | undefined) ?? null
  );
}

/**
 * The rows as planners act on them: where a planner gave their own number, the decision and the sections follow
 * it (judged on the number alone: the person knows something the interval does not); PREDICT_ALUMNOS stays the
 * model's.
 */
export function withOverrides(rows: readonly ForecastRow[], overrides: readonly ForecastOverride[], settings: Pick<Settings, 'minClassSize' | 'maxClassSize' | 'classSizes'>): ForecastRow[] {
  if (overrides.length === 0) return [...rows];
  const byClass = new Map(overrides.map((o) => [`${o.site}\u0000${o.course}\u0000${o.schedule}`, o]));
  return rows.map((r) => {
    const o = byClass.get(`${r.SEDE}\u0000${r.CURSO_ACTUAL}\u0000${r.HORARIO_ACTUAL}`);
    if (!o) return r;
    const sizes = sizesFor(settings, r.SEDE, r.CURSO_ACTUAL);
    return { ...r, sections: sectionsFor(o.students, sizes), decision: o.students === 0 ? 'do_not_open' : decide(o.students, sizes) };
  });
}

/** A forecast's override by its class, for the exports. */
export function overrideIndex(overrides: readonly ForecastOverride[]): (r: Pick<ForecastRow, 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL'>) => ForecastOverride | undefined {
  const byClass = new Map(overrides.map((o) => [`${o.site}\u0000${o.course}\u0000${o.schedule}`, o]));
  return (r) => byClass.get(`${r.SEDE}\u0000${r.CURSO_ACTUAL}\u0000${r.HORARIO_ACTUAL}`);
}
