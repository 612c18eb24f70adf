/**
 * The import step: reads and checks files with ingest/, stores each acceptable one as a raw snapshot and brings
 * platinum up to date, all or nothing. It sits in snapshots/ because it writes them; ingest/ only reads files.
 */
import path from 'node:path';
import type { ColumnMapping } from '../../../shared/mapping';
import type { ImportReport } from '../../../shared/reports';
import type { WritableDB } from '../db/types';
import type { Notation } from '../domain/periods';
import { formatPeriod, styleFamily } from '../domain/periods';
import { UserError } from '../errors';
import type { FileScan } from '../ingest/encoding';
import { probeFile } from '../ingest/encoding';
import type { ParsedFile } from '../ingest/parse-file';
import { parseEnrolmentFile } from '../ingest/parse-file';
import { firstErrorsFirst, problems } from '../ingest/problems';
import type { PseudonymKey } from '../ingest/pseudonymise';
import { Pseudonymiser, keyMatchesDatabase, recordKey } from '../ingest/pseudonymise';
import { ensurePlatinum } from './platinum';
import { findRawSnapshot, interpretationOf, notationInUse, periodOwners, rawSnapshotId, storeRawSnapshot, storeRosters } from './raw';

export interface ImportRequest {
  file: string;
  /** The name the user knows the file by, when `file` is a copy (an upload); its own name otherwise. */
  name?: string;
  mapping?: ColumnMapping;
  /** A constant period for the whole file (one file per term is how many systems export). */
  period?: string;
  /** For an .xlsx workbook, the sheet to read (the first one shown by default); a text file has none. */
  sheet?: string;
}

export interface ImportOptions {
  key: PseudonymKey;
  /** Read and check every file, report as usual, and write nothing. */
  dryRun?: boolean;
  /** How many problems each report lists (all are counted). */
  problemLimit?: number;
  onProgress?: (p: { file: string; index: number; files: number; bytes: number; totalBytes: number }) => void;
  signal?: AbortSignal;
  /** Filled with where the time went, in milliseconds summed over the files (what the bench prints). */
  phases?: Record<string, number>;
  /**
   * Runs inside the import's transaction, once everything is stored: what must be written with the import or not
   * at all (its audit entries), so that no crash can leave one without the other.
   */
  withinCommit?: (reports: readonly ImportReport[]) => void;
}

export interface ImportOutcome {
  reports: ImportReport[];
  /** False when any file was refused: then nothing at all was written. */
  committed: boolean;
  platinum_version: string | null;
}

interface Prepared {
  report: ImportReport;
  store?: { id: string; interpretation: string; scan: FileScan; parsed: ParsedFile };
}

/** Adds the time since `started` to one phase of `phases`, when the caller asked for them. */
export function addPhase(phases: Record<string, number> | undefined, name: string, started: number): void {
  if (phases) phases[name] = (phases[name] ?? 0) + performance.now() - started;
}

const FREQUENCY_NAMES = { year: { es: 'años', en: 'years' }, month: { es: 'meses', en: 'months' }, term: { es: 'ciclos', en: 'terms' } } as const;

async function prepare(db: WritableDB, request: ImportRequest, pseudonymiser: Pseudonymiser, options: ImportOptions, onBytes: (bytes: number, total: number) => void, notation: Notation | null, lastFile: boolean): Promise<Prepared> {
  const limit = options.problemLimit ?? 20;
  const probe = await probeFile(request.file);
  const base: ImportReport = {
    file: request.name ?? path.basename(request.file),
    status: 'rejected',
    snapshot_id: null,
    encoding: probe.encodingLabel,
    delimiter: null,
    granularity: null,
    periods: [],
    rows_read: 0,
    rows_accepted: 0,
    rows_rejected: 0,
    classes: 0,
    problems: [],
    problem_count: 0,
    platinum_version: null,
    replaces_periods: [],
  };
  const outcome = await parseEnrolmentFile(request.file, probe, {
    fileName: base.file,
    mapping: request.mapping,
    period: request.period,
    ...(request.sheet !== undefined ? { sheet: request.sheet } : {}),
    notation,
    pseudonymiser,
    onProgress: (bytes) => onBytes(bytes, probe.byteSize),
    signal: options.signal,
    phases: options.phases,
    lastFile,
  });
  const scan = outcome.scan;
  base.encoding = scan.encodingLabel;
  if (!outcome.ok) {
    const { refused } = outcome;
    return { report: { ...base, delimiter: refused.delimiter, rows_read: refused.rowsRead, rows_rejected: refused.rowsRejected, problems: firstErrorsFirst(refused.problems, limit), problem_count: refused.problemCount } };
  }
  const parsed = outcome.parsed;
  const loaded = new Set(periodOwners(db).keys());
  // The same workbook read from another sheet is another snapshot; a text file's identity is as it always was.
  const interpretation = interpretationOf(parsed.sheet === null ? { mapping: parsed.mapping } : { mapping: parsed.mapping, sheet: parsed.sheet });
  const id = rawSnapshotId(scan.sha256, interpretation);
  const report: ImportReport = {
    ...base,
    status: findRawSnapshot(db, id) ? 'already_imported' : 'imported',
    snapshot_id: id,
    delimiter: parsed.delimiter,
    granularity: parsed.granularity,
    periods: [...new Set(parsed.classes.map((c) => c.period))].sort().map((p) => formatPeriod(p, parsed.periodStyle)),
    rows_read: parsed.rowsRead,
    rows_accepted: parsed.rowsAccepted,
    rows_rejected: parsed.rowsRejected,
    classes: parsed.classes.length,
    problems: firstErrorsFirst(parsed.problems, limit),
    problem_count: parsed.problemCount,
    replaces_periods: [...new Set(parsed.classes.map((c) => c.period))].filter((p) => loaded.has(p)).sort().map((p) => formatPeriod(p, parsed.periodStyle)),
  };
  return report.status === 'imported' ? { report, store: { id, interpretation, scan, parsed } } : { report };
}

/** Refuses a file whose periods are not written like the data already there (or earlier in the same batch). */
function checkNotation(prepared: Prepared[], existing: Notation | null): void {
  let reference = existing ? { ...existing, example: formatPeriod(existing.example, existing.period_style) } : null;
  for (const p of prepared) {
    if (!p.store) continue;
    const { parsed } = p.store;
    if (!reference) {
      reference = { frequency: parsed.frequency, period_style: parsed.periodStyle, example: p.report.periods[0] ?? '' };
      continue;
    }
    if (reference.frequency !== parsed.frequency || styleFamily(reference.period_style) !== styleFamily(parsed.periodStyle)) {
      const mismatch = problems.frequencyMismatch(parsed.source, parsed.firstDataLine, p.report.periods[0] ?? '', FREQUENCY_NAMES[parsed.frequency], FREQUENCY_NAMES[reference.frequency], reference.example);
      p.report = { ...p.report, status: 'rejected', snapshot_id: null, problems: [mismatch], problem_count: 1 };
      delete p.store;
    }
  }
}

/**
 * Imports files as immutable raw snapshots and derives the next platinum version. All files are read and checked
 * first; only if every one is acceptable is anything written, in one transaction. A refused file, a cancel or a
 * crash leaves the database exactly as it was.
 */
export async function importFiles(db: WritableDB, requests: readonly ImportRequest[], options: ImportOptions): Promise<ImportOutcome> {
  const pseudonymiser = new Pseudonymiser(options.key);
  try {
    return await importWith(db, requests, options, pseudonymiser);
  } finally {
    await pseudonymiser.close();
  }
}

async function importWith(db: WritableDB, requests: readonly ImportRequest[], options: ImportOptions, pseudonymiser: Pseudonymiser): Promise<ImportOutcome> {
  const prepared: Prepared[] = [];
  const notation = notationInUse(db);
  for (const [index, request] of requests.entries()) {
    const onBytes = (bytes: number, totalBytes: number) => options.onProgress?.({ file: request.name ?? path.basename(request.file), index, files: requests.length, bytes, totalBytes });
    prepared.push(await prepare(db, request, pseudonymiser, options, onBytes, notation, index === requests.length - 1));
    if (options.signal?.aborted) {
      throw new UserError({ es: 'Importación cancelada: no se guardó nada.', en: 'Import cancelled: nothing was stored.' }, 'failed');
    }
  }
  checkNotation(prepared, notation);
  const reports = prepared.map((p) => p.report);
  if (options.dryRun || reports.some((r) => r.status === 'rejected')) return { reports, committed: false, platinum_version: null };

  const students = prepared.some((p) => p.store?.parsed.granularity === 'student');
  if (students && !keyMatchesDatabase(db, options.key)) {
    for (const r of reports.filter((r) => r.granularity === 'student')) {
      r.problems.push(problems.keyChanged(r.file));
      r.problem_count++;
    }
  }
  // A cancel that arrived while the last file was closed still stops it: past this line nothing waits.
  options.signal?.throwIfAborted();
  const writeStarted = performance.now();
  const platinum = db.transaction(() => {
    // The rosters go last: they are what needs the pseudonyms, which the id thread hashes while the rest is written.
    let started = performance.now();
    const stored = prepared.flatMap((p) => (p.store ? [{ ...p.store, firstClassId: storeRawSnapshot(db, p.store.id, p.store.interpretation, p.store.scan, p.store.parsed) }] : []));
    if (students) recordKey(db, options.key);
    addPhase(options.phases, 'store', started);
    started = performance.now();
    let pseudonyms: Buffer | null = null;
    const justStored = { files: new Map(stored.map((s) => [s.id, s.parsed] as const)), pseudonyms: () => (pseudonyms ??= pseudonymiser.pseudonyms()) };
    const made = ensurePlatinum(db, justStored);
    addPhase(options.phases, 'platinum', started);
    if (students) {
      started = performance.now();
      justStored.pseudonyms();
      addPhase(options.phases, 'hash_wait', started);
      started = performance.now();
      for (const s of stored) if (s.parsed.members) storeRosters(db, s.firstClassId, s.parsed.members, justStored.pseudonyms());
      addPhase(options.phases, 'rosters', started);
    }
    options.withinCommit?.(reports);
    return made;
  })();
  if (options.phases) {
    const inside = ['store', 'platinum', 'hash_wait', 'rosters'].reduce((sum, phase) => sum + (options.phases![phase] ?? 0), 0);
    addPhase(options.phases, 'commit', writeStarted + inside);
  }
  const platinumVersion = platinum?.id ?? null;
  for (const r of reports) r.platinum_version = platinumVersion;
  return { reports, committed: true, platinum_version: platinumVersion };
}
