/**
 * Owns the tables feature_row and target_row: what models learn from and are scored against, one features and
 * one target version per platinum version (their dataset_version rows are written through snapshots/versions.ts).
 */
import { BatchInsert } from '../db/insert-many';
import type { ReadableDB, WritableDB } from '../db/types';
import type { ClassKey } from '../domain/class-key';
import { classKey, keyString, labelsString } from '../domain/class-key';
import { nextPeriod, parseCanonical } from '../domain/periods';
import type { PlatinumSummary } from '../snapshots/platinum';
import { loadPlatinumClasses, loadPlatinumTransitions } from '../snapshots/platinum';
import { derivedVersionId, findVersion, recordVersion } from '../snapshots/versions';
import { Panel } from './panel';
import { inferFeeders } from './progression';

/** Bump when a feature's definition changes: features (and everything trained on them) are then rebuilt. */
export const FEATURES_LOGIC_VERSION = 1;
export const TARGET_LOGIC_VERSION = 1;

export const FEATURE_NAMES = [
  'lag1', 'lag2', 'lag3', 'ma3', 'same_season', 'has_same_season', 'feeder_lag1', 'feeder_site_lag1', 'progression_rate',
  'cohort_estimate', 'site_total_lag1', 'course_total_lag1', 'site_trend', 'runs_before', 'periods_since_run', 'slot', 'has_feeder',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

/** Why a class is in a period's forecast: it ran last period, it ran a year ago, or its feeder course ran. */
export type RowReason = 'running' | 'seasonal' | 'progression';

export interface FeatureRow extends ClassKey {
  /** Index of the period in the dataset; the period after the last observed one has index = number of periods. */
  periodIndex: number;
  reason: RowReason;
  x: number[];
}

export interface FeaturesSummary {
  feature_names: string[];
  periods: string[];
  next_period: string;
  feeders: Record<string, string>;
  rows: number;
}

export interface Dataset {
  panel: Panel;
  rows: FeatureRow[];
  /** Actual students per class key (`keyString`) for every class that ran, and 0 for forecast classes that did not. */
  targets: Map<string, number>;
  nextPeriod: string;
  feeders: Map<string, string>;
  featuresVersion: string;
  targetVersion: string;
  platinumVersion: string;
  summary: PlatinumSummary;
}

const PROGRESSION_WINDOW = 3;
/** How far back "the same season" may be looked for when last year's is missing from the data. */
const SEASON_LOOKBACK_YEARS = 2;

/**
 * The most recent earlier period of the same season (same month, same term) at most two years back: the year
 * before, or the one before that where a year is missing. Fall courses are best predicted by last fall.
 */
function sameSeasonBefore(panel: Panel, year: number, slot: number, historyEnd: number): number {
  if (panel.frequency === 'year') return -1;
  for (let j = historyEnd - 1; j >= 0; j--) {
    const p = parseCanonical(panel.periods[j]!);
    if (year - p.year > SEASON_LOOKBACK_YEARS) return -1;
    if (p.slot === slot && p.year < year) return j;
  }
  return -1;
}

/**
 * Features for the classes of `targetPeriod`, from history strictly before period index `historyEnd`:
 * nothing a row is built from can come from the period it predicts.
 */
export function featureRowsFor(panel: Panel, feeders: Map<string, string>, targetPeriod: string, historyEnd: number): FeatureRow[] {
  const last = historyEnd - 1;
  const { year, slot } = parseCanonical(targetPeriod);
  const seasonIndex = sameSeasonBefore(panel, year, slot, historyEnd);

  const rateCache = new Map<string, number>();
  const progressionRate = (site: string, course: string, feeder: string): number => {
    const key = `${site}\u0001${course}`;
    const cached = rateCache.get(key);
    if (cached !== undefined) return cached;
    let moved = 0;
    let fed = 0;
    for (let j = last, used = 0; j >= 1 && used < PROGRESSION_WINDOW; j--) {
      const before = panel.siteCourseTotal(site, feeder, j - 1);
      if (before <= 0) continue;
      moved += panel.siteCourseTotal(site, course, j);
      fed += before;
      used++;
    }
    const rate = fed > 0 ? Math.min(moved / fed, 3) : -1;
    rateCache.set(key, rate);
    return rate;
  };

  const chosen = new Map<number, RowReason>();
  panel.classes.forEach((c, id) => {
    if (panel.firstRun[id]! > last) return;
    if (panel.count(id, last) > 0) chosen.set(id, 'running');
    else if (seasonIndex >= 0 && panel.count(id, seasonIndex) > 0) chosen.set(id, 'seasonal');
    else {
      const feeder = feeders.get(c.course);
      if (feeder && panel.countOf({ site: c.site, course: feeder, schedule: c.schedule }, last) > 0) chosen.set(id, 'progression');
    }
  });

  const rows: FeatureRow[] = [];
  for (const [id, reason] of chosen) {
    const c = panel.classes[id]!;
    const lag = (k: number) => panel.count(id, last + 1 - k);
    const feeder = feeders.get(c.course);
    const feederLag1 = feeder ? panel.countOf({ site: c.site, course: feeder, schedule: c.schedule }, last) : 0;
    let rate = feeder ? progressionRate(c.site, c.course, feeder) : -1;
    if (feeder && rate < 0) rate = progressionRate('\u0000all', c.course, feeder);
    const cohort = feeder && rate >= 0 ? feederLag1 * rate : lag(1);
    let runs = 0;
    let lastRun = -1;
    for (let p = 0; p <= last; p++) {
      if (panel.count(id, p) > 0) {
        runs++;
        lastRun = p;
      }
    }
    const siteBefore = panel.siteTotal(c.site, last - 1);
    const x = new Array<number>(FEATURE_NAMES.length).fill(0);
    x[F.lag1] = lag(1);
    x[F.lag2] = lag(2);
    x[F.lag3] = lag(3);
    x[F.ma3] = (lag(1) + lag(2) + lag(3)) / 3;
    x[F.same_season] = seasonIndex >= 0 ? panel.count(id, seasonIndex) : 0;
    x[F.has_same_season] = seasonIndex >= 0 ? 1 : 0;
    x[F.feeder_lag1] = feederLag1;
    x[F.feeder_site_lag1] = feeder ? panel.siteCourseTotal(c.site, feeder, last) : 0;
    x[F.progression_rate] = Math.max(rate, 0);
    x[F.cohort_estimate] = cohort;
    x[F.site_total_lag1] = panel.siteTotal(c.site, last);
    x[F.course_total_lag1] = panel.courseTotal(c.course, last);
    x[F.site_trend] = siteBefore > 0 ? Math.min(panel.siteTotal(c.site, last) / siteBefore, 3) : 1;
    x[F.runs_before] = runs;
    x[F.periods_since_run] = Math.min(last - lastRun, 12);
    x[F.slot] = slot;
    x[F.has_feeder] = feeder ? 1 : 0;
    rows.push({ ...c, period: targetPeriod, periodIndex: historyEnd, reason, x });
  }
  rows.sort((a, b) => (labelsString(a) < labelsString(b) ? -1 : 1));
  return rows;
}

function platinumPanel(db: ReadableDB, platinumId: string): { panel: Panel; summary: PlatinumSummary; feeders: Map<string, string> } {
  const platinum = findVersion<PlatinumSummary>(db, platinumId);
  if (!platinum) throw new Error(`platinum version ${platinumId} not found`);
  const summary = platinum.summary;
  const panel = new Panel(loadPlatinumClasses(db, platinumId), summary.periods, summary.frequency, summary.term_slots);
  const courses = [...new Set(panel.classes.map((c) => c.course))];
  const feeders = inferFeeders(courses, loadPlatinumTransitions(db, platinumId));
  return { panel, summary, feeders };
}

/** The features version a platinum version calls for (whether or not it has been built yet). */
export function featuresVersionOf(platinumId: string): string {
  return derivedVersionId('features', FEATURES_LOGIC_VERSION, [platinumId]);
}

/**
 * Makes (or finds) the features and target versions that derive from a platinum version. Features cover every
 * period with history plus the next one; the target holds what actually happened in each past period.
 */
export function ensureFeatures(db: WritableDB, platinumId: string): { featuresVersion: string; targetVersion: string } {
  const featuresVersion = featuresVersionOf(platinumId);
  const targetVersion = derivedVersionId('target', TARGET_LOGIC_VERSION, [platinumId]);
  if (findVersion(db, featuresVersion) && findVersion(db, targetVersion)) return { featuresVersion, targetVersion };

  const { panel, feeders } = platinumPanel(db, platinumId);
  const P = panel.periodCount;
  const next = nextPeriod(panel.periods[P - 1]!, panel.frequency, panel.termSlots);
  const rows: FeatureRow[] = [];
  for (let i = 1; i < P; i++) rows.push(...featureRowsFor(panel, feeders, panel.periods[i]!, i));
  rows.push(...featureRowsFor(panel, feeders, next, P));

  const targets = new Map<string, { key: ClassKey; students: number }>();
  for (const row of rows) if (row.periodIndex < P) targets.set(keyString(row), { key: classKey(row.period, row), students: panel.countOf(row, row.periodIndex) });
  for (let p = 1; p < P; p++) {
    panel.classes.forEach((c, id) => {
      const students = panel.count(id, p);
      if (students > 0) {
        const key = classKey(panel.periods[p]!, c);
        targets.set(keyString(key), { key, students });
      }
    });
  }

  db.transaction(() => {
    if (!findVersion(db, featuresVersion)) {
      const summaryOut: FeaturesSummary = { feature_names: [...FEATURE_NAMES], periods: panel.periods.slice(1), next_period: next, feeders: Object.fromEntries(feeders), rows: rows.length };
      recordVersion(db, { id: featuresVersion, kind: 'features', logic_version: FEATURES_LOGIC_VERSION, parents: [platinumId], row_count: rows.length, summary: summaryOut });
      const insert = new BatchInsert(db, 'feature_row', ['version_id', 'period', 'site', 'course', 'schedule', 'reason', 'vector']);
      for (const r of rows) insert.add(featuresVersion, r.period, r.site, r.course, r.schedule, r.reason, JSON.stringify(r.x));
      insert.flush();
    }
    if (!findVersion(db, targetVersion)) {
      recordVersion(db, { id: targetVersion, kind: 'target', logic_version: TARGET_LOGIC_VERSION, parents: [platinumId], row_count: targets.size, summary: { periods: panel.periods.slice(1), classes_with_students: [...targets.values()].filter((t) => t.students > 0).length } });
      const insert = new BatchInsert(db, 'target_row', ['version_id', 'period', 'site', 'course', 'schedule', 'students']);
      for (const { key, students } of targets.values()) insert.add(targetVersion, key.period, key.site, key.course, key.schedule, students);
      insert.flush();
    }
  })();
  return { featuresVersion, targetVersion };
}

/** Reads a features + target pair back as the rows models train and predict on. */
export function loadDataset(db: ReadableDB, platinumId: string, featuresVersion: string, targetVersion: string): Dataset {
  const { panel, summary, feeders } = platinumPanel(db, platinumId);
  const periodIndex = new Map(panel.periods.map((p, i) => [p, i]));
  const features = findVersion<FeaturesSummary>(db, featuresVersion)!;
  const rows = (db.prepare(`SELECT period, site, course, schedule, reason, vector FROM feature_row WHERE version_id = ?`).all(featuresVersion) as {
    period: string; site: string; course: string; schedule: string; reason: RowReason; vector: string;
  }[]).map((r) => ({
    period: r.period,
    periodIndex: periodIndex.get(r.period) ?? panel.periodCount,
    site: r.site,
    course: r.course,
    schedule: r.schedule,
    reason: r.reason,
    x: JSON.parse(r.vector) as number[],
  }));
  rows.sort((a, b) => a.periodIndex - b.periodIndex || (labelsString(a) < labelsString(b) ? -1 : 1));
  const targets = new Map<string, number>();
  for (const t of db.prepare(`SELECT period, site, course, schedule, students FROM target_row WHERE version_id = ?`).all(targetVersion) as (ClassKey & { students: number })[]) {
    targets.set(keyString(t), t.students);
  }
  return { panel, rows, targets, nextPeriod: features.summary.next_period, feeders, featuresVersion, targetVersion, platinumVersion: platinumId, summary };
}
