import { parseCanonical } from '../domain/periods';
import type { Panel } from './panel';

/**
 * The cohort (grade-progression) method done well, from history strictly before period index `historyEnd`:
 *
 * - a class's students next period are its feeder class's students now times the site's progression ratio for
 *   that transition (BAS01 → BAS02, grade 4 → grade 5);
 * - the ratio is a ratio of sums over the site's recent one-step transitions, the newest weighted most, shrunk
 *   towards the ratio of all sites together where the site has few students behind it;
 * - a period after a missing one (2015 → 2017) is two steps of the ladder: grade 5 in 2017 comes from grade 3 in
 *   2015 through both ratios;
 * - a class with no feeder here (kindergarten, the first grade of a middle school, a course with no ladder) is
 *   forecast from its own trend: the same season a year before times the recent growth where periods have seasons,
 *   a damped linear trend of the recent years where they do not.
 */

/**
 * A ratio's memory: how many recent one-step transitions it is estimated from (`window`), and how much less each
 * older one counts (`decay`). Short where ratios drift (a district emptying), long where they hold and each year's
 * is noise.
 */
interface Memory {
  window: number;
  decay: number;
}
const MEMORY_CHOICES: readonly Memory[] = [{ window: 3, decay: 0.5 }, { window: 4, decay: 0.7 }, { window: 6, decay: 0.9 }];
const DEFAULT_MEMORY = MEMORY_CHOICES[1]!;
const MAX_WINDOW = Math.max(...MEMORY_CHOICES.map((m) => m.window));
/**
 * Students' worth of the all-sites ratio added to a site's (κ: a site with κ students behind its ratio is pulled
 * halfway). κ and the memory are chosen per period, together, by how well each pair would have forecast the last
 * transition of the history from the transitions before it: how much a site's own and a year's own ratio are worth
 * is a property of the data, learnt from its past only.
 */
const SHRINK_CHOICES = [0, 10, 30, 100, 300, 1000, 3000, 10000];
const DEFAULT_SHRINK = 30;
/** How many ladder steps a cohort is carried through (a gap of two missing periods at most). */
const MAX_CHAIN = 3;
/** Trend of a series: points used, how fast older ones fade, how much of the slope is carried forward. */
const TREND_POINTS = 5;
const TREND_DECAY = 0.8;
const TREND_DAMPING = 0.3;

export interface Ratio {
  /** Shrunk ratio; NaN where neither the site nor any other site saw the transition. */
  value: number;
  site: number;
  pooled: number;
  /** Weighted feeder students behind the site's own ratio. */
  weight: number;
}

const sitesCache = new WeakMap<Panel, Map<string, string[]>>();

/** The sites each course ever ran at (memoised per panel). */
function sitesOfCourse(panel: Panel): Map<string, string[]> {
  let map = sitesCache.get(panel);
  if (!map) {
    const sets = new Map<string, Set<string>>();
    for (const c of panel.classes) {
      let set = sets.get(c.course);
      if (!set) sets.set(c.course, (set = new Set()));
      set.add(c.site);
    }
    sitesCache.set(panel, (map = new Map([...sets].map(([k, v]) => [k, [...v].sort()]))));
  }
  return map;
}

export class CohortModel {
  readonly last: number;
  /** Position of every observed period on the dataset's calendar, in steps (the last observed period at 0). */
  private readonly position: Float64Array;
  /** Later periods of the recent one-step transitions, newest first. */
  private readonly pairs: number[] = [];
  private readonly ratioCache = new Map<string, Ratio>();
  private readonly pooledCache = new Map<string, { num: Float64Array; den: Float64Array }>();
  private readonly seasonal: boolean;
  private chosen: { kappa: number; memory: Memory } | null = null;

  constructor(
    readonly panel: Panel,
    readonly feeders: Map<string, string>,
    readonly historyEnd: number,
    private readonly steps: Int32Array,
  ) {
    this.last = historyEnd - 1;
    this.position = new Float64Array(panel.periodCount);
    for (let j = this.last - 1; j >= 0; j--) this.position[j] = this.position[j + 1]! - steps[j + 1]!;
    this.seasonal = panel.frequency !== 'year';
    for (let j = this.last; j >= 1 && this.pairs.length < MAX_WINDOW * 2; j--) if (steps[j] === 1) this.pairs.push(j);
  }

  private pooled(feeder: string, course: string): { num: Float64Array; den: Float64Array } {
    const key = `${feeder}\u0001${course}`;
    let cached = this.pooledCache.get(key);
    if (cached) return cached;
    const num = new Float64Array(this.pairs.length);
    const den = new Float64Array(this.pairs.length);
    for (const site of sitesOfCourse(this.panel).get(course) ?? []) {
      const moved = this.panel.siteCourseSeries(site, course);
      const fed = this.panel.siteCourseSeries(site, feeder);
      this.pairs.forEach((j, k) => {
        if (moved[j]! > 0 && fed[j - 1]! > 0) {
          num[k]! += moved[j]!;
          den[k]! += fed[j - 1]!;
        }
      });
    }
    this.pooledCache.set(key, (cached = { num, den }));
    return cached;
  }

  /** The site's progression ratio from `feeder` to `course`, shrunk towards all sites'. */
  ratio(site: string, feeder: string, course: string): Ratio {
    const key = `${site}\u0001${feeder}\u0001${course}`;
    const cached = this.ratioCache.get(key);
    if (cached) return cached;
    const { kappa, memory } = this.settings();
    const { num, den, pooled } = this.ratioParts(site, feeder, course, memory);
    const own = den > 0 ? num / den : NaN;
    // κ = 0 (sites' own ratios judged best) still leaves a site that never saw the step with all sites' ratio.
    const value = Number.isNaN(pooled) ? own : den + kappa > 0 ? (num + kappa * pooled) / (den + kappa) : pooled;
    const ratio: Ratio = { value: Math.min(value, 3), site: Number.isNaN(own) ? -1 : Math.min(own, 3), pooled: Number.isNaN(pooled) ? -1 : Math.min(pooled, 3), weight: den };
    this.ratioCache.set(key, ratio);
    return ratio;
  }

  /** κ and the memory for this history: the pair that best forecast the newest one-step transition from the ones before it. */
  private settings(): { kappa: number; memory: Memory } {
    if (this.chosen) return this.chosen;
    this.chosen = { kappa: DEFAULT_SHRINK, memory: DEFAULT_MEMORY };
    const newest = this.pairs[0];
    if (newest === undefined || newest < 2) return this.chosen;
    const before = new CohortModel(this.panel, this.feeders, newest, this.steps);
    const errors = MEMORY_CHOICES.map(() => new Float64Array(SHRINK_CHOICES.length));
    const bySites = sitesOfCourse(this.panel);
    for (const [course, feeder] of this.feeders) {
      for (const site of bySites.get(course) ?? []) {
        const actual = this.panel.siteCourseSeries(site, course)[newest]!;
        const fed = this.panel.siteCourseSeries(site, feeder)[newest - 1]!;
        if (!(actual > 0 && fed > 0)) continue;
        MEMORY_CHOICES.forEach((memory, m) => {
          const parts = before.ratioParts(site, feeder, course, memory);
          if (Number.isNaN(parts.pooled)) return;
          SHRINK_CHOICES.forEach((kappa, i) => {
            const r = parts.den + kappa > 0 ? (parts.num + kappa * parts.pooled) / (parts.den + kappa) : parts.pooled;
            errors[m]![i]! += Math.abs(actual - fed * Math.min(r, 3));
          });
        });
      }
    }
    let best = { m: MEMORY_CHOICES.indexOf(DEFAULT_MEMORY), i: SHRINK_CHOICES.indexOf(DEFAULT_SHRINK) };
    errors.forEach((row, m) => row.forEach((e, i) => {
      if (e < errors[best.m]![best.i]! - 1e-9) best = { m, i };
    }));
    if (errors[best.m]![best.i]! > 0) this.chosen = { kappa: SHRINK_CHOICES[best.i]!, memory: MEMORY_CHOICES[best.m]! };
    return this.chosen;
  }

  /** The weighted sums behind a site's ratio and the all-sites ratio (NaN where no site saw the transition). */
  private ratioParts(site: string, feeder: string, course: string, memory: Memory): { num: number; den: number; pooled: number } {
    const all = this.pooled(feeder, course);
    const movedSeries = this.panel.siteCourseSeries(site, course);
    const fedSeries = this.panel.siteCourseSeries(site, feeder);
    let num = 0;
    let den = 0;
    let pooledNum = 0;
    let pooledDen = 0;
    let used = 0;
    let pooledUsed = 0;
    this.pairs.forEach((j, k) => {
      const w = memory.decay ** (this.position[this.last]! - this.position[j]!);
      if (pooledUsed < memory.window && all.den[k]! > 0) {
        pooledNum += w * all.num[k]!;
        pooledDen += w * all.den[k]!;
        pooledUsed++;
      }
      if (used >= memory.window) return;
      if (movedSeries[j]! > 0 && fedSeries[j - 1]! > 0) {
        num += w * movedSeries[j]!;
        den += w * fedSeries[j - 1]!;
        used++;
      }
    });
    return { num, den, pooled: pooledDen > 0 ? pooledNum / pooledDen : NaN };
  }

  private readonly feederCache = new Map<number, number>();

  /** The class id of a class's feeder class (same site and schedule), −1 where there is none. */
  feederOf(id: number): number {
    let feederId = this.feederCache.get(id);
    if (feederId === undefined) {
      const c = this.panel.classes[id]!;
      const feeder = this.feeders.get(c.course);
      feederId = feeder ? (this.panel.indexOfClass({ site: c.site, course: feeder, schedule: c.schedule }) ?? -1) : -1;
      this.feederCache.set(id, feederId);
    }
    return feederId;
  }

  /**
   * The class's students `k` steps after the last observed period by its own trend: the same season a year
   * before times the recent growth (periods with seasons), or a damped linear trend of its recent values.
   */
  trend(id: number, k: number, targetPeriod: string): number {
    const series = this.panel.classSeries(id);
    const value = (j: number) => series[j]!;
    if (this.seasonal) {
      const { year, slot } = parseCanonical(targetPeriod);
      for (let j = this.last; j >= 0; j--) {
        const p = parseCanonical(this.panel.periods[j]!);
        if (year - p.year > 2) break;
        if (p.slot !== slot || p.year >= year) continue;
        if (value(j) <= 0) break;
        return value(j) * this.growth(value, j);
      }
    }
    let sw = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let points = 0;
    for (let j = this.last; j >= 0 && points < TREND_POINTS && this.position[this.last]! - this.position[j]! <= 6; j--) {
      const v = value(j);
      if (v <= 0) continue;
      const x = this.position[j]!;
      const w = TREND_DECAY ** -x;
      sw += w;
      sx += w * x;
      sy += w * v;
      sxx += w * x * x;
      sxy += w * x * v;
      points++;
    }
    if (points === 0) return 0;
    const meanX = sx / sw;
    const meanY = sy / sw;
    const varX = sxx / sw - meanX * meanX;
    const slope = points >= 2 && varX > 1e-9 ? (sxy / sw - meanX * meanY) / varX : 0;
    const level = meanY - slope * meanX;
    return Math.max(0, level + TREND_DAMPING * slope * k);
  }

  /** Growth over the last three periods against the same periods a year earlier, for a seasonal series ending at `j`. */
  private growth(value: (j: number) => number, seasonIndex: number): number {
    let now = 0;
    let before = 0;
    const periods = this.panel.periods;
    for (let j = this.last, used = 0; j > seasonIndex && used < 3; j--, used++) {
      const p = parseCanonical(periods[j]!);
      const earlier = periods.indexOf(`${p.year - 1}${periods[j]!.slice(4)}`);
      if (earlier < 0) continue;
      now += value(j);
      before += value(earlier);
    }
    if (before <= 0) return 1;
    return Math.min(1.5, Math.max(0.67, (now + 5) / (before + 5)));
  }

  /** Whether the class has a feeder class here that ran before (else it is an entry: forecast from its own trend). */
  hasFeederHere(id: number): boolean {
    const feederId = this.feederOf(id);
    return feederId >= 0 && this.panel.firstRun[feederId]! <= this.last;
  }

  /** The cohort estimate for class `id` `k` steps after the last observed period. */
  estimate(id: number, k: number, targetPeriod: string, depth = 0): number {
    if (k <= 0) return this.panel.count(id, this.last);
    if (depth < MAX_CHAIN && this.hasFeederHere(id)) {
      const c = this.panel.classes[id]!;
      const r = this.ratio(c.site, this.feeders.get(c.course)!, c.course);
      if (!Number.isNaN(r.value)) return this.estimate(this.feederOf(id), k - 1, targetPeriod, depth + 1) * r.value;
    }
    return this.trend(id, k, targetPeriod);
  }
}
