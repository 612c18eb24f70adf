/** Owns the row 'settings' of the table meta. */
import type { Settings } from '../../shared/contract';
import { isRegion } from '../../shared/regions';
import type { ReadableDB, WritableDB } from './db/types';

/** The model lifecycle's settings; the contract and the Settings screen do not carry them yet. */
export interface LifecycleSettings {
  /**
   * How much better (relative) a newly trained model's backtest WAPE must be than the champion's, on the same
   * folds, to replace it: 0.02 means winner < champion × 0.98. Smaller differences are noise, not progress.
   */
  promotionMargin: number;
  /** A champion whose real error exceeds its backtest promise by more than this factor is reviewed for rollback. */
  rollbackThreshold: number;
}

export type EngineSettings = Settings & LifecycleSettings;

/** Typical sizes for a language-institute class; every school sets its own in Settings. */
export const DEFAULT_SETTINGS: Settings = { locale: 'es', region: null, minClassSize: 8, maxClassSize: 25 };
export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = { promotionMargin: 0.02, rollbackThreshold: 1.5 };

function stored(db: ReadableDB): Partial<EngineSettings> {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'settings'`).get() as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as Partial<EngineSettings>) : {};
}

/** Every setting the engine uses, with defaults for those never saved. */
export function loadEngineSettings(db: ReadableDB): EngineSettings {
  return { ...DEFAULT_SETTINGS, ...DEFAULT_LIFECYCLE_SETTINGS, ...stored(db) };
}

/**
 * Settings live in the database, so the desktop app, the browser mode and the CLI agree. Only the contract's
 * settings are returned: the screens send back what they read, and the contract refuses keys it does not know.
 */
export function loadSettings(db: ReadableDB): Settings {
  const all = loadEngineSettings(db);
  // A region this version does not offer (or none) follows the language.
  return { locale: all.locale, region: isRegion(all.region) ? all.region : null, minClassSize: all.minClassSize, maxClassSize: all.maxClassSize };
}

/** Saves what is given over what is stored: a caller that does not know a setting leaves it as it was. */
export function saveSettings(db: WritableDB, settings: Settings & Partial<LifecycleSettings>): Settings {
  const merged = { ...loadEngineSettings(db), ...settings };
  db.prepare(`INSERT INTO meta (key, value) VALUES ('settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(merged));
  return loadSettings(db);
}
