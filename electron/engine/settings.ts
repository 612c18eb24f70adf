/** Owns the row 'settings' of the table meta. */
import type { Settings } from '../../shared/contract';
import type { ReadableDB, WritableDB } from './db/types';

/** Typical sizes for a language-institute class; every school sets its own in Settings. */
export const DEFAULT_SETTINGS: Settings = { locale: 'es', minClassSize: 8, maxClassSize: 25 };

/** Settings live in the database, so the desktop app, the browser mode and the CLI agree. */
export function loadSettings(db: ReadableDB): Settings {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'settings'`).get() as { value: string } | undefined;
  return row ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Partial<Settings>) } : DEFAULT_SETTINGS;
}

export function saveSettings(db: WritableDB, settings: Settings): Settings {
  db.prepare(`INSERT INTO meta (key, value) VALUES ('settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(settings));
  return settings;
}
