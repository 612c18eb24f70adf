import type { CandidateSummary, FoldMetric } from '../../../shared/reports';
import { parseClassKey } from '../domain/class-key';
import { yieldToEventLoop } from '../event-loop';
import type { Dataset, FeatureRow, Level } from '../features/build';
import { targetKey } from '../features/build';
import { siteCourseKey } from '../features/schedules';
import type { Candidate, FittedModel, TrainingExamples } from '../models/types';
import { combine, ensembleWeights } from './ensemble';
import type { IntervalTable, Residual } from './intervals';
import { calibrate, interval } from './intervals';
import type { ErrorTally } from './metrics';
import { addToTally, bias, emptyTally, mae, mergeTallies, wape } from './metrics';
import type { PeriodPlan } from './plan';
import { mergeLevels, planFor } from './plan';
import { roundCoherently } from './rounding';

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
  /**
   * Periods before the first scored one that candidates also forecast, out of sample, so that the combination's
   * weights and the intervals of the first scored period are fitted on forecasts of earlier periods only.
   */
  inner?: number;
  onProgress?: (p: BacktestProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_INNER_PERIODS = 2;

export interface FoldResult extends FoldMetric {
  duration_ms: number;
  /** Served classes inside their 80 % interval, of how many had one (what `coverage` is the share of). */
  covered: number;
  intervals: number;
  /** Students misplaced and students enrolled, per site: where the forecast is weaker. */
  sites: { site: string; absolute_error: number; actual: number }[];
}

/** One candidate's forecasts of the periods it was tested on, each made from earlier periods only. */
export interface CandidateRun {
  candidate: Candidate;
  /** Period index → one expected value per key of that period's plan. */
  outputs: Map<number, Float64Array>;
  /** The combination's weights (over `members`) at each period it forecast. */
  weights?: Map<number, number[]>;
  members?: string[];
}

export interface BacktestResult {
  foldPeriods: string[];
  folds: FoldResult[];
  summaries: CandidateSummary[];
  /** What the final fit of the winner needs: plans, actuals per key, every candidate's out-of-sample forecasts. */
  plans: Map<number, PeriodPlan>;
  actuals: Map<number, Float64Array>;
  runs: Map<string, CandidateRun>;
  scored: number[];
  inner: number;
  /**
   * Share of the scored periods' students in courses that had no forecast row at their site (new courses, or ones
   * not run for two years): no class forecast can name them, every candidate misses them alike.
   */
  unlistedShare: number;
}

/**
 * Planners open whole classes of whole students: forecasts are judged, and served, as integers (a course's classes
 * together by roundCoherently, so that totals are kept).
 */
export function roundStudents(expected: number): number {
  return Math.max(0, Math.round(expected));
}

/** Everything a model may learn from when it predicts period index `periodIndex`: strictly earlier periods. */
export function examplesBefore(level: Pick<Level, 'rows' | 'targets'>, periodIndex: number): TrainingExamples {
  const rows = level.rows.filter((r) => r.periodIndex < periodIndex);
  return { rows, y: Float64Array.from(rows, (r) => level.targets.get(targetKey(r.period, r)) ?? 0) };
}

/** The periods a backtest predicts: the last `folds` ones that have at least one earlier period to learn from. */
export function foldIndexes(dataset: Dataset, folds: number): number[] {
  const P = dataset.panel.periodCount;
  const first = Math.max(2, P - folds);
  return Array.from({ length: P - first }, (_, i) => first + i);
}

/** A candidate fitted on each level before period index `index`: one forecast per key of the plan. */
export async function candidateForecast(
  candidate: Candidate,
  dataset: Dataset,
  plan: PeriodPlan,
  seed: number,
  signal?: AbortSignal,
  keep?: (level: 'class' | 'course', model: FittedModel) => void,
): Promise<Float64Array> {
  const classModel = await candidate.fit(examplesBefore(dataset, plan.index), seed, signal);
  const classPredictions = await classModel.predict(plan.classRows);
  if (keep) keep('class', classModel);
  else classModel.dispose();
  let coursePredictions: Float64Array | null = null;
  if (dataset.course && (plan.split.size > 0 || keep)) {
    await yieldToEventLoop(signal);
    const courseModel = await candidate.fit(examplesBefore(dataset.course, plan.index), seed, signal);
    coursePredictions = await courseModel.predict(plan.courseRows);
    if (keep) keep('course', courseModel);
    else courseModel.dispose();
  }
  return mergeLevels(plan, classPredictions, coursePredictions);
}

export function residualsOf(plan: PeriodPlan, output: Float64Array, actual: Float64Array): Residual[] {
  const served = roundCoherently(plan.keys, output);
  return Array.from(output, (expected, i) => ({ expected, served: served[i]!, actual: actual[i]!, reason: plan.reasons[i]! }));
}

interface Scored {
  tally: ErrorTally;
  course: ErrorTally;
  site: ErrorTally;
  covered: number;
  intervals: number;
  sites: FoldResult['sites'];
}

/**
 * Scores one period's forecast against what happened, over every class that was forecast or that ran (a class
 * that ran without being forecast counts in full), at class, course × site and site level; and how many of the
 * served classes (forecast above 0) fell inside their 80 % interval.
 */
function scorePeriod(plan: PeriodPlan, output: Float64Array, periodActuals: Map<string, number>, table: IntervalTable | null): Scored {
  const tally = emptyTally();
  const byCourse = new Map<string, [number, number]>();
  const bySite = new Map<string, ErrorTally>();
  const siteTotals = new Map<string, [number, number]>();
  let covered = 0;
  let intervals = 0;
  const add = (site: string, course: string, actual: number, forecast: number) => {
    addToTally(tally, actual, forecast);
    const ck = siteCourseKey(site, course);
    const c = byCourse.get(ck) ?? [0, 0];
    c[0] += actual;
    c[1] += forecast;
    byCourse.set(ck, c);
    const s = siteTotals.get(site) ?? [0, 0];
    s[0] += actual;
    s[1] += forecast;
    siteTotals.set(site, s);
    let siteTally = bySite.get(site);
    if (!siteTally) bySite.set(site, (siteTally = emptyTally()));
    addToTally(siteTally, actual, forecast);
  };
  const forecastKeys = new Set<string>();
  const served = roundCoherently(plan.keys, output);
  plan.keys.forEach((k, i) => {
    const key = targetKey(plan.period, k);
    forecastKeys.add(key);
    const actual = periodActuals.get(key) ?? 0;
    const forecast = served[i]!;
    if (table && forecast > 0) {
      const { p10, p90 } = interval(table, output[i]!, forecast, plan.reasons[i]!);
      intervals++;
      if (actual >= p10 && actual <= p90) covered++;
    }
    if (actual === 0 && forecast === 0) return;
    add(k.site, k.course, actual, forecast);
  });
  for (const [key, actual] of periodActuals) {
    if (forecastKeys.has(key) || actual === 0) continue;
    const { site, course } = parseClassKey(key);
    add(site, course, actual, 0);
  }
  const course = emptyTally();
  for (const [actual, forecast] of byCourse.values()) addToTally(course, actual, forecast);
  const site = emptyTally();
  for (const [actual, forecast] of siteTotals.values()) addToTally(site, actual, forecast);
  const sites = [...bySite.entries()].map(([s, t]) => ({ site: s, absolute_error: t.absoluteError, actual: t.actual })).sort((a, b) => (a.site < b.site ? -1 : 1));
  return { tally, course, site, covered, intervals, sites };
}

/**
 * Rolling-origin backtest: for each of the last periods, every candidate is trained only on the periods before it
 * and scored on what really happened, classes that ran without being forecast included. Candidates also forecast
 * `inner` periods before the first scored one, so that the combination's weights and every interval are fitted,
 * for each scored period, on forecasts of earlier periods only.
 */
export async function runBacktest(dataset: Dataset, options: BacktestOptions): Promise<BacktestResult> {
  const scored = foldIndexes(dataset, options.folds);
  const inner = options.inner ?? DEFAULT_INNER_PERIODS;
  const first = Math.max(2, (scored[0] ?? dataset.panel.periodCount) - inner);
  const evaluated = Array.from({ length: dataset.panel.periodCount - first }, (_, i) => first + i);

  const actualsByPeriod = new Map<string, Map<string, number>>();
  for (const [key, students] of dataset.targets) {
    const { period } = parseClassKey(key);
    let m = actualsByPeriod.get(period);
    if (!m) actualsByPeriod.set(period, (m = new Map()));
    m.set(key, students);
  }
  const plans = new Map<number, PeriodPlan>();
  const actuals = new Map<number, Float64Array>();
  for (const index of evaluated) {
    const plan = planFor(dataset, index);
    plans.set(index, plan);
    const periodActuals = actualsByPeriod.get(plan.period) ?? new Map<string, number>();
    actuals.set(index, Float64Array.from(plan.keys, (k) => periodActuals.get(targetKey(plan.period, k)) ?? 0));
  }

  const bases = options.candidates.filter((c) => c.kind !== 'ensemble');
  const ensembles = options.candidates.filter((c) => c.kind === 'ensemble');
  const runs = new Map<string, CandidateRun>();
  const durations = new Map<string, number>();
  const steps = evaluated.length * bases.length + ensembles.length;
  let step = 0;
  for (const index of evaluated) {
    const plan = plans.get(index)!;
    for (const candidate of bases) {
      // Each fit holds the thread for a while: let reads and a cancel through between them.
      await yieldToEventLoop(options.signal);
      options.onProgress?.({ candidate: candidate.name, period: plan.period, step: step++, steps });
      const started = performance.now();
      const output = await candidateForecast(candidate, dataset, plan, options.seed, options.signal);
      durations.set(`${candidate.name}|${index}`, performance.now() - started);
      let run = runs.get(candidate.name);
      if (!run) runs.set(candidate.name, (run = { candidate, outputs: new Map() }));
      run.outputs.set(index, output);
    }
  }
  const members = bases.map((c) => c.name);
  for (const candidate of ensembles) {
    options.onProgress?.({ candidate: candidate.name, period: plans.get(evaluated.at(-1)!)!.period, step: step++, steps });
    const run: CandidateRun = { candidate, outputs: new Map(), weights: new Map(), members };
    for (const index of evaluated) {
      const started = performance.now();
      const earlier = evaluated.filter((j) => j < index && j >= index - inner);
      if (earlier.length === 0) continue;
      const weights = combinationWeights(runs, members, plans, actuals, earlier);
      const plan = plans.get(index)!;
      run.outputs.set(index, combine(members.map((m) => runs.get(m)!.outputs.get(index)!), weights, plan.keys.length));
      run.weights!.set(index, weights);
      durations.set(`${candidate.name}|${index}`, performance.now() - started);
    }
    runs.set(candidate.name, run);
  }

  const folds: FoldResult[] = [];
  const pooled = new Map<string, { tally: ErrorTally[]; course: ErrorTally[]; covered: number; intervals: number }>();
  for (const index of scored) {
    const plan = plans.get(index)!;
    for (const candidate of options.candidates) {
      const run = runs.get(candidate.name)!;
      const output = run.outputs.get(index);
      if (!output) continue;
      const table = intervalTable(run, plans, actuals, index);
      const s = scorePeriod(plan, output, actualsByPeriod.get(plan.period) ?? new Map(), table);
      const p = pooled.get(candidate.name) ?? { tally: [], course: [], covered: 0, intervals: 0 };
      p.tally.push(s.tally);
      p.course.push(s.course);
      p.covered += s.covered;
      p.intervals += s.intervals;
      pooled.set(candidate.name, p);
      folds.push({
        candidate: candidate.name,
        period: plan.period,
        wape: wape(s.tally),
        mae: mae(s.tally),
        bias: bias(s.tally),
        actual_total: s.tally.actual,
        predicted_total: s.tally.predicted,
        classes: s.tally.classes,
        course_wape: wape(s.course),
        site_wape: wape(s.site),
        coverage: s.intervals > 0 ? s.covered / s.intervals : null,
        covered: s.covered,
        intervals: s.intervals,
        duration_ms: Math.round(durations.get(`${candidate.name}|${index}`) ?? 0),
        sites: s.sites,
      });
    }
  }
  let unlisted = 0;
  let students = 0;
  for (const index of scored) {
    const plan = plans.get(index)!;
    const listed = new Set(plan.keys.map((k) => siteCourseKey(k.site, k.course)));
    for (const [key, actual] of actualsByPeriod.get(plan.period) ?? new Map<string, number>()) {
      const { site, course } = parseClassKey(key);
      students += actual;
      if (!listed.has(siteCourseKey(site, course))) unlisted += actual;
    }
  }
  const summaries: CandidateSummary[] = options.candidates.flatMap((c) => {
    const p = pooled.get(c.name);
    if (!p) return [];
    const t = mergeTallies(p.tally);
    return [{
      candidate: c.name, kind: c.kind, wape: wape(t), mae: mae(t), folds: p.tally.length, bias: bias(t),
      course_wape: wape(mergeTallies(p.course)), coverage: p.intervals > 0 ? p.covered / p.intervals : null,
    }];
  });
  return { foldPeriods: scored.map((i) => dataset.panel.periods[i]!), folds, summaries, plans, actuals, runs, scored, inner, unlistedShare: students > 0 ? unlisted / students : 0 };
}

/** The combination's weights from its members' forecasts of the periods `indexes` (each out of sample). */
export function combinationWeights(runs: Map<string, CandidateRun>, members: readonly string[], plans: Map<number, PeriodPlan>, actuals: Map<number, Float64Array>, indexes: readonly number[]): number[] {
  const length = indexes.reduce((n, j) => n + plans.get(j)!.keys.length, 0);
  const stack = (parts: Float64Array[]) => {
    const out = new Float64Array(length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  };
  const memberOutputs = members.map((m) => stack(indexes.map((j) => runs.get(m)!.outputs.get(j)!)));
  return ensembleWeights(memberOutputs, stack(indexes.map((j) => actuals.get(j)!)));
}

/** Intervals for period `index` from the candidate's own forecasts of earlier periods (none: null). */
export function intervalTable(run: CandidateRun, plans: Map<number, PeriodPlan>, actuals: Map<number, Float64Array>, index: number): IntervalTable | null {
  const residuals: Residual[] = [];
  for (const [j, output] of run.outputs) if (j < index) residuals.push(...residualsOf(plans.get(j)!, output, actuals.get(j)!));
  return residuals.length > 0 ? calibrate(residuals) : null;
}

/** The test periods every one of `candidates` forecast (the combination has no weights for a first period with nothing before it). */
export function commonPeriods(folds: readonly FoldMetric[], candidates: readonly string[]): string[] {
  return [...new Set(folds.map((f) => f.period))].filter((p) => candidates.every((c) => folds.some((f) => f.candidate === c && f.period === p)));
}

/** A candidate's WAPE over some of its test periods, weighted by students as its summary is (null: none of them). */
export function wapeOn(folds: readonly FoldMetric[], candidate: string, periods: readonly string[]): number | null {
  const own = folds.filter((f) => f.candidate === candidate && periods.includes(f.period));
  const actual = own.reduce((a, f) => a + f.actual_total, 0);
  return actual > 0 ? own.reduce((a, f) => a + f.wape * f.actual_total, 0) / actual : null;
}

/**
 * The candidate with the lowest backtest WAPE serves; on a tie, the one listed first (baselines come first). They
 * are compared on the test periods every one of them forecast: a WAPE over two periods is not comparable with one
 * over three.
 */
export function chooseWinner(summaries: readonly CandidateSummary[], folds: readonly FoldMetric[] = []): CandidateSummary {
  const periods = commonPeriods(folds, summaries.map((s) => s.candidate));
  const score = (s: CandidateSummary) => wapeOn(folds, s.candidate, periods) ?? s.wape;
  return summaries.reduce((best, s) => (score(s) < score(best) - 1e-12 ? s : best));
}

export type { FeatureRow };
