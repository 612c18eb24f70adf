import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, FeatureRow } from '../features/build';
import { importFiles } from '../snapshots/import-files';
import { cohortProgression, lastValue } from '../models/baselines';
import { boosted } from '../models/boosted';
import { combined } from '../models/candidates';
import type { Candidate } from '../models/types';
import { demoFiles, tempWorkspace } from '../testing/fixtures';
import { currentDataset } from '../training/dataset';
import type { Workspace } from '../workspace';
import { chooseWinner, commonPeriods, runBacktest, wapeOn } from './backtest';
import { combine, ensembleWeights } from './ensemble';
import { calibrate, interval, probabilityBelow } from './intervals';
import { addToTally, emptyTally, wape } from './metrics';
import { roundCoherently } from './rounding';

let ws: Workspace;
let dataset: Dataset;
beforeAll(async () => {
  ws = tempWorkspace();
  await importFiles(ws.db, [{ file: demoFiles()[0]! }], { key: ws.key });
  dataset = currentDataset(ws.db);
});
afterAll(() => ws.close());

describe('rolling-origin backtest', () => {
  it('trains each forecast only on periods before the one it predicts, two earlier periods included for the combination and the intervals', async () => {
    const seen: { trainedOn: string[]; predicted: string[] }[] = [];
    const spy: Candidate = {
      name: 'spy',
      kind: 'baseline',
      description: { es: '', en: '' },
      fit: async (train) => {
        const entry = { trainedOn: [...new Set(train.rows.map((r) => r.period))], predicted: [] as string[] };
        seen.push(entry);
        return {
          predict: async (rows: readonly FeatureRow[]) => {
            entry.predicted.push(...new Set(rows.map((r) => r.period)));
            return new Float64Array(rows.length);
          },
          artifact: () => ({ candidate: 'spy', kind: 'baseline' }),
          dispose: () => undefined,
        };
      },
    };
    const result = await runBacktest(dataset, { folds: 3, seed: 1, candidates: [spy] });
    expect(result.foldPeriods).toEqual(['2024-10', '2024-11', '2024-12']);
    const predicted = seen.flatMap((s) => s.predicted);
    expect(predicted).toEqual(['2024-08', '2024-09', '2024-10', '2024-11', '2024-12']);
    for (const fold of seen) {
      expect(fold.predicted).toHaveLength(1);
      expect(fold.trainedOn.every((p) => p < fold.predicted[0]!)).toBe(true);
      expect(fold.trainedOn).toContain(dataset.panel.periods[dataset.panel.periods.indexOf(fold.predicted[0]!) - 1]);
    }
  });

  it('forecasts a period, its intervals and the combination the same whatever that period turned out to be', async () => {
    const candidates = [lastValue, cohortProgression, boosted, combined];
    const a = await runBacktest(dataset, { folds: 2, seed: 1, candidates });
    // Everything the last period holds, changed: nothing forecast for it may move.
    const last = dataset.panel.periods.at(-1)!;
    const targets = new Map([...dataset.targets].map(([k, v]) => [k, k.startsWith(`${last}\u0001`) ? v * 3 + 7 : v]));
    const b = await runBacktest({ ...dataset, targets }, { folds: 2, seed: 1, candidates });
    const index = dataset.panel.periodCount - 1;
    for (const c of candidates) expect(b.runs.get(c.name)!.outputs.get(index)).toEqual(a.runs.get(c.name)!.outputs.get(index));
    expect(b.runs.get('combined')!.weights!.get(index)).toEqual(a.runs.get('combined')!.weights!.get(index));
    // …while its score does.
    expect(b.folds.find((f) => f.period === last && f.candidate === 'boosted')!.wape).not.toBe(a.folds.find((f) => f.period === last && f.candidate === 'boosted')!.wape);
  });

  it('counts classes that ran without being forecast, and forecast classes that did not run; course and site level too', async () => {
    const result = await runBacktest(dataset, { folds: 1, seed: 1, candidates: [lastValue] });
    const fold = result.folds[0]!;
    const period = '2024-12';
    const index = dataset.panel.periods.indexOf(period);
    const actual = dataset.panel.classes.reduce((sum, _c, id) => sum + dataset.panel.count(id, index), 0);
    expect(fold.actual_total).toBe(actual);
    const predicted = dataset.rows.filter((r) => r.period === period).reduce((s, r) => s + r.x[0]!, 0);
    expect(fold.predicted_total).toBe(predicted);
    expect(fold.course_wape).toBeLessThanOrEqual(fold.wape);
    expect(fold.site_wape).toBeLessThanOrEqual(fold.course_wape);
    expect(fold.coverage).toBeGreaterThan(0.5);
  });

  it('serves the lowest WAPE and, on a tie, the simpler candidate listed first', () => {
    const s = (candidate: string, w: number) => ({ candidate, kind: 'baseline' as const, wape: w, mae: 0, folds: 1, bias: 0, course_wape: w, coverage: null });
    expect(chooseWinner([s('last_value', 0.3), s('neural', 0.2)]).candidate).toBe('neural');
    expect(chooseWinner([s('last_value', 0.2), s('neural', 0.2)]).candidate).toBe('last_value');
  });

  it('compares candidates on the test periods all of them forecast, not a two-period WAPE with a three-period one', () => {
    const s = (candidate: string, w: number, folds: number) => ({ candidate, kind: 'baseline' as const, wape: w, mae: 0, folds, bias: 0, course_wape: w, coverage: null });
    const fold = (candidate: string, period: string, wape: number) => ({ candidate, period, wape, mae: 0, bias: 0, actual_total: 100, predicted_total: 100, classes: 10, course_wape: wape, site_wape: wape, coverage: null });
    // The cohort method is hurt by a hard first period the combination had no weights for; on the two both forecast, it is better.
    const folds = [fold('cohort', 'p1', 0.2), fold('cohort', 'p2', 0.08), fold('cohort', 'p3', 0.08), fold('combined', 'p2', 0.1), fold('combined', 'p3', 0.1)];
    expect(chooseWinner([s('cohort', 0.12, 3), s('combined', 0.1, 2)], folds).candidate).toBe('cohort');
    expect(commonPeriods(folds, ['cohort', 'combined'])).toEqual(['p2', 'p3']);
    expect(wapeOn(folds, 'cohort', ['p2', 'p3'])).toBeCloseTo(0.08);
  });

  it('WAPE weighs errors by students, so small classes do not dominate', () => {
    const t = emptyTally();
    addToTally(t, 1, 2);
    addToTally(t, 100, 100);
    expect(wape(t)).toBeCloseTo(1 / 101);
  });
});

describe('the combination', () => {
  it('weighs the candidate that misplaces fewest students most, and never does worse than it on the data it is fitted on', () => {
    const actual = Float64Array.from([10, 20, 30, 40]);
    const good = Float64Array.from([11, 19, 31, 41]);
    const bad = Float64Array.from([20, 10, 50, 20]);
    const w = ensembleWeights([bad, good], actual);
    expect(w[1]).toBeGreaterThan(w[0]!);
    const mixed = combine([bad, good], w, 4);
    const err = (p: Float64Array) => p.reduce((s, v, i) => s + Math.abs(actual[i]! - v), 0);
    expect(err(mixed)).toBeLessThanOrEqual(err(good));
  });
});

describe('80 % intervals', () => {
  // Forecasts of 2 to 60 students whose actuals are off by a known spread.
  const residuals = Array.from({ length: 4000 }, (_, i) => {
    const expected = 2 + (i % 59);
    const u = ((i * 7919) % 1000) / 1000;
    const actual = Math.max(0, Math.round(expected * (0.7 + 0.6 * u)));
    return { expected, served: Math.round(expected), actual, reason: 'running' as const };
  });
  const table = calibrate(residuals);
  /** Share of `list` whose actual students fell inside the interval `t` gives them. */
  const coverage = (t: typeof table, list: typeof residuals) =>
    list.filter((r) => {
      const { p10, p90 } = interval(t, r.expected, r.served, r.reason);
      return r.actual >= p10 && r.actual <= p90;
    }).length / list.length;

  it('cover about 80 % of whole-student outcomes, small classes included', () => {
    expect(coverage(table, residuals)).toBeGreaterThan(0.75);
    expect(coverage(table, residuals)).toBeLessThan(0.85);
    expect(coverage(table, residuals.filter((r) => r.expected < 8))).toBeLessThan(0.9);
  });

  it('widen with class size and hold the forecast', () => {
    const small = interval(table, 5, 5, 'running');
    const large = interval(table, 50, 50, 'running');
    expect(large.p90 - large.p10).toBeGreaterThan(small.p90 - small.p10);
    expect(large.p10).toBeLessThanOrEqual(50);
    expect(large.p90).toBeGreaterThanOrEqual(50);
  });

  it('give the probability of ending below a size, rising with the size', () => {
    const p = [10, 20, 25, 30, 40].map((size) => probabilityBelow(table, 25, 'running', size));
    expect(p[0]).toBeLessThan(0.05);
    expect(p[2]).toBeGreaterThan(0.3);
    expect(p[2]).toBeLessThan(0.7);
    expect(p[4]).toBeGreaterThan(0.95);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThanOrEqual(p[i - 1]!);
  });

  it('still hold 8 classes in 10 where more than 1 in 10 does not run at all (a university whose time slots move)', () => {
    // 15 % of the classes forecast end with nobody (their slot moved); the others are off by the spread above.
    const churned = residuals.map((r, i) => (i % 20 < 3 ? { ...r, actual: 0 } : r));
    // Equal tails would leave all of those 15 % below and another 10 % above: 75 %.
    expect(coverage(calibrate(churned), churned)).toBeGreaterThan(0.77);
    expect(coverage(calibrate(churned), churned)).toBeLessThan(0.83);
  });
});

describe('whole students', () => {
  it('keep each course’s total: ten sections of 0.4 students give four students, not none', () => {
    const keys = Array.from({ length: 10 }, (_, i) => ({ site: 'U', course: 'IND 1', schedule: `S${i}` }));
    const served = roundCoherently(keys, new Float64Array(10).fill(0.4));
    expect(served.reduce((a, b) => a + b, 0)).toBe(4);
    expect([...roundCoherently([{ site: 'U', course: 'A', schedule: 'x' }], Float64Array.from([12.6]))]).toEqual([13]);
  });
});
