import { currentUser, recordAudit } from '../audit/audit';
import type { ReadableDB, WritableDB } from '../db/types';
import { UserError } from '../errors';

/**
 * When a period's actuals first reached Cupo: the first time a snapshot holding that period was imported (or
 * reopened). Null while no import holds it.
 */
export function dataArrivedAt(db: ReadableDB, period: string): string | null {
  const row = db
    .prepare(`SELECT MIN(u.used_at) AS at FROM snapshot_use u WHERE EXISTS (SELECT 1 FROM raw_class rc WHERE rc.snapshot_id = u.snapshot_id AND rc.period = ?)`)
    .get(period) as { at: string | null };
  return row.at;
}

export interface StoredForecast {
  id: string;
  period: string;
  model_version_id: string;
  features_version: string;
  created_at: string;
}

/**
 * The forecast of a period that counts as "served", the one planners acted on and the one scored when the period's
 * actuals arrive. Only forecasts made before the actuals first arrived qualify (after that they are not forecasts);
 * of those:
 *   1. the one exported last before the actuals arrived (an export — CSV, Excel — is what leaves Cupo for the
 *      planners, so the last one out is what they used);
 *   2. if none was exported, the last one made.
 * Ties (same instant) go to the one made later. Null when no forecast qualifies.
 */
export function servedForecast(db: ReadableDB, period: string, arrivedAt: string | null = dataArrivedAt(db, period)): StoredForecast | null {
  const before = arrivedAt ?? '9999';
  const exported = db
    .prepare(
      `SELECT f.id, f.period, f.model_version_id, f.features_version, f.created_at FROM forecast f
       JOIN forecast_export e ON e.forecast_id = f.id
       WHERE f.period = ? AND f.created_at < ? AND e.exported_at < ?
       ORDER BY e.exported_at DESC, f.created_at DESC, f.rowid DESC LIMIT 1`,
    )
    .get(period, before, before) as StoredForecast | undefined;
  if (exported) return exported;
  const made = db
    .prepare(`SELECT id, period, model_version_id, features_version, created_at FROM forecast WHERE period = ? AND created_at < ? ORDER BY created_at DESC, rowid DESC LIMIT 1`)
    .get(period, before) as StoredForecast | undefined;
  return made ?? null;
}

/** The latest forecast a given model made of a period before its actuals arrived (null if it made none). */
export function forecastByModel(db: ReadableDB, period: string, modelId: string, arrivedAt: string | null = dataArrivedAt(db, period)): StoredForecast | null {
  const row = db
    .prepare(`SELECT id, period, model_version_id, features_version, created_at FROM forecast WHERE period = ? AND model_version_id = ? AND created_at < ? ORDER BY created_at DESC, rowid DESC LIMIT 1`)
    .get(period, modelId, arrivedAt ?? '9999') as StoredForecast | undefined;
  return row ?? null;
}

/** Every period that has both forecasts and actuals now, with the forecast served for it. */
export function servedForecastsWithActuals(db: ReadableDB, periods: readonly string[]): StoredForecast[] {
  const forecastPeriods = new Set(db.prepare(`SELECT DISTINCT period FROM forecast`).pluck().all() as string[]);
  const out: StoredForecast[] = [];
  for (const period of periods) {
    if (!forecastPeriods.has(period)) continue;
    const served = servedForecast(db, period);
    if (served) out.push(served);
  }
  return out;
}

/** Records that a forecast left Cupo (written to CSV or Excel for the planners), in its own table and the audit log. */
export function markForecastExported(db: WritableDB, forecastId: string, options: { by?: string; format?: string; file?: string } = {}): void {
  const forecast = db.prepare(`SELECT id, period, model_version_id FROM forecast WHERE id = ?`).get(forecastId) as { id: string; period: string; model_version_id: string } | undefined;
  if (!forecast) {
    throw new UserError({ es: `No existe el pronóstico ${forecastId}.`, en: `There is no forecast ${forecastId}.` }, 'failed');
  }
  const by = options.by ?? currentUser();
  const at = new Date().toISOString();
  db.transaction(() => {
    db.prepare(`INSERT INTO forecast_export (forecast_id, exported_at, who) VALUES (?, ?, ?)`).run(forecastId, at, by);
    recordAudit(db, {
      what: 'forecast_exported',
      who: by,
      to: forecastId,
      details: { period: forecast.period, model_id: forecast.model_version_id, ...(options.format ? { format: options.format } : {}), ...(options.file ? { file: options.file } : {}) },
    }, at);
  })();
}
