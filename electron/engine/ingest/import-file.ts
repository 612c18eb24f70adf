import path from 'node:path';
import type { ColumnMapping } from '../../../shared/mapping';
import type { ImportReport } from '../../../shared/reports';
import type { WritableDB } from '../db/types';
import { UserError } from '../errors';
import { findRawSnapshot, interpretationOf, latestNotation, rawSnapshotId, storeRawSnapshot } from '../snapshots/raw';
import { ensurePlatinum } from '../snapshots/platinum';
import { scanFile } from './encoding';
import { parseEnrolmentFile } from './parse-file';
import { formatPeriod, styleFamily } from './periods';
import { firstErrorsFirst, problems } from './problems';
import type { PseudonymKey } from './pseudonymise';
import { Pseudonymiser, keyMatchesDatabase, recordKey } from './pseudonymise';

export interface ImportOptions {
  mapping?: ColumnMapping;
  period?: string;
  key: PseudonymKey;
  /** How many problems the report lists (all are counted). */
  problemLimit?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const FREQUENCY_NAMES = { year: 'años / years', month: 'meses / months', term: 'ciclos / terms' } as const;

/**
 * Imports one file as an immutable raw snapshot and derives the next platinum version, all in one transaction:
 * either the file is stored whole and the data moves on, or (bad input, cancel) the database is left as it was.
 */
export async function importFile(db: WritableDB, file: string, options: ImportOptions): Promise<ImportReport> {
  const limit = options.problemLimit ?? 20;
  const scan = await scanFile(file);
  const base: ImportReport = {
    file: path.basename(file),
    status: 'rejected',
    snapshot_id: null,
    encoding: scan.encodingLabel,
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
  };

  const outcome = await parseEnrolmentFile(file, scan, {
    mapping: options.mapping,
    period: options.period,
    pseudonymiser: new Pseudonymiser(options.key),
    onProgress: (bytes) => options.onProgress?.(bytes, scan.byteSize),
    signal: options.signal,
  });
  if (options.signal?.aborted) {
    throw new UserError({ es: `Importación de ${base.file} cancelada: no se guardó nada.`, en: `Import of ${base.file} cancelled: nothing was stored.` }, 1);
  }
  if (!outcome.ok) {
    const { refused } = outcome;
    return {
      ...base,
      delimiter: refused.delimiter,
      rows_read: refused.rowsRead,
      rows_rejected: refused.rowsRejected,
      problems: firstErrorsFirst(refused.problems, limit),
      problem_count: refused.problemCount,
    };
  }

  const parsed = outcome.parsed;
  const interpretation = interpretationOf({ mapping: parsed.mapping });
  const id = rawSnapshotId(scan.sha256, interpretation);
  const periods = [...new Set(parsed.classes.map((c) => c.period))].sort();
  const report: ImportReport = {
    ...base,
    snapshot_id: id,
    delimiter: parsed.delimiter,
    granularity: parsed.granularity,
    periods: periods.map((p) => formatPeriod(p, parsed.periodStyle)),
    rows_read: parsed.rowsRead,
    rows_accepted: parsed.rowsAccepted,
    rows_rejected: parsed.rowsRejected,
    classes: parsed.classes.length,
    problems: firstErrorsFirst(parsed.problems, limit),
    problem_count: parsed.problemCount,
  };

  if (findRawSnapshot(db, id)) return { ...report, status: 'already_imported' };

  const existing = latestNotation(db);
  if (existing && (existing.frequency !== parsed.frequency || styleFamily(existing.period_style) !== styleFamily(parsed.periodStyle))) {
    const mismatch = problems.frequencyMismatch(report.file, report.periods[0] ?? '', FREQUENCY_NAMES[parsed.frequency], `${FREQUENCY_NAMES[existing.frequency]}, ${formatPeriod(existing.example, existing.period_style)}`);
    return { ...report, status: 'rejected', snapshot_id: null, rows_accepted: 0, problems: [mismatch], problem_count: 1 };
  }
  if (parsed.granularity === 'student' && !keyMatchesDatabase(db, options.key)) {
    report.problems.push(problems.keyChanged(report.file));
    report.problem_count++;
  }

  const platinum = db.transaction(() => {
    storeRawSnapshot(db, id, interpretation, scan, parsed);
    if (parsed.granularity === 'student') recordKey(db, options.key);
    return ensurePlatinum(db);
  })();
  return { ...report, status: 'imported', platinum_version: platinum?.id ?? null };
}
