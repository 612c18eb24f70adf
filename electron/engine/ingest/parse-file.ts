import type { CanonicalField } from '../../../shared/fields';
import { CLASS_FIELDS } from '../../../shared/fields';
import type { ColumnMapping } from '../../../shared/mapping';
import type { ImportProblem } from '../../../shared/problems';
import type { Granularity, PeriodFrequency } from '../../../shared/reports';
import type { PeriodReading, PeriodStyle } from '../domain/periods';
import { canonicalPeriod, readPeriod, resolveFileNotation } from '../domain/periods';
import { PSEUDONYM_BYTES } from '../domain/pseudonyms';
import type { FieldReader } from './columns';
import { fieldGetter, normaliseHeader, resolveMapping } from './columns';
import { readCount } from './counts';
import type { FileScan } from './encoding';
import { problems } from './problems';
import type { Pseudonymiser } from './pseudonymise';
import { readCsv } from './read-csv';
import { EnrolmentCollector } from './rosters';

export interface ParsedClass {
  period: string;
  site: string;
  course: string;
  schedule: string;
  students: number;
  sourceRows: number;
}

export interface ParsedFile {
  fileName: string;
  delimiter: string;
  granularity: Granularity;
  frequency: PeriodFrequency;
  periodStyle: PeriodStyle;
  mapping: ColumnMapping;
  classes: ParsedClass[];
  /** For a student-level file, each class's roster (see EnrolmentCollector); null for a file of counts. */
  rosters: (Buffer | null)[] | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  problems: ImportProblem[];
  problemCount: number;
}

export interface RefusedFile {
  delimiter: string | null;
  rowsRead: number;
  rowsRejected: number;
  problems: ImportProblem[];
  problemCount: number;
}

export type ParseOutcome = { ok: true; parsed: ParsedFile } | { ok: false; refused: RefusedFile };

export interface ParseOptions {
  /** How the file is named in reports and problems. */
  fileName: string;
  mapping?: ColumnMapping;
  period?: string;
  pseudonymiser: Pseudonymiser;
  onProgress?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

const KEPT_PROBLEMS = 500;

/**
 * The distinct values of one column, each cleaned once and numbered. Labels are compared as people read them
 * (a line break or double space inside a cell is one space), and a file repeats the same few labels on every
 * row, so rows carry small numbers instead of strings.
 */
class LabelTable {
  private readonly ids = new Map<string, number>();
  private readonly cleanIds = new Map<string, number>([['', 0]]);
  readonly labels: string[] = [''];
  /** Every blank cell cleans to the empty label, which is always id 0. */
  readonly emptyId = 0;
  id(raw: string): number {
    let id = this.ids.get(raw);
    if (id === undefined) {
      const clean = raw.replace(/\s+/g, ' ').trim();
      id = this.cleanIds.get(clean);
      if (id === undefined) {
        id = this.labels.length;
        this.labels.push(clean);
        this.cleanIds.set(clean, id);
      }
      this.ids.set(raw, id);
    }
    return id;
  }
}

/** Up to 2^21 distinct labels per column and file: two labels' ids fit one exact JavaScript number. */
const LABEL_ID_SPAN = 2 ** 21;

class ProblemLog {
  readonly kept: ImportProblem[] = [];
  total = 0;
  errors = 0;
  add(p: ImportProblem): void {
    this.total++;
    if (p.severity === 'error') this.errors++;
    if (this.kept.length < KEPT_PROBLEMS) this.kept.push(p);
  }
  refuse(delimiter: string | null, rowsRead: number, rowsRejected: number): ParseOutcome {
    return { ok: false, refused: { delimiter, rowsRead, rowsRejected, problems: this.kept, problemCount: this.total } };
  }
}

/**
 * Reads and validates a whole file in one streaming pass. Nothing is written here: the caller stores the
 * result only when it has no errors, so a refused file leaves the database exactly as it was.
 */
export async function parseEnrolmentFile(file: string, scan: FileScan, options: ParseOptions): Promise<ParseOutcome> {
  const fileName = options.fileName;
  const log = new ProblemLog();
  if (scan.byteSize === 0) {
    log.add(problems.emptyFile(fileName));
    return log.refuse(null, 0, 0);
  }
  if (scan.looksBinary) {
    log.add(problems.binaryFile(fileName));
    return log.refuse(null, 0, 0);
  }

  let headers: string[] = [];
  let delimiter = ',';
  let readers: Partial<Record<CanonicalField, FieldReader>> = {};
  let mapping: ColumnMapping = {};
  let granularity = 'class' as Granularity;
  let headerOk = false;
  let rowsRead = 0;
  let rowsAccepted = 0;
  let rowsRejected = 0;

  const classIndexByKey = new Map<number, Map<number, number>>();
  const classes: (ParsedClass & { rawPeriod: string; firstLine: number })[] = [];
  const columns = { PERIODO: new LabelTable(), SEDE: new LabelTable(), CURSO_ACTUAL: new LabelTable(), HORARIO_ACTUAL: new LabelTable() };
  const enrolments = new EnrolmentCollector();
  let duplicateClasses = 0;
  let firstDuplicateClass = { line: 0, firstLine: 0 };
  const periodReadings = new Map<string, { reading: PeriodReading; line: number }>();

  type Getter = (record: readonly string[]) => string;
  let get: { period: Getter; site: Getter; course: Getter; schedule: Getter; amount: Getter } | null = null;

  const onHeader = (h: string[], d: string) => {
    headers = h;
    delimiter = d;
    const resolved = resolveMapping(headers, options.mapping, options.period);
    readers = resolved.readers;
    mapping = resolved.mapping;
    // Predictions imported as actuals would quietly teach the model its own guesses.
    if (!options.mapping?.ALUMNOS && headers.some((h) => normaliseHeader(h) === 'predict_alumnos')) log.add(problems.forecastFile(fileName));
    for (const column of resolved.unknownColumns) log.add(problems.unknownColumn(fileName, column, headers));
    for (const field of CLASS_FIELDS) if (!readers[field]) log.add(problems.missingField(fileName, field, headers));
    if (!readers.ALUMNOS && !readers.ID_ALUMNO) log.add(problems.noCountColumn(fileName, headers));
    granularity = readers.ALUMNOS ? 'class' : 'student';
    const amount = readers.ALUMNOS ?? readers.ID_ALUMNO;
    if (readers.PERIODO && readers.SEDE && readers.CURSO_ACTUAL && readers.HORARIO_ACTUAL && amount) {
      get = {
        period: fieldGetter(readers.PERIODO),
        site: fieldGetter(readers.SEDE),
        course: fieldGetter(readers.CURSO_ACTUAL),
        schedule: fieldGetter(readers.HORARIO_ACTUAL),
        amount: fieldGetter(amount),
      };
    }
    headerOk = log.errors === 0;
  };

  const columnOf = (field: CanonicalField) => readers[field]!.label;

  const onRecord = (fields: string[], line: number) => {
    rowsRead++;
    if (!headerOk) return;
    const before = log.errors;
    if (fields.length !== headers.length) {
      const extrasEmpty = fields.length > headers.length && fields.slice(headers.length).every((f) => f.trim() === '');
      if (!extrasEmpty) {
        log.add(problems.fieldCount(fileName, line, fields.length, headers.length));
        rowsRejected++;
        return;
      }
    }
    const ids = {
      PERIODO: columns.PERIODO.id(get!.period(fields)),
      SEDE: columns.SEDE.id(get!.site(fields)),
      CURSO_ACTUAL: columns.CURSO_ACTUAL.id(get!.course(fields)),
      HORARIO_ACTUAL: columns.HORARIO_ACTUAL.id(get!.schedule(fields)),
    };
    for (const field of CLASS_FIELDS) if (ids[field] === columns[field].emptyId) log.add(problems.emptyValue(fileName, line, columnOf(field)));
    const rawPeriod = columns.PERIODO.labels[ids.PERIODO]!;
    if (rawPeriod !== '' && !periodReadings.has(rawPeriod)) {
      const reading = readPeriod(rawPeriod);
      if (reading) periodReadings.set(rawPeriod, { reading, line });
      else log.add(problems.badPeriod(fileName, line, columnOf('PERIODO'), rawPeriod));
    }
    let count = 1;
    let student = -1;
    if (granularity === 'class') {
      const raw = get!.amount(fields);
      const reading = readCount(raw, delimiter);
      if (reading.ok) count = reading.value;
      else log.add(problems.badCount(fileName, line, columnOf('ALUMNOS'), raw, reading.reason));
    } else {
      const rawId = get!.amount(fields).trim();
      if (rawId === '') log.add(problems.emptyValue(fileName, line, columnOf('ID_ALUMNO')));
      else student = options.pseudonymiser.ordinal(rawId);
    }
    if (log.errors > before) {
      rowsRejected++;
      return;
    }
    rowsAccepted++;
    if (log.errors > 0) return; // the file is refused already: keep validating, stop aggregating

    const where = ids.PERIODO * LABEL_ID_SPAN + ids.SEDE;
    const what = ids.CURSO_ACTUAL * LABEL_ID_SPAN + ids.HORARIO_ACTUAL;
    let byWhat = classIndexByKey.get(where);
    if (!byWhat) classIndexByKey.set(where, (byWhat = new Map()));
    let index = byWhat.get(what);
    if (index === undefined) {
      index = classes.length;
      byWhat.set(what, index);
      const label = (field: keyof typeof ids) => columns[field].labels[ids[field]]!;
      classes.push({ rawPeriod, period: '', site: label('SEDE'), course: label('CURSO_ACTUAL'), schedule: label('HORARIO_ACTUAL'), students: 0, sourceRows: 0, firstLine: line });
    } else if (granularity === 'class' && duplicateClasses++ === 0) {
      firstDuplicateClass = { line, firstLine: classes[index]!.firstLine };
    }
    const cls = classes[index]!;
    cls.sourceRows++;
    if (student >= 0) enrolments.add(index, student, line);
    else cls.students += count;
  };

  const { records, aborted } = await readCsv(file, scan.encoding, { onHeader, onRecord, onProgress: options.onProgress, signal: options.signal });
  // Cancelled part-way: what was read is not the file, so nothing below may judge it (or hash its students).
  if (aborted) throw new DOMException('Import cancelled', 'AbortError');
  if (headers.length === 0) log.add(problems.emptyFile(fileName));
  else if (headerOk && records === 0) log.add(problems.noRows(fileName));
  if (duplicateClasses > 0) log.add(problems.duplicateClasses(fileName, firstDuplicateClass.line, firstDuplicateClass.firstLine, duplicateClasses));

  const readings = [...periodReadings.values()].sort((a, b) => a.line - b.line);
  const notation = readings.length > 0 ? resolveFileNotation(readings.map((r) => r.reading)) : null;
  if (readings.length > 0 && !notation) {
    const first = readings[0]!;
    const other = readings.find((r) => r.reading.frequency !== first.reading.frequency || r.reading.style !== first.reading.style) ?? readings[1]!;
    const raw = (r: typeof first) => [...periodReadings.entries()].find(([, v]) => v === r)![0];
    log.add(problems.mixedPeriods(fileName, { line: first.line, value: raw(first) }, { line: other.line, value: raw(other) }, readers.PERIODO?.label ?? 'PERIODO'));
  }
  if (log.errors > 0 || !notation) return log.refuse(headers.length > 0 ? delimiter : null, rowsRead, rowsRejected);

  let rosters: (Buffer | null)[] | null = null;
  if (granularity === 'student') {
    await options.pseudonymiser.finish();
    const grouped = enrolments.rosters(classes.length, options.pseudonymiser);
    rosters = grouped.rosters;
    classes.forEach((cls, i) => (cls.students = (grouped.rosters[i]?.length ?? 0) / PSEUDONYM_BYTES));
    if (grouped.duplicates > 0) log.add(problems.duplicateStudents(fileName, grouped.firstDuplicateLine, grouped.duplicates));
  }
  for (const cls of classes) {
    const reading = periodReadings.get(cls.rawPeriod)!.reading;
    const frequency = notation.reinterpretTermsAsMonths ? 'month' : reading.frequency;
    cls.period = canonicalPeriod({ year: reading.year, slot: reading.slot, frequency });
  }
  const parsed: ParsedFile = {
    fileName,
    delimiter,
    granularity,
    frequency: notation.frequency,
    periodStyle: notation.style,
    mapping,
    classes: classes.map(({ period, site, course, schedule, students, sourceRows }) => ({ period, site, course, schedule, students, sourceRows })),
    rosters,
    rowsRead,
    rowsAccepted,
    rowsRejected,
    problems: log.kept,
    problemCount: log.total,
  };
  return { ok: true, parsed };
}
