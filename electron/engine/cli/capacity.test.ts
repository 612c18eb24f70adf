import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ReadableDB } from '../db/types';
import { loadForecast } from '../forecast/forecast';
import { tempDir, writeFile } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

/**
 * A year of an institute's classes with their CUPO: one class always above its room, one whose last month left the
 * cell blank, one never given a capacity.
 */
function institute(dir: string): string {
  const rows = ['Ciclo,Sede,Curso,Horario,Matriculados,Cupo'];
  for (let m = 1; m <= 12; m++) {
    const p = `2025${String(m).padStart(2, '0')}`;
    rows.push(`${p},NORTE,BAS01,LMV 19:00,${26 + (m % 3)},25`);
    rows.push(`${p},NORTE,BAS02,LMV 19:00,${14 + (m % 2)},${m < 12 ? 20 : ''}`);
    rows.push(`${p},SUR,BAS01,SAB 09:00,${10 + (m % 3)},`);
    rows.push(`${p},SUR,BAS02,SAB 09:00,${18 + (m % 2)},30`);
  }
  return writeFile(dir, 'matriculas-2025.csv', `${rows.join('\n')}\n`);
}

describe('the capacity in the forecast', () => {
  it('carries each class’s last known capacity into the forecast file, after PROB_BAJO_MINIMO_PCT, empty where unknown', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cupo.sqlite');
    expect((await cli(['import', institute(dir), '--db', db])).code).toBe(0);
    expect((await cli(['train', '--db', db, '--candidates', 'last_value,moving_average'])).code).toBe(0);
    const out = path.join(dir, 'f.csv');
    const forecast = await cli(['forecast', '--db', db, '--out', out]);
    expect(forecast.code).toBe(0);
    // NORTE BAS01 runs above its room of 25 every month: the summary says so.
    expect(forecast.stdout).toContain('! 1 clase se pronostica por encima de la capacidad de su aula (columna CAPACIDAD).');

    const [header, ...rows] = Papa.parse<string[]>(fs.readFileSync(out, 'utf8').slice(1).trim()).data;
    expect(header!.slice(0, 7)).toEqual(['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS', 'PREDICT_P10', 'PREDICT_P90']);
    expect(header!.slice(-4)).toEqual(['PROB_BAJO_MINIMO_PCT', 'CAPACIDAD', 'ALUMNOS_AJUSTADOS', 'NOTA_AJUSTE']);
    const capacity = header!.indexOf('CAPACIDAD');
    expect(rows.map((r) => [r[1], r[2], r[capacity]])).toEqual([
      ['NORTE', 'BAS01', '25'],
      ['NORTE', 'BAS02', '20'],
      ['SUR', 'BAS01', ''],
      ['SUR', 'BAS02', '30'],
    ]);

    // Read back as the screens and their exports read it: the same capacities.
    const stored = new Database(db, { readonly: true }) as unknown as ReadableDB;
    try {
      expect(loadForecast(stored)!.rows.map((r) => r.capacity)).toEqual([25, 20, null, 30]);
    } finally {
      stored.close();
    }
  });
});
