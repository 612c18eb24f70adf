import type { ClassLabels } from '../domain/class-key';
import type { Panel } from './panel';

/**
 * Classes that open by growth: a school that opens with its first grade and adds one grade a year, a new group of
 * an institute that moves up a level each term. Such a class has never run, so nothing else lists it, and the
 * students it will have are missed in full. A class is expected to open here when the class below it is itself new
 * this period (it ran for the first time, fed by its own previous course) and the growth it continues is the rule,
 * not the exception: in the history, groups whose newest class was that course went on to open the next one more
 * often than not (a K–5 school's grade 5 is new once, and no grade 6 follows; that is learnt the same way).
 */

/** Pseudo-count of the all-courses rate added to a course's own (few cases of a course say little). */
const PRIOR_CASES = 2;
/** Above this share of past cases that did open, a class is expected (under it, forecasting none errs less). */
const OPENS_ABOVE = 0.5;

export interface Opening {
  key: ClassLabels;
  /** The class below it, new this period, whose students move up. */
  from: number;
  /** Share of the comparable past cases that opened. */
  rate: number;
}

/** Course → the course it feeds, where exactly one course is fed by it. */
function nextCourses(feeders: Map<string, string>): Map<string, string> {
  const next = new Map<string, string>();
  const shared = new Set<string>();
  for (const [course, feeder] of feeders) {
    if (next.has(feeder)) shared.add(feeder);
    next.set(feeder, course);
  }
  for (const feeder of shared) next.delete(feeder);
  return next;
}

/**
 * Classes new in period `j` that grew out of their feeder (which ran in j − 1, one step before), and the class
 * their students would move into, where that one had not run by `j`.
 */
function growingAt(panel: Panel, feeders: Map<string, string>, next: Map<string, string>, steps: Int32Array, j: number): { from: number; key: ClassLabels; course: string }[] {
  if (j < 1 || steps[j] !== 1) return [];
  const found: { from: number; key: ClassLabels; course: string }[] = [];
  panel.classes.forEach((c, id) => {
    if (panel.firstRun[id] !== j || panel.count(id, j) <= 0) return;
    const into = next.get(c.course);
    const feeder = feeders.get(c.course);
    if (!into || !feeder) return;
    if (panel.countOf({ site: c.site, course: feeder, schedule: c.schedule }, j - 1) <= 0) return;
    const key = { site: c.site, course: into, schedule: c.schedule };
    const above = panel.indexOfClass(key);
    if (above !== undefined && panel.firstRun[above]! <= j) return;
    found.push({ from: id, key, course: c.course });
  });
  return found;
}

/**
 * The classes expected to open in the period after index `last` (one step later) by growth, judged only on the
 * periods up to `last`: for each course, how often a new class of it was followed by the next course's class.
 */
export function expectedOpenings(panel: Panel, feeders: Map<string, string>, last: number, steps: Int32Array, stepsAhead: number): Opening[] {
  if (stepsAhead !== 1) return [];
  const next = nextCourses(feeders);
  if (next.size === 0) return [];
  const cases = new Map<string, { opened: number; seen: number }>();
  let opened = 0;
  let seen = 0;
  for (let j = 1; j < last; j++) {
    if (steps[j + 1] !== 1) continue;
    for (const g of growingAt(panel, feeders, next, steps, j)) {
      const did = panel.countOf(g.key, j + 1) > 0 ? 1 : 0;
      const tally = cases.get(g.course) ?? { opened: 0, seen: 0 };
      tally.opened += did;
      tally.seen++;
      cases.set(g.course, tally);
      opened += did;
      seen++;
    }
  }
  if (seen === 0) return [];
  const overall = opened / seen;
  const openings: Opening[] = [];
  for (const g of growingAt(panel, feeders, next, steps, last)) {
    const own = cases.get(g.course) ?? { opened: 0, seen: 0 };
    const rate = (own.opened + PRIOR_CASES * overall) / (own.seen + PRIOR_CASES);
    if (rate > OPENS_ABOVE) openings.push({ key: g.key, from: g.from, rate });
  }
  return openings;
}
