import type { FeatureRow } from '../features/build';
import { F } from '../features/build';
import { seededRandom } from './random';
import type { Candidate, FittedModel, TrainingExamples } from './types';

/**
 * Gradient-boosted trees that correct the cohort estimate instead of starting from nothing: the model's log-rate
 * is log(cohort estimate) plus a sum of small trees, fitted with the Poisson loss (counts, errors weighed by
 * class size as WAPE weighs them). The trees see what the cohort method leaves out: how the class did against
 * its own cohort last time, the site's and course's trends, the same season, the trend of entry courses.
 * Plain TypeScript on histograms of the features: a fit on 100k rows takes about a second on one core.
 */

/**
 * rounds × learning rate: how far the trees may move the cohort estimate; depth 4: interactions of four features;
 * minHessian: expected students a leaf must hold (the Poisson hessian), so no leaf is fitted to a handful of
 * students; maxStep: a single tree moves a rate by at most this (log scale), as XGBoost's max_delta_step does for
 * Poisson; maxPeriods, minRows: only the most recent periods are learnt from (what schools did ten years ago says
 * little, and it keeps fits fast), see recentRows. Exported for experiments only.
 */
export const BOOSTED_PARAMS = { rounds: 100, learningRate: 0.1, depth: 4, minHessian: 20, lambda: 10, subsample: 0.6, maxStep: 0.7, maxPeriods: 8, minRows: 40_000 };
const BINS = 32;

const RAW = [
  F.lag1, F.lag2, F.lag3, F.same_season, F.has_same_season, F.feeder_lag1, F.feeder_lag2, F.progression_rate, F.cohort_estimate,
  F.site_trend, F.runs_before, F.periods_since_run, F.slot, F.has_feeder, F.steps, F.site_ratio, F.pooled_ratio, F.ratio_weight,
  F.entry_trend, F.last_ratio, F.schedule_share, F.course_trend, F.rung, F.site_total_lag1,
];
const REASON_CODE = { running: 0, seasonal: 1, progression: 2 } as const;
/** The features, then the alternatives against the cohort estimate (columnsOf). */
const COLUMNS = RAW.length + 8;

function base(x: Float64Array): number {
  return Math.max(0, x[F.cohort_estimate]!);
}

const logRatio = (a: number, b: number) => Math.log((Math.max(a, 0) + 0.5) / (Math.max(b, 0) + 0.5));

/** The columns the trees split on: the features, and each alternative estimate against the cohort estimate. */
function columnsOf(r: FeatureRow, out: Float64Array, at: number): void {
  const x = r.x;
  for (let k = 0; k < RAW.length; k++) out[at + k] = x[RAW[k]!]!;
  const b = base(x);
  const k = at + RAW.length;
  out[k] = Math.log(b + 0.5);
  out[k + 1] = logRatio(x[F.lag1]!, b);
  out[k + 2] = x[F.has_same_season] ? logRatio(x[F.same_season]!, b) : 0;
  out[k + 3] = logRatio(x[F.entry_trend]!, b);
  out[k + 4] = logRatio(x[F.ma3]!, b);
  out[k + 5] = x[F.site_course_lag1]! > 0 ? logRatio(x[F.site_course_same_season]!, x[F.site_course_lag1]!) : 0;
  out[k + 6] = REASON_CODE[r.reason];
  out[k + 7] = logRatio(x[F.cohort_prev]!, b);
}

interface Tree {
  feature: number[];
  /** Go left when the column's value is at most this. */
  threshold: number[];
  left: number[];
  right: number[];
  /** Leaf value on the log scale (0 for split nodes). */
  value: number[];
}

interface BoostedState {
  intercept: number;
  trees: Tree[];
}

/** Every tree in one set of typed arrays (node offsets per tree), for forecasting 100,000 classes in a blink. */
function flatten(trees: readonly Tree[]): { start: Int32Array; feature: Int32Array; threshold: Float64Array; left: Int32Array; right: Int32Array; value: Float64Array } {
  const total = trees.reduce((n, t) => n + t.feature.length, 0);
  const flat = { start: new Int32Array(trees.length), feature: new Int32Array(total), threshold: new Float64Array(total), left: new Int32Array(total), right: new Int32Array(total), value: new Float64Array(total) };
  let at = 0;
  trees.forEach((t, k) => {
    flat.start[k] = at;
    flat.feature.set(t.feature, at);
    flat.threshold.set(t.threshold, at);
    flat.left.set(t.left.map((c) => (c < 0 ? -1 : c + at)), at);
    flat.right.set(t.right.map((c) => (c < 0 ? -1 : c + at)), at);
    flat.value.set(t.value, at);
    at += t.feature.length;
  });
  return flat;
}

function fitted(state: BoostedState): FittedModel {
  const flat = flatten(state.trees);
  return {
    predict: async (rows) => {
      const out = new Float64Array(rows.length);
      const columns = new Float64Array(COLUMNS);
      const { start, feature, threshold, left, right, value } = flat;
      rows.forEach((r, i) => {
        // No trees (too little history to learn from): the cohort estimate itself, not its smoothed log-rate.
        if (start.length === 0) {
          out[i] = base(r.x);
          return;
        }
        columnsOf(r, columns, 0);
        let z = Math.log(base(r.x) + 0.5) + state.intercept;
        for (let k = 0; k < start.length; k++) {
          let node = start[k]!;
          while (left[node]! >= 0) node = columns[feature[node]!]! <= threshold[node]! ? left[node]! : right[node]!;
          z += value[node]!;
        }
        out[i] = Math.exp(Math.min(z, 20));
      });
      return out;
    },
    artifact: () => ({ candidate: 'boosted', kind: 'boosted', state }),
    dispose: () => undefined,
  };
}

/** Cut points per column: up to BINS − 1 quantiles of its values (a sample of rows, the same for the same data). */
function binEdges(values: Float64Array, n: number, column: number): Float64Array {
  const step = Math.max(1, Math.floor(n / 20_000));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) sample.push(values[i * COLUMNS + column]!);
  sample.sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < BINS; b++) {
    const v = sample[Math.min(sample.length - 1, Math.floor((b * sample.length) / BINS))]!;
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  // The largest value is never a cut: every column keeps its values above the last edge in the last bin.
  if (edges.length > 0 && edges[edges.length - 1]! >= sample[sample.length - 1]!) edges.pop();
  return Float64Array.from(edges);
}

/**
 * A period forecast from a single earlier one has no transition to take a progression ratio from: its cohort
 * estimate is each class's own trend. Corrections learnt on such rows do not carry over to periods where the
 * estimate is a real cohort (five school years of New York City schools: a model fitted on the second year alone
 * forecast the third 58 % too high), so they are not learnt from; with too little else, the model is the cohort method.
 */
const FIRST_PERIOD_WITH_RATIOS = 2;
/** From one period alone a correction cannot tell a lasting pattern from that year's shock: it needs two. */
const MIN_PERIODS_TO_LEARN = 2;

/**
 * The rows learnt from: the most recent periods, at least `maxPeriods` of them and more until `minRows` rows (a
 * monthly institute's eight months are too few rows; a state's eight school years are plenty).
 */
export function recentRows(rows: readonly FeatureRow[], maxPeriods = BOOSTED_PARAMS.maxPeriods, minRows = BOOSTED_PARAMS.minRows): number[] {
  const perPeriod = new Map<number, number>();
  for (const r of rows) if (r.periodIndex >= FIRST_PERIOD_WITH_RATIOS) perPeriod.set(r.periodIndex, (perPeriod.get(r.periodIndex) ?? 0) + 1);
  if (perPeriod.size < MIN_PERIODS_TO_LEARN) return [];
  const newestFirst = [...perPeriod.keys()].sort((a, b) => b - a);
  let oldest = -Infinity;
  let count = 0;
  for (const [k, p] of newestFirst.entries()) {
    count += perPeriod.get(p)!;
    oldest = p;
    if (k + 1 >= maxPeriods && count >= minRows) break;
  }
  const keep: number[] = [];
  rows.forEach((r, i) => {
    if (r.periodIndex >= Math.max(oldest, FIRST_PERIOD_WITH_RATIOS)) keep.push(i);
  });
  return keep;
}

function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

async function fitBoosted(train: TrainingExamples, seed: number, signal?: AbortSignal): Promise<FittedModel> {
  const keep = recentRows(train.rows);
  const n = keep.length;
  if (n === 0) return fitted({ intercept: 0, trees: [] });

  const values = new Float64Array(n * COLUMNS);
  const offset = new Float64Array(n);
  const y = new Float64Array(n);
  keep.forEach((i, k) => {
    const r = train.rows[i]!;
    columnsOf(r, values, k * COLUMNS);
    offset[k] = Math.log(base(r.x) + 0.5);
    y[k] = train.y[i]!;
  });
  const edges = Array.from({ length: COLUMNS }, (_, c) => binEdges(values, n, c));
  const bins = new Uint8Array(n * COLUMNS);
  for (let i = 0; i < n; i++) for (let c = 0; c < COLUMNS; c++) bins[i * COLUMNS + c] = binOf(edges[c]!, values[i * COLUMNS + c]!);

  let sumY = 0;
  let sumBase = 0;
  for (let i = 0; i < n; i++) {
    sumY += y[i]!;
    sumBase += Math.exp(offset[i]!);
  }
  const intercept = Math.log((sumY + 1) / (sumBase + 1));
  const z = Float64Array.from(offset, (o) => o + intercept);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const random = seededRandom(seed ^ 0x5bd1e995);
  const trees: Tree[] = [];
  const idx = new Int32Array(n);
  const histSize = COLUMNS * BINS * 2;

  const build = (from: number, to: number): Float64Array => {
    const hist = new Float64Array(histSize);
    for (let k = from; k < to; k++) {
      const i = idx[k]!;
      const gi = g[i]!;
      const hi = h[i]!;
      const row = i * COLUMNS;
      for (let c = 0; c < COLUMNS; c++) {
        const at = (c * BINS + bins[row + c]!) * 2;
        hist[at]! += gi;
        hist[at + 1]! += hi;
      }
    }
    return hist;
  };

  for (let round = 0; round < BOOSTED_PARAMS.rounds; round++) {
    if (signal?.aborted) throw signal.reason ?? new DOMException('cancelled', 'AbortError');
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (random() >= BOOSTED_PARAMS.subsample) continue;
      idx[m++] = i;
      const mu = Math.exp(z[i]!);
      g[i] = mu - y[i]!;
      h[i] = mu;
    }
    const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const binThreshold: number[] = [];
    const newNode = () => {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      binThreshold.push(0);
      return tree.feature.length - 1;
    };
    let G0 = 0;
    let H0 = 0;
    for (let k = 0; k < m; k++) {
      G0 += g[idx[k]!]!;
      H0 += h[idx[k]!]!;
    }
    const queue: { node: number; from: number; to: number; depth: number; hist: Float64Array; G: number; H: number }[] = [
      { node: newNode(), from: 0, to: m, depth: 0, hist: build(0, m), G: G0, H: H0 },
    ];
    while (queue.length > 0) {
      const { node, from, to, depth, hist, G, H } = queue.shift()!;
      let best = { gain: 1e-9, column: -1, bin: -1, GL: 0, HL: 0 };
      if (depth < BOOSTED_PARAMS.depth && H >= 2 * BOOSTED_PARAMS.minHessian) {
        const parentScore = (G * G) / (H + BOOSTED_PARAMS.lambda);
        for (let c = 0; c < COLUMNS; c++) {
          const cuts = edges[c]!.length;
          let GL = 0;
          let HL = 0;
          for (let b = 0; b < cuts; b++) {
            GL += hist[(c * BINS + b) * 2]!;
            HL += hist[(c * BINS + b) * 2 + 1]!;
            const HR = H - HL;
            if (HL < BOOSTED_PARAMS.minHessian) continue;
            if (HR < BOOSTED_PARAMS.minHessian) break;
            const GR = G - GL;
            const gain = (GL * GL) / (HL + BOOSTED_PARAMS.lambda) + (GR * GR) / (HR + BOOSTED_PARAMS.lambda) - parentScore;
            if (gain > best.gain) best = { gain, column: c, bin: b, GL, HL };
          }
        }
      }
      if (best.column < 0) {
        tree.value[node] = BOOSTED_PARAMS.learningRate * Math.max(-BOOSTED_PARAMS.maxStep, Math.min(BOOSTED_PARAMS.maxStep, -G / (H + BOOSTED_PARAMS.lambda)));
        continue;
      }
      // Partition the node's rows in place: those going left first.
      let split = from;
      for (let k = from; k < to; k++) {
        const i = idx[k]!;
        if (bins[i * COLUMNS + best.column]! <= best.bin) {
          idx[k] = idx[split]!;
          idx[split++] = i;
        }
      }
      tree.feature[node] = best.column;
      tree.threshold[node] = edges[best.column]![best.bin]!;
      binThreshold[node] = best.bin;
      const left = newNode();
      const right = newNode();
      tree.left[node] = left;
      tree.right[node] = right;
      // The histogram of the smaller side is built, the other is the parent's minus it.
      const leftSmaller = split - from <= to - split;
      const small = leftSmaller ? build(from, split) : build(split, to);
      const large = new Float64Array(histSize);
      for (let k = 0; k < histSize; k++) large[k] = hist[k]! - small[k]!;
      const [leftHist, rightHist] = leftSmaller ? [small, large] : [large, small];
      queue.push({ node: left, from, to: split, depth: depth + 1, hist: leftHist, G: best.GL, H: best.HL });
      queue.push({ node: right, from: split, to, depth: depth + 1, hist: rightHist, G: G - best.GL, H: H - best.HL });
    }
    for (let i = 0; i < n; i++) {
      let node = 0;
      while (tree.left[node]! >= 0) node = bins[i * COLUMNS + tree.feature[node]!]! <= binThreshold[node]! ? tree.left[node]! : tree.right[node]!;
      z[i]! += tree.value[node]!;
    }
    trees.push(tree);
    if (round % 10 === 9) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return fitted({ intercept, trees });
}

export function restoreBoosted(state: BoostedState): FittedModel {
  return fitted(state);
}

export const boosted: Candidate = {
  name: 'boosted',
  kind: 'boosted',
  description: {
    es: 'Árboles de decisión (gradient boosting) que corrigen la estimación por cohortes con la historia de cada clase, sede y curso.',
    en: 'Gradient-boosted trees that correct the cohort estimate with each class’s, site’s and course’s history.',
  },
  fit: fitBoosted,
};

export type { BoostedState };
