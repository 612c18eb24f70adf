import path from 'node:path';
import { AUTOMATIC, recordAudit } from './audit/audit';
import type { OpenOptions } from './db/connection';
import { openDatabase, openReader } from './db/connection';
import type { ReadableDB, WritableDB } from './db/types';
import type { PseudonymKey } from './ingest/pseudonymise';
import { loadOrCreateKey, settleStagedKey } from './ingest/pseudonymise';

/** One open database with its pseudonymisation key: what every host of the engine (CLI, worker, tests) works on. */
export interface Workspace {
  /** The one connection that writes; writes take turns on it. */
  db: WritableDB;
  /**
   * A read-only connection to the same file, opened on first use: reads answer from it, with the last committed
   * data, while a write runs on `db` (WAL). An in-memory database has no second connection: there it is `db`.
   */
  readonly reader: ReadableDB;
  file: string;
  key: PseudonymKey;
  /** Set when opening upgraded the schema: the copy taken before. */
  backup: string | null;
  /** The better-sqlite3 addon the connections were opened with, for whatever opens another (a restore). */
  nativeBinding?: string;
  close(): void;
}

export function openWorkspace(file: string, options: OpenOptions = {}): Workspace {
  const { db, backup } = openDatabase(file, options);
  // A restore cut short between moving the database and moving its key is finished (or undone) here.
  settleStagedKey(file, db);
  // The copy an upgrade took is an act of Cupo's like any other backup: on the log, in the upgraded database.
  if (backup) recordAudit(db, { what: 'backup', who: AUTOMATIC, to: path.basename(backup), details: { reason: 'before-migration', file: backup } });
  let reader: ReadableDB | null = null;
  return {
    db,
    get reader() {
      reader ??= file === ':memory:' ? db : openReader(file, options);
      return reader;
    },
    file,
    key: loadOrCreateKey(file),
    backup,
    ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}),
    close: () => {
      if (reader !== null && reader !== db) reader.close();
      db.close();
    },
  };
}
