import type { OpenOptions } from './db/connection';
import { openDatabase } from './db/connection';
import type { WritableDB } from './db/types';
import type { PseudonymKey } from './ingest/pseudonymise';
import { loadOrCreateKey } from './ingest/pseudonymise';

/** One open database with its pseudonymisation key: what every host of the engine (CLI, worker, tests) works on. */
export interface Workspace {
  db: WritableDB;
  file: string;
  key: PseudonymKey;
  /** Set when opening upgraded the schema: the copy taken before. */
  backup: string | null;
  close(): void;
}

export function openWorkspace(file: string, options: OpenOptions = {}): Workspace {
  const { db, backup } = openDatabase(file, options);
  return { db, file, key: loadOrCreateKey(file), backup, close: () => db.close() };
}
