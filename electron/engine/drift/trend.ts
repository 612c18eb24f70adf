import type { TrendVerdict } from '../../../shared/drift';
/**
 * Gradual or sudden: over a series of periods, is the newest value one jump away from the rest (sudden), the end
 * of a slow slide that no single step gives away (gradual), or neither? The series is a residual — what was
 * expected removed (year-over-year change for totals, the error itself for scores) — standardised against its
 * own earlier values, and watched with a two-sided tabular CUSUM (Page 1954; k = 0.5σ, h = 4σ); the
 * Page-Hinkley statistic is reported beside it.
 */


export interface TrendOptions {
  /** Points watched for a slide; the ones before are the baseline. */
  window?: number;
  /** Baseline points needed before anything is said. */
  minBaseline?: number;
  /** The baseline is at most this many points just before the window: the recent normal, not the distant past. */
  maxBaseline?: number;
  /** A step this many standard deviations from the baseline is a jump. */
  jumpZ?: number;
  k?: number;
  h?: number;
  /** The smallest standard deviation assumed, in the residual's units (a very regular history is not infinitely sure). */
  minSigma?: number;
  /** Only this direction matters (errors: 'up'). */
  only?: 'up' | 'down';
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function detectTrend(points: readonly { period: string; value: number }[], options: TrendOptions = {}): TrendVerdict | null {
  const window = options.window ?? 6;
  const minBaseline = options.minBaseline ?? 6;
  const maxBaseline = options.maxBaseline ?? 8;
  const jumpZ = options.jumpZ ?? 3;
  const k = options.k ?? 0.5;
  const h = options.h ?? 4;
  const watched = Math.min(window, points.length - minBaseline);
  if (watched < 1) return null;
  const baseline = points.slice(Math.max(0, points.length - watched - maxBaseline), points.length - watched).map((p) => p.value);
  const tail = points.slice(points.length - watched);
  const center = median(baseline);
  const sigma = Math.max(1.4826 * median(baseline.map((v) => Math.abs(v - center))), options.minSigma ?? 1e-9);
  const z = tail.map((p) => (p.value - center) / sigma);

  let upper = 0;
  let lower = 0;
  let upStart = 0;
  let downStart = 0;
  let phUp = 0;
  let phDown = 0;
  let cumUp = 0;
  let cumDown = 0;
  let minUp = 0;
  let maxDown = 0;
  z.forEach((zi, i) => {
    if (upper === 0) upStart = i;
    if (lower === 0) downStart = i;
    upper = Math.max(0, upper + zi - k);
    lower = Math.max(0, lower - zi - k);
    cumUp += zi - k;
    cumDown += zi + k;
    minUp = Math.min(minUp, cumUp);
    maxDown = Math.max(maxDown, cumDown);
    phUp = cumUp - minUp;
    phDown = maxDown - cumDown;
  });
  const lastZ = z.at(-1)!;
  const wants = (d: 'up' | 'down') => options.only === undefined || options.only === d;
  const lastDirection = lastZ > 0 ? 'up' : 'down';
  const verdict: TrendVerdict = {
    pattern: 'stable',
    direction: null,
    last_z: lastZ,
    cusum: { upper, lower, threshold: h },
    page_hinkley: { up: phUp, down: phDown, threshold: h },
    since: null,
    shift: tail.reduce((s, p) => s + p.value, 0) / tail.length - center,
    baseline_center: center,
    window_mean: tail.reduce((s, p) => s + p.value, 0) / tail.length,
    baseline_points: baseline.length,
  };
  if (Math.abs(lastZ) >= jumpZ && wants(lastDirection)) {
    // Only a jump if the values before it were not already sliding the same way.
    const before = z.slice(0, -1);
    const sliding = before.length >= 2 && before.slice(-2).every((v) => Math.sign(v) === Math.sign(lastZ) && Math.abs(v) >= 1);
    if (!sliding) return { ...verdict, pattern: 'sudden', direction: lastDirection, since: tail.at(-1)!.period };
  }
  const up = upper >= h && wants('up');
  const down = lower >= h && wants('down');
  if (up || down) {
    const direction = up && (!down || upper >= lower) ? 'up' : 'down';
    const start = direction === 'up' ? upStart : downStart;
    return { ...verdict, pattern: 'gradual', direction, since: tail[start]!.period };
  }
  return verdict;
}
