import fs from 'node:fs';
import { UserError } from '../errors';
import { APP_VERSION } from '../version';
import type { Migration } from './migrations';
import type { ReadableDB, WritableDB } from './types';

interface AppliedMigration {
  version: number;
  name: string;
}

function appliedMigrations(db: ReadableDB): AppliedMigration[] {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migration'`).get();
  if (!table) return [];
  return db.prepare(`SELECT version, name FROM migration ORDER BY version`).all() as AppliedMigration[];
}

/** Refuses a database this build cannot read safely; returns the migrations still to apply. */
export function pendingMigrations(db: ReadableDB, migrations: readonly Migration[]): Migration[] {
  const applied = appliedMigrations(db);
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newest = migrations.at(-1)?.version ?? 0;
  for (const row of applied) {
    if (row.version > newest) {
      throw new UserError(
        {
          es: `La base de datos fue escrita por una versión más nueva de Cupo (esquema ${row.version}; esta versión conoce hasta el ${newest}): actualice Cupo para abrirla.`,
          en: `The database was written by a newer version of Cupo (schema ${row.version}; this version knows up to ${newest}): update Cupo to open it.`,
        },
        1,
      );
    }
    if (known.get(row.version)?.name !== row.name) {
      throw new UserError(
        {
          es: `La migración ${row.version} registrada en la base de datos («${row.name}») no coincide con la de esta versión de Cupo: la base no se abrió para no dañarla.`,
          en: `Migration ${row.version} recorded in the database ("${row.name}") does not match this version of Cupo's: the database was not opened so as not to damage it.`,
        },
        1,
      );
    }
  }
  const done = new Set(applied.map((m) => m.version));
  return migrations.filter((m) => !done.has(m.version));
}

/**
 * Applies the pending migrations in one transaction, after copying a database that already holds data,
 * so a failed or unwanted upgrade can always be undone by hand.
 */
export function migrate(db: WritableDB, file: string, migrations: readonly Migration[]): { backup: string | null; applied: number[] } {
  const pending = pendingMigrations(db, migrations);
  if (pending.length === 0) return { backup: null, applied: [] };

  const alreadyInitialised = appliedMigrations(db).length > 0;
  let backup: string | null = null;
  if (alreadyInitialised && file !== ':memory:') {
    backup = `${file}.before-v${pending[0]!.version}.bak`;
    if (fs.existsSync(backup)) fs.rmSync(backup);
    db.prepare('VACUUM INTO ?').run(backup);
  }

  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS migration (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, app_version TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const record = db.prepare(`INSERT INTO migration (version, name, app_version, applied_at) VALUES (?, ?, ?, ?)`);
    for (const m of pending) {
      m.up(db);
      record.run(m.version, m.name, APP_VERSION, new Date().toISOString());
    }
  })();
  return { backup, applied: pending.map((m) => m.version) };
}
