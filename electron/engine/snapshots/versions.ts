/**
 * Owns the table dataset_version: every derived dataset (platinum, features, target), named by what it was made
 * from. The steps that make them (platinum.ts, features/build.ts) record and look them up through here.
 */
import { createHash } from 'node:crypto';
import type { ReadableDB, WritableDB } from '../db/types';
import { APP_VERSION } from '../version';

export type DatasetKind = 'platinum' | 'features' | 'target';

export interface DatasetVersion<Summary = unknown> {
  id: string;
  kind: DatasetKind;
  logic_version: number;
  parents: string[];
  row_count: number;
  summary: Summary;
  created_at: string;
}

/**
 * A derived version is named by what it was made from and by the logic that made it: the same inputs and the
 * same logic give the same id, so "is it up to date?" is one lookup and nothing is rebuilt needlessly.
 */
export function derivedVersionId(kind: DatasetKind, logicVersion: number, parents: readonly string[]): string {
  const digest = createHash('sha256').update(JSON.stringify({ kind, logicVersion, parents })).digest('hex');
  return `${kind}-${digest.slice(0, 12)}`;
}

export function findVersion<Summary>(db: ReadableDB, id: string): DatasetVersion<Summary> | null {
  const row = db.prepare(`SELECT * FROM dataset_version WHERE id = ?`).get(id) as
    | (Omit<DatasetVersion, 'parents' | 'summary'> & { parents: string; summary: string })
    | undefined;
  if (!row) return null;
  return { ...row, parents: JSON.parse(row.parents) as string[], summary: JSON.parse(row.summary) as Summary };
}

/** Completes a version recorded before its rows were written (its size and summary are known only then). */
export function completeVersion(db: WritableDB, id: string, rowCount: number, summary: unknown): void {
  db.prepare(`UPDATE dataset_version SET row_count = ?, summary = ? WHERE id = ?`).run(rowCount, JSON.stringify(summary), id);
}

export function recordVersion(db: WritableDB, version: Omit<DatasetVersion, 'created_at'>): void {
  db.prepare(
    `INSERT INTO dataset_version (id, kind, logic_version, parents, row_count, summary, app_version, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(version.id, version.kind, version.logic_version, JSON.stringify(version.parents), version.row_count, JSON.stringify(version.summary), APP_VERSION, new Date().toISOString());
}
