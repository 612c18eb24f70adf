import type { ForecastReason } from './plan';

/**
 * 80 % intervals by split conformal prediction from backtest residuals: the relative errors (actual − forecast)
 * / forecast that the model made on periods it had not seen, grouped by forecast size and by whether the class
 * runs now, is split from its course's forecast or opens, give the quantiles of the error to expect. The interval
 * of a forecast ŷ is ŷ·(1 + q10) to ŷ·(1 + q90) of its group, so it widens with class size, and more for classes
 * that open than for classes that run.
 * The same quantiles give the probability that a class ends below a size.
 */

/** The share of outcomes an interval is made to hold. */
export const INTERVAL_LEVEL = 0.8;
const TAIL = (1 - INTERVAL_LEVEL) / 2;

/** Upper ends of the size groups (forecast students); the last group is open-ended. */
const SIZE_EDGES = [3, 8, 15, 30, 60, 120];
/** Quantile levels kept for each group; 0.1 and 0.9 make the 80 % interval. */
export const LEVELS = [0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975];
/** Fewer residuals than this in a group and its quantiles come from the size group over every reason, then from all. */
const MIN_GROUP = 40;

/**
 * One group's errors: the quantiles of the relative error at LEVELS, and the two relative errors that make the
 * interval's ends (`low`, `high`): chosen on whole students, so that as near 1 class in 10 as whole students allow
 * fell below the rounded lower end, and so that 2 in 10 fell outside altogether. With classes of a handful of students, ends taken
 * straight from the quantiles and then rounded would cover far more than 80 %.
 */
export interface GroupErrors {
  q: number[];
  low: number;
  high: number;
}

export interface IntervalTable {
  /** Errors per reason group ('running' | 'schedule_split' | 'other') and size group; null where too few. */
  groups: Record<string, (GroupErrors | null)[]>;
  all: GroupErrors;
  residuals: number;
}

export interface Residual {
  expected: number;
  /** The whole students served for it (see rounding.ts). */
  served: number;
  actual: number;
  reason: ForecastReason;
}

function sizeGroup(expected: number): number {
  const i = SIZE_EDGES.findIndex((e) => expected < e);
  return i < 0 ? SIZE_EDGES.length : i;
}

/** Classes running now, classes split from their course's forecast, and classes that open (after a pause or by progression). */
function reasonGroup(reason: ForecastReason): string {
  return reason === 'running' || reason === 'schedule_split' ? reason : 'other';
}

const relative = (r: Residual) => (r.actual - r.expected) / Math.max(r.expected, 1);

/** The interval's ends in whole students for relative errors `low` and `high`, around the served forecast. */
function ends(expected: number, served: number, low: number, high: number): { p10: number; p90: number } {
  const scale = Math.max(expected, 1);
  return { p10: Math.min(served, Math.max(0, Math.round(expected + low * scale))), p90: Math.max(served, Math.round(expected + high * scale)) };
}

function errorsOf(residuals: readonly Residual[]): GroupErrors {
  const values = residuals.map(relative).sort((a, b) => a - b);
  const n = values.length;
  const q = LEVELS.map((level) => {
    // Conformal finite-sample level: the ⌈(n + 1)·level⌉-th smallest above the median, ⌊(n + 1)·level⌋-th below.
    const rank = level > 0.5 ? Math.ceil((n + 1) * level) : Math.floor((n + 1) * level);
    return values[Math.min(n - 1, Math.max(0, rank - 1))]!;
  });
  const target = TAIL * n;
  const below = (low: number) => residuals.reduce((m, r) => m + (r.actual < ends(r.expected, r.served, low, 0).p10 ? 1 : 0), 0);
  const above = (high: number) => residuals.reduce((m, r) => m + (r.actual > ends(r.expected, r.served, 0, high).p90 ? 1 : 0), 0);
  // The lower end with the share of classes below it nearest 10 % (binary search over the observed errors: misses
  // only change there; whole students make the share jump, so "nearest" rather than "at most", else small classes
  // would get intervals covering 90 % and more). The same for the upper end.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (below(values[mid]!) <= target) lo = mid;
    else hi = mid - 1;
  }
  if (lo + 1 < n && Math.abs(below(values[lo + 1]!) - target) < Math.abs(below(values[lo]!) - target)) lo++;
  const low = values[lo]!;
  // The upper end takes what the lower one could not: where classes that do not run at all (actual 0) are more
  // than 1 in 10, the lower tail jumps from none below to all of them, and equal tails would hold 9 in 10, not 8.
  const aboveTarget = Math.max(0, 2 * TAIL * n - below(low));
  lo = 0;
  hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (above(values[mid]!) <= aboveTarget) hi = mid;
    else lo = mid + 1;
  }
  if (lo > 0 && Math.abs(above(values[lo - 1]!) - aboveTarget) < Math.abs(above(values[lo]!) - aboveTarget)) lo--;
  return { q, low: Math.min(low, 0), high: Math.max(values[lo]!, 0) };
}

/** The table from residuals of forecasts that were served (rounded forecast above 0). */
export function calibrate(residuals: readonly Residual[]): IntervalTable {
  const used = residuals.filter((r) => r.served > 0);
  const groups: Record<string, (GroupErrors | null)[]> = {};
  const bySize: Residual[][] = Array.from({ length: SIZE_EDGES.length + 1 }, () => []);
  const cells = new Map<string, Residual[]>();
  for (const r of used) {
    const s = sizeGroup(r.expected);
    bySize[s]!.push(r);
    const key = `${reasonGroup(r.reason)}|${s}`;
    const list = cells.get(key);
    if (list) list.push(r);
    else cells.set(key, [r]);
  }
  const all = used.length > 0 ? errorsOf(used) : { q: LEVELS.map(() => 0), low: 0, high: 0 };
  const sizeErrors = bySize.map((list) => (list.length >= MIN_GROUP ? errorsOf(list) : null));
  for (const group of ['running', 'schedule_split', 'other']) {
    groups[group] = bySize.map((_list, s) => {
      const own = cells.get(`${group}|${s}`) ?? [];
      return own.length >= MIN_GROUP ? errorsOf(own) : sizeErrors[s]!;
    });
  }
  return { groups, all, residuals: used.length };
}

function errorsFor(table: IntervalTable, expected: number, reason: ForecastReason): GroupErrors {
  return table.groups[reasonGroup(reason)]?.[sizeGroup(expected)] ?? table.all;
}

/** The 80 % interval of a forecast served as `served` whole students. */
export function interval(table: IntervalTable | null | undefined, expected: number, served: number, reason: ForecastReason): { p10: number; p90: number } {
  if (!table) return { p10: served, p90: served };
  const e = errorsFor(table, expected, reason);
  return ends(expected, served, e.low, e.high);
}

/** The probability that the class ends with fewer than `size` students, from the same quantiles. */
export function probabilityBelow(table: IntervalTable | null | undefined, expected: number, reason: ForecastReason, size: number): number {
  if (!table) return Math.round(expected) < size ? 1 : 0;
  const { q } = errorsFor(table, expected, reason);
  const scale = Math.max(expected, 1);
  // Whole students: "fewer than size" is "at most size − 1", i.e. below size − 0.5.
  const threshold = (size - 0.5 - expected) / scale;
  if (threshold <= q[0]!) return threshold < q[0]! - 1e-12 ? LEVELS[0]! / 2 : LEVELS[0]!;
  if (threshold >= q[q.length - 1]!) return 1 - (1 - LEVELS[LEVELS.length - 1]!) / 2;
  for (let i = 1; i < q.length; i++) {
    if (threshold <= q[i]!) {
      const span = q[i]! - q[i - 1]!;
      const t = span > 0 ? (threshold - q[i - 1]!) / span : 1;
      return LEVELS[i - 1]! + t * (LEVELS[i]! - LEVELS[i - 1]!);
    }
  }
  return 1;
}
