import type { CanonicalField } from '../../../shared/fields';
import { CLASS_FIELDS } from '../../../shared/fields';
import type { ColumnMapping } from '../../../shared/mapping';
import type { ImportProblem } from '../../../shared/problems';
import type { Granularity, PeriodFrequency } from '../../../shared/reports';
import type { PeriodReading, PeriodStyle } from '../domain/periods';
import { canonicalPeriod, readPeriod, resolveFileNotation, styleFamily } from '../domain/periods';
import type { FieldReader } from './columns';
import { fieldGetter, normaliseHeader, resolveMapping } from './columns';
import { readCount } from './counts';
import type { FileScan } from './encoding';
import type { Source } from './problems';
import { MAX_COLUMNS, MAX_LABEL_CHARS, problems } from './problems';
import type { Pseudonymiser } from './pseudonymise';
import { MAX_ID_CHARS } from './pseudonymise';
import { readCsv } from './read-csv';
import type { CellDate } from './read-xlsx';
import { readXlsx } from './read-xlsx';
import type { Members } from './rosters';
import { EnrolmentCollector } from './rosters';
import { ole2Kind } from './workbook-file';

export interface ParsedClass {
  period: string;
  site: string;
  course: string;
  schedule: string;
  students: number;
  sourceRows: number;
  /** Its seats, where the file gives them (CAPACIDAD); null where no row of it does. */
  capacity: number | null;
}

export interface ParsedFile {
  fileName: string;
  /** Where its problems are: the file, or the workbook's sheet and header row. */
  source: Source;
  /** The sheet read, for a workbook; null for a text file. */
  sheet: string | null;
  /** Empty for a workbook. */
  delimiter: string;
  granularity: Granularity;
  frequency: PeriodFrequency;
  periodStyle: PeriodStyle;
  mapping: ColumnMapping;
  classes: ParsedClass[];
  /**
   * For a student-level file, each class's students as ordinals of the import's Pseudonymiser (class c's are
   * `students[starts[c]]` to `students[starts[c + 1] - 1]`): its rosters once the Pseudonymiser's pseudonyms are
   * in (see rostersOf), and what course transitions are counted from while the import is still in memory.
   */
  members: Members | null;
  /** The first line of data (where a problem about the whole file's periods points). */
  firstDataLine: number;
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

/** `scan` as read to the end: the bytes' hash, and the encoding they turned out to be in. */
export type ParseOutcome = ({ ok: true; parsed: ParsedFile } | { ok: false; refused: RefusedFile }) & { scan: FileScan };

export interface ParseOptions {
  /** How the file is named in reports and problems. */
  fileName: string;
  mapping?: ColumnMapping;
  period?: string;
  /** For a workbook: the sheet to read (the first shown when absent). Ignored for a text file. */
  sheet?: string;
  /**
   * How the data already imported writes its periods: a date cell in the period column becomes a period in that
   * notation (a date 2025-03-01 in a monthly dataset written 202501 is 202503).
   */
  notation?: { frequency: PeriodFrequency; period_style: PeriodStyle } | null;
  pseudonymiser: Pseudonymiser;
  onProgress?: (bytesRead: number) => void;
  signal?: AbortSignal;
  /** This is the import's last file: no student comes after its own (see Pseudonymiser.settle). */
  lastFile?: boolean;
  /** Filled with where the time went, in milliseconds (see ImportOptions). */
  phases?: Record<string, number>;
}

const KEPT_PROBLEMS = 500;

/** Rows of a file of students read before its number of rows is told from their length. */
const ROWS_SAMPLED = 2048;

/**
 * The distinct values of one column, each cleaned once and numbered. Labels are compared as people read them
 * (a line break or double space inside a cell is one space), and a file repeats the same few labels on every
 * row, so classes are found by small numbers instead of strings.
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
      const clean = own(raw.replace(/\s+/g, ' ').trim());
      id = this.cleanIds.get(clean);
      if (id === undefined) {
        id = this.labels.length;
        this.labels.push(clean);
        this.cleanIds.set(clean, id);
      }
      this.ids.set(own(raw), id);
    }
    return id;
  }
}

/**
 * A cell as a string of its own. Papaparse's cells are slices of the megabyte of text they were read from, and a
 * slice kept as a map key keeps that whole megabyte alive: kept cells are copied first.
 */
function own(cell: string): string {
  return cell.length < 13 ? cell : (' ' + cell).slice(1);
}

/** Up to 2^21 distinct labels per column and file: two labels' ids fit one exact JavaScript number. */
const LABEL_ID_SPAN = 2 ** 21;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

class ProblemLog {
  readonly kept: ImportProblem[] = [];
  total = 0;
  errors = 0;
  add(p: ImportProblem): void {
    this.total++;
    if (p.severity === 'error') this.errors++;
    if (this.kept.length < KEPT_PROBLEMS) this.kept.push(p);
  }
  refuse(delimiter: string | null, rowsRead: number, rowsRejected: number): { ok: false; refused: RefusedFile } {
    return { ok: false, refused: { delimiter, rowsRead, rowsRejected, problems: this.kept, problemCount: this.total } };
  }
}

/**
 * Reads and validates a whole file in one streaming pass, hashing its bytes on the way (`scan` is what probeFile
 * learnt from its first bytes). Bytes that turn out not to be UTF-8 are Windows-1252, what Excel on Spanish Windows
 * writes: the file is then read again as such. Nothing is written here: the caller stores the result only when it
 * has no errors, so a refused file leaves the database exactly as it was.
 */
export async function parseEnrolmentFile(file: string, scan: FileScan, options: ParseOptions): Promise<ParseOutcome> {
  const first = await parseOnce(file, scan, options);
  if (scan.container !== 'text' && first === NOT_UTF8) throw new Error('a workbook is not read as text');
  if (first !== NOT_UTF8) return first;
  const second = await parseOnce(file, { ...scan, encoding: 'windows1252', encodingLabel: 'Windows-1252' }, options);
  if (second === NOT_UTF8) throw new Error('Windows-1252 reads any bytes');
  return second;
}

const NOT_UTF8 = Symbol('not UTF-8');

/** (A function, so the type of a `let` assigned in callbacks is not narrowed to its first value.) */
const sheetOf = (src: Source): string | null => (typeof src === 'string' ? null : src.sheet);

async function parseOnce(file: string, probed: FileScan, options: ParseOptions): Promise<ParseOutcome | typeof NOT_UTF8> {
  const fileName = options.fileName;
  /** The file; for a workbook, once its sheet and header are known, the sheet and the header's row. */
  let src: Source = fileName;
  const log = new ProblemLog();
  const scan = { ...probed };
  const refuse = (delimiter: string | null, rowsRead: number, rowsRejected: number): ParseOutcome => ({ ...log.refuse(delimiter, rowsRead, rowsRejected), scan });
  if (scan.byteSize === 0) {
    log.add(problems.emptyFile(src));
    return refuse(null, 0, 0);
  }
  if (scan.container === 'ole2') {
    log.add((await ole2Kind(file)) === 'encrypted' ? problems.encryptedWorkbook(src) : problems.oldWorkbook(src));
    return refuse(null, 0, 0);
  }
  const workbook = scan.container === 'zip';
  if (scan.looksBinary && !workbook) {
    log.add(problems.binaryFile(src, scan.binaryLine));
    return refuse(null, 0, 0);
  }

  let headers: string[] = [];
  let delimiter = workbook ? '' : ',';
  let readers: Partial<Record<CanonicalField, FieldReader>> = {};
  let mapping: ColumnMapping = {};
  let granularity = 'class' as Granularity;
  let headerOk = false;
  let rowsRead = 0;
  let rowsAccepted = 0;
  let rowsRejected = 0;
  let firstDataLine = 0;
  /** The mapping's row filter, once the header is known; the rows it left out. */
  let filter = null as ReturnType<typeof resolveMapping>['filter'];
  let rowsFiltered = 0;

  /** Classes by their four raw cells as read (period, then site, course, schedule), and by their cleaned labels' ids. */
  const classByCells = new Map<string, Map<string, Map<string, Map<string, number>>>>();
  const classByLabels = new Map<number, Map<number, number>>();
  const classes: (ParsedClass & { rawPeriod: string; firstLine: number })[] = [];
  const columns = { PERIODO: new LabelTable(), SEDE: new LabelTable(), CURSO_ACTUAL: new LabelTable(), HORARIO_ACTUAL: new LabelTable() };
  const enrolments = new EnrolmentCollector();
  let duplicateClasses = 0;
  let firstDuplicateClass = { line: 0, firstLine: 0 };
  const periodReadings = new Map<string, { reading: PeriodReading; line: number }>();

  /** The period column, when it is one column of the file: where a workbook's date cells are periods. */
  let periodColumn = -1;
  /** Periods that were date cells, as written for this dataset; and the notation they are written in. */
  const datePeriods = new Set<string>();
  let dateStyle: PeriodStyle | null = null;

  type Getter = (record: readonly string[]) => string;
  let get: { period: Getter; site: Getter; course: Getter; schedule: Getter; amount: Getter; capacity: Getter | null } | null = null;

  const onHeader = (h: string[], d: string) => {
    headers = h;
    delimiter = d;
    if (headers.length > MAX_COLUMNS) {
      log.add(problems.tooManyColumns(src, headers.length));
      return;
    }
    const resolved = resolveMapping(headers, options.mapping, options.period);
    readers = resolved.readers;
    mapping = resolved.mapping;
    filter = resolved.filter;
    const period = readers.PERIODO;
    periodColumn = period?.kind === 'columns' && period.indexes.length === 1 ? period.indexes[0]! : -1;
    // Predictions imported as actuals would quietly teach the model its own guesses.
    if (!options.mapping?.ALUMNOS && headers.some((h) => normaliseHeader(h) === 'predict_alumnos')) log.add(problems.forecastFile(src));
    for (const column of resolved.unknownColumns) log.add(problems.unknownColumn(src, column, headers));
    for (const field of CLASS_FIELDS) if (!readers[field]) log.add(problems.missingField(src, field, headers));
    if (!readers.ALUMNOS && !readers.ID_ALUMNO) log.add(problems.noCountColumn(src, headers));
    granularity = readers.ALUMNOS ? 'class' : 'student';
    const amount = readers.ALUMNOS ?? readers.ID_ALUMNO;
    if (readers.PERIODO && readers.SEDE && readers.CURSO_ACTUAL && readers.HORARIO_ACTUAL && amount) {
      get = {
        period: fieldGetter(readers.PERIODO),
        site: fieldGetter(readers.SEDE),
        course: fieldGetter(readers.CURSO_ACTUAL),
        schedule: fieldGetter(readers.HORARIO_ACTUAL),
        amount: fieldGetter(amount),
        capacity: readers.CAPACIDAD ? fieldGetter(readers.CAPACIDAD) : null,
      };
    }
    headerOk = log.errors === 0;
  };

  const columnOf = (field: CanonicalField) => readers[field]!.label;

  /** Checks one label; false (with the problem logged) when it cannot be one. */
  const labelOk = (field: CanonicalField, label: string, line: number): boolean => {
    if (label === '') log.add(problems.emptyValue(src, line, columnOf(field)));
    else if (label.length > MAX_LABEL_CHARS) log.add(problems.valueTooLong(src, line, columnOf(field), label.length));
    else if (CONTROL.test(label)) log.add(problems.controlCharacter(src, line, columnOf(field), label));
    else return true;
    return false;
  };

  /**
   * The class of a row's four cells, seen for the first time: its labels checked and cleaned, found among the
   * classes with the same labels or added. -1 when a label is refused (the problems are logged; such cells are not
   * remembered, so every row that repeats them is named).
   */
  const classOf = (cells: Map<string, number>, period: string, site: string, course: string, schedule: string, line: number): number => {
    const ids = [columns.PERIODO.id(period), columns.SEDE.id(site), columns.CURSO_ACTUAL.id(course), columns.HORARIO_ACTUAL.id(schedule)] as const;
    let ok = true;
    let periodOk = true;
    CLASS_FIELDS.forEach((field, i) => {
      if (labelOk(field, columns[field].labels[ids[i]!]!, line)) return;
      ok = false;
      if (field === 'PERIODO') periodOk = false;
    });
    const rawPeriod = columns.PERIODO.labels[ids[0]]!;
    if (periodOk && !periodReadings.has(rawPeriod)) {
      const reading = readPeriod(rawPeriod);
      if (reading) periodReadings.set(rawPeriod, { reading, line });
      else {
        log.add(datePeriods.has(rawPeriod) ? problems.dateForTerm(src, line, columnOf('PERIODO'), rawPeriod) : problems.badPeriod(src, line, columnOf('PERIODO'), rawPeriod));
        ok = false;
      }
    }
    if (!ok) return -1;
    const where = ids[0] * LABEL_ID_SPAN + ids[1];
    const what = ids[2] * LABEL_ID_SPAN + ids[3];
    let byWhat = classByLabels.get(where);
    if (!byWhat) classByLabels.set(where, (byWhat = new Map()));
    let index = byWhat.get(what);
    if (index === undefined) {
      index = classes.length;
      byWhat.set(what, index);
      classes.push({ rawPeriod, period: '', site: columns.SEDE.labels[ids[1]]!, course: columns.CURSO_ACTUAL.labels[ids[2]]!, schedule: columns.HORARIO_ACTUAL.labels[ids[3]]!, students: 0, sourceRows: 0, capacity: null, firstLine: line });
    }
    cells.set(own(schedule), index);
    return index;
  };

  /** Characters of the first rows of a text file, from which its number of rows is told (see Pseudonymiser.expect). */
  let sampledChars = 0;
  const onRecord = (fields: string[], line: number, unclosedQuote: boolean) => {
    rowsRead++;
    if (firstDataLine === 0) firstDataLine = line;
    if (!headerOk) return;
    if (rowsRead <= ROWS_SAMPLED && granularity === 'student' && !workbook) {
      for (const f of fields) sampledChars += f.length + 1;
      if (rowsRead === ROWS_SAMPLED) options.pseudonymiser.expect(Math.ceil((scan.byteSize * ROWS_SAMPLED) / sampledChars));
    }
    if (unclosedQuote) {
      log.add(problems.unclosedQuote(src, line));
      rowsRejected++;
      return;
    }
    if (fields.length !== headers.length) {
      let extrasEmpty = fields.length > headers.length;
      for (let i = headers.length; extrasEmpty && i < fields.length; i++) extrasEmpty = fields[i]!.trim() === '';
      if (!extrasEmpty) {
        log.add(problems.fieldCount(src, line, fields.length, headers.length));
        rowsRejected++;
        return;
      }
    }
    if (filter && !filter.values.has((fields[filter.index] ?? '').trim())) {
      rowsFiltered++;
      return;
    }
    const g = get!;
    const period = g.period(fields);
    const site = g.site(fields);
    const course = g.course(fields);
    const schedule = g.schedule(fields);
    // Four small maps of the raw cells: a string key made of the four would cost more to build than these lookups.
    let bySite = classByCells.get(period);
    if (!bySite) classByCells.set(own(period), (bySite = new Map()));
    let byCourse = bySite.get(site);
    if (!byCourse) bySite.set(own(site), (byCourse = new Map()));
    let bySchedule = byCourse.get(course);
    if (!bySchedule) byCourse.set(own(course), (bySchedule = new Map()));
    let index = bySchedule.get(schedule);
    if (index === undefined) index = classOf(bySchedule, period, site, course, schedule, line);
    let count = 1;
    let idRow = -1;
    let ok = index >= 0;
    if (granularity === 'class') {
      const raw = g.amount(fields);
      const reading = readCount(raw, delimiter);
      if (reading.ok) count = reading.value;
      else {
        log.add(problems.badCount(src, line, columnOf('ALUMNOS'), raw, reading.reason));
        ok = false;
      }
    } else {
      const rawId = g.amount(fields);
      if (rawId.length > MAX_ID_CHARS && rawId.trim().length > MAX_ID_CHARS) {
        log.add(problems.valueTooLong(src, line, columnOf('ID_ALUMNO'), rawId.trim().length));
        ok = false;
      } else {
        idRow = options.pseudonymiser.row(rawId);
        if (idRow < 0) {
          log.add(problems.emptyValue(src, line, columnOf('ID_ALUMNO')));
          ok = false;
        }
      }
    }
    let capacity: number | null = null;
    if (g.capacity) {
      const raw = g.capacity(fields);
      const reading = readCount(raw, delimiter);
      if (reading.ok) capacity = reading.value;
      else if (reading.reason !== 'empty') {
        log.add(problems.badCapacity(src, line, columnOf('CAPACIDAD'), raw, reading.reason));
        ok = false;
      }
    }
    if (!ok) {
      rowsRejected++;
      return;
    }
    rowsAccepted++;
    if (log.errors > 0) return; // the file is refused already: keep validating, stop aggregating

    const cls = classes[index!]!;
    if (cls.sourceRows++ > 0 && granularity === 'class' && duplicateClasses++ === 0) firstDuplicateClass = { line, firstLine: cls.firstLine };
    if (idRow >= 0) enrolments.add(index!, idRow, line);
    else cls.students += count;
    // Rows of a class in a file of counts are parts of it (each with its own room); rows of a file of students all
    // repeat the one class's figure, so the largest written is the class's.
    if (capacity !== null) cls.capacity = cls.capacity === null ? capacity : granularity === 'class' ? cls.capacity + capacity : Math.max(cls.capacity, capacity);
  };

  const phase = (name: string, started: number) => {
    if (options.phases) options.phases[name] = (options.phases[name] ?? 0) + performance.now() - started;
  };
  /**
   * A date cell in the period column is the period of its month, written as the data already imported write
   * theirs (else as this file's first period, else 202503); a year's dataset takes its year. A date names no term.
   */
  const dateText = (column: number, date: CellDate): string | null => {
    if (column !== periodColumn) return null;
    dateStyle ??= options.notation?.period_style ?? periodReadings.values().next().value?.reading.style ?? 'yyyymm';
    const family = styleFamily(dateStyle);
    const month = String(date.month).padStart(2, '0');
    const text = family === 'year' ? String(date.year) : family === 'month' ? (dateStyle === 'yyyymm' ? `${date.year}${month}` : `${date.year}-${month}`) : date.text;
    datePeriods.add(text);
    return text;
  };

  const parseStarted = performance.now();
  let read: { records: number; aborted: boolean; blankRows: number; firstBlankLine: number; tooLongLine: number | null };
  if (workbook) {
    const headerScore = (cells: readonly string[]) => Object.values(resolveMapping(cells, options.mapping, undefined).readers).filter((r) => r.kind === 'columns' && r.indexes.every((i) => i >= 0)).length;
    const xlsx = await readXlsx(file, {
      ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
      headerScore,
      onSheet: (sheet) => (src = { file: fileName, sheet, headerRow: 1 }),
      onHeader: (h, row) => {
        if (typeof src !== 'string') src = { ...src, headerRow: row };
        onHeader(h, '');
      },
      onRecord: (fields, row) => onRecord(fields, row, false),
      dateText,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    scan.sha256 = xlsx.sha256;
    if (!xlsx.ok) {
      if (xlsx.reason === 'unknown_sheet') log.add(problems.unknownSheet(src, options.sheet ?? '', xlsx.sheets));
      else if (xlsx.reason === 'not_workbook') log.add(problems.notWorkbook(src));
      else if (xlsx.reason === 'no_sheets') log.add(problems.noSheets(src));
      else log.add(problems.corruptWorkbook(src));
      return refuse(null, 0, 0);
    }
    if (xlsx.formulasWithoutValue > 0) log.add(problems.formulasWithoutValue(src, xlsx.firstFormulaRow, xlsx.formulasWithoutValue));
    read = { records: xlsx.records, aborted: xlsx.aborted, blankRows: 0, firstBlankLine: 0, tooLongLine: null };
  } else {
    const csv = await readCsv(file, scan.encoding, { onHeader, onRecord, onProgress: options.onProgress, signal: options.signal, strictUtf8: scan.encodingLabel === 'UTF-8' });
    if (csv.notUtf8) return NOT_UTF8;
    scan.sha256 = csv.sha256;
    read = csv;
  }
  // Cancelled part-way: what was read is not the file, so nothing below may judge it (or hash its students).
  if (read.aborted) throw new DOMException('Import cancelled', 'AbortError');
  phase('parse', parseStarted);
  if (read.tooLongLine !== null) log.add(problems.recordTooLong(src, read.tooLongLine));
  if (headers.length === 0) {
    if (read.tooLongLine === null) log.add(problems.emptyFile(src));
  } else if (headerOk && read.records === 0 && read.tooLongLine === null) log.add(problems.noRows(src));
  if (read.blankRows > 0) log.add(problems.blankRows(src, read.firstBlankLine, read.blankRows));
  if (filter && rowsFiltered > 0) {
    if (rowsAccepted === 0 && rowsRejected === 0) log.add(problems.allFiltered(src, filter.label, filter.shown));
    else log.add(problems.filteredRows(src, filter.label, filter.shown, rowsFiltered));
  }
  if (duplicateClasses > 0) log.add(problems.duplicateClasses(src, firstDuplicateClass.line, firstDuplicateClass.firstLine, duplicateClasses));

  const readings = [...periodReadings.values()].sort((a, b) => a.line - b.line);
  const notation = readings.length > 0 ? resolveFileNotation(readings.map((r) => r.reading)) : null;
  if (readings.length > 0 && !notation) {
    const first = readings[0]!;
    const other = readings.find((r) => r.reading.frequency !== first.reading.frequency || r.reading.style !== first.reading.style) ?? readings[1]!;
    const raw = (r: typeof first) => [...periodReadings.entries()].find(([, v]) => v === r)![0];
    log.add(problems.mixedPeriods(src, { line: first.line, value: raw(first) }, { line: other.line, value: raw(other) }, readers.PERIODO?.label ?? 'PERIODO'));
  }
  if (log.errors > 0 || !notation) return refuse(headers.length > 0 ? delimiter : null, rowsRead, rowsRejected);

  let members: ParsedFile['members'] = null;
  if (granularity === 'student') {
    // Which student each row is; their pseudonyms are asked for only when the rosters are stored, and the id thread
    // hashes on meanwhile.
    let started = performance.now();
    await options.pseudonymiser.settle(options.lastFile);
    phase('ids_wait', started);
    started = performance.now();
    const grouped = enrolments.members(classes.length, options.pseudonymiser);
    phase('members', started);
    members = grouped.members;
    classes.forEach((cls, i) => (cls.students = grouped.members.starts[i + 1]! - grouped.members.starts[i]!));
    if (grouped.duplicates > 0) log.add(problems.duplicateStudents(src, grouped.firstDuplicateLine, grouped.duplicates));
  }
  for (const cls of classes) {
    const reading = periodReadings.get(cls.rawPeriod)!.reading;
    const frequency = notation.reinterpret ? notation.frequency : reading.frequency;
    cls.period = canonicalPeriod({ year: reading.year, slot: reading.slot, frequency });
  }
  const parsed: ParsedFile = {
    fileName,
    source: src,
    sheet: sheetOf(src),
    delimiter,
    granularity,
    frequency: notation.frequency,
    periodStyle: notation.style,
    mapping,
    classes: classes.map(({ period, site, course, schedule, students, sourceRows, capacity }) => ({ period, site, course, schedule, students, sourceRows, capacity })),
    members,
    firstDataLine,
    rowsRead,
    rowsAccepted,
    rowsRejected,
    problems: log.kept,
    problemCount: log.total,
  };
  return { ok: true, parsed, scan };
}
