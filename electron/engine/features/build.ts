/**
 * Owns the tables feature_row and target_row: what models learn from and are scored against, one features and
 * one target version per platinum version (their dataset_version rows are written through snapshots/versions.ts).
 */
import { BatchInsert } from '../db/insert-many';
import type { ReadableDB, WritableDB } from '../db/types';
import type { ClassKey, ClassLabels } from '../domain/class-key';
import { classKey, keyString, labelsString } from '../domain/class-key';
import { nextPeriod, parseCanonical } from '../domain/periods';
import type { PlatinumSummary, PlatinumTransition } from '../snapshots/platinum';
import { loadPlatinumClasses, loadPlatinumTransitions } from '../snapshots/platinum';
import { derivedVersionId, findVersion, recordVersion } from '../snapshots/versions';
import { periodSteps, stepsBetween } from './calendar';
import { CohortModel } from './cohort';
import type { Opening } from './expansion';
import { expectedOpenings } from './expansion';
import { ALL_SCHEDULES, Panel } from './panel';
import { courseRung, feedersKnownAt } from './progression';

/**
 * Bump when a feature's definition changes: features (and everything trained on them) are then rebuilt.
 * 2: the ladder of each period from that period's past only; the cohort method with shrunk ratios, gaps and
 * entry trends; course-level rows where courses run in several schedules; vectors stored as binary.
 * 3: rows for classes expected to open by growth (expansion.ts), and their targets; the cohort ratio's memory chosen with κ.
 */
export const FEATURES_LOGIC_VERSION = 3;
export const TARGET_LOGIC_VERSION = 3;

export const FEATURE_NAMES = [
  'lag1', 'lag2', 'lag3', 'ma3', 'same_season', 'has_same_season', 'feeder_lag1', 'feeder_site_lag1', 'progression_rate',
  'cohort_estimate', 'site_total_lag1', 'course_total_lag1', 'site_trend', 'runs_before', 'periods_since_run', 'slot', 'has_feeder',
  'steps', 'site_ratio', 'pooled_ratio', 'ratio_weight', 'entry_trend', 'feeder_lag2', 'last_ratio', 'site_course_lag1',
  'schedule_share', 'course_trend', 'rung', 'site_course_same_season', 'cohort_prev',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;
const WIDTH = FEATURE_NAMES.length;

/** Why a class is in a period's forecast: it ran last period, it ran a year ago, or its feeder course ran. */
export type RowReason = 'running' | 'seasonal' | 'progression';

export interface FeatureRow extends ClassKey {
  /** Index of the period in the dataset; the period after the last observed one has index = number of periods. */
  periodIndex: number;
  reason: RowReason;
  x: Float64Array;
}

export interface FeaturesSummary {
  feature_names: string[];
  periods: string[];
  next_period: string;
  feeders: Record<string, string>;
  rows: number;
  course_rows: number;
}

/** Rows, targets and panel of one level: classes (site × course × schedule) or courses (site × course). */
export interface Level {
  panel: Panel;
  rows: FeatureRow[];
  /** Actual students per class key (`keyString`) for every class that ran, and 0 for forecast classes that did not. */
  targets: Map<string, number>;
}

export interface Dataset extends Level {
  /**
   * The same per course at each site, all schedules together (schedule `ALL_SCHEDULES`), where some course runs in
   * several schedules; null where each runs in one (a school's grades), as it would add nothing.
   */
  course: Level | null;
  nextPeriod: string;
  feeders: Map<string, string>;
  featuresVersion: string;
  targetVersion: string;
  platinumVersion: string;
  summary: PlatinumSummary;
  /** The ladder as known before each period index (feedersAt(i) for rows of period i). */
  feedersAt: (historyEnd: number) => Map<string, string>;
}

/** The key of a class in a period, as targets and forecasts are looked up by (domain/class-key.ts). */
export function targetKey(period: string, c: ClassLabels): string {
  return keyString(classKey(period, c));
}

/** How far back "the same season" may be looked for when last year's is missing from the data. */
const SEASON_LOOKBACK_YEARS = 2;

/**
 * The most recent earlier period of the same season (same month, same term) at most two years back: the year
 * before, or the one before that where a year is missing. Fall courses are best predicted by last fall.
 */
export function sameSeasonBefore(panel: Panel, year: number, slot: number, historyEnd: number): number {
  if (panel.frequency === 'year') return -1;
  for (let j = historyEnd - 1; j >= 0; j--) {
    const p = parseCanonical(panel.periods[j]!);
    if (year - p.year > SEASON_LOOKBACK_YEARS) return -1;
    if (p.slot === slot && p.year < year) return j;
  }
  return -1;
}

const stepsCache = new WeakMap<Panel, Int32Array>();
function stepsOf(panel: Panel): Int32Array {
  let steps = stepsCache.get(panel);
  if (!steps) stepsCache.set(panel, (steps = periodSteps(panel.periods, panel.frequency, panel.termSlots)));
  return steps;
}

/** A series' last period against the one before (capped at 3; 1 where there is no earlier one). */
function stepChange(series: Float64Array, last: number): number {
  return last >= 1 && series[last - 1]! > 0 ? Math.min(series[last]! / series[last - 1]!, 3) : 1;
}

/**
 * The row of a class expected to open by growth (expansion.ts): it never ran, so its own history is empty and its
 * students are the new class below it moving up, times the ratio of that step (all sites' where this one never
 * saw it).
 */
function openingRow(panel: Panel, cohort: CohortModel, opening: Opening, targetPeriod: string, historyEnd: number, steps: number, slot: number): FeatureRow | null {
  const last = historyEnd - 1;
  const { site, course, schedule } = opening.key;
  const below = panel.classes[opening.from]!;
  const ratio = cohort.ratio(site, below.course, course);
  if (Number.isNaN(ratio.value)) return null;
  const fed = panel.count(opening.from, last);
  const siteSeries = panel.siteSeries(site);
  const courseSeries = panel.courseSeries(course);
  const x = new Float64Array(WIDTH);
  x[F.feeder_lag1] = fed;
  x[F.feeder_site_lag1] = panel.siteCourseTotal(site, below.course, last);
  x[F.progression_rate] = ratio.value;
  x[F.cohort_estimate] = fed * ratio.value;
  x[F.site_total_lag1] = siteSeries[last]!;
  x[F.course_total_lag1] = courseSeries[last]!;
  x[F.site_trend] = stepChange(siteSeries, last);
  x[F.periods_since_run] = 12;
  x[F.slot] = slot;
  x[F.has_feeder] = 1;
  x[F.steps] = steps;
  x[F.site_ratio] = ratio.site;
  x[F.pooled_ratio] = ratio.pooled;
  x[F.ratio_weight] = ratio.weight;
  x[F.last_ratio] = -1;
  x[F.course_trend] = stepChange(courseSeries, last);
  x[F.rung] = courseRung(course)?.number ?? -2;
  x[F.cohort_prev] = x[F.cohort_estimate]!;
  return { site, course, schedule, period: targetPeriod, periodIndex: historyEnd, reason: 'progression', x };
}

/**
 * Features for the classes of `targetPeriod`, from history strictly before period index `historyEnd`, with the
 * ladder known then (`feeders`): nothing a row is built from can come from the period it predicts or later.
 */
export function featureRowsFor(panel: Panel, feeders: Map<string, string>, targetPeriod: string, historyEnd: number): FeatureRow[] {
  const last = historyEnd - 1;
  const { year, slot } = parseCanonical(targetPeriod);
  const seasonIndex = sameSeasonBefore(panel, year, slot, historyEnd);
  const steps = Math.max(1, stepsBetween(panel.periods[last]!, targetPeriod, panel.frequency, panel.termSlots));
  const cohort = new CohortModel(panel, feeders, historyEnd, stepsOf(panel));
  // The same cohort estimated a period earlier (from the period before last, one more step): a second
  // measurement of the same students, so that a count that was off one year is not carried forward whole.
  const earlier = last >= 1 ? new CohortModel(panel, feeders, historyEnd - 1, stepsOf(panel)) : null;
  const earlierSteps = steps + (last >= 1 ? stepsOf(panel)[last]! : 0);

  const reasons: RowReason[] = ['running', 'seasonal', 'progression'];
  const ids: number[] = [];
  const chosen = new Int8Array(panel.classes.length);
  panel.classes.forEach((_c, id) => {
    if (panel.firstRun[id]! > last) return;
    let reason = -1;
    if (panel.count(id, last) > 0) reason = 0;
    else if (seasonIndex >= 0 && panel.count(id, seasonIndex) > 0) reason = 1;
    else {
      const feederId = cohort.feederOf(id);
      if (feederId >= 0 && panel.count(feederId, last) > 0) reason = 2;
    }
    if (reason < 0) return;
    chosen[id] = reason;
    ids.push(id);
  });
  ids.sort((a, b) => panel.rank[a]! - panel.rank[b]!);

  const matrix = new Float64Array(ids.length * WIDTH);
  const rows: FeatureRow[] = [];
  for (const [n, id] of ids.entries()) {
    const c = panel.classes[id]!;
    const series = panel.classSeries(id);
    const lag = (k: number) => (last + 1 - k >= 0 ? series[last + 1 - k]! : 0);
    const feeder = feeders.get(c.course);
    const feederId = cohort.feederOf(id);
    const feederLag1 = feederId >= 0 ? panel.count(feederId, last) : 0;
    const feederLag2 = feederId >= 0 ? panel.count(feederId, last - 1) : 0;
    const hasFeeder = cohort.hasFeederHere(id);
    const ratio = feeder ? cohort.ratio(c.site, feeder, c.course) : null;
    let runs = 0;
    let lastRun = -1;
    for (let p = 0; p <= last; p++) {
      if (series[p]! > 0) {
        runs++;
        lastRun = p;
      }
    }
    const siteSeries = panel.siteOfClass[id]!;
    const courseSeries = panel.courseOfClass[id]!;
    const siteCourseSeries = panel.siteCourseOfClass[id]!;
    const siteCourse = siteCourseSeries[last]!;
    const x = matrix.subarray(n * WIDTH, (n + 1) * WIDTH);
    x[F.lag1] = lag(1);
    x[F.lag2] = lag(2);
    x[F.lag3] = lag(3);
    // Over the periods there are: two years of history average two, not two and a zero.
    x[F.ma3] = (lag(1) + lag(2) + lag(3)) / Math.min(3, historyEnd);
    x[F.same_season] = seasonIndex >= 0 ? series[seasonIndex]! : 0;
    x[F.has_same_season] = seasonIndex >= 0 ? 1 : 0;
    x[F.feeder_lag1] = feederLag1;
    x[F.feeder_site_lag1] = feeder ? panel.siteCourseTotal(c.site, feeder, last) : 0;
    x[F.progression_rate] = ratio && hasFeeder && !Number.isNaN(ratio.value) ? ratio.value : 0;
    x[F.cohort_estimate] = cohort.estimate(id, steps, targetPeriod);
    x[F.site_total_lag1] = siteSeries[last]!;
    x[F.course_total_lag1] = courseSeries[last]!;
    x[F.site_trend] = stepChange(siteSeries, last);
    x[F.runs_before] = runs;
    x[F.periods_since_run] = Math.min(last - lastRun, 12);
    x[F.slot] = slot;
    x[F.has_feeder] = hasFeeder ? 1 : 0;
    x[F.steps] = steps;
    x[F.site_ratio] = ratio ? ratio.site : -1;
    x[F.pooled_ratio] = ratio ? ratio.pooled : -1;
    x[F.ratio_weight] = ratio ? ratio.weight : 0;
    x[F.entry_trend] = cohort.trend(id, steps, targetPeriod);
    x[F.feeder_lag2] = feederLag2;
    x[F.last_ratio] = feederLag2 > 0 ? Math.min(lag(1) / feederLag2, 3) : -1;
    x[F.site_course_lag1] = siteCourse;
    x[F.schedule_share] = siteCourse > 0 ? lag(1) / siteCourse : 0;
    x[F.course_trend] = stepChange(courseSeries, last);
    x[F.rung] = courseRung(c.course)?.number ?? -2;
    x[F.site_course_same_season] = seasonIndex >= 0 ? siteCourseSeries[seasonIndex]! : 0;
    x[F.cohort_prev] = earlier ? earlier.estimate(id, earlierSteps, targetPeriod) : x[F.cohort_estimate]!;
    rows.push({ site: c.site, course: c.course, schedule: c.schedule, period: targetPeriod, periodIndex: historyEnd, reason: reasons[chosen[id]!]!, x });
  }
  for (const opening of expectedOpenings(panel, feeders, last, stepsOf(panel), steps)) {
    const row = openingRow(panel, cohort, opening, targetPeriod, historyEnd, steps, slot);
    if (row) rows.push(row);
  }
  return rows;
}

interface Loaded {
  panel: Panel;
  summary: PlatinumSummary;
  feedersAt: (historyEnd: number) => Map<string, string>;
}

function platinumPanel(db: ReadableDB, platinumId: string): Loaded {
  const platinum = findVersion<PlatinumSummary>(db, platinumId);
  if (!platinum) throw new Error(`platinum version ${platinumId} not found`);
  const summary = platinum.summary;
  const panel = new Panel(loadPlatinumClasses(db, platinumId), summary.periods, summary.frequency, summary.term_slots);
  return { panel, summary, feedersAt: ladderOverTime(panel, loadPlatinumTransitions(db, platinumId)) };
}

/** The ladder as known before each period (memoised): courses that had run and transitions already seen. */
export function ladderOverTime(panel: Panel, transitions: readonly PlatinumTransition[]): (historyEnd: number) => Map<string, string> {
  const firstRuns = new Map<string, number>();
  panel.classes.forEach((c, id) => firstRuns.set(c.course, Math.min(firstRuns.get(c.course) ?? Infinity, panel.firstRun[id]!)));
  const courses = [...firstRuns].map(([course, firstRun]) => ({ course, firstRun }));
  const cache = new Map<number, Map<string, string>>();
  return (historyEnd) => {
    let feeders = cache.get(historyEnd);
    if (!feeders) cache.set(historyEnd, (feeders = feedersKnownAt(panel.periods, courses, transitions, historyEnd)));
    return feeders;
  };
}

/** The features version a platinum version calls for (whether or not it has been built yet). */
export function featuresVersionOf(platinumId: string): string {
  return derivedVersionId('features', FEATURES_LOGIC_VERSION, [platinumId]);
}

/** Feature rows of every period with history, and of the next one. */
export function allFeatureRows(panel: Panel, feedersAt: (historyEnd: number) => Map<string, string>, next: string): FeatureRow[] {
  const P = panel.periodCount;
  const rows: FeatureRow[] = [];
  for (let i = 1; i < P; i++) rows.push(...featureRowsFor(panel, feedersAt(i), panel.periods[i]!, i));
  rows.push(...featureRowsFor(panel, feedersAt(P), next, P));
  return rows;
}

/** What happened: every forecast row's actual students (0 if it did not run) and every class that ran, by targetKey. */
function targetsOf(panel: Panel, rows: readonly FeatureRow[]): Map<string, number> {
  const P = panel.periodCount;
  const targets = new Map<string, number>();
  for (const row of rows) if (row.periodIndex < P) targets.set(targetKey(row.period, row), panel.countOf(row, row.periodIndex));
  for (let p = 1; p < P; p++) {
    panel.classes.forEach((c, id) => {
      const students = panel.count(id, p);
      if (students > 0) targets.set(targetKey(panel.periods[p]!, c), students);
    });
  }
  return targets;
}

function vectorBlob(x: Float64Array): Buffer {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
}

/**
 * Makes (or finds) the features and target versions that derive from a platinum version. Features cover every
 * period with history plus the next one; the target holds what actually happened in each past period.
 */
export function ensureFeatures(db: WritableDB, platinumId: string): { featuresVersion: string; targetVersion: string } {
  const featuresVersion = featuresVersionOf(platinumId);
  const targetVersion = derivedVersionId('target', TARGET_LOGIC_VERSION, [platinumId]);
  if (findVersion(db, featuresVersion) && findVersion(db, targetVersion)) return { featuresVersion, targetVersion };

  const { panel, summary, feedersAt } = platinumPanel(db, platinumId);
  const P = panel.periodCount;
  const next = nextPeriod(panel.periods[P - 1]!, panel.frequency, panel.termSlots);
  const rows = allFeatureRows(panel, feedersAt, next);
  const targets = targetsOf(panel, rows);
  const coursePanel = panel.hasSchedules() ? panel.courseLevel() : null;
  const courseRows = coursePanel ? allFeatureRows(coursePanel, feedersAt, next) : [];
  const courseTargets = coursePanel ? targetsOf(coursePanel, courseRows) : new Map<string, number>();

  db.transaction(() => {
    if (!findVersion(db, featuresVersion)) {
      const summaryOut: FeaturesSummary = {
        feature_names: [...FEATURE_NAMES], periods: panel.periods.slice(1), next_period: next, feeders: Object.fromEntries(feedersAt(P)), rows: rows.length, course_rows: courseRows.length,
      };
      recordVersion(db, { id: featuresVersion, kind: 'features', logic_version: FEATURES_LOGIC_VERSION, parents: [platinumId], row_count: rows.length + courseRows.length, summary: summaryOut });
      const insert = new BatchInsert(db, 'feature_row', ['version_id', 'period', 'site', 'course', 'schedule', 'reason', 'vector']);
      for (const r of rows) insert.add(featuresVersion, r.period, r.site, r.course, r.schedule, r.reason, vectorBlob(r.x));
      for (const r of courseRows) insert.add(featuresVersion, r.period, r.site, r.course, r.schedule, r.reason, vectorBlob(r.x));
      insert.flush();
    }
    if (!findVersion(db, targetVersion)) {
      let withStudents = 0;
      for (const students of targets.values()) if (students > 0) withStudents++;
      recordVersion(db, { id: targetVersion, kind: 'target', logic_version: TARGET_LOGIC_VERSION, parents: [platinumId], row_count: targets.size + courseTargets.size, summary: { periods: panel.periods.slice(1), classes_with_students: withStudents } });
      const insert = new BatchInsert(db, 'target_row', ['version_id', 'period', 'site', 'course', 'schedule', 'students']);
      for (const level of [targets, courseTargets]) {
        for (const [key, students] of level) {
          const [period, site, course, schedule] = key.split('\u0001') as [string, string, string, string];
          insert.add(targetVersion, period, site, course, schedule, students);
        }
      }
      insert.flush();
    }
  })();
  // What was just built is what loadDataset would read back: hand it over instead (once).
  justBuilt = {
    key: `${platinumId}|${featuresVersion}|${targetVersion}`,
    dataset: {
      panel, rows, targets, course: coursePanel ? { panel: coursePanel, rows: courseRows, targets: courseTargets } : null,
      nextPeriod: next, feeders: feedersAt(P), feedersAt, featuresVersion, targetVersion, platinumVersion: platinumId, summary,
    },
  };
  return { featuresVersion, targetVersion };
}

let justBuilt: { key: string; dataset: Dataset } | null = null;

function sortByPeriodThenClass(rows: FeatureRow[]): void {
  const keys = new Map<FeatureRow, string>();
  for (const r of rows) keys.set(r, labelsString(r));
  rows.sort((a, b) => a.periodIndex - b.periodIndex || (keys.get(a)! < keys.get(b)! ? -1 : 1));
}

/**
 * What a forecast of the next period needs, and no more: that period's feature rows (both levels) and, where some
 * course is forecast by course and split across schedules, the panel of classes its split is read from. A state's
 * 100,000 classes are forecast without reading back ten years of rows and targets. `targets` and earlier rows
 * are left empty: use loadDataset to train.
 */
export function loadNextPeriod(db: ReadableDB, platinumId: string, featuresVersion: string, targetVersion: string): Dataset {
  if (justBuilt?.key === `${platinumId}|${featuresVersion}|${targetVersion}`) return loadDataset(db, platinumId, featuresVersion, targetVersion);
  justBuilt = null;
  const platinum = findVersion<PlatinumSummary>(db, platinumId);
  const features = findVersion<FeaturesSummary>(db, featuresVersion);
  if (!platinum || !features) throw new Error(`version ${platinumId} / ${featuresVersion} not found`);
  const summary = platinum.summary;
  const next = features.summary.next_period;
  const hasCourses = features.summary.course_rows > 0;
  const panel = hasCourses
    ? new Panel(loadPlatinumClasses(db, platinumId), summary.periods, summary.frequency, summary.term_slots)
    : new Panel([], summary.periods, summary.frequency, summary.term_slots);
  const feeders = new Map(Object.entries(features.summary.feeders));
  const rows: FeatureRow[] = [];
  const courseRows: FeatureRow[] = [];
  const count = db.prepare(`SELECT COUNT(*) FROM feature_row WHERE version_id = ? AND period = ?`).pluck().get(featuresVersion, next) as number;
  // One block for every vector, each row a view of its part: no allocation per row.
  const matrix = new Float64Array(count * WIDTH);
  const bytes = new Uint8Array(matrix.buffer);
  const statement = db.prepare(`SELECT site, course, schedule, reason, vector FROM feature_row WHERE version_id = ? AND period = ?`).raw();
  let n = 0;
  for (const [site, course, schedule, reason, vector] of statement.iterate(featuresVersion, next) as Iterable<[string, string, string, RowReason, Buffer]>) {
    vector.copy(bytes, n * WIDTH * 8);
    const x = matrix.subarray(n * WIDTH, ++n * WIDTH);
    (schedule === ALL_SCHEDULES ? courseRows : rows).push({ period: next, periodIndex: panel.periodCount, site, course, schedule, reason, x });
  }
  sortByPeriodThenClass(rows);
  sortByPeriodThenClass(courseRows);
  return {
    panel, rows, targets: new Map(), course: hasCourses ? { panel: panel.courseLevel(), rows: courseRows, targets: new Map() } : null,
    nextPeriod: next, feeders, feedersAt: () => feeders, featuresVersion, targetVersion, platinumVersion: platinumId, summary,
  };
}

/** Reads a features + target pair back as the rows models train and predict on. */
export function loadDataset(db: ReadableDB, platinumId: string, featuresVersion: string, targetVersion: string): Dataset {
  if (justBuilt?.key === `${platinumId}|${featuresVersion}|${targetVersion}`) {
    const { dataset } = justBuilt;
    justBuilt = null;
    return dataset;
  }
  justBuilt = null;
  const { panel, summary, feedersAt } = platinumPanel(db, platinumId);
  const periodIndex = new Map(panel.periods.map((p, i) => [p, i]));
  const features = findVersion<FeaturesSummary>(db, featuresVersion)!;
  const statement = db.prepare(`SELECT period, site, course, schedule, reason, vector FROM feature_row WHERE version_id = ?`);
  const total = features.row_count;
  const matrix = new Float64Array(total * WIDTH);
  const rows: FeatureRow[] = [];
  const courseRows: FeatureRow[] = [];
  let n = 0;
  for (const r of statement.iterate(featuresVersion) as Iterable<{ period: string; site: string; course: string; schedule: string; reason: RowReason; vector: Buffer }>) {
    const x = matrix.subarray(n * WIDTH, (n + 1) * WIDTH);
    x.set(new Float64Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)));
    n++;
    const row: FeatureRow = { period: r.period, periodIndex: periodIndex.get(r.period) ?? panel.periodCount, site: r.site, course: r.course, schedule: r.schedule, reason: r.reason, x };
    (r.schedule === ALL_SCHEDULES ? courseRows : rows).push(row);
  }
  sortByPeriodThenClass(rows);
  sortByPeriodThenClass(courseRows);
  const targets = new Map<string, number>();
  const courseTargets = new Map<string, number>();
  for (const t of db.prepare(`SELECT period, site, course, schedule, students FROM target_row WHERE version_id = ?`).all(targetVersion) as (ClassLabels & { period: string; students: number })[]) {
    (t.schedule === ALL_SCHEDULES ? courseTargets : targets).set(targetKey(t.period, t), t.students);
  }
  const course = features.summary.course_rows > 0 ? { panel: panel.courseLevel(), rows: courseRows, targets: courseTargets } : null;
  return {
    panel, rows, targets, course, nextPeriod: features.summary.next_period, feeders: feedersAt(panel.periodCount), feedersAt,
    featuresVersion, targetVersion, platinumVersion: platinumId, summary,
  };
}
