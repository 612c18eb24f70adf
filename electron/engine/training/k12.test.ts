import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingReport } from '../../../shared/reports';
import { makeForecast } from '../forecast/forecast';
import { importFiles } from '../snapshots/import-files';
import { tempWorkspace } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { train } from './train';

// 60 schools × grades K–12 × 2014–2023 with 2018 missing (bench/generate-k12.ts --schools 60 …): a school system.
const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/k12/k12-small.csv');

let ws: Workspace;
let report: TrainingReport;
beforeAll(async () => {
  ws = tempWorkspace();
  await importFiles(ws.db, [{ file }], { key: ws.key });
  report = await train(ws.db, { seed: 3 });
});
afterAll(() => ws.close());

describe('a school system (one row per school × grade × year)', () => {
  it('serves something better than repeating last year, and no worse than the cohort method it corrects', () => {
    const wape = (name: string) => report.candidates.find((c) => c.candidate === name)!.wape;
    expect(report.backtest_periods).toEqual(['2021', '2022', '2023']);
    expect(wape(report.winner)).toBeLessThan(0.8 * wape('last_value'));
    expect(wape(report.winner)).toBeLessThanOrEqual(wape('cohort_progression'));
  });

  it('is unbiased fold by fold and its intervals cover about 80 %', () => {
    for (const f of report.folds.filter((x) => x.candidate === report.winner)) {
      expect(Math.abs(f.bias)).toBeLessThan(0.03);
      expect(f.coverage).toBeGreaterThan(0.65);
      expect(f.coverage).toBeLessThan(0.95);
    }
  });

  it('forecasts next school year, every grade with an interval, its total in line with the last', async () => {
    const { report: f, rows } = await makeForecast(ws.db);
    expect(f.period).toBe('2024');
    expect(new Set(rows.map((r) => r.CURSO_ACTUAL))).toEqual(new Set(['K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']));
    expect(rows.every((r) => r.p10 <= r.PREDICT_ALUMNOS && r.PREDICT_ALUMNOS <= r.p90)).toBe(true);
    expect(f.total_check?.flagged).toBe(false);
  });
});
