import type { OpenOptions } from './db/connection';
import { openDatabase, openReader } from './db/connection';
import type { ReadableDB, WritableDB } from './db/types';
import type { PseudonymKey } from './ingest/pseudonymise';
import { loadOrCreateKey } from './ingest/pseudonymise';

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
  close(): void;
}

export function openWorkspace(file: string, options: OpenOptions = {}): Workspace {
  const { db, backup } = openDatabase(file, options);
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
    close: () => {
      if (reader !== null && reader !== db) reader.close();
      db.close();
    },
  };
}
