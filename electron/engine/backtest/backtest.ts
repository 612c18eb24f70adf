import type { CandidateSummary, FoldMetric } from '../../../shared/reports';
import { keyString, parseClassKey } from '../domain/class-key';
import { yieldToEventLoop } from '../event-loop';
import type { Dataset, FeatureRow } from '../features/build';
import type { Candidate, TrainingExamples } from '../models/types';
import type { ErrorTally } from './metrics';
import { addToTally, bias, emptyTally, mae, mergeTallies, wape } from './metrics';

export interface BacktestProgress {
  candidate: string;
  period: string;
  step: number;
  steps: number;
}

export interface BacktestOptions {
  folds: number;
  seed: number;
  candidates: readonly Candidate[];
  onProgress?: (p: BacktestProgress) => void;
  signal?: AbortSignal;
}

export interface FoldResult extends FoldMetric {
  duration_ms: number;
  /** Students misplaced and students enrolled, per site: where the forecast is weaker. */
  sites: { site: string; absolute_error: number; actual: number }[];
}

export interface BacktestResult {
  foldPeriods: string[];
  folds: FoldResult[];
  summaries: CandidateSummary[];
}

/** Planners open whole classes of whole students: forecasts are judged, and served, as integers. */
export function roundStudents(expected: number): number {
  return Math.max(0, Math.round(expected));
}

/** Everything a model may learn from when it predicts period index `periodIndex`: strictly earlier periods. */
export function examplesBefore(dataset: Dataset, periodIndex: number): TrainingExamples {
  const rows = dataset.rows.filter((r) => r.periodIndex < periodIndex);
  return { rows, y: Float64Array.from(rows, (r) => dataset.targets.get(keyString(r)) ?? 0) };
}

/** The periods a backtest predicts: the last `folds` ones that have at least one earlier period to learn from. */
export function foldIndexes(dataset: Dataset, folds: number): number[] {
  const P = dataset.panel.periodCount;
  const first = Math.max(2, P - folds);
  return Array.from({ length: P - first }, (_, i) => first + i);
}

function scoreFold(actuals: Map<string, number>, rows: readonly FeatureRow[], predictions: Float64Array): { tally: ErrorTally; sites: FoldResult['sites'] } {
  const predicted = new Map<string, number>();
  rows.forEach((r, i) => predicted.set(keyString(r), roundStudents(predictions[i]!)));
  const tally = emptyTally();
  const bySite = new Map<string, ErrorTally>();
  for (const [key, actual] of actuals) {
    const forecast = predicted.get(key) ?? 0;
    if (actual === 0 && forecast === 0) continue;
    addToTally(tally, actual, forecast);
    const { site } = parseClassKey(key);
    let siteTally = bySite.get(site);
    if (!siteTally) bySite.set(site, (siteTally = emptyTally()));
    addToTally(siteTally, actual, forecast);
  }
  const sites = [...bySite.entries()].map(([site, t]) => ({ site, absolute_error: t.absoluteError, actual: t.actual })).sort((a, b) => (a.site < b.site ? -1 : 1));
  return { tally, sites };
}

/**
 * Rolling-origin backtest: for each of the last periods, every candidate is trained only on the periods before it
 * and scored on what really happened, classes that ran without being forecast included.
 */
export async function runBacktest(dataset: Dataset, options: BacktestOptions): Promise<BacktestResult> {
  const indexes = foldIndexes(dataset, options.folds);
  const actualsByPeriod = new Map<string, Map<string, number>>();
  for (const [key, students] of dataset.targets) {
    const { period } = parseClassKey(key);
    let m = actualsByPeriod.get(period);
    if (!m) actualsByPeriod.set(period, (m = new Map()));
    m.set(key, students);
  }
  const folds: FoldResult[] = [];
  const tallies = new Map<string, ErrorTally[]>();
  const steps = indexes.length * options.candidates.length;
  let step = 0;
  for (const index of indexes) {
    const period = dataset.panel.periods[index]!;
    const train = examplesBefore(dataset, index);
    const test = dataset.rows.filter((r) => r.periodIndex === index);
    for (const candidate of options.candidates) {
      await yieldToEventLoop(options.signal);
      options.onProgress?.({ candidate: candidate.name, period, step: step++, steps });
      const started = performance.now();
      const model = await candidate.fit(train, options.seed, options.signal);
      const predictions = await model.predict(test);
      model.dispose();
      const { tally, sites } = scoreFold(actualsByPeriod.get(period) ?? new Map(), test, predictions);
      tallies.set(candidate.name, [...(tallies.get(candidate.name) ?? []), tally]);
      folds.push({
        candidate: candidate.name,
        period,
        wape: wape(tally),
        mae: mae(tally),
        bias: bias(tally),
        actual_total: tally.actual,
        predicted_total: tally.predicted,
        classes: tally.classes,
        duration_ms: Math.round(performance.now() - started),
        sites,
      });
    }
  }
  const summaries: CandidateSummary[] = options.candidates.map((c) => {
    const pooled = mergeTallies(tallies.get(c.name) ?? []);
    return { candidate: c.name, kind: c.kind, wape: wape(pooled), mae: mae(pooled), folds: indexes.length };
  });
  return { foldPeriods: indexes.map((i) => dataset.panel.periods[i]!), folds, summaries };
}

/** The candidate with the lowest backtest WAPE serves; on a tie, the one listed first (baselines come first). */
export function chooseWinner(summaries: readonly CandidateSummary[]): CandidateSummary {
  return summaries.reduce((best, s) => (s.wape < best.wape - 1e-12 ? s : best));
}
