import { parseCanonical } from '../domain/periods';
import { sameSeasonBefore } from './build';
import type { Panel } from './panel';

/**
 * Where a course's schedules churn — a university moves sections to new time slots from one year to the next —
 * a class-by-class forecast scatters students over slots that will not run. There the course is forecast at its
 * site as a whole and split across schedules by their shares in the most recent comparable period.
 *
 * A course churns when, in its last two periods, at least CHURN_TO_SPLIT of its students sat in classes that a
 * class-by-class forecast could not have listed: a schedule that neither ran the period before nor in the same
 * season a year before, and whose feeder class (same schedule) did not run the period before. A language
 * institute's cohorts moving up in their own schedule do not churn; a university's sections moving to new slots
 * do. Decided from history before the period forecast only.
 */
const CHURN_TO_SPLIT = 0.2;
const PAIRS = 2;

/** `site\u0001course` → schedule → share, for the courses forecast as a whole and split. */
export type SchedulePlan = Map<string, Map<string, number>>;

export function siteCourseKey(site: string, course: string): string {
  return `${site}\u0001${course}`;
}

export function schedulePlan(panel: Panel, targetPeriod: string, historyEnd: number, feeders: Map<string, string>): SchedulePlan {
  const plan: SchedulePlan = new Map();
  if (!panel.hasSchedules()) return plan;
  const last = historyEnd - 1;
  const { year, slot } = parseCanonical(targetPeriod);
  const season = sameSeasonBefore(panel, year, slot, historyEnd);
  const seen = new Set<string>();
  for (const c of panel.classes) {
    const key = siteCourseKey(c.site, c.course);
    if (seen.has(key)) continue;
    seen.add(key);
    const ids = panel.classesOf(c.site, c.course);
    if (ids.length < 2) continue;
    let moved = 0;
    let students = 0;
    let pairs = 0;
    const feeder = feeders.get(c.course);
    const courseFirst = Math.min(...ids.map((id) => panel.firstRun[id]!));
    for (let b = last; b >= 1 && pairs < PAIRS; b--) {
      const p = parseCanonical(panel.periods[b]!);
      const seasonBefore = sameSeasonBefore(panel, p.year, p.slot, b);
      let total = 0;
      let fresh = 0;
      for (const id of ids) {
        const now = panel.count(id, b);
        if (now <= 0) continue;
        total += now;
        const listed = panel.count(id, b - 1) > 0 || (seasonBefore >= 0 && panel.count(id, seasonBefore) > 0) ||
          (!!feeder && panel.countOf({ site: c.site, course: feeder, schedule: panel.classes[id]!.schedule }, b - 1) > 0);
        if (!listed) fresh += now;
      }
      // The period a course first ran, everything in it is new: not churn.
      if (total === 0 || courseFirst >= b) continue;
      moved += fresh;
      students += total;
      pairs++;
    }
    if (pairs === 0 || moved < CHURN_TO_SPLIT * students) continue;
    // Shares from the same season last time it ran, else from the last period the course ran.
    let reference = season >= 0 && panel.siteCourseTotal(c.site, c.course, season) > 0 ? season : -1;
    for (let j = last; reference < 0 && j >= 0; j--) if (panel.siteCourseTotal(c.site, c.course, j) > 0) reference = j;
    if (reference < 0) continue;
    const total = panel.siteCourseTotal(c.site, c.course, reference);
    const shares = new Map<string, number>();
    for (const id of ids) {
      const n = panel.count(id, reference);
      if (n > 0) shares.set(panel.classes[id]!.schedule, n / total);
    }
    plan.set(key, shares);
  }
  return plan;
}
