import type { Dimension, Finding, Severity } from '../../../shared/drift';
/**
 * How many: students per site, per course and overall in a period, against their own history. A change counts
 * only when it is beyond the threshold both against the period before and against the range of the same season
 * in earlier years (when there is one): January after December, or a quiet December, is the season, not drift.
 */
import type { PlatinumView } from './data';
import { share } from './data';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import { DIMENSION, sharePct } from './text';

export const VOLUME_THRESHOLDS = {
  /** A change smaller than this (relative) is not reported. */
  change: 0.3,
  /** Sites: high from this change when they carry at least `minShareHigh` of the students. */
  siteHigh: 0.45,
  minShareHigh: 0.02,
  /** Courses: medium from this change (and `minShareHigh`), low below. */
  courseMedium: 0.5,
  /** Courses carrying less than this share are not looked at one by one. */
  courseMinShare: 0.01,
  /** The overall total: medium from `totalMedium`, high from `totalHigh`. */
  totalMedium: 0.15,
  totalHigh: 0.3,
  /** Same-season periods that make the range. */
  seasons: 3,
} as const;

export interface VolumeContext {
  current: PlatinumView;
  /** A canonical period in a sentence ("nov. 2026"). */
  say: (period: string, f: Formatter) => string;
}

interface Deviation {
  value: number;
  previous: number;
  previousPeriod: string;
  change: number;
  range: [number, number] | null;
  seasonChange: number | null;
  deviation: number;
}

/** The change that counts: against the previous period and, where a season exists, outside its range too. */
export function deviationOf(value: number, previous: number, seasonValues: readonly number[]): Omit<Deviation, 'previousPeriod'> | null {
  if (previous <= 0) return null;
  const change = value / previous - 1;
  const seasons = seasonValues.filter((v) => v > 0);
  if (seasons.length === 0) return { value, previous, change, range: null, seasonChange: null, deviation: change };
  const lo = Math.min(...seasons);
  const hi = Math.max(...seasons);
  const seasonChange = value > hi ? value / hi - 1 : value < lo ? value / lo - 1 : 0;
  const agree = Math.sign(seasonChange) === Math.sign(change) && seasonChange !== 0;
  const deviation = agree ? Math.sign(change) * Math.min(Math.abs(change), Math.abs(seasonChange)) : 0;
  return { value, previous, change, range: [lo, hi], seasonChange, deviation };
}

function describe(d: Deviation, f: Formatter, say: VolumeContext['say']): string {
  const es = f.lang === 'es';
  const dir = d.change < 0 ? (es ? 'menos' : 'fewer') : es ? 'más' : 'more';
  const base = `${sharePct(d.change, f)} ${dir} ${es ? 'que en' : 'than in'} ${say(d.previousPeriod, f)} (${f.int(d.previous)})`;
  if (!d.range) return base;
  const range = d.range[0] === d.range[1] ? f.int(d.range[0]) : `${f.int(d.range[0])}–${f.int(d.range[1])}`;
  return es ? `${base} y fuera de lo visto en el mismo periodo de años anteriores (${range})` : `${base}, and outside what the same period of earlier years saw (${range})`;
}

const HAS = {
  es: `${DIMENSION.es.the} {label} tiene {students} alumnos en {period}, {change}.`,
  en: `${DIMENSION.en.the} {label} has {students} students in {period}, {change}.`,
} as const;

/**
 * Volume findings of one period. `skip` holds entities already reported as vanished, new or renamed.
 * - With the same season in earlier years, a change counts when it is beyond the threshold against both the
 *   previous period and that range.
 * - Without it (the data's first year), only the previous period is there to compare with: a rise may be the
 *   season and is at most medium; a fall of a site or of the total beyond the high threshold is still high.
 * - A site or course with no same season of its own while the data has one is young (it opened this year): its
 *   ramp-up is at most low.
 * - Courses are looked at only with two earlier years of the same season (courses move in cohort waves the
 *   model follows), and are at most medium: the sites and the total carry the high alerts.
 */
export function volumeFindings(ctx: VolumeContext, period: string, skip: Map<Dimension, Set<string>>): Finding[] {
  const T = VOLUME_THRESHOLDS;
  const before = ctx.current.before(period);
  const previousPeriod = before.at(-1);
  if (!previousPeriod) return [];
  const seasons = ctx.current.sameSeasonBefore(period, T.seasons);
  const P = (f: Formatter) => ctx.say(period, f);
  const findings: Finding[] = [];

  const total = ctx.current.total(period);
  const totalPrevious = ctx.current.total(previousPeriod);
  const overall = deviationOf(total, totalPrevious, seasons.map((s) => ctx.current.total(s)));
  if (overall && Math.abs(overall.deviation) >= T.totalMedium) {
    const d: Deviation = { ...overall, previousPeriod };
    const risingWithoutSeason = d.range === null && d.deviation > 0;
    const severity: Severity = Math.abs(d.deviation) >= T.totalHigh && !risingWithoutSeason ? 'high' : 'medium';
    const direction = d.change < 0 ? 'down' : 'up';
    findings.push({
      kind: 'volume', period, scope: { dimension: 'total' }, size: d.deviation, size_unit: 'change',
      test: { name: 'change-vs-history', value: d.deviation, threshold: T.totalMedium }, severity,
      message: both((f) => (f.lang === 'es' ? `El total de alumnos en ${P(f)} es ${f.int(total)}, ${describe(d, f, ctx.say)}.` : `Total students in ${P(f)}: ${f.int(total)}, ${describe(d, f, ctx.say)}.`)),
      cause: `drift:volume:total:${direction}`,
      detail: { students: total, previous: d.previous, previous_period: previousPeriod, season_range: d.range, seasons },
    });
  }

  const sites = ctx.current.totals('site', period);
  const dimensions: ('site' | 'course')[] = sites.students.size > 1 || ctx.current.totals('site', previousPeriod).students.size > 1 ? ['site', 'course'] : ['course'];
  for (const dimension of dimensions) {
    const cur = ctx.current.totals(dimension, period);
    const prev = ctx.current.totals(dimension, previousPeriod);
    const seasonTotals = seasons.map((s) => ctx.current.totals(dimension, s));
    for (const [key, previous] of prev.students) {
      const value = cur.students.get(key) ?? 0;
      if (value === 0 || skip.get(dimension)?.has(key)) continue;
      const weight = Math.max(share(previous, totalPrevious), share(value, total));
      const own = seasonTotals.map((t) => t.students.get(key) ?? 0).filter((v) => v > 0);
      if (dimension === 'course' && (weight < T.courseMinShare || own.length < 2)) continue;
      const dev = deviationOf(value, previous, own);
      if (!dev || Math.abs(dev.deviation) < T.change) continue;
      const d: Deviation = { ...dev, previousPeriod };
      const young = seasons.length > 0 && own.length === 0;
      const risingWithoutSeason = d.range === null && d.deviation > 0;
      let severity: Severity;
      if (young) severity = 'low';
      else if (dimension === 'course') severity = weight >= T.minShareHigh && Math.abs(d.deviation) >= T.courseMedium ? 'medium' : 'low';
      else if (Math.abs(d.deviation) >= T.siteHigh && weight >= T.minShareHigh && !risingWithoutSeason) severity = 'high';
      else severity = weight >= T.minShareHigh ? 'medium' : 'low';
      const label = cur.shown.get(key)!;
      const direction = d.change < 0 ? 'down' : 'up';
      findings.push({
        kind: 'volume', period, scope: { dimension, [dimension]: label }, size: d.deviation, size_unit: 'change',
        test: { name: 'change-vs-history', value: d.deviation, threshold: T.change }, severity,
        message: both((f) => f.message(HAS[f.lang], { d: dimension, label, students: value, period: P(f), change: describe(d, f, ctx.say) })),
        cause: `drift:volume:${dimension}:${key}:${direction}`,
        detail: { students: value, previous, previous_period: previousPeriod, season_range: d.range, share: weight, young },
      });
    }
  }
  return findings;
}
