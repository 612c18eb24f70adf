import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, FeatureRow } from '../features/build';
import { F } from '../features/build';
import { importFiles } from '../snapshots/import-files';
import { lastValue } from '../models/baselines';
import type { Candidate } from '../models/types';
import { demoFiles, tempWorkspace } from '../testing/fixtures';
import { currentDataset } from '../training/dataset';
import type { Workspace } from '../workspace';
import { chooseWinner, runBacktest } from './backtest';
import { addToTally, emptyTally, wape } from './metrics';

let ws: Workspace;
let dataset: Dataset;
beforeAll(async () => {
  ws = tempWorkspace();
  await importFiles(ws.db, [{ file: demoFiles()[0]! }], { key: ws.key });
  dataset = currentDataset(ws.db);
});
afterAll(() => ws.close());

describe('rolling-origin backtest', () => {
  it('trains each fold only on periods before the one it predicts', async () => {
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
    for (const [i, fold] of seen.entries()) {
      expect(fold.predicted).toEqual([result.foldPeriods[i]]);
      expect(fold.trainedOn.every((p) => p < result.foldPeriods[i]!)).toBe(true);
      expect(fold.trainedOn).toContain(dataset.panel.periods[dataset.panel.periods.indexOf(result.foldPeriods[i]!) - 1]);
    }
  });

  it('counts classes that ran without being forecast, and forecast classes that did not run', async () => {
    const result = await runBacktest(dataset, { folds: 1, seed: 1, candidates: [lastValue] });
    const fold = result.folds[0]!;
    const period = '2024-12';
    const actual = dataset.panel.classes.reduce((sum, _c, id) => sum + dataset.panel.count(id, dataset.panel.periods.indexOf(period)), 0);
    expect(fold.actual_total).toBe(actual);
    const predicted = dataset.rows.filter((r) => r.period === period).reduce((s, r) => s + r.x[F.lag1]!, 0);
    expect(fold.predicted_total).toBe(predicted);
  });

  it('serves the lowest WAPE and, on a tie, the simpler candidate listed first', () => {
    const s = (candidate: string, w: number) => ({ candidate, kind: 'baseline' as const, wape: w, mae: 0, folds: 1 });
    expect(chooseWinner([s('last_value', 0.3), s('neural', 0.2)]).candidate).toBe('neural');
    expect(chooseWinner([s('last_value', 0.2), s('neural', 0.2)]).candidate).toBe('last_value');
  });

  it('WAPE weighs errors by students, so small classes do not dominate', () => {
    const t = emptyTally();
    addToTally(t, 1, 2);
    addToTally(t, 100, 100);
    expect(wape(t)).toBeCloseTo(1 / 101);
  });
});
