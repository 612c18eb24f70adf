import path from 'node:path';
import type { CanonicalField } from '../../../shared/fields';
import { CLASS_FIELDS } from '../../../shared/fields';
import type { ColumnMapping } from '../../../shared/mapping';
import type { ImportProblem } from '../../../shared/problems';
import type { Granularity, PeriodFrequency } from '../../../shared/reports';
import type { FieldReader } from './columns';
import { readField, resolveMapping } from './columns';
import { readCount } from './counts';
import type { FileScan } from './encoding';
import type { PeriodReading, PeriodStyle } from './periods';
import { canonicalPeriod, readPeriod, resolveFileNotation } from './periods';
import { problems } from './problems';
import type { Pseudonymiser } from './pseudonymise';
import { readCsv } from './read-csv';

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
  /** Student pseudonyms, 16 bytes each, with the index in `classes` of the class each one is enrolled in. */
  enrolments: { classIndex: Int32Array; students: Buffer; count: number };
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
  mapping?: ColumnMapping;
  period?: string;
  pseudonymiser: Pseudonymiser;
  onProgress?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

const KEPT_PROBLEMS = 500;

/** Labels are compared as people read them: a line break or double space inside a cell is one space. */
function cleanLabel(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

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

class EnrolmentBuffer {
  classIndex = new Int32Array(1024);
  students = Buffer.alloc(1024 * 16);
  count = 0;
  push(classIdx: number, student: Buffer): void {
    if (this.count === this.classIndex.length) {
      const bigger = new Int32Array(this.classIndex.length * 2);
      bigger.set(this.classIndex);
      this.classIndex = bigger;
      const biggerStudents = Buffer.alloc(this.students.length * 2);
      this.students.copy(biggerStudents);
      this.students = biggerStudents;
    }
    this.classIndex[this.count] = classIdx;
    student.copy(this.students, this.count * 16);
    this.count++;
  }
}

/**
 * Reads and validates a whole file in one streaming pass. Nothing is written here: the caller stores the
 * result only when it has no errors, so a refused file leaves the database exactly as it was.
 */
export async function parseEnrolmentFile(file: string, scan: FileScan, options: ParseOptions): Promise<ParseOutcome> {
  const fileName = path.basename(file);
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
  let granularity: Granularity = 'class';
  let headerOk = false;
  let rowsRead = 0;
  let rowsAccepted = 0;
  let rowsRejected = 0;

  const classIndexByKey = new Map<string, number>();
  const classes: (ParsedClass & { rawPeriod: string; firstLine: number })[] = [];
  const seenEnrolments = new Set<string>();
  const enrolments = new EnrolmentBuffer();
  let duplicateStudents = 0;
  let firstDuplicateStudentLine = 0;
  const periodReadings = new Map<string, { reading: PeriodReading; line: number }>();

  const onHeader = (h: string[], d: string) => {
    headers = h;
    delimiter = d;
    const resolved = resolveMapping(headers, options.mapping, options.period);
    readers = resolved.readers;
    mapping = resolved.mapping;
    for (const column of resolved.unknownColumns) log.add(problems.unknownColumn(fileName, column, headers));
    for (const field of CLASS_FIELDS) if (!readers[field]) log.add(problems.missingField(fileName, field, headers));
    if (!readers.ALUMNOS && !readers.ID_ALUMNO) log.add(problems.noCountColumn(fileName, headers));
    granularity = readers.ALUMNOS ? 'class' : 'student';
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
    const values: Partial<Record<CanonicalField, string>> = {};
    for (const field of CLASS_FIELDS) {
      const value = cleanLabel(readField(readers[field]!, fields));
      if (value === '') log.add(problems.emptyValue(fileName, line, columnOf(field)));
      values[field] = value;
    }
    const rawPeriod = values.PERIODO!;
    if (rawPeriod !== '' && !periodReadings.has(rawPeriod)) {
      const reading = readPeriod(rawPeriod);
      if (reading) periodReadings.set(rawPeriod, { reading, line });
      else log.add(problems.badPeriod(fileName, line, columnOf('PERIODO'), rawPeriod));
    }
    let count = 1;
    let student: Buffer | null = null;
    if (granularity === 'class') {
      const raw = readField(readers.ALUMNOS!, fields);
      const reading = readCount(raw, delimiter);
      if (reading.ok) count = reading.value;
      else log.add(problems.badCount(fileName, line, columnOf('ALUMNOS'), raw, reading.reason));
    } else {
      const rawId = readField(readers.ID_ALUMNO!, fields).trim();
      if (rawId === '') log.add(problems.emptyValue(fileName, line, columnOf('ID_ALUMNO')));
      else student = options.pseudonymiser.pseudonym(rawId);
    }
    if (log.errors > before) {
      rowsRejected++;
      return;
    }
    rowsAccepted++;
    if (log.errors > 0) return; // the file is refused already: keep validating, stop aggregating

    const key = `${rawPeriod}\u0001${values.SEDE}\u0001${values.CURSO_ACTUAL}\u0001${values.HORARIO_ACTUAL}`;
    let index = classIndexByKey.get(key);
    if (index === undefined) {
      index = classes.length;
      classIndexByKey.set(key, index);
      classes.push({ rawPeriod, period: '', site: values.SEDE!, course: values.CURSO_ACTUAL!, schedule: values.HORARIO_ACTUAL!, students: 0, sourceRows: 0, firstLine: line });
    } else if (granularity === 'class') {
      log.add(problems.duplicateClass(fileName, line, classes[index]!.firstLine));
    }
    const cls = classes[index]!;
    cls.sourceRows++;
    if (student) {
      const dedupeKey = `${index}:${student.toString('latin1')}`;
      if (seenEnrolments.has(dedupeKey)) {
        if (duplicateStudents++ === 0) firstDuplicateStudentLine = line;
        return;
      }
      seenEnrolments.add(dedupeKey);
      enrolments.push(index, student);
    }
    cls.students += count;
  };

  const { records } = await readCsv(file, scan.encoding, { onHeader, onRecord, onProgress: options.onProgress, signal: options.signal });
  if (headers.length === 0) log.add(problems.emptyFile(fileName));
  else if (headerOk && records === 0) log.add(problems.noRows(fileName));
  if (duplicateStudents > 0) log.add(problems.duplicateStudents(fileName, firstDuplicateStudentLine, duplicateStudents));

  const readings = [...periodReadings.values()].sort((a, b) => a.line - b.line);
  const notation = readings.length > 0 ? resolveFileNotation(readings.map((r) => r.reading)) : null;
  if (readings.length > 0 && !notation) {
    const first = readings[0]!;
    const other = readings.find((r) => r.reading.frequency !== first.reading.frequency || r.reading.style !== first.reading.style) ?? readings[1]!;
    const raw = (r: typeof first) => [...periodReadings.entries()].find(([, v]) => v === r)![0];
    log.add(problems.mixedPeriods(fileName, { line: first.line, value: raw(first) }, { line: other.line, value: raw(other) }, readers.PERIODO?.label ?? 'PERIODO'));
  }
  if (log.errors > 0 || !notation) return log.refuse(headers.length > 0 ? delimiter : null, rowsRead, rowsRejected);

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
    enrolments: { classIndex: enrolments.classIndex, students: enrolments.students, count: enrolments.count },
    rowsRead,
    rowsAccepted,
    rowsRejected,
    problems: log.kept,
    problemCount: log.total,
  };
  return { ok: true, parsed };
}
