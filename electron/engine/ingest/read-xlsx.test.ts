import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { guessMapping } from './columns';
import { isDateFormat, numberText, readXlsx } from './read-xlsx';

async function book(rows: unknown[][], formats: Record<string, string> = {}): Promise<string> {
  const file = path.join(tempDir(), 'libro.xlsx');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Hoja1');
  for (const row of rows) sheet.addRow(row);
  for (const [address, format] of Object.entries(formats)) sheet.getCell(address).numFmt = format;
  await workbook.xlsx.writeFile(file);
  return file;
}

async function read(file: string) {
  let header: { cells: string[]; row: number } | null = null;
  const records: { fields: string[]; row: number }[] = [];
  const result = await readXlsx(file, {
    headerScore: (cells) => Object.keys(guessMapping(cells)).length,
    onHeader: (cells, row) => (header = { cells, row }),
    onRecord: (fields, row) => records.push({ fields, row }),
  });
  return { result, header: header as { cells: string[]; row: number } | null, records };
}

describe('reading a sheet of an .xlsx workbook', () => {
  it('writes numbers as Excel shows them: no exponent, no float noise, no ".0", codes padded by their format', () => {
    expect(numberText(12)).toBe('12');
    expect(numberText(12345678)).toBe('12345678');
    expect(numberText(123456789012345)).toBe('123456789012345');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(12.5)).toBe('12.5');
    expect(numberText(-0)).toBe('0');
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(45678, '00000000')).toBe('00045678');
    expect(numberText(45678, '0.00')).toBe('45678');
    expect(['yyyy-mm-dd', 'mmm yyyy', 'dd/mm/yyyy h:mm', '[$-F800]dddd, mmmm dd, yyyy'].every(isDateFormat)).toBe(true);
    expect(['General', '0', '#,##0.00', '"Mes" 0', '@'].some(isDateFormat)).toBe(false);
  });

  it('skips a title block to the first row that looks like a header, and gives rows their sheet numbers', async () => {
    const file = await book([
      ['Instituto Norte — Matrícula por sede y curso'],
      ['Generado el', new Date(Date.UTC(2025, 2, 14))],
      [],
      ['Notas: cifras provisionales', null, null, 'ver anexo'],
      ['Periodo', 'Sede', 'Curso', 'Horario', 'Alumnos'],
      [202503, 'NORTE', 'BAS01', 'LMV', 12],
      [],
      [202503, 'SUR', 'BAS01', 'LMV', 7, 'nota al margen'],
    ]);
    const { result, header, records } = await read(file);
    expect(result).toMatchObject({ ok: true, sheet: 'Hoja1', headerRow: 5, records: 2 });
    expect(header).toEqual({ cells: ['Periodo', 'Sede', 'Curso', 'Horario', 'Alumnos'], row: 5 });
    // An empty row is skipped; a cell right of the header is not the table's.
    expect(records).toEqual([
      { fields: ['202503', 'NORTE', 'BAS01', 'LMV', '12'], row: 6 },
      { fields: ['202503', 'SUR', 'BAS01', 'LMV', '7'], row: 8 },
    ]);
  });

  it('takes the first row for the header when none looks like one, so the missing columns can be named', async () => {
    const { header, records } = await read(await book([['Código', 'Nombre'], ['A1', 'Ana']]));
    expect(header).toEqual({ cells: ['Código', 'Nombre'], row: 1 });
    expect(records).toEqual([{ fields: ['A1', 'Ana'], row: 2 }]);
  });

  it('reads formulas as their saved results, and counts those with none', async () => {
    const file = await book(
      [
        ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'],
        [{ formula: 'DATE(2025,3,1)', result: 45717 }, { formula: 'UPPER("norte")', result: 'NORTE' }, 'BAS01', 'LMV', { formula: '10+2', result: 12 }],
        ['202503', 'SUR', 'BAS01', 'LMV', { formula: '10+2' }],
      ],
      { A2: 'yyyy-mm-dd' },
    );
    const { result, records } = await read(file);
    expect(records.map((r) => r.fields)).toEqual([
      ['2025-03-01', 'NORTE', 'BAS01', 'LMV', '12'],
      ['202503', 'SUR', 'BAS01', 'LMV', ''],
    ]);
    expect(result).toMatchObject({ formulasWithoutValue: 1, firstFormulaRow: 3 });
  });
});
