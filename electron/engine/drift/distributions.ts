import { foldLabel } from '../domain/class-key';
import type { ColumnDrift, ColumnKind, ColumnReport, Finding, Severity } from '../../../shared/drift';
/**
 * Distributions of the model's inputs and target, reference periods pooled against one period, each column tested
 * as Evidently's data-drift preset would (see stats.ts):
 * - class_size: students per class (the target, and through its lags the main input), numerical;
 * - site_mix, course_mix, schedule_mix: which site, course and schedule each student is in, categorical;
 * - progression_rate: per site and course, students now over the students of its feeder course the period
 *   before (the cohort model's input), numerical.
 */
import { inferFeeders } from '../features/progression';
import type { ReadableDB } from '../db/types';
import { loadPlatinumTransitions } from '../snapshots/platinum';
import type { PlatinumView } from './data';

import type { Sample } from './stats';
import { columnDrift, datasetDrifted, DRIFT_DEFAULTS } from './stats';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import { COLUMN_NAMES, TEST_NAMES, capitalise, sharePct, stat } from './text';

/** Progression rates above this are noise (a tiny feeder), as in the features. */
const MAX_RATE = 3;

export interface DistributionContext {
  db: ReadableDB;
  current: PlatinumView;
  reference: PlatinumView;
  referencePeriods: readonly string[];
  /** A canonical period in a sentence ("nov. 2026"). */
  say: (period: string, f: Formatter) => string;
}

type ColumnSpec = { column: string; kind: ColumnKind; sample: (view: PlatinumView, periods: readonly string[]) => Sample | null };

function mix(dimension: 'site' | 'course' | 'schedule'): ColumnSpec['sample'] {
  return (view, periods) => {
    const counts = new Map<string, number>();
    for (const p of periods) for (const [key, students] of view.totals(dimension, p).students) counts.set(key, (counts.get(key) ?? 0) + students);
    return { kind: 'categorical', counts };
  };
}

function feedersOf(db: ReadableDB, view: PlatinumView, cache: Map<string, Map<string, string>>): Map<string, string> {
  let feeders = cache.get(view.id);
  if (!feeders) {
    const courses = new Set<string>();
    for (const p of view.periods) for (const key of view.totals('course', p).students.keys()) courses.add(key);
    const transitions = loadPlatinumTransitions(db, view.id).map((t) => ({ ...t, from_course: foldLabel(t.from_course), to_course: foldLabel(t.to_course) }));
    cache.set(view.id, (feeders = inferFeeders([...courses], transitions)));
  }
  return feeders;
}

function progressionSample(db: ReadableDB, cache: Map<string, Map<string, string>>): ColumnSpec['sample'] {
  return (view, periods) => {
    const feeders = feedersOf(db, view, cache);
    if (feeders.size === 0) return null;
    const values: number[] = [];
    for (const p of periods) {
      const previous = view.before(p).at(-1);
      if (!previous) continue;
      const now = siteCourse(view, p);
      const before = siteCourse(view, previous);
      for (const [key, students] of now) {
        const [site, course] = key.split('\u0001') as [string, string];
        const feeder = feeders.get(course);
        const fed = feeder ? before.get(`${site}\u0001${feeder}`) ?? 0 : 0;
        if (fed > 0) values.push(Math.min(students / fed, MAX_RATE));
      }
    }
    return { kind: 'numerical', values };
  };
}

function siteCourse(view: PlatinumView, period: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of view.classes(period)) {
    const key = `${foldLabel(c.site)}\u0001${foldLabel(c.course)}`;
    out.set(key, (out.get(key) ?? 0) + c.students);
  }
  return out;
}

export function columnSpecs(db: ReadableDB): ColumnSpec[] {
  const feederCache = new Map<string, Map<string, string>>();
  return [
    { column: 'class_size', kind: 'numerical', sample: (view, periods) => ({ kind: 'numerical', values: periods.flatMap((p) => view.classes(p).map((c) => c.students)) }) },
    { column: 'site_mix', kind: 'categorical', sample: mix('site') },
    { column: 'course_mix', kind: 'categorical', sample: mix('course') },
    { column: 'schedule_mix', kind: 'categorical', sample: mix('schedule') },
    { column: 'progression_rate', kind: 'numerical', sample: progressionSample(db, feederCache) },
  ];
}

function testText(c: ColumnDrift, f: Formatter): string {
  const what = c.test === 'ks' || c.test === 'chisquare' || c.test === 'z' ? `p = ${stat(c.value, f, 3)}` : `${stat(c.value, f, 3)} ≥ ${stat(c.threshold, f, 1)}`;
  return `${TEST_NAMES[c.test]![f.lang]}, ${what}; PSI ${stat(c.psi, f)}`;
}

/** Whether a column has anything to compare: a site mix of one site, or no progression, says nothing. */
function informative(reference: Sample, current: Sample): boolean {
  if (reference.kind === 'numerical' && current.kind === 'numerical') return reference.values.length > 0 && current.values.length > 0;
  if (reference.kind === 'categorical' && current.kind === 'categorical') return new Set([...reference.counts.keys(), ...current.counts.keys()]).size > 1;
  return false;
}

export interface DistributionOutcome {
  findings: Finding[];
  columns: (ColumnReport & { bins: ColumnDrift['bins'] })[];
  drifted: boolean;
}

export function distributionFindings(ctx: DistributionContext, period: string, specs: readonly ColumnSpec[]): DistributionOutcome {
  const P = (f: Formatter) => ctx.say(period, f);
  const columns: DistributionOutcome['columns'] = [];
  for (const spec of specs) {
    const reference = spec.sample(ctx.reference, ctx.referencePeriods);
    const current = spec.sample(ctx.current, [period]);
    if (!reference || !current || !informative(reference, current)) continue;
    const result = columnDrift(reference, current);
    columns.push({ ...result, column: spec.column, kind: spec.kind, period });
  }
  const findings: Finding[] = [];
  for (const c of columns.filter((c) => c.drifted)) {
    // One input moving is routine (the season, a cohort passing through); the target moving a lot is worth a look.
    const severity: Severity = c.column === 'class_size' && c.psi_band === 'significant' ? 'medium' : 'low';
    const name = COLUMN_NAMES[c.column]!;
    findings.push({
      kind: 'distribution', period, scope: { dimension: 'column', column: c.column }, size: c.psi, size_unit: 'psi',
      test: { name: c.test, value: c.value, threshold: c.threshold }, severity,
      message: both((f) =>
        f.lang === 'es'
          ? `${capitalise(name.es)}: la distribución de ${P(f)} no se parece a la de los periodos de referencia (${testText(c, f)}).`
          : `${capitalise(name.en)}: the distribution in ${P(f)} differs from the reference periods' (${testText(c, f)}).`),
      cause: `drift:distribution:${c.column}`,
      detail: { psi_band: c.psi_band, reference_size: c.reference_size, current_size: c.current_size },
    });
  }
  const verdict = datasetDrifted(columns);
  if (verdict.drifted) {
    const drifted = columns.filter((c) => c.drifted);
    // Mixes over thousands of courses move every term; it matters when the target moved with them.
    const severity: Severity = drifted.some((c) => c.column === 'class_size') ? 'medium' : 'low';
    findings.push({
      kind: 'dataset', period, scope: { dimension: 'dataset', count: drifted.length, examples: drifted.map((c) => c.column) }, size: verdict.share, size_unit: 'columns',
      test: { name: 'share-of-drifted-columns', value: verdict.share, threshold: DRIFT_DEFAULTS.datasetShare }, severity,
      message: both((f) =>
        f.lang === 'es'
          ? `${f.int(drifted.length)} de ${f.int(columns.length)} distribuciones cambiaron en ${P(f)} (${sharePct(verdict.share, f)}): ${f.list(drifted.map((c) => COLUMN_NAMES[c.column]!.es))}. Los datos ya no se parecen a los de referencia.`
          : `${f.int(drifted.length)} of ${f.int(columns.length)} distributions changed in ${P(f)} (${sharePct(verdict.share, f)}): ${f.list(drifted.map((c) => COLUMN_NAMES[c.column]!.en))}. The data no longer look like the reference.`),
      cause: 'drift:dataset',
      detail: { columns: columns.length },
    });
  }
  return { findings, columns, drifted: verdict.drifted };
}
