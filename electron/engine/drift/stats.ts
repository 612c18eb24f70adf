import type { ColumnDrift, PsiBand, TestOutcome } from '../../../shared/drift';
/**
 * The distribution tests of Evidently's data-drift preset, with its defaults, on plain arrays:
 * - numerical column, reference of at most 1000 values: two-sample Kolmogorov-Smirnov, drift when p < 0.05;
 * - categorical column (or numerical with at most 5 distinct values), reference of at most 1000 values:
 *   chi-square goodness of fit against the reference shares (z-test of two proportions when only two values),
 *   drift when p < 0.05;
 * - larger references: Wasserstein distance normalised by the reference's standard deviation (numerical) or
 *   Jensen-Shannon distance (categorical, and numerical with at most 5 values), drift when ≥ 0.1;
 * - PSI beside them as one number per column, read with the usual bands (< 0.1 stable, < 0.25 moderate, else
 *   significant).
 * The distributions (chi-square, normal) come from jStat; the two-sample KS p-value is the exact Smirnov
 * distribution (a lattice-path count, as scipy's `ks_2samp` does up to 10,000 values), with Stephens'
 * approximation of Kolmogorov's limit beyond that.
 */
import jstat from 'jstat';

const { jStat } = jstat;

export const DRIFT_DEFAULTS = {
  /** A reference of at most this many values is tested with p-values; a larger one with distances. */
  smallReference: 1000,
  pValue: 0.05,
  distance: 0.1,
  /** Numerical columns with at most this many distinct values are tested as categories. */
  fewValues: 5,
  /** A numerical column is binned (Sturges) for JS and PSI when its reference has more distinct values. */
  binAbove: 20,
  /** The dataset drifts when at least this share of its columns drifts. */
  datasetShare: 0.5,
  psiModerate: 0.1,
  psiSignificant: 0.25,
} as const;

/** Where scipy's `ks_2samp` stops counting paths and uses the asymptotic distribution. */
const KS_EXACT_MAX_N = 10_000;

/** A column's values: numbers, or how many rows hold each category. */
export type Sample = { kind: 'numerical'; values: readonly number[] } | { kind: 'categorical'; counts: ReadonlyMap<string, number> };


// ---------------------------------------------------------------------------------------------- KS

function sorted(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** The largest gap between the two empirical CDFs (ties handled as scipy does: each CDF taken after a value). */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = sorted(a);
  const y = sorted(b);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * P(D < d) for two samples of sizes m and n from one continuous distribution: the share of lattice paths from
 * (0,0) to (m,n) that stay strictly within d of the diagonal (Hodges 1957), each row rescaled so the count
 * never overflows.
 */
function smirnovExactCdf(d: number, m0: number, n0: number): number {
  const m = Math.min(m0, n0);
  const n = Math.max(m0, n0);
  const q = (0.5 + Math.floor(d * m * n - 1e-7)) / (m * n);
  const u = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) u[j] = j / n > q ? 0 : 1;
  for (let i = 1; i <= m; i++) {
    const w = i / (i + n);
    u[0] = i / m > q ? 0 : w * u[0]!;
    for (let j = 1; j <= n; j++) u[j] = Math.abs(i / m - j / n) > q ? 0 : w * u[j]! + u[j - 1]!;
  }
  return u[n]!;
}

/** Kolmogorov's limiting survival function at √n·d with Stephens' small-sample correction. */
function kolmogorovSurvival(d: number, n: number): number {
  const root = Math.sqrt(n);
  const lambda = (root + 0.12 + 0.11 / root) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Two-sample, two-sided Kolmogorov-Smirnov test (scipy's `ks_2samp` with its default `method='auto'`). */
export function ksTest(a: readonly number[], b: readonly number[]): { statistic: number; pValue: number; method: 'exact' | 'asymptotic' } {
  if (a.length === 0 || b.length === 0) return { statistic: 0, pValue: 1, method: 'exact' };
  const statistic = ksStatistic(a, b);
  if (Math.max(a.length, b.length) <= KS_EXACT_MAX_N) {
    return { statistic, pValue: Math.min(1, Math.max(0, 1 - smirnovExactCdf(statistic, a.length, b.length))), method: 'exact' };
  }
  const en = (a.length * b.length) / (a.length + b.length);
  return { statistic, pValue: kolmogorovSurvival(statistic, en), method: 'asymptotic' };
}

// ------------------------------------------------------------------------------------- categories

function keysOf(reference: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>): string[] {
  return [...new Set([...reference.keys(), ...current.keys()])].filter((k) => (reference.get(k) ?? 0) > 0 || (current.get(k) ?? 0) > 0).sort();
}

function total(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const v of counts.values()) sum += v;
  return sum;
}

/** Chi-square goodness of fit of the current counts to the reference's shares (Evidently's `chisquare`). */
export function chiSquareTest(reference: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>): { statistic: number; df: number; pValue: number } {
  const keys = keysOf(reference, current);
  const nRef = total(reference);
  const nCur = total(current);
  if (keys.length < 2 || nRef === 0 || nCur === 0) return { statistic: 0, df: Math.max(0, keys.length - 1), pValue: 1 };
  const scale = nCur / nRef;
  let statistic = 0;
  for (const k of keys) {
    const expected = (reference.get(k) ?? 0) * scale;
    const observed = current.get(k) ?? 0;
    statistic += expected === 0 ? (observed > 0 ? Infinity : 0) : (observed - expected) ** 2 / expected;
  }
  const df = keys.length - 1;
  const pValue = Number.isFinite(statistic) ? Math.min(1, Math.max(0, 1 - jStat.chisquare.cdf(statistic, df))) : 0;
  return { statistic, df, pValue };
}

/** Two-proportion z-test for a column with two values (Evidently's `z`). */
export function zTest(reference: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>): { statistic: number; pValue: number } {
  const keys = keysOf(reference, current);
  const n1 = total(reference);
  const n2 = total(current);
  if (keys.length < 2 || n1 === 0 || n2 === 0) return { statistic: 0, pValue: 1 };
  const first = keys[0]!;
  const p1 = (n1 - (reference.get(first) ?? 0)) / n1;
  const p2 = (n2 - (current.get(first) ?? 0)) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { statistic: 0, pValue: 1 };
  const statistic = (p1 - p2) / se;
  return { statistic, pValue: 2 * (1 - jStat.normal.cdf(Math.abs(statistic), 0, 1)) };
}

// ---------------------------------------------------------------------------------------- distances

function populationStd(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return Math.sqrt(sq / values.length);
}

/** First Wasserstein distance between two samples: the area between their empirical CDFs (scipy's definition). */
export function wassersteinDistance(a: readonly number[], b: readonly number[]): number {
  const x = sorted(a);
  const y = sorted(b);
  if (x.length === 0 || y.length === 0) return 0;
  let i = 0;
  let j = 0;
  let area = 0;
  let previous = Math.min(x[0]!, y[0]!);
  while (i < x.length || j < y.length) {
    const v = Math.min(i < x.length ? x[i]! : Infinity, j < y.length ? y[j]! : Infinity);
    area += Math.abs(i / x.length - j / y.length) * (v - previous);
    previous = v;
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
  }
  return area;
}

/** Evidently's `wasserstein`: the distance in units of the reference's standard deviation (at least 0.001). */
export function wassersteinNormed(reference: readonly number[], current: readonly number[]): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), 0.001);
}

/** Jensen-Shannon distance (natural logarithm, as scipy's `jensenshannon`): the square root of the divergence. */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  if (sp === 0 || sq === 0) return 0;
  let divergence = 0;
  for (let k = 0; k < p.length; k++) {
    const a = p[k]! / sp;
    const b = (q[k] ?? 0) / sq;
    const m = (a + b) / 2;
    if (a > 0) divergence += 0.5 * a * Math.log(a / m);
    if (b > 0) divergence += 0.5 * b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, divergence));
}

/** Evidently's zero filling before PSI: an empty bin counts as 0.0001 (or a millionth of the smallest share). */
function fillZeroes(shares: readonly number[]): number[] {
  const positive = shares.filter((s) => s > 0);
  if (positive.length === 0) return [...shares];
  const smallest = Math.min(...positive);
  const fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** Population stability index over the same bins: Σ (ref − cur) · ln(ref / cur), empty bins filled first. */
export function populationStabilityIndex(reference: readonly number[], current: readonly number[]): number {
  const r = fillZeroes(reference);
  const c = fillZeroes(current);
  let psi = 0;
  for (let k = 0; k < r.length; k++) psi += (r[k]! - c[k]!) * Math.log(r[k]! / c[k]!);
  return psi;
}

export function psiBand(psi: number): PsiBand {
  return psi < DRIFT_DEFAULTS.psiModerate ? 'stable' : psi < DRIFT_DEFAULTS.psiSignificant ? 'moderate' : 'significant';
}

// -------------------------------------------------------------------------------------------- bins

/** numpy's `histogram_bin_edges(values, bins='sturges')`: ⌈log2 n + 1⌉ equal bins over the range. */
export function sturgesEdges(values: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = Math.max(1, Math.ceil(Math.log2(values.length) + 1));
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + ((hi - lo) * k) / bins));
}

/** numpy's `histogram`: bins closed on the left, the last one on both sides. Shares of the sample's size. */
export function histogramShares(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0]!;
  const hi = edges[bins]!;
  for (const v of values) {
    if (v < lo || v > hi) continue;
    let k = Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins));
    if (k > 0 && v < edges[k]!) k--;
    else if (k < bins - 1 && v >= edges[k + 1]!) k++;
    counts[k]!++;
  }
  return counts.map((c) => (values.length > 0 ? c / values.length : 0));
}

function formatEdge(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function distinct(values: readonly number[]): number {
  return new Set(values).size;
}

function countsOfNumbers(values: readonly number[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return counts;
}

/** The shares Evidently compares for JS and PSI: Sturges bins for a numerical column with many values, else categories. */
export function binnedShares(reference: Sample, current: Sample): { labels: string[]; reference: number[]; current: number[] } {
  if (reference.kind === 'numerical' && current.kind === 'numerical' && distinct(reference.values) > DRIFT_DEFAULTS.binAbove) {
    const edges = sturgesEdges([...reference.values, ...current.values]);
    const labels = edges.slice(0, -1).map((e, k) => `${formatEdge(e)}–${formatEdge(edges[k + 1]!)}`);
    return { labels, reference: histogramShares(reference.values, edges), current: histogramShares(current.values, edges) };
  }
  const ref = reference.kind === 'numerical' ? countsOfNumbers(reference.values) : reference.counts;
  const cur = current.kind === 'numerical' ? countsOfNumbers(current.values) : current.counts;
  let keys = keysOf(ref, cur);
  if (reference.kind === 'numerical') keys = keys.sort((a, b) => Number(a) - Number(b));
  const nRef = total(ref);
  const nCur = total(cur);
  return {
    labels: keys,
    reference: keys.map((k) => (nRef > 0 ? (ref.get(k) ?? 0) / nRef : 0)),
    current: keys.map((k) => (nCur > 0 ? (cur.get(k) ?? 0) / nCur : 0)),
  };
}

function sizeOf(sample: Sample): number {
  return sample.kind === 'numerical' ? sample.values.length : total(sample.counts);
}

/** The test Evidently's preset picks for a column, run with its default threshold, and the column's PSI. */
export function columnDrift(reference: Sample, current: Sample): ColumnDrift {
  const referenceSize = sizeOf(reference);
  const currentSize = sizeOf(current);
  const bins = binnedShares(reference, current);
  const psi = populationStabilityIndex(bins.reference, bins.current);
  const numerical = reference.kind === 'numerical' && current.kind === 'numerical';
  const nValues = numerical ? distinct([...reference.values, ...current.values]) : bins.labels.length;
  const asCategories = (s: Sample) => (s.kind === 'numerical' ? countsOfNumbers(s.values) : s.counts);
  let outcome: TestOutcome;
  if (referenceSize <= DRIFT_DEFAULTS.smallReference) {
    if (numerical && nValues > DRIFT_DEFAULTS.fewValues) {
      const p = ksTest(reference.values, current.values).pValue;
      outcome = { test: 'ks', value: p, threshold: DRIFT_DEFAULTS.pValue, drifted: p < DRIFT_DEFAULTS.pValue };
    } else if (nValues > 2) {
      const p = chiSquareTest(asCategories(reference), asCategories(current)).pValue;
      outcome = { test: 'chisquare', value: p, threshold: DRIFT_DEFAULTS.pValue, drifted: p < DRIFT_DEFAULTS.pValue };
    } else {
      const p = zTest(asCategories(reference), asCategories(current)).pValue;
      outcome = { test: 'z', value: p, threshold: DRIFT_DEFAULTS.pValue, drifted: p < DRIFT_DEFAULTS.pValue };
    }
  } else if (numerical && nValues > DRIFT_DEFAULTS.fewValues) {
    const d = wassersteinNormed(reference.values, current.values);
    outcome = { test: 'wasserstein', value: d, threshold: DRIFT_DEFAULTS.distance, drifted: d >= DRIFT_DEFAULTS.distance };
  } else {
    const d = jensenShannonDistance(bins.reference, bins.current);
    outcome = { test: 'jensenshannon', value: d, threshold: DRIFT_DEFAULTS.distance, drifted: d >= DRIFT_DEFAULTS.distance };
  }
  return { ...outcome, psi, psi_band: psiBand(psi), reference_size: referenceSize, current_size: currentSize, bins };
}

/** Evidently's dataset verdict: drifted when at least half of the columns drifted. */
export function datasetDrifted(columns: readonly Pick<ColumnDrift, 'drifted'>[]): { drifted: boolean; share: number } {
  if (columns.length === 0) return { drifted: false, share: 0 };
  const share = columns.filter((c) => c.drifted).length / columns.length;
  return { drifted: share >= DRIFT_DEFAULTS.datasetShare, share };
}
