import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingReport } from '../../../shared/reports';
import { writeNycK12 } from '../../../bench/nyc-k12';
import { K12_GRADES } from '../../../bench/generate-k12';
import { plainCohortWape, readCountRows } from '../../../bench/plain-cohort';
import { importFiles } from '../snapshots/import-files';
import { tempWorkspace } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { train } from './train';

// Real data: every New York City public school × grade K–12 × school year 2013-14 … 2017-18 (data/k12/README.md).
let ws: Workspace;
let report: TrainingReport;
let file: string;
beforeAll(async () => {
  ws = tempWorkspace();
  file = writeNycK12(path.join(path.dirname(ws.file), 'nyc.csv'));
  await importFiles(ws.db, [{ file }], { key: ws.key });
  report = await train(ws.db, { seed: 42 });
}, 120_000);
afterAll(() => ws.close());

describe('New York City schools, 2013-14 … 2017-18', () => {
  it('reads their school years as they are written and tests on the last three', () => {
    expect(report.backtest_periods).toEqual(['2015-16', '2016-17', '2017-18']);
  });

  it('serves a forecast at most 0.9 × the error of a grade-progression method written apart, and better than repeating last year', () => {
    const served = report.folds.filter((f) => f.candidate === report.winner);
    const plain = plainCohortWape(readCountRows(file), K12_GRADES, served.map((f) => f.period));
    const pooled = (list: { wape: number }[]) => list.reduce((a, f, i) => a + f.wape * served[i]!.actual_total, 0) / served.reduce((a, f) => a + f.actual_total, 0);
    expect(pooled(served)).toBeLessThanOrEqual(0.9 * pooled(plain));
    expect(report.candidates.find((c) => c.candidate === report.winner)!.wape).toBeLessThan(report.last_value_wape);
  });

  it('is nearly unbiased fold by fold', () => {
    for (const f of report.folds.filter((x) => x.candidate === report.winner)) expect(Math.abs(f.bias)).toBeLessThan(0.03);
  });
});
