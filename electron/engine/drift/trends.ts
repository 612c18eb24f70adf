import { foldLabel } from '../domain/class-key';
import type { Finding, TrendVerdict } from '../../../shared/drift';
/** Gradual-or-sudden findings on the students per period (overall and per large site) and on a scored-error series. */
import { parseCanonical } from '../domain/periods';
import type { PlatinumView } from './data';
import { share } from './data';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import type { Locale } from '../../../shared/messages';
import { capitalise, change, sharePct, stat } from './text';
import { detectTrend } from './trend';

export const TREND_THRESHOLDS = {
  /** Sites carrying at least this share get their own series. */
  siteShare: 0.05,
  /** Year-over-year log change: the smallest spread assumed (3 %). */
  minSigma: 0.03,
  /** Scored error (WAPE): the smallest spread assumed (1 point). */
  errorMinSigma: 0.01,
  /** Same-season comparisons further apart than this are not made. */
  maxYears: 4,
  /** A slide is medium when students are this much fewer than a year before… */
  declineMedium: 0.05,
  /** …or when growth sped up by this much. */
  growthMedium: 0.1,
} as const;

/**
 * Year-over-year change of a series, as a log ratio per year: each period against the latest earlier period of
 * the same season (same month or term). Seasonality cancels out; growth stays, and so does a slide.
 */
export function yearOverYear(view: PlatinumView, upTo: string, valueOf: (period: string) => number): { period: string; value: number }[] {
  const periods = view.periods.filter((p) => p <= upTo);
  const out: { period: string; value: number }[] = [];
  for (const p of periods) {
    const { year, slot } = parseCanonical(p);
    const earlier = periods.filter((q) => q < p && parseCanonical(q).slot === slot && parseCanonical(q).year < year).at(-1);
    if (!earlier) continue;
    const years = year - parseCanonical(earlier).year;
    if (years > TREND_THRESHOLDS.maxYears) continue;
    const now = valueOf(p);
    const before = valueOf(earlier);
    if (now > 0 && before > 0) out.push({ period: p, value: Math.log(now / before) / Math.max(1, years) });
  }
  return out;
}

/** A canonical period in a sentence ("nov. 2026"). */
type Say = (period: string, f: Formatter) => string;

function subject(label: string | null, lang: Locale): string {
  if (label === null) return lang === 'es' ? 'el total de alumnos' : 'total students';
  return lang === 'es' ? `los alumnos de la sede ${label}` : `students at site ${label}`;
}

/**
 * A slide is medium when it matters to someone planning classes: students now fewer than a year before (by more
 * than `declineMedium`), or growth that sped up beyond `growthMedium`. A growth that slows while still growing
 * (a young school filling up) is told, at low severity.
 */
function trendFinding(verdict: TrendVerdict, period: string, label: string | null, key: string, say: Say): Finding | null {
  if (verdict.pattern === 'stable') return null;
  const T = TREND_THRESHOLDS;
  const up = verdict.direction === 'up';
  const since = (f: Formatter) => say(verdict.since!, f);
  const now = Math.expm1(verdict.window_mean);
  const usual = Math.expm1(verdict.baseline_center);
  const cusum = Math.max(verdict.cusum.upper, verdict.cusum.lower);
  const matters = now <= -T.declineMedium || (up && now >= T.growthMedium && now - usual >= T.growthMedium);
  const severity = verdict.pattern === 'gradual' && matters ? 'medium' : 'low';
  const message =
    verdict.pattern === 'gradual'
      ? both((f) =>
          f.lang === 'es'
            ? `${capitalise(subject(label, f.lang))} ${now < 0 ? (label === null ? 'cae' : 'caen') : label === null ? 'crece' : 'crecen'} frente al mismo periodo del año anterior (${change(now, f)} en promedio desde ${since(f)}) y ese cambio se ${up ? 'aceleró' : 'frenó'} poco a poco: antes era ${change(usual, f)}. Ningún periodo dio un salto grande (CUSUM ${stat(cusum, f, 1)} ≥ ${stat(verdict.cusum.threshold, f, 0)}).`
            : `${capitalise(subject(label, f.lang))} ${now < 0 ? 'are falling' : 'are growing'} against the same period a year before (${change(now, f)} on average since ${since(f)}), and that change has been ${up ? 'speeding up' : 'slowing'} gradually: it was ${change(usual, f)}. No single period jumped (CUSUM ${stat(cusum, f, 1)} ≥ ${stat(verdict.cusum.threshold, f, 0)}).`)
      : both((f) =>
          f.lang === 'es'
            ? `${capitalise(subject(label, f.lang))} dio un salto ${up ? 'hacia arriba' : 'hacia abajo'} en ${since(f)} frente al mismo periodo del año anterior (${change(Math.expm1(verdict.window_mean), f)}; lo habitual era ${change(usual, f)}), tras periodos estables.`
            : `${capitalise(subject(label, f.lang))} jumped ${up ? 'up' : 'down'} in ${since(f)} against the same period a year before (${change(Math.expm1(verdict.window_mean), f)}; usually ${change(usual, f)}), after stable periods.`);
  return {
    kind: 'trend', period,
    scope: label === null ? { dimension: 'total' } : { dimension: 'site', site: label },
    size: now - usual, size_unit: 'change',
    test: verdict.pattern === 'gradual' ? { name: 'cusum', value: cusum, threshold: verdict.cusum.threshold } : { name: 'jump-z', value: verdict.last_z, threshold: 3 },
    severity,
    message,
    cause: `drift:trend:${key}:${verdict.pattern}-${verdict.direction}`,
    detail: { pattern: verdict.pattern, since: verdict.since, year_over_year: now, usual_year_over_year: usual, page_hinkley: verdict.page_hinkley, baseline_points: verdict.baseline_points },
  };
}

export function totalsTrend(view: PlatinumView, period: string): TrendVerdict | null {
  return detectTrend(yearOverYear(view, period, (p) => view.total(p)), { minSigma: TREND_THRESHOLDS.minSigma });
}

export function trendFindings(view: PlatinumView, period: string, say: Say, errors: readonly { period: string; wape: number }[] = []): Finding[] {
  const findings: Finding[] = [];
  const overall = totalsTrend(view, period);
  const total = overall && trendFinding(overall, period, null, 'total', say);
  if (total) findings.push(total);
  const sites = view.totals('site', period);
  if (sites.students.size > 1) {
    for (const [key, students] of sites.students) {
      if (share(students, sites.total) < TREND_THRESHOLDS.siteShare) continue;
      const series = yearOverYear(view, period, (p) => view.totals('site', p).students.get(key) ?? 0);
      const verdict = detectTrend(series, { minSigma: TREND_THRESHOLDS.minSigma });
      const g = verdict && trendFinding(verdict, period, sites.shown.get(key)!, `site:${foldLabel(key)}`, say);
      if (g) findings.push(g);
    }
  }
  const scored = [...errors].filter((e) => e.period <= period).sort((a, b) => (a.period < b.period ? -1 : 1));
  if (scored.length > 0) {
    const verdict = detectTrend(scored.map((e) => ({ period: e.period, value: e.wape })), { only: 'up', window: 4, minBaseline: 3, minSigma: TREND_THRESHOLDS.errorMinSigma });
    if (verdict && verdict.pattern !== 'stable') {
      const gradual = verdict.pattern === 'gradual';
      const since = (f: Formatter) => say(verdict.since!, f);
      findings.push({
        kind: 'trend', period: scored.at(-1)!.period, scope: { dimension: 'error' }, size: verdict.shift, size_unit: 'change',
        test: gradual ? { name: 'cusum', value: verdict.cusum.upper, threshold: verdict.cusum.threshold } : { name: 'jump-z', value: verdict.last_z, threshold: 3 },
        severity: gradual ? 'medium' : 'low',
        message: both((f) =>
          gradual
            ? f.lang === 'es'
              ? `El error de los pronósticos (WAPE) empeora poco a poco desde ${since(f)}: ${sharePct(verdict.shift, f)} por encima de lo habitual, sin un salto en un solo periodo.`
              : `Forecast error (WAPE) has been worsening gradually since ${since(f)}: ${sharePct(verdict.shift, f)} above usual, with no jump in any one period.`
            : f.lang === 'es'
              ? `El error de los pronósticos (WAPE) saltó en ${since(f)} (${stat(verdict.last_z, f, 1)} desviaciones de lo habitual).`
              : `Forecast error (WAPE) jumped in ${since(f)} (${stat(verdict.last_z, f, 1)} deviations from usual).`),
        cause: `drift:trend:error:${verdict.pattern}-up`,
        detail: { pattern: verdict.pattern, since: verdict.since, page_hinkley: verdict.page_hinkley },
      });
    }
  }
  return findings;
}
