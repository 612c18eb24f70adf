import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

describe('cupo import of an Excel workbook', () => {
  it('imports the first sheet, or the one --sheet names, and refuses a sheet the workbook lacks', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'matricula.xlsx');
    const book = new ExcelJS.Workbook();
    const header = ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'];
    book.addWorksheet('2025').addRows([['Colegio San Martín — Matrícula 2025'], [], header, ['202503', 'NORTE', 'BAS01', 'LMV', 12]]);
    book.addWorksheet('2024').addRows([header, ['202403', 'NORTE', 'BAS01', 'LMV', 10]]);
    await book.xlsx.writeFile(file);
    const db = path.join(dir, 'c.sqlite');

    const first = await cli(['import', file, '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/✔ matricula\.xlsx: importado: 1 filas? de clases, 1 clases?, periodos .*\[XLSX\]/);

    const named = await cli(['import', file, '--sheet', '2024', '--db', db, '--json']);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout).reports[0]).toMatchObject({ status: 'imported', periods: ['202403'] });

    const missing = await cli(['import', file, '--sheet', 'Resumen', '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('matricula.xlsx: el libro no tiene una hoja «Resumen»; sus hojas son «2025», «2024».');
  });
});
