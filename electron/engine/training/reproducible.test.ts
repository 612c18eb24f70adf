import { describe, expect, it } from 'vitest';
import { makeForecast } from '../forecast/forecast';
import { importFiles } from '../snapshots/import-files';
import { demoFiles, tempWorkspace } from '../testing/fixtures';
import { train } from './train';

async function forecastFromScratch(seed: number) {
  const ws = tempWorkspace();
  try {
    await importFiles(ws.db, [{ file: demoFiles()[0]! }], { key: ws.key });
    const report = await train(ws.db, { seed, candidates: ['neural'], backtestPeriods: 1 });
    const { rows } = await makeForecast(ws.db);
    return { wape: report.candidates.find((c) => c.candidate === 'neural')!.wape, rows };
  } finally {
    ws.close();
  }
}

describe('reproducibility', () => {
  it('gives the same neural backtest and forecast for the same data and seed', async () => {
    const a = await forecastFromScratch(11);
    const b = await forecastFromScratch(11);
    expect(b.wape).toBe(a.wape);
    expect(b.rows).toEqual(a.rows);
  });
});
