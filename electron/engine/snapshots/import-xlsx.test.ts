import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { previewFile } from '../ingest/preview';
import { databaseDigest, tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { importFiles } from './import-files';
import { listRawSnapshots } from './raw';

let ws: Workspace & { dir: string };
afterEach(() => ws?.close());

function platinum(w: Workspace) {
  const id = (w.db.prepare(`SELECT id FROM dataset_version WHERE kind = 'platinum' ORDER BY rowid DESC LIMIT 1`).get() as { id: string }).id;
  return w.db.prepare(`SELECT period, site, course, schedule, students FROM platinum_class WHERE version_id = ? ORDER BY period, site, course, schedule`).all(id);
}

const utc = (y: number, m: number, d = 1) => new Date(Date.UTC(y, m - 1, d));

/** A workbook as a school's secretary makes one: a title block, then the table. */
async function workbook(file: string, sheets: { name: string; rows: unknown[][]; formats?: Record<string, string>; hidden?: boolean }[]): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (const s of sheets) {
    const sheet = book.addWorksheet(s.name, s.hidden ? { state: 'hidden' } : {});
    for (const row of s.rows) sheet.addRow(row);
    for (const [address, format] of Object.entries(s.formats ?? {})) sheet.getCell(address).numFmt = format;
  }
  await book.xlsx.writeFile(file);
  return file;
}

const TITLE = [['Colegio San Martín — Matrícula 2025'], [utc(2025, 3, 14)], []];
const FORMATS = { A5: 'yyyy-mm-dd', A6: 'mmm yyyy', A7: 'dd/mm/yyyy' };

describe('importing an Excel workbook', () => {
  it('gives the same platinum rows as the same data in a CSV: title block skipped, date periods, text and 12.0 counts, formulas', async () => {
    ws = tempWorkspace();
    const csv = writeFile(ws.dir, 'matricula.csv', [
      'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS',
      '202503,NORTE,BAS01,LMV 19:00,12',
      '202503,NORTE,BAS02,LMV 19:00,9',
      '202503,SUR,BAS01,SAB,15',
      '202504,NORTE,BAS01,LMV 19:00,11',
      '202504,SUR,BAS02,SAB,14',
      '',
    ].join('\n'));
    const other = tempWorkspace();
    try {
      await importFiles(other.db, [{ file: csv }], { key: other.key });
      const expected = platinum(other);

      const xlsx = await workbook(path.join(ws.dir, 'matricula.xlsx'), [{
        name: '2025',
        rows: [
          ...TITLE,
          ['Periodo', 'Sede', 'Curso', 'Horario', 'Alumnos'],
          [utc(2025, 3), 'NORTE', 'BAS01', 'LMV 19:00', '12'], // a date; a count typed as text
          [utc(2025, 3, 17), 'NORTE', 'BAS02', 'LMV 19:00', 9.0], // any day of the month is the month
          [utc(2025, 3), 'SUR', 'BAS01', 'SAB', { formula: 'E5+3', result: 15 }], // a formula's cached value
          [202504, 'NORTE', 'BAS01', 'LMV 19:00', 11], // a period typed as a number
          ['202504', 'SUR', 'BAS02', 'SAB', 14.000000000000002], // float noise Excel does not show
        ],
        formats: FORMATS,
      }]);
      const { reports, committed } = await importFiles(ws.db, [{ file: xlsx }], { key: ws.key });
      expect(reports[0]!.problems).toEqual([]);
      expect(committed).toBe(true);
      expect(reports[0]).toMatchObject({ status: 'imported', encoding: 'XLSX', rows_accepted: 5, classes: 5, periods: ['202503', '202504'] });
      expect(platinum(ws)).toEqual(expected);

      // The same bytes again: already imported, nothing changes.
      const before = databaseDigest(ws.db);
      const again = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'copia.xlsx', fs.readFileSync(xlsx)) }], { key: ws.key });
      expect(again.reports[0]!.status).toBe('already_imported');
      expect(databaseDigest(ws.db)).toBe(before);
    } finally {
      other.close();
    }
  });

  it('reads student ids as a CSV holds them: numbers whole, never 1.2E+7, text with its leading zeros, padded codes padded', async () => {
    ws = tempWorkspace();
    const csv = writeFile(ws.dir, 'alumnos.csv', [
      'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO,NOMBRE',
      '2025-03,NORTE,BAS01,LMV,12345678,"PÉREZ, Ana"',
      '2025-03,NORTE,BAS01,LMV,00123,"QUISPE, Luis"',
      '2025-03,NORTE,BAS01,LMV,00045678,"ROJAS, Eva"',
      '2025-04,NORTE,BAS02,LMV,12345678,"PÉREZ, Ana"',
      '',
    ].join('\n'));
    await importFiles(ws.db, [{ file: csv }], { key: ws.key });
    const xlsx = await workbook(path.join(ws.dir, 'alumnos.xlsx'), [{
      name: 'Hoja1',
      rows: [
        ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ID_ALUMNO', 'NOMBRE'],
        [utc(2025, 3), 'NORTE', 'BAS01', 'LMV', 12345678, 'PÉREZ, Ana'],
        [utc(2025, 3), 'NORTE', 'BAS01', 'LMV', '00123', 'QUISPE, Luis'],
        [utc(2025, 3), 'NORTE', 'BAS01', 'LMV', 45678, 'ROJAS, Eva'],
        [utc(2025, 4), 'NORTE', 'BAS02', 'LMV', 12345678.0, 'PÉREZ, Ana'],
      ],
      formats: { A2: 'yyyy-mm-dd', A3: 'yyyy-mm-dd', A4: 'yyyy-mm-dd', A5: 'yyyy-mm-dd', E4: '00000000' },
    }]);
    const { reports, committed } = await importFiles(ws.db, [{ file: xlsx }], { key: ws.key });
    expect(reports[0]!.problems).toEqual([]);
    expect(committed).toBe(true);
    // The dataset writes months 2025-03: the date cells are read in that notation.
    expect(reports[0]!.periods).toEqual(['2025-03', '2025-04']);
    const [fromCsv, fromXlsx] = listRawSnapshots(ws.db).map((s) => s.id);
    const rosters = (id: string) => ws.db.prepare(`SELECT c.period, c.course, hex(r.students) AS pseudonyms FROM raw_class c JOIN raw_roster r ON r.class_id = c.id WHERE c.snapshot_id = ? ORDER BY c.period, c.course`).all(id);
    expect(rosters(fromXlsx!)).toEqual(rosters(fromCsv!));
    expect(rosters(fromCsv!)).toHaveLength(2);
    // Names are never stored.
    const everything = JSON.stringify(ws.db.prepare(`SELECT * FROM raw_class`).all()) + JSON.stringify(listRawSnapshots(ws.db));
    expect(everything).not.toMatch(/PÉREZ|QUISPE|12345678|00123/);
  });

  it('names the sheet, row and column of a row-level problem, in Spanish and English, and writes nothing', async () => {
    ws = tempWorkspace();
    const xlsx = await workbook(path.join(ws.dir, 'matricula.xlsx'), [{
      name: '2025',
      rows: [...TITLE, ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'], ['202503', 'NORTE', 'BAS01', 'LMV', 12], ['202503', 'NORTE', 'BAS02', 'LMV', 'doce'], ['202503', 'SUR', 'BAS01', 'LMV', 12.5]],
    }]);
    const before = databaseDigest(ws.db);
    const { reports, committed } = await importFiles(ws.db, [{ file: xlsx }], { key: ws.key });
    expect(committed).toBe(false);
    expect(databaseDigest(ws.db)).toBe(before);
    expect(reports[0]!.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['count_not_a_number', 6, 'ALUMNOS'],
      ['count_fraction', 7, 'ALUMNOS'],
    ]);
    expect(reports[0]!.problems[0]!.message).toEqual({
      es: 'matricula.xlsx, hoja «2025», fila 6, columna «ALUMNOS»: "doce" no es una cantidad de alumnos válida: no es un número.',
      en: 'matricula.xlsx, sheet "2025", row 6, column "ALUMNOS": "doce" is not a valid student count: it is not a number.',
    });
  });

  it('says which header row a missing column was looked for in, and a date in a dataset of terms', async () => {
    ws = tempWorkspace();
    const noCount = await workbook(path.join(ws.dir, 'sin-alumnos.xlsx'), [{ name: 'Datos', rows: [...TITLE, ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL'], ['202503', 'NORTE', 'BAS01', 'LMV']] }]);
    const missing = (await importFiles(ws.db, [{ file: noCount }], { key: ws.key })).reports[0]!.problems[0]!;
    expect(missing).toMatchObject({ code: 'no_count_column', line: 4 });
    expect(missing.message.es).toMatch(/^sin-alumnos\.xlsx, hoja «Datos», fila 4: no hay columna de cantidad/);

    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'ciclos.csv', 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS\n2024-1,NORTE,BAS01,LMV,12\n') }], { key: ws.key });
    const dated = await workbook(path.join(ws.dir, 'fechas.xlsx'), [{ name: 'Ciclo', rows: [['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'], [utc(2025, 3), 'NORTE', 'BAS01', 'LMV', 12]], formats: { A2: 'yyyy-mm-dd' } }]);
    const term = (await importFiles(ws.db, [{ file: dated }], { key: ws.key })).reports[0]!.problems[0]!;
    expect(term).toMatchObject({ code: 'date_for_term', line: 2, column: 'PERIODO', value: '2025-03-01' });
    expect(term.message.en).toContain('fechas.xlsx, sheet "Ciclo", row 2, column "PERIODO": the cell is a date (2025-03-01)');
  });

  it('reads the first shown sheet by default, another by name, and refuses a sheet it does not have, listing them', async () => {
    ws = tempWorkspace();
    const header = ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'];
    const xlsx = await workbook(path.join(ws.dir, 'libro.xlsx'), [
      { name: 'Notas', rows: [['solo notas']], hidden: true },
      { name: '2025', rows: [header, ['202503', 'NORTE', 'BAS01', 'LMV', 12]] },
      { name: '2024', rows: [['Matrícula 2024'], [], header, ['202403', 'SUR', 'BAS01', 'SAB', 7]] },
    ]);

    const preview = await previewFile(xlsx, 'libro.xlsx');
    expect(preview).toMatchObject({ sheets: ['Notas', '2025', '2024'], sheet: '2025', headerRow: 1, headers: header, rows: [['202503', 'NORTE', 'BAS01', 'LMV', '12']], problems: [] });
    expect(await previewFile(xlsx, 'libro.xlsx', '2024')).toMatchObject({ sheet: '2024', headerRow: 3, rows: [['202403', 'SUR', 'BAS01', 'SAB', '7']] });

    const dry = await importFiles(ws.db, [{ file: xlsx }], { key: ws.key, dryRun: true });
    expect(dry.reports[0]!.periods).toEqual(['202503']);
    const other = await importFiles(ws.db, [{ file: xlsx, sheet: '2024' }], { key: ws.key });
    expect(other.reports[0]).toMatchObject({ status: 'imported', periods: ['202403'] });
    // The same bytes read from the other sheet are another snapshot.
    const first = await importFiles(ws.db, [{ file: xlsx }], { key: ws.key });
    expect(first.reports[0]).toMatchObject({ status: 'imported', periods: ['202503'] });
    expect(first.reports[0]!.snapshot_id).not.toBe(other.reports[0]!.snapshot_id);

    const before = databaseDigest(ws.db);
    const { reports } = await importFiles(ws.db, [{ file: xlsx, sheet: '2023' }], { key: ws.key });
    expect(reports[0]!.problems.map((p) => p.message.es)).toEqual(['libro.xlsx: el libro no tiene una hoja «2023»; sus hojas son «Notas», «2025», «2024».']);
    expect(databaseDigest(ws.db)).toBe(before);
  });

  it('refuses an old .xls, a password-protected workbook and a damaged one, each in one sentence, writing nothing', async () => {
    ws = tempWorkspace();
    const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const xls = writeFile(ws.dir, 'viejo.xls', Buffer.concat([ole2, Buffer.alloc(1024), Buffer.from('Workbook', 'utf16le'), Buffer.alloc(2048)]));
    const locked = writeFile(ws.dir, 'clave.xlsx', Buffer.concat([ole2, Buffer.alloc(3000), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(600)]));
    const good = await workbook(path.join(ws.dir, 'bueno.xlsx'), [{ name: '2025', rows: [['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'], ['202503', 'NORTE', 'BAS01', 'LMV', 12]] }]);
    const bytes = fs.readFileSync(good);
    const cut = writeFile(ws.dir, 'cortado.xlsx', bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 3)]! ^= 0xff;
    const damaged = writeFile(ws.dir, 'dañado.xlsx', flipped);
    const zip = writeFile(ws.dir, 'otra-cosa.xlsx', storedZip('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'));

    const before = databaseDigest(ws.db);
    const sentences: Record<string, string[]> = {};
    for (const file of [xls, locked, cut, damaged, zip]) {
      const { reports, committed } = await importFiles(ws.db, [{ file }], { key: ws.key });
      expect(committed).toBe(false);
      expect(reports[0]!.problems).toHaveLength(1);
      sentences[path.basename(file)] = [reports[0]!.problems[0]!.code, reports[0]!.problems[0]!.message.es];
    }
    expect(databaseDigest(ws.db)).toBe(before);
    expect(sentences).toEqual({
      'viejo.xls': ['xls_file', 'viejo.xls: es un libro de Excel antiguo (.xls), que Cupo no lee: ábralo en Excel y guárdelo como «Libro de Excel (.xlsx)» o como CSV.'],
      'clave.xlsx': ['encrypted_workbook', 'clave.xlsx: el libro está protegido con contraseña, así que Cupo no puede leerlo: ábralo en Excel, quite la contraseña y guárdelo como .xlsx o CSV.'],
      'cortado.xlsx': ['corrupt_workbook', expect.stringMatching(/^cortado\.xlsx: el libro de Excel está dañado o incompleto/)],
      'dañado.xlsx': ['corrupt_workbook', expect.stringMatching(/^dañado\.xlsx: el libro de Excel está dañado o incompleto/)],
      'otra-cosa.xlsx': ['not_a_workbook', expect.stringMatching(/^otra-cosa\.xlsx: es un archivo comprimido \(ZIP\) pero no un libro de Excel/)],
    });
    // The wizard's preview says the same sentence.
    expect((await previewFile(locked, 'clave.xlsx')).problems[0]!.code).toBe('encrypted_workbook');
    expect((await previewFile(cut, 'cortado.xlsx')).problems[0]!.code).toBe('corrupt_workbook');
  });

  it('reads a workbook written by a streaming writer (data descriptors, shared strings after the sheet)', async () => {
    ws = tempWorkspace();
    const file = path.join(ws.dir, 'stream.xlsx');
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
    const sheet = book.addWorksheet('Matrícula');
    sheet.addRow(['Sede', 'Curso', 'Horario', 'Periodo', 'Código']).commit();
    for (let i = 0; i < 500; i++) {
      const row = sheet.addRow([i % 2 ? 'NORTE' : 'SUR', `BAS0${1 + (i % 3)}`, 'LMV', utc(2025, 1 + (i % 4)), 70000000 + i]);
      row.getCell(4).numFmt = 'mm/yyyy';
      row.commit();
    }
    sheet.commit();
    await book.commit();
    const { reports, committed } = await importFiles(ws.db, [{ file }], { key: ws.key });
    expect(reports[0]!.problems).toEqual([]);
    expect(committed).toBe(true);
    expect(reports[0]).toMatchObject({ granularity: 'student', rows_accepted: 500, periods: ['202501', '202502', '202503', '202504'] });
  });
});

/** A zip archive of one stored entry (an OpenDocument spreadsheet starts so): a zip, but no .xlsx workbook. */
function storedZip(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const crc = zlib.crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const directoryOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}
