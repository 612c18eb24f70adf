/**
 * Owns the tables raw_snapshot, raw_class, raw_roster, snapshot_use and snapshot_aside: every import as it was read,
 * never changed, which snapshot speaks for each period now, and the imports a person set aside (they speak for none). Also says how the data in use writes its periods, for
 * everything that shows a period to the user.
 */
import { createHash } from 'node:crypto';
import type { SnapshotInfo } from '../../../shared/reports';
import { BatchInsert } from '../db/insert-many';
import type { ReadableDB, WritableDB } from '../db/types';
import type { Notation, PeriodStyle } from '../domain/periods';
import { formatPeriod } from '../domain/periods';
import { UserError } from '../errors';
import type { FileScan } from '../ingest/encoding';
import type { ParsedFile } from '../ingest/parse-file';
import type { Members } from '../ingest/rosters';
import { rostersOf } from '../ingest/rosters';
import { APP_VERSION } from '../version';

export interface RawSnapshotRow {
  id: string;
  seq: number;
  file_name: string;
  content_sha256: string;
  encoding: string;
  delimiter: string;
  granularity: 'class' | 'student';
  frequency: 'year' | 'term' | 'month';
  period_style: PeriodStyle;
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  imported_at: string;
}

/** How the bytes were read (mapping, constant period): the same bytes read differently are another snapshot. */
export function interpretationOf(parsedMapping: unknown): string {
  return JSON.stringify(parsedMapping);
}

export function rawSnapshotId(sha256: string, interpretation: string): string {
  return `raw-${createHash('sha256').update(`${sha256}\n${interpretation}`).digest('hex').slice(0, 12)}`;
}

export function findRawSnapshot(db: ReadableDB, id: string): RawSnapshotRow | null {
  return (db.prepare(`SELECT * FROM raw_snapshot WHERE id = ?`).get(id) as RawSnapshotRow | undefined) ?? null;
}

export function listRawSnapshots(db: ReadableDB): RawSnapshotRow[] {
  return db.prepare(`SELECT * FROM raw_snapshot ORDER BY seq`).all() as RawSnapshotRow[];
}

/**
 * The snapshot whose notation the data in use is written in: of the snapshots that speak for a period now, the
 * one imported last (a snapshot no period is taken from any more, after a reopen, has no say).
 */
export function notationSnapshot(db: ReadableDB, owners: ReadonlyMap<string, string> = periodOwners(db)): RawSnapshotRow | null {
  const inUse = new Set(owners.values());
  return listRawSnapshots(db).filter((s) => inUse.has(s.id)).at(-1) ?? null;
}

/** How the data in use writes its periods: what new files must agree with. */
export function notationInUse(db: ReadableDB): Notation | null {
  const source = notationSnapshot(db);
  if (!source) return null;
  const example = db.prepare(`SELECT period FROM raw_class WHERE snapshot_id = ? LIMIT 1`).pluck().get(source.id) as string;
  return { frequency: source.frequency, period_style: source.period_style, example };
}

/** The one answer to "how are periods shown?": the notation of the data in use (null before any import). */
export function periodStyleInUse(db: ReadableDB, owners?: ReadonlyMap<string, string>): PeriodStyle | null {
  return notationSnapshot(db, owners)?.period_style ?? null;
}

/** Shows canonical periods the way the data in use writes them (as stored, before any import). */
export function periodFormatter(db: ReadableDB, owners?: ReadonlyMap<string, string>): (period: string) => string {
  const style = periodStyleInUse(db, owners);
  return (period) => (style ? formatPeriod(period, style) : period);
}

/**
 * Writes one immutable snapshot and its classes, and returns the id of its first class (see storeRosters); the
 * caller holds the transaction.
 */
export function storeRawSnapshot(db: WritableDB, id: string, interpretation: string, scan: FileScan, parsed: ParsedFile): number {
  const seq = ((db.prepare(`SELECT MAX(seq) AS m FROM raw_snapshot`).get() as { m: number | null }).m ?? 0) + 1;
  const warnings = parsed.problems.filter((p) => p.severity === 'warning');
  db.prepare(
    `INSERT INTO raw_snapshot (id, seq, content_sha256, interpretation, file_name, byte_size, encoding, delimiter, granularity,
       frequency, period_style, rows_read, rows_accepted, rows_rejected, warnings, app_version, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, seq, scan.sha256, interpretation, parsed.fileName, scan.byteSize, scan.encodingLabel, parsed.delimiter, parsed.granularity,
    parsed.frequency, parsed.periodStyle, parsed.rowsRead, parsed.rowsAccepted, parsed.rowsRejected, JSON.stringify(warnings), APP_VERSION, new Date().toISOString());

  recordUse(db, id, 'import');
  const firstId = ((db.prepare(`SELECT MAX(id) AS m FROM raw_class`).get() as { m: number | null }).m ?? 0) + 1;
  const insertClass = new BatchInsert(db, 'raw_class', ['id', 'snapshot_id', 'period', 'site', 'course', 'schedule', 'students', 'source_rows', 'capacity']);
  parsed.classes.forEach((c, i) => insertClass.add(firstId + i, id, c.period, c.site, c.course, c.schedule, c.students, c.sourceRows, c.capacity));
  insertClass.flush();
  return firstId;
}

/**
 * Writes the rosters of a snapshot's classes (stored from `firstClassId` on) from its members and the import's
 * pseudonyms. Apart from storeRawSnapshot because the pseudonyms are the import's last thing to be ready.
 */
export function storeRosters(db: WritableDB, firstClassId: number, members: Members, pseudonyms: Buffer): void {
  const insertRoster = new BatchInsert(db, 'raw_roster', ['class_id', 'students']);
  rostersOf(members, pseudonyms).forEach((roster, i) => roster && insertRoster.add(firstClassId + i, roster));
  insertRoster.flush();
}

function recordUse(db: WritableDB, id: string, action: 'import' | 'reopen'): void {
  db.prepare(`INSERT INTO snapshot_use (snapshot_id, action, used_at) VALUES (?, ?, ?)`).run(id, action, new Date().toISOString());
}

function existing(db: ReadableDB, id: string): RawSnapshotRow {
  const snapshot = findRawSnapshot(db, id);
  if (!snapshot) {
    throw new UserError({ es: `No existe la importación ${id}: elija una de la lista de importaciones.`, en: `There is no import ${id}: choose one from the list of imports.` });
  }
  return snapshot;
}

/** Makes an older snapshot speak for its periods again; nothing is deleted, and undoing it is reopening the other. */
export function reopenSnapshot(db: WritableDB, id: string): void {
  const snapshot = existing(db, id);
  if (isSetAside(db, id)) {
    throw new UserError({ es: `La importación de ${snapshot.file_name} está apartada: restáurela para volver a usarla.`, en: `The import of ${snapshot.file_name} is set aside: restore it to use it again.` });
  }
  recordUse(db, id, 'reopen');
}

/** The imports whose latest act is being set aside: they speak for no period. */
const SET_ASIDE = `SELECT a.snapshot_id FROM snapshot_aside a
  WHERE a.seq = (SELECT MAX(b.seq) FROM snapshot_aside b WHERE b.snapshot_id = a.snapshot_id) AND a.action = 'set_aside'`;

export function isSetAside(db: ReadableDB, id: string): boolean {
  return db.prepare(`SELECT 1 FROM (${SET_ASIDE}) WHERE snapshot_id = ?`).get(id) !== undefined;
}

/**
 * Takes an import out of the data without deleting anything: it speaks for no period from now on, and a period it
 * spoke for falls to the import of it used before (or leaves the data, when there is none). `restoreSnapshot`
 * undoes it exactly: the import speaks again for what it spoke for.
 */
export function setAsideSnapshot(db: WritableDB, id: string, who: string): RawSnapshotRow {
  const snapshot = existing(db, id);
  if (isSetAside(db, id)) {
    throw new UserError({ es: `La importación de ${snapshot.file_name} ya está apartada.`, en: `The import of ${snapshot.file_name} is already set aside.` });
  }
  db.prepare(`INSERT INTO snapshot_aside (snapshot_id, action, at, who) VALUES (?, 'set_aside', ?, ?)`).run(id, new Date().toISOString(), who);
  return snapshot;
}

export function restoreSnapshot(db: WritableDB, id: string, who: string): RawSnapshotRow {
  const snapshot = existing(db, id);
  if (!isSetAside(db, id)) {
    throw new UserError({ es: `La importación de ${snapshot.file_name} no está apartada: no hay nada que restaurar.`, en: `The import of ${snapshot.file_name} is not set aside: there is nothing to restore.` });
  }
  db.prepare(`INSERT INTO snapshot_aside (snapshot_id, action, at, who) VALUES (?, 'restore', ?, ?)`).run(id, new Date().toISOString(), who);
  return snapshot;
}

/** Every import, oldest first, with its periods and the ones it speaks for now (in the dataset's notation). */
export function describeSnapshots(db: ReadableDB): SnapshotInfo[] {
  const owners = periodOwners(db);
  const show = periodFormatter(db, owners);
  const periodsOf = db.prepare(`SELECT DISTINCT period FROM raw_class WHERE snapshot_id = ? ORDER BY period`).pluck();
  const aside = new Set(db.prepare(SET_ASIDE).pluck().all() as string[]);
  return listRawSnapshots(db).map((s) => {
    const periods = periodsOf.all(s.id) as string[];
    return {
      id: s.id,
      file: s.file_name,
      imported_at: s.imported_at,
      granularity: s.granularity,
      rows_accepted: s.rows_accepted,
      periods: periods.map(show),
      periods_in_use: periods.filter((p) => owners.get(p) === s.id).map(show),
      set_aside: aside.has(s.id),
    };
  });
}

/**
 * For each period, the snapshot that speaks for it: of the snapshots holding the period and not set aside, the one
 * used last.
 */
export function periodOwners(db: ReadableDB): Map<string, string> {
  const rows = db
    .prepare(
      `SELECT rc.period, rc.snapshot_id, (SELECT MAX(seq) FROM snapshot_use u WHERE u.snapshot_id = rc.snapshot_id) AS used
       FROM raw_class rc WHERE rc.snapshot_id NOT IN (${SET_ASIDE}) GROUP BY rc.snapshot_id, rc.period ORDER BY used`,
    )
    .all() as { period: string; snapshot_id: string; used: number }[];
  const owners = new Map<string, string>();
  for (const row of rows) owners.set(row.period, row.snapshot_id);
  return new Map([...owners.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether a file with these bytes was ever imported (under any reading of it): a scheduled run leaves it alone. */
export function contentImported(db: ReadableDB, sha256: string): boolean {
  return db.prepare(`SELECT 1 FROM raw_snapshot WHERE content_sha256 = ? LIMIT 1`).get(sha256) !== undefined;
}
