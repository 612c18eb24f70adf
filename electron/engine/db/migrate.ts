/** Owns the table migration (which migrations a database has had) and, through the migrations, the schema. */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
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

/** The newest migration a database has had (0 for an empty one). */
export function schemaVersionOf(db: ReadableDB): number {
  return appliedMigrations(db).at(-1)?.version ?? 0;
}

/** Refuses a database this build cannot read safely; returns the migrations still to apply. */
export function pendingMigrations(db: ReadableDB, migrations: readonly Migration[], nativeBinding?: string): Migration[] {
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
        'failed',
      );
    }
    if (known.get(row.version)?.name !== row.name) {
      throw new UserError(
        {
          es: `La migración ${row.version} registrada en la base de datos («${row.name}») no coincide con la de esta versión de Cupo: la base no se abrió para no dañarla.`,
          en: `Migration ${row.version} recorded in the database ("${row.name}") does not match this version of Cupo's: the database was not opened so as not to damage it.`,
        },
        'failed',
      );
    }
  }
  const done = new Set(applied.map((m) => m.version));
  refuseUnexpectedSchema(db, migrations.filter((m) => done.has(m.version)), nativeBinding);
  return migrations.filter((m) => !done.has(m.version));
}

/** The tables, indexes and views of a database, whitespace-normalised, as one hash. */
export function schemaFingerprint(db: ReadableDB): string {
  const objects = db
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'migration' AND sql IS NOT NULL ORDER BY type, name`)
    .all() as { type: string; name: string; sql: string }[];
  const text = objects.map((o) => `${o.type} ${o.name} ${o.sql.replace(/\s+/g, ' ').trim()}`).join('\n');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A migration's number and name say which steps ran, not what they did: a database made by a development build
 * whose migration was still changing carries the right names over the wrong tables. Replaying the recorded
 * migrations on an empty in-memory database and comparing schemas catches that before anything is written.
 */
function refuseUnexpectedSchema(db: ReadableDB, applied: readonly Migration[], nativeBinding: string | undefined): void {
  if (applied.length === 0) return;
  const expected = new Database(':memory:', nativeBinding !== undefined ? { nativeBinding } : {}) as unknown as WritableDB;
  try {
    for (const m of applied) m.up(expected);
    if (schemaFingerprint(expected) === schemaFingerprint(db)) return;
  } finally {
    expected.close();
  }
  const version = applied.at(-1)!.version;
  throw new UserError(
    {
      es: `Las tablas de la base de datos no son las que el esquema ${version} de Cupo define (¿la creó una versión de prueba?): la base no se abrió para no dañarla.`,
      en: `The database's tables are not the ones Cupo's schema ${version} defines (was it made by a test build?): the database was not opened so as not to damage it.`,
    },
    'failed',
  );
}

export interface MigrateOptions {
  /**
   * Called before anything is applied to a database that already holds data, with the migrations about to run:
   * takes the copy a failed or unwanted upgrade is undone from (connection.ts: a backup with the key, in
   * `backups/`) and returns where it is. A throw stops the upgrade before it starts.
   */
  beforeApplying?: (pending: readonly Migration[]) => string | null;
}

/**
 * Applies the pending migrations in one transaction, after the copy `beforeApplying` takes of a database that
 * already holds data, so a failed or unwanted upgrade can always be undone.
 */
export function migrate(db: WritableDB, file: string, migrations: readonly Migration[], nativeBinding?: string, options: MigrateOptions = {}): { backup: string | null; applied: number[] } {
  const pending = pendingMigrations(db, migrations, nativeBinding);
  if (pending.length === 0) return { backup: null, applied: [] };

  const alreadyInitialised = appliedMigrations(db).length > 0;
  const backup = alreadyInitialised && file !== ':memory:' && options.beforeApplying ? options.beforeApplying(pending) : null;

  // A migration may rebuild a table (SQLite cannot change a constraint in place), and dropping the old table would
  // trip the foreign keys that point at it. SQLite's own recipe: enforcement off outside the transaction, every
  // reference checked before committing, enforcement back as it was.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS migration (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, app_version TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      const record = db.prepare(`INSERT INTO migration (version, name, app_version, applied_at) VALUES (?, ?, ?, ?)`);
      for (const m of pending) {
        m.up(db);
        record.run(m.version, m.name, APP_VERSION, new Date().toISOString());
      }
      const broken = db.pragma('foreign_key_check') as { table: string }[];
      if (broken.length > 0) throw new Error(`The migration left ${broken.length} broken reference(s), first in table ${broken[0]!.table}.`);
    })();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
  return { backup, applied: pending.map((m) => m.version) };
}
