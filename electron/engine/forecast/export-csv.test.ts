import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ForecastRow } from '../../../shared/reports';
import { tempDir } from '../testing/fixtures';
import { closingFileFor } from '../../../shared/fields';
import { forecastCsv, writeForecastCsv } from './export-csv';

const row: ForecastRow = {
  PERIODO: '202401', SEDE: '=HYPERLINK("http://x")', CURSO_ACTUAL: 'Básico 1', HORARIO_ACTUAL: 'LMV 19:00-21:00', PREDICT_ALUMNOS: 12, p10: 9, p90: 15,
  last_students: 10, feeder_students: 14, reason: 'progression', p_below_min: 0.12, sections: 1, decision: 'open', capacity: null,
};

describe('forecast CSV export', () => {
  it('starts with the agreed columns and the 80 % interval, with a BOM for Excel and the reason in Spanish', () => {
    const csv = forecastCsv([row]);
    expect(csv.startsWith('\uFEFFPERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,PREDICT_ALUMNOS,PREDICT_P10,PREDICT_P90,')).toBe(true);
    const cells = Papa.parse<string[]>(csv.slice(1).trim()).data[1]!;
    expect(cells.slice(4, 7)).toEqual(['12', '9', '15']);
    expect(csv).toContain('ABRE_POR_AVANCE');
    expect(csv).toContain('Básico 1');
    expect(forecastCsv([{ ...row, reason: 'schedule_split' }])).toContain('REPARTO_POR_HORARIO');
  });

  it('gives the capacity after the chance of falling short, before the planners\' numbers, empty where unknown', () => {
    const csv = forecastCsv([{ ...row, capacity: 10 }, row], { override: () => undefined });
    const [header, known, unknown] = Papa.parse<string[]>(csv.slice(1).trim()).data;
    expect(header).toEqual([
      'PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS', 'PREDICT_P10', 'PREDICT_P90',
      'ALUMNOS_PERIODO_ANTERIOR', 'ALUMNOS_CURSO_PREVIO', 'MOTIVO', 'DECISION', 'SECCIONES', 'PROB_BAJO_MINIMO_PCT', 'CAPACIDAD', 'ALUMNOS_AJUSTADOS', 'NOTA_AJUSTE',
    ]);
    expect(known!.slice(12, 14)).toEqual(['12', '10']);
    expect(unknown!.slice(12, 14)).toEqual(['12', '']);
    expect(forecastCsv([row], { headers: 'plain', locale: 'en' })).toContain('Chance of falling short of the minimum (%),Room capacity');
  });

  it('escapes a label that looks like a spreadsheet formula, keeping its text', () => {
    const parsed = Papa.parse<string[]>(forecastCsv([row]).slice(1).trim());
    expect(parsed.data[1]![1]).toBe(`'=HYPERLINK("http://x")`);
  });

  it('uses semicolons when asked, for spreadsheets in a Spanish locale', () => {
    expect(forecastCsv([row], { delimiter: ';' }).split('\r\n')[1]).toMatch(/^202401;/);
  });

  it('writes the classes expected to close beside the forecast, with their students', () => {
    const file = path.join(tempDir(), 'pronostico.csv');
    writeForecastCsv(file, [row], { closing: { period: '202401', classes: [{ SEDE: 'N', CURSO_ACTUAL: 'AVA06', HORARIO_ACTUAL: 'SAB', last_students: 3, why: 'too_few' }] } });
    expect(closingFileFor(file)).toBe(file.replace(/\.csv$/, '-cierres.csv'));
    const closing = fs.readFileSync(closingFileFor(file), 'utf8');
    expect(closing).toBe('\uFEFFPERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS_PERIODO_ANTERIOR,MOTIVO_CIERRE\r\n202401,N,AVA06,SAB,3,PRONOSTICO_CERO\r\n');
  });
});
