import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ForecastRow } from '../../../shared/reports';
import { tempDir } from '../testing/fixtures';
import { writeForecastXlsx } from './export-xlsx';

describe('forecast Excel export', () => {
  it('has the agreed columns first and keeps a formula-looking label as text', async () => {
    const file = path.join(tempDir(), 'pronostico.xlsx');
    const row: ForecastRow = {
      PERIODO: '202611', SEDE: '=SUM(A1:A9)', CURSO_ACTUAL: 'Básico 1', HORARIO_ACTUAL: 'LMV', PREDICT_ALUMNOS: 14, p10: 11, p90: 17,
      last_students: 12, feeder_students: 15, reason: 'running', p_below_min: 0.05, sections: 1, decision: 'open', capacity: 12,
    };
    await writeForecastXlsx(file, [row, { ...row, SEDE: 'S', capacity: null }], { period: '202611', classes: [{ SEDE: 'N', CURSO_ACTUAL: 'AVA06', HORARIO_ACTUAL: 'SAB', last_students: 3, why: 'schedule_moves' }] }, { override: () => undefined });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS', 'PREDICT_P10', 'PREDICT_P90',
      'ALUMNOS_PERIODO_ANTERIOR', 'ALUMNOS_CURSO_PREVIO', 'MOTIVO', 'DECISION', 'SECCIONES', 'PROB_BAJO_MINIMO_PCT', 'CAPACIDAD', 'ALUMNOS_AJUSTADOS', 'NOTA_AJUSTE',
    ]);
    expect(sheet.getRow(2).getCell(14).value).toBe(12);
    expect(sheet.getRow(3).getCell(14).value ?? '').toBe('');
    expect(sheet.getRow(2).getCell(2).value).toBe('=SUM(A1:A9)');
    expect(sheet.getRow(2).getCell(2).formula).toBeUndefined();
    expect(sheet.getRow(2).getCell(5).value).toBe(14);
    expect(sheet.getRow(2).getCell(11).value).toBe('ABRIR');
    const closing = book.getWorksheet('Cierran')!;
    expect(closing.getRow(2).values as unknown[]).toEqual([undefined, '202611', 'N', 'AVA06', 'SAB', 3, 'HORARIO_NO_SE_REPITE']);
  });
});
