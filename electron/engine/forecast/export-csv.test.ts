import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ForecastRow } from '../../../shared/reports';
import { forecastCsv } from './export-csv';

const row: ForecastRow = { PERIODO: '202401', SEDE: '=HYPERLINK("http://x")', CURSO_ACTUAL: 'Básico 1', HORARIO_ACTUAL: 'LMV 19:00-21:00', PREDICT_ALUMNOS: 12, last_students: 10, feeder_students: 14, reason: 'progression', decision: 'open' };

describe('forecast CSV export', () => {
  it('starts with the agreed columns, with a BOM for Excel and the reason in Spanish', () => {
    const csv = forecastCsv([row]);
    expect(csv.startsWith('\uFEFFPERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,PREDICT_ALUMNOS,')).toBe(true);
    expect(csv).toContain('ABRE_POR_AVANCE');
    expect(csv).toContain('Básico 1');
  });

  it('escapes a label that looks like a spreadsheet formula, keeping its text', () => {
    const parsed = Papa.parse<string[]>(forecastCsv([row]).slice(1).trim());
    expect(parsed.data[1]![1]).toBe(`'=HYPERLINK("http://x")`);
  });

  it('uses semicolons when asked, for spreadsheets in a Spanish locale', () => {
    expect(forecastCsv([row], { delimiter: ';' }).split('\r\n')[1]).toMatch(/^202401;/);
  });
});
