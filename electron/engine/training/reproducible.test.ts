import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closingCsv, forecastCsv } from '../forecast/export-csv';
import { makeForecast } from '../forecast/forecast';
import { importFiles } from '../snapshots/import-files';
import { demoFiles, tempWorkspace } from '../testing/fixtures';
import { train } from './train';

const k12Small = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/k12/k12-small.csv');

async function forecastFromScratch(file: string, seed: number, options: { candidates?: string[]; backtestPeriods?: number } = {}) {
  const ws = tempWorkspace();
  try {
    await importFiles(ws.db, [{ file }], { key: ws.key });
    const report = await train(ws.db, { seed, ...options });
    const { report: forecast, rows } = await makeForecast(ws.db);
    return { report, rows, csv: forecastCsv(rows), closing: closingCsv(forecast.period, forecast.closing) };
  } finally {
    ws.close();
  }
}

describe('reproducibility', () => {
  it('gives byte-identical forecast files for the same data and seed', async () => {
    const a = await forecastFromScratch(k12Small, 11);
    const b = await forecastFromScratch(k12Small, 11);
    expect(b.report.candidates).toEqual(a.report.candidates);
    expect(b.csv === a.csv).toBe(true);
    expect(b.closing === a.closing).toBe(true);
  });

  it('gives the same neural backtest and forecast for the same data and seed', async () => {
    const a = await forecastFromScratch(demoFiles()[0]!, 11, { candidates: ['neural'], backtestPeriods: 1 });
    const b = await forecastFromScratch(demoFiles()[0]!, 11, { candidates: ['neural'], backtestPeriods: 1 });
    expect(b.report.candidates.find((c) => c.candidate === 'neural')!.wape).toBe(a.report.candidates.find((c) => c.candidate === 'neural')!.wape);
    expect(b.rows).toEqual(a.rows);
  });
});
