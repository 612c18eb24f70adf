import type { Dataset, FeatureRow, RowReason } from '../features/build';
import { F, featureRowsFor } from '../features/build';
import type { ClassLabels } from '../domain/class-key';
import type { SchedulePlan } from '../features/schedules';
import { schedulePlan, siteCourseKey } from '../features/schedules';

/** Why a class is in a forecast; `schedule_split`: its course is forecast at the site and split across schedules. */
export type ForecastReason = RowReason | 'schedule_split';

/**
 * Everything about one forecast period that does not depend on the model: the rows of each level, which courses
 * are split across schedules, and the classes a forecast speaks for (`keys`, class rows first, in their order,
 * then schedules that only the split adds). A model's forecast of the period is one number per key.
 */
export interface PeriodPlan {
  index: number;
  period: string;
  classRows: FeatureRow[];
  courseRows: FeatureRow[];
  split: SchedulePlan;
  keys: ClassLabels[];
  reasons: ForecastReason[];
  /** Students last period and in the feeder class last period, per key (what the forecast file shows beside). */
  lastStudents: Float64Array;
  feederStudents: Float64Array;
  /** Per key: the course row it is split from (−1: forecast as a class), and its share of that course. */
  courseRow: Int32Array;
  share: Float64Array;
}

export function buildPlan(index: number, period: string, classRows: FeatureRow[], courseRows: FeatureRow[], split: SchedulePlan, lastStudentsOf: (c: ClassLabels) => number): PeriodPlan {
  const courseIndex = new Map(courseRows.map((r, i) => [siteCourseKey(r.site, r.course), i]));
  const keys: ClassLabels[] = [];
  const reasons: ForecastReason[] = [];
  const last: number[] = [];
  const feeder: number[] = [];
  const courseRow: number[] = [];
  const share: number[] = [];
  const present = new Set<string>();
  for (const r of classRows) {
    const sc = siteCourseKey(r.site, r.course);
    const shares = split.get(sc);
    const from = shares ? courseIndex.get(sc) : undefined;
    keys.push({ site: r.site, course: r.course, schedule: r.schedule });
    last.push(r.x[F.lag1]!);
    feeder.push(r.x[F.feeder_lag1]!);
    if (shares && from !== undefined) {
      reasons.push('schedule_split');
      courseRow.push(from);
      share.push(shares.get(r.schedule) ?? 0);
      present.add(`${sc}\u0001${r.schedule}`);
    } else {
      reasons.push(r.reason);
      courseRow.push(-1);
      share.push(0);
    }
  }
  for (const [sc, shares] of [...split].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const from = courseIndex.get(sc);
    if (from === undefined) continue;
    const [site, course] = sc.split('\u0001') as [string, string];
    for (const [schedule, s] of [...shares].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (present.has(`${sc}\u0001${schedule}`)) continue;
      const key = { site, course, schedule };
      keys.push(key);
      reasons.push('schedule_split');
      last.push(lastStudentsOf(key));
      feeder.push(0);
      courseRow.push(from);
      share.push(s);
    }
  }
  return {
    index, period, classRows, courseRows, split, keys, reasons,
    lastStudents: Float64Array.from(last), feederStudents: Float64Array.from(feeder), courseRow: Int32Array.from(courseRow), share: Float64Array.from(share),
  };
}

/** The plan of period index `index` of the dataset (index = number of periods: the next one). */
export function planFor(dataset: Dataset, index: number, period = index < dataset.panel.periodCount ? dataset.panel.periods[index]! : dataset.nextPeriod): PeriodPlan {
  const P = dataset.panel.periodCount;
  const stored = period === (index < P ? dataset.panel.periods[index] : dataset.nextPeriod);
  const classRows = stored ? dataset.rows.filter((r) => r.periodIndex === index) : featureRowsFor(dataset.panel, dataset.feedersAt(index), period, index);
  const courseRows = !dataset.course ? [] : stored ? dataset.course.rows.filter((r) => r.periodIndex === index) : featureRowsFor(dataset.course.panel, dataset.feedersAt(index), period, index);
  const split = dataset.course ? schedulePlan(dataset.panel, period, index, dataset.feedersAt(index)) : new Map();
  return buildPlan(index, period, classRows, courseRows, split, (c) => dataset.panel.countOf(c, index - 1));
}

/** One number per key of the plan from the two levels' predictions: a class's own, or its share of its course's. */
export function mergeLevels(plan: PeriodPlan, classPredictions: Float64Array, coursePredictions: Float64Array | null): Float64Array {
  const out = new Float64Array(plan.keys.length);
  for (let i = 0; i < out.length; i++) {
    const from = plan.courseRow[i]!;
    if (from >= 0 && coursePredictions) out[i] = coursePredictions[from]! * plan.share[i]!;
    else out[i] = i < classPredictions.length ? classPredictions[i]! : 0;
  }
  return out;
}
