import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors';
import { automaticBackupSteps, runNow } from './backup';
import { migrate, pendingMigrations } from './migrate';
import { MIGRATIONS } from './migrations';
import type { ReadableDB, WritableDB } from './types';
import { takeWriterTurnSync } from './writer-lock';

export interface OpenedDatabase {
  db: WritableDB;
  file: string;
  /** Where the pre-upgrade backup was written (a zip with the key, in `backups/`), when this open upgraded the schema. */
  backup: string | null;
}

function configure(db: Database.Database): void {
  db.pragma('foreign_keys = ON');
  // Set before the first table, so for a new database only (one in WAL mode keeps its own). An import writes tens
  // of megabytes of rosters and classes at once; in 16 KB pages its commit takes a third less than in 4 KB.
  db.pragma('page_size = 16384');
  // A desktop app and a CLI may read while the engine writes; WAL keeps readers from blocking.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
}

export interface OpenOptions {
  /** Path of a better-sqlite3 addon built for another runtime than this Node's (Electron's ABI). */
  nativeBinding?: string;
}

/** Opens (creating if needed) the database and brings its schema up to date. */
export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(file, options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {});
    configure(raw);
  } catch (error) {
    throw new UserError(
      {
        es: `No se pudo abrir la base de datos ${file}: ${(error as Error).message}.`,
        en: `Could not open the database ${file}: ${(error as Error).message}.`,
      },
      'failed',
    );
  }
  const db = raw as WritableDB;
  try {
    if (file === ':memory:' || pendingMigrations(db, MIGRATIONS, options.nativeBinding).length === 0) return { db, file, backup: null };
    // An upgrade is a write like any other: one process at a time (another may be upgrading the same file right now,
    // and once it is done there is nothing left to do here: migrate looks again under the turn).
    const release = takeWriterTurnSync(file, { doing: { es: 'una actualización de la base de datos', en: 'an upgrade of the database' }, ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}) });
    try {
      const { backup } = migrate(db, file, MIGRATIONS, options.nativeBinding, {
        // The way back from an upgrade: a checked backup of the database and its key, kept in `backups/`.
        beforeApplying: () => runNow(automaticBackupSteps(db, file, { reason: 'before-migration' })).file,
      });
      return { db, file, backup };
    } finally {
      release();
    }
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A second connection to a database `openDatabase` already opened (and brought up to date), read-only: in WAL mode
 * it reads the last committed state while the writer works, so a read never waits behind a long write (a
 * training, an import) and can never write by mistake (SQLite refuses, whatever the compiler let through).
 */
export function openReader(file: string, options: OpenOptions = {}): ReadableDB {
  try {
    const raw = new Database(file, { readonly: true, fileMustExist: true, ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}) });
    raw.pragma('busy_timeout = 5000');
    return raw as ReadableDB;
  } catch (error) {
    throw new UserError(
      { es: `No se pudo abrir la base de datos ${file} para leer: ${(error as Error).message}.`, en: `Could not open the database ${file} for reading: ${(error as Error).message}.` },
      'failed',
    );
  }
}
