/** Owns the row 'settings' of the table meta. */
import type { Settings } from '../../shared/contract';
import { isRegion } from '../../shared/regions';
import type { ReadableDB, WritableDB } from './db/types';

/** The model lifecycle's settings (part of the contract's Settings, shown on the Settings screen). */
export type LifecycleSettings = Pick<Settings, 'promotionMargin' | 'rollbackThreshold'>;

export type EngineSettings = Settings;

/** What a caller may save: the class sizes and language always, the others only when it knows them. */
export type SettingsInput = Omit<Settings, 'notifications' | 'promotionMargin' | 'rollbackThreshold' | 'inboxFolder' | 'outboxFolder' | 'classSizes'> & Partial<Settings>;

/**
 * Typical sizes for a language-institute class; every school sets its own in Settings. A new model must beat the
 * champion by 2 % to replace it; a champion doing 1.5 times worse than testing promised is reviewed for rollback.
 */
export const DEFAULT_SETTINGS: Settings = { locale: 'es', region: null, minClassSize: 8, maxClassSize: 25, notifications: true, promotionMargin: 0.02, rollbackThreshold: 1.5, inboxFolder: null, outboxFolder: null, classSizes: [] };
export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = { promotionMargin: DEFAULT_SETTINGS.promotionMargin, rollbackThreshold: DEFAULT_SETTINGS.rollbackThreshold };

function stored(db: ReadableDB): Partial<EngineSettings> {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'settings'`).get() as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as Partial<EngineSettings>) : {};
}

/** Every setting the engine uses, with defaults for those never saved. */
export function loadEngineSettings(db: ReadableDB): EngineSettings {
  return { ...DEFAULT_SETTINGS, ...stored(db) };
}

/**
 * Settings live in the database, so the desktop app, the browser mode and the CLI agree. Only the contract's
 * settings are returned: the screens send back what they read, and the contract refuses keys it does not know.
 */
export function loadSettings(db: ReadableDB): Settings {
  const all = loadEngineSettings(db);
  // A region this version does not offer (or none) follows the language.
  return {
    locale: all.locale,
    region: isRegion(all.region) ? all.region : null,
    minClassSize: all.minClassSize,
    maxClassSize: all.maxClassSize,
    notifications: all.notifications !== false,
    promotionMargin: all.promotionMargin,
    rollbackThreshold: all.rollbackThreshold,
    inboxFolder: all.inboxFolder ?? null,
    outboxFolder: all.outboxFolder ?? null,
    classSizes: Array.isArray(all.classSizes) ? all.classSizes : [],
  };
}

/** Saves what is given over what is stored: a caller that does not know a setting leaves it as it was. */
export function saveSettings(db: WritableDB, settings: SettingsInput): Settings {
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  const merged = { ...loadEngineSettings(db), ...given };
  db.prepare(`INSERT INTO meta (key, value) VALUES ('settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(merged));
  return loadSettings(db);
}
