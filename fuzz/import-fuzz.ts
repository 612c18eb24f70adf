/**
 * Fuzzing the import (#13): random and mutated CSV bytes, and Excel workbooks (.xlsx, written from random rows,
 * then some bytes mutated; old .xls and encrypted OLE2 files), through `importFiles` into one real SQLite database,
 * checking four properties of every input:
 *   - no crash: the import resolves (imported or refused); only a UserError may be thrown;
 *   - no hang: each input is done within a time bound;
 *   - every refusal is one sentence in Spanish and in English that names the file and the line (and the column
 *     where the problem has one);
 *   - a refused file changes nothing: a digest of every table is the same before and after.
 * Inputs are drawn with fast-check from a seed, so a failure can be replayed (`npm run fuzz -- --seed N`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { UserError } from '../electron/engine/errors';
import { importFiles } from '../electron/engine/snapshots/import-files';
import { databaseDigest, sharedDir, tempWorkspace } from '../electron/engine/testing/fixtures';
import type { Workspace } from '../electron/engine/workspace';
import type { ImportProblem } from '../shared/problems';

const DELIMITERS = [',', ';', '\t', '|'] as const;
const HEADERS = [
  ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'],
  ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ID_ALUMNO', 'NOMBRE'],
  ['Periodo', 'Sede', 'Curso', 'Horario', 'Matriculados'],
  ['term', 'campus', 'course', 'schedule', 'student_id'],
  ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS', 'ID_ALUMNO'],
  ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS'],
  ['a', 'b', 'c'],
];

/** Cells that mean something to the importer, and cells that break things. */
const cell: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('202401', '202402', '2024-03', '2024', '2024-II', '2024_fall', 'NORTE', 'Sur', 'BAS01', 'BAS02', 'LMV 19:00-21:00', '12', '0', '12,0', '1.234', 'A0001', '70123456') },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '-3', '12.5', 'doce', '99999999999999999999', '1e3', 'NaN', '=1+1', '""', '"', '\r', '\n', '\u0000', '\u0001', '\ufeff', '\ud800', 'Ñandú', 'ÁÉÍÓÚ', '😀', ',', ';', '\t', '|') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('N', 'x', ' ', ',', '"', '\n', 'é'), fc.integer({ min: 150, max: 300_000 })).map(([c, n]) => c.repeat(n)) },
);

function quote(value: string, delimiter: string, always: boolean): string {
  return always || value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r') ? `"${value.replaceAll('"', '""')}"` : value;
}

type Encoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom' | 'windows1252';

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]);
    case 'utf16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')]);
    case 'windows1252':
      return iconv.encode(text, 'windows1252');
  }
}

/** A CSV-shaped file: a header, rows of cells (some ragged), any delimiter, quoting, line ending and encoding. */
const structured: fc.Arbitrary<Buffer> = fc
  .record({
    header: fc.oneof(fc.constantFrom(...HEADERS), fc.array(cell, { minLength: 1, maxLength: 8 }), fc.integer({ min: 400, max: 1200 }).map((n) => Array.from({ length: n }, (_, i) => `C${i}`))),
    delimiter: fc.constantFrom(...DELIMITERS),
    newline: fc.constantFrom('\n', '\r\n', '\r'),
    quoteAll: fc.boolean(),
    rows: fc.array(fc.oneof({ weight: 8, arbitrary: fc.array(cell, { minLength: 0, maxLength: 8 }) }, { weight: 1, arbitrary: fc.constant(null) }), { maxLength: 30 }),
    blank: fc.constantFrom('', ',,,,', ';;;', '\t\t\t', ' | | ', '   '),
    encoding: fc.constantFrom<Encoding>('utf8', 'utf8', 'utf8', 'utf8-bom', 'utf16le-bom', 'utf16be-bom', 'windows1252'),
    trailingNewline: fc.boolean(),
  })
  .map(({ header, delimiter, newline, quoteAll, rows, blank, encoding, trailingNewline }) => {
    const line = (cells: readonly string[]) => cells.map((c) => quote(c, delimiter, quoteAll)).join(delimiter);
    // A null row is a line of separators or blanks; a row as wide as the header is the common case.
    const body = rows.map((r) => (r === null ? blank : line(r.length >= 3 ? [...r, ...Array<string>(Math.max(0, header.length - r.length)).fill('1')].slice(0, Math.max(r.length, header.length)) : r)));
    return encode([line(header), ...body].join(newline) + (trailingNewline ? newline : ''), encoding);
  });

/** A file that should import: good values, written in any of the ways exports write them, lines of separators between. */
const plausible: fc.Arbitrary<Buffer> = fc
  .record({
    students: fc.boolean(),
    delimiter: fc.constantFrom(...DELIMITERS),
    newline: fc.constantFrom('\n', '\r\n'),
    quoteAll: fc.boolean(),
    rows: fc.array(
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('NORTE', 'Sur', 'SEDE  CENTRO', 'Ñaña'), fc.constantFrom('BAS01', 'BAS02', 'INT01'), fc.constantFrom('LMV', 'MJ 19:00', 'SAB'), fc.integer({ min: 0, max: 40 }), fc.boolean()),
      { minLength: 1, maxLength: 40 },
    ),
    blank: fc.constantFrom(',,,,', ';;;;', '\t\t', '  ', '|||'),
    encoding: fc.constantFrom<Encoding>('utf8', 'utf8-bom', 'utf16le-bom', 'windows1252'),
  })
  .map(({ students, delimiter, newline, quoteAll, rows, blank, encoding }) => {
    const line = (cells: readonly string[]) => cells.map((c) => quote(c, delimiter, quoteAll)).join(delimiter);
    const header = students ? HEADERS[1]! : HEADERS[0]!;
    const body = rows.map(([month, site, course, schedule, n, blankAfter]) => {
      const row = line([`2024${String(month).padStart(2, '0')}`, site, course, schedule, students ? `a${n}` : String(n), ...(students ? ['Nombre, Apellido'] : [])]);
      return blankAfter ? `${row}${newline}${blank}` : row;
    });
    return encode([line(header), ...body].join(newline) + newline, encoding);
  });

/** Bytes with no shape at all, sometimes behind a header that looks right. */
const randomBytes: fc.Arbitrary<Buffer> = fc
  .tuple(fc.boolean(), fc.uint8Array({ maxLength: 4096 }))
  .map(([withHeader, bytes]) => Buffer.concat([withHeader ? Buffer.from('PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS\n') : Buffer.alloc(0), Buffer.from(bytes)]));

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'huge'; at: number; text: string; times: number }
  | { kind: 'append'; text: string; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constantFrom(...[',', ';', '\t', '|', '"', '\n', '\r\n', '\u0000', '\xff\xfe', '""', ',,,,\n'].map((s) => Buffer.from(s, 'latin1')))) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), text: fc.constantFrom('N', ',', '"', 'é', '\t'), times: fc.integer({ min: 201, max: 1_200_000 }) }),
  fc.record({ kind: fc.constant('append' as const), text: fc.constantFrom(',,,,\n', ';;;;\r\n', '\t\t\t\n', '   \n', '\n', '202401,NORTE,BAS01,LMV,12\n', '"\n'), times: fc.integer({ min: 1, max: 50 }) }),
);

function mutate(original: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = original;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : 'at' in m ? m.at % (b.length + 1) : 0;
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) {
          b = Buffer.from(b);
          b[at % b.length] = m.byte;
        }
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at, at + m.length), b.subarray(at + m.length)]);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'huge':
        b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text.repeat(m.times)), b.subarray(at)]);
        break;
      case 'append':
        b = Buffer.concat([b, Buffer.from(m.text.repeat(m.times))]);
        break;
    }
  }
  return b;
}

function corpusFiles(): { name: string; bytes: Buffer }[] {
  const dir = path.join(sharedDir(), 'corpus');
  return fs
    .readdirSync(dir)
    .filter((f) => !['README.md', 'expect.tsv'].includes(f))
    .sort()
    .map((name) => ({ name, bytes: fs.readFileSync(path.join(dir, name)) }));
}

/** What a workbook's cells may be: the CSV cells, and what only a spreadsheet has (numbers, dates, formulas, errors). */
const xlsxCell: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: cell },
  { weight: 2, arbitrary: fc.constantFrom(202401, 202402, 2024, 12, 0, 12.5, -3, 1e21, 70123456, true, null) },
  { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 3_000_000 }).map((days) => new Date(days * 86_400_000)) },
  { weight: 1, arbitrary: fc.constantFrom({ formula: '1+1', result: 2 }, { formula: 'A1' }, { formula: 'X', result: 'NORTE' }, { error: '#N/A' }, { richText: [{ text: 'BA' }, { text: 'S01' }] }) },
);

/**
 * Workbook seeds, written once per run (exceljs writes asynchronously; the draw is synchronous): a title block or
 * not, a header, rows of cells, one to three sheets, by the whole-book or the streaming writer.
 */
export async function workbookSeeds(seed: number, count: number): Promise<Buffer[]> {
  // Half of them should import: good rows, the period a date, a number or text, the count a number or text.
  const goodRow = fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom('NORTE', 'Sur', 'Ñaña'), fc.constantFrom('BAS01', 'BAS02', 'INT01'), fc.constantFrom('LMV', 'SAB'), fc.integer({ min: 0, max: 40 }), fc.boolean())
    .map(([month, as, site, course, schedule, n, textCount]) => [[new Date(Date.UTC(2024, month - 1, 1 + (n % 28))), 202400 + month, `2024${String(month).padStart(2, '0')}`][as], site, course, schedule, textCount ? String(n) : n]);
  const shape = fc.record({
    title: fc.boolean(),
    header: fc.oneof(fc.constantFrom(...HEADERS), fc.array(cell, { minLength: 1, maxLength: 6 })),
    rows: fc.oneof(fc.array(fc.array(xlsxCell, { maxLength: 7 }), { maxLength: 25 }), fc.array(goodRow, { minLength: 1, maxLength: 25 })),
    sheets: fc.integer({ min: 1, max: 3 }),
    streaming: fc.boolean(),
  });
  const seeds: Buffer[] = [];
  for (const s of fc.sample(shape, { numRuns: count, seed })) {
    const good = s.rows.length > 0 && s.rows.every((r) => r.length === 5 && typeof r[2] === 'string' && ['NORTE', 'Sur', 'Ñaña'].includes(r[2]));
    const rows = [...(s.title ? [['Colegio San Martín — Matrícula 2025'], [new Date(Date.UTC(2025, 2, 1))], []] : []), good ? HEADERS[0]! : s.header, ...s.rows];
    const names = ['2025', 'Hoja 2', 'Resumen'].slice(0, s.sheets);
    if (s.streaming) {
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on('data', (c: Buffer) => chunks.push(c));
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: true });
      for (const name of names) {
        const sheet = book.addWorksheet(name);
        for (const r of rows) sheet.addRow(r).commit();
        sheet.commit();
      }
      await book.commit();
      seeds.push(Buffer.concat(chunks));
    } else {
      const book = new ExcelJS.Workbook();
      for (const name of names) book.addWorksheet(name).addRows(rows);
      seeds.push(Buffer.from(await book.xlsx.writeBuffer()));
    }
  }
  // Old binary Office files: an .xls, and an .xlsx saved with a password (both OLE2).
  const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  seeds.push(Buffer.concat([ole2, Buffer.alloc(600), Buffer.from('Workbook', 'utf16le'), Buffer.alloc(900)]));
  seeds.push(Buffer.concat([ole2, Buffer.alloc(1000), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(300)]));
  return seeds;
}

function inputs(corpus: { name: string; bytes: Buffer }[], workbooks: Buffer[]): fc.Arbitrary<Buffer> {
  const mutated = fc.tuple(fc.constantFrom(...corpus.map((c) => c.bytes)), fc.array(mutation, { minLength: 1, maxLength: 5 })).map(([bytes, ms]) => mutate(bytes, ms));
  const grown = fc.tuple(structured, fc.array(mutation, { maxLength: 3 })).map(([bytes, ms]) => mutate(bytes, ms));
  // Half the workbooks whole (their cells are the test), half with bytes mutated (the archive is).
  const workbook = fc.tuple(fc.constantFrom(...workbooks), fc.oneof(fc.constant([]), fc.array(mutation, { minLength: 1, maxLength: 2 }))).map(([bytes, ms]) => mutate(bytes, ms));
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 3, arbitrary: structured }, { weight: 2, arbitrary: plausible }, { weight: 1, arbitrary: grown }, { weight: 1, arbitrary: randomBytes }, { weight: 2, arbitrary: workbook });
}

export interface FuzzOptions {
  inputs: number;
  seed: number;
  /** An input taking longer than this is a hang. */
  timeBoundMs?: number;
  /** A fresh database after this many inputs, so the digests stay cheap. */
  inputsPerDatabase?: number;
  onProgress?: (done: number) => void;
}

export interface FuzzFailure {
  input: number;
  kind: 'crash' | 'hang' | 'partial_write' | 'bad_message';
  detail: string;
  /** The input's first bytes, for a report; `npm run fuzz -- --seed` replays all of it. */
  head: string;
}

export interface FuzzResult {
  seed: number;
  inputs: number;
  imported: number;
  refused: number;
  crashes: number;
  hangs: number;
  partialWrites: number;
  badMessages: number;
  largestInputBytes: number;
  slowestInputMs: number;
  ms: number;
  failures: FuzzFailure[];
}

/** What is wrong with a refusal's sentences, or null: one sentence each, es and en, naming the file and line. */
/** Refusals of a whole file, said without a line: what it is (an .xls, a damaged workbook…), or a sheet it lacks. */
const WHOLE_FILE = new Set(['xls_file', 'encrypted_workbook', 'corrupt_workbook', 'not_a_workbook', 'no_sheets', 'unknown_sheet', 'empty_sheet']);

export function messageProblem(p: ImportProblem, file: string): string | null {
  const { es, en } = p.message;
  if (es === en) return 'the Spanish and English sentences are the same';
  for (const [lang, text] of [['es', es], ['en', en]] as const) {
    if (!text.startsWith(`${file}, `) && !text.startsWith(`${file}:`)) return `${lang} does not start with the file name: ${text.slice(0, 120)}`;
    if (/[\r\n]/.test(text)) return `${lang} is more than one line`;
    if (!/[.!?]$/.test(text)) return `${lang} does not end a sentence: ${text.slice(-60)}`;
    if (text.length > 1200) return `${lang} is ${text.length} characters long`;
  }
  if (p.severity === 'error' && !(WHOLE_FILE.has(p.code) && p.line === undefined)) {
    if (p.line === undefined || !Number.isInteger(p.line) || p.line < 1) return `error ${p.code} names no line`;
    // A workbook's rows are a sheet's rows: "hoja «2025», fila 7".
    const sheet = es.startsWith(`${file}, hoja «`);
    if (sheet && !en.startsWith(`${file}, sheet "`)) return `error ${p.code} names its sheet in one language only`;
    const [lineEs, lineEn] = sheet ? [`fila ${p.line}`, `row ${p.line}`] : [`línea ${p.line}`, `line ${p.line}`];
    if (!es.includes(lineEs) || !en.includes(lineEn)) return `error ${p.code} does not say its line ${p.line}`;
    if (p.column !== undefined && (!es.includes('columna «') || !en.includes('column "'))) return `error ${p.code} does not say its column`;
  }
  return null;
}

function freshWorkspace(corpus: { name: string; bytes: Buffer }[]): Promise<Workspace & { dir: string }> {
  const ws = tempWorkspace();
  // Data already there, so a refused file has something to leave alone (monthly counts and students).
  const seedFiles = corpus.filter((c) => ['ok-tab.tsv', 'ok-student-level.csv'].includes(c.name));
  const requests = seedFiles.map((c) => {
    const file = path.join(ws.dir, c.name);
    fs.writeFileSync(file, c.bytes);
    return { file };
  });
  return importFiles(ws.db, requests, { key: ws.key }).then(() => ws);
}

export async function runImportFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = performance.now();
  const timeBound = options.timeBoundMs ?? 10_000;
  const perDatabase = options.inputsPerDatabase ?? 200;
  const corpus = corpusFiles();
  const workbooks = await workbookSeeds(options.seed, Math.min(60, Math.max(8, Math.ceil(options.inputs / 50))));
  const samples = fc.sample(inputs(corpus, workbooks), { numRuns: options.inputs, seed: options.seed });
  const result: FuzzResult = { seed: options.seed, inputs: 0, imported: 0, refused: 0, crashes: 0, hangs: 0, partialWrites: 0, badMessages: 0, largestInputBytes: 0, slowestInputMs: 0, ms: 0, failures: [] };
  const fail = (input: number, kind: FuzzFailure['kind'], detail: string, bytes: Buffer) => {
    const counter = ({ crash: 'crashes', hang: 'hangs', partial_write: 'partialWrites', bad_message: 'badMessages' } as const)[kind];
    result[counter]++;
    if (result.failures.length < 20) result.failures.push({ input, kind, detail, head: JSON.stringify(bytes.subarray(0, 160).toString('latin1')) });
  };

  let ws: (Workspace & { dir: string }) | null = null;
  let digest = '';
  try {
    for (const [i, bytes] of samples.entries()) {
      if (i % perDatabase === 0) {
        if (ws) {
          ws.close();
          fs.rmSync(ws.dir, { recursive: true, force: true });
        }
        ws = await freshWorkspace(corpus);
        digest = databaseDigest(ws.db);
      }
      const w = ws!;
      const name = `input-${i}.csv`;
      const file = path.join(w.dir, name);
      fs.writeFileSync(file, bytes);
      result.largestInputBytes = Math.max(result.largestInputBytes, bytes.length);
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), timeBound)));
      try {
        const outcome = await Promise.race([importFiles(w.db, [{ file }], { key: w.key, problemLimit: 50 }), timedOut]);
        const ms = performance.now() - t0;
        result.slowestInputMs = Math.max(result.slowestInputMs, ms);
        if (outcome === 'hang' || ms > timeBound) {
          fail(i, 'hang', `no answer within ${timeBound} ms`, bytes);
          if (outcome === 'hang') break; // the database may still be in use: stop here rather than report noise
        } else if (outcome.committed) {
          result.imported++;
          digest = databaseDigest(w.db);
        } else {
          result.refused++;
          const after = databaseDigest(w.db);
          if (after !== digest) fail(i, 'partial_write', 'a refused file changed the database', bytes);
          const report = outcome.reports[0]!;
          const errors = report.problems.filter((p) => p.severity === 'error');
          if (report.status !== 'rejected' || errors.length === 0) fail(i, 'bad_message', `refused with status ${report.status} and ${errors.length} errors`, bytes);
          for (const p of report.problems) {
            const wrong = messageProblem(p, name);
            if (wrong) {
              fail(i, 'bad_message', `${p.code}: ${wrong}`, bytes);
              break;
            }
          }
        }
      } catch (error) {
        if (error instanceof UserError) {
          result.refused++;
          if (databaseDigest(w.db) !== digest) fail(i, 'partial_write', `UserError and a changed database: ${error.message}`, bytes);
        } else {
          fail(i, 'crash', error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}`.slice(0, 1000) : String(error), bytes);
          digest = databaseDigest(w.db);
        }
      } finally {
        clearTimeout(timer);
        fs.rmSync(file, { force: true });
      }
      result.inputs++;
      options.onProgress?.(result.inputs);
    }
  } finally {
    if (ws) {
      ws.close();
      fs.rmSync(ws.dir, { recursive: true, force: true });
    }
  }
  result.ms = performance.now() - started;
  return result;
}
