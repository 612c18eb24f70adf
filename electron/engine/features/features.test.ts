import { describe, expect, it } from 'vitest';
import type { PlatinumClass } from '../snapshots/platinum';
import { F, featureRowsFor } from './build';
import { Panel } from './panel';
import { courseRung, feedersKnownAt, inferFeeders } from './progression';
import { schedulePlan, siteCourseKey } from './schedules';

const periods = ['2024-01', '2024-02', '2024-03', '2024-04'];
const rows: PlatinumClass[] = [
  { period: '2024-01', site: 'N', course: 'BAS01', schedule: 'LMV', students: 20 },
  { period: '2024-02', site: 'N', course: 'BAS01', schedule: 'LMV', students: 10 },
  { period: '2024-02', site: 'N', course: 'BAS02', schedule: 'LMV', students: 16 },
  { period: '2024-03', site: 'N', course: 'BAS01', schedule: 'LMV', students: 15 },
  { period: '2024-03', site: 'N', course: 'BAS02', schedule: 'LMV', students: 8 },
  { period: '2024-03', site: 'N', course: 'BAS03', schedule: 'LMV', students: 12 },
  { period: '2024-04', site: 'N', course: 'BAS02', schedule: 'LMV', students: 999 },
];
const feeders = inferFeeders(['BAS01', 'BAS02', 'BAS03'], []);

describe('the course ladder', () => {
  it('reads families and numbers from course codes', () => {
    expect(courseRung('BAS02')).toEqual({ family: 'BAS#', number: 2 });
    expect(courseRung('GRADO_10')).toEqual({ family: 'GRADO_#', number: 10 });
    expect(courseRung('CS 2150 Lecture')).toEqual({ family: 'CS # LECTURE', number: 2150 });
    expect(courseRung('Taller')).toBeNull();
  });

  it('orders codes naturally within a family (BAS9 < BAS10)', () => {
    expect(Object.fromEntries(inferFeeders(['BAS10', 'BAS9', 'BAS11', 'INT1'], []))).toEqual({ BAS10: 'BAS9', BAS11: 'BAS10' });
  });

  it('prefers what students actually did where ids were imported', () => {
    const transitions = [
      { from_period: '2024-01', site: 'N', from_course: 'BAS06', to_course: 'INT01', students: 30 },
      { from_period: '2024-01', site: 'N', from_course: 'AVA01', to_course: 'INT01', students: 2 },
    ];
    expect(inferFeeders(['BAS05', 'BAS06', 'INT01', 'AVA01'], transitions).get('INT01')).toBe('BAS06');
  });
});

describe('features for a period', () => {
  const panel = new Panel(rows, periods, 'month', []);

  it('never use the period they predict, nor anything after it', () => {
    const withFuture = featureRowsFor(panel, feeders, '2024-04', 3);
    const without = featureRowsFor(new Panel(rows.filter((r) => r.period < '2024-04'), periods.slice(0, 3), 'month', []), feeders, '2024-04', 3);
    expect(withFuture).toEqual(without);
  });

  it('include the classes running now and the next course where its feeder ran, with the cohort estimate', () => {
    const next = featureRowsFor(panel, feeders, '2024-04', 3);
    const byCourse = Object.fromEntries(next.map((r) => [r.course, r]));
    expect(Object.keys(byCourse).sort()).toEqual(['BAS01', 'BAS02', 'BAS03']);
    // BAS03 ← BAS02: 12 students in 2024-03 out of 16 in BAS02 in 2024-02 → rate 0.75; BAS02 had 8 last period.
    expect(byCourse.BAS03!.x[F.progression_rate]).toBeCloseTo(0.75);
    expect(byCourse.BAS03!.x[F.cohort_estimate]).toBeCloseTo(6);
    expect(byCourse.BAS02!.x[F.lag1]).toBe(8);
    expect(byCourse.BAS02!.x[F.lag2]).toBe(16);
  });

  it('forecast a course that ran before when its feeder runs now, and leave out classes with no reason to run', () => {
    const threeMonths = new Panel(rows.filter((r) => !(r.course === 'BAS02' && r.period === '2024-03')), periods, 'month', []);
    const reasons = Object.fromEntries(featureRowsFor(threeMonths, feeders, '2024-04', 3).map((r) => [r.course, r.reason]));
    expect(reasons).toEqual({ BAS01: 'running', BAS02: 'progression', BAS03: 'running' });
  });

  it('compare with the same term last time it ran, up to two years back, when last year is missing', () => {
    const terms = ['2021-4', '2022-2', '2022-4', '2024-2'];
    const semester = new Panel([
      { period: '2021-4', site: 'U', course: 'CS 1', schedule: 'MW', students: 50 },
      { period: '2022-4', site: 'U', course: 'CS 1', schedule: 'MW', students: 40 },
      { period: '2022-2', site: 'U', course: 'CS 2', schedule: 'TT', students: 30 },
      { period: '2024-2', site: 'U', course: 'CS 2', schedule: 'TT', students: 35 },
    ], terms, 'term', [2, 4]);
    const fall2024 = featureRowsFor(semester, new Map(), '2024-4', 4);
    const fallCourse = fall2024.find((r) => r.course === 'CS 1')!;
    expect(fallCourse.reason).toBe('seasonal');
    expect(fallCourse.x[F.same_season]).toBe(40);
    expect(featureRowsFor(semester, new Map(), '2025-4', 4).find((r) => r.course === 'CS 1')).toBeUndefined();
  });
});

describe('the ladder of a school', () => {
  it('puts kindergarten before grade 1, however it is written', () => {
    expect(courseRung('K')).toEqual({ family: '#', number: 0 });
    expect(courseRung('Grade K')).toEqual({ family: 'GRADE #', number: 0 });
    expect(courseRung('PK')).toEqual({ family: '#', number: -1 });
    expect(Object.fromEntries(inferFeeders(['K', '1', '2', 'PK'], []))).toEqual({ K: 'PK', 1: 'K', 2: '1' });
  });

  it('reads numbers with gaps as a catalogue, not a ladder', () => {
    expect(inferFeeders(['CS 2100 Lecture', 'CS 2110 Lecture', 'CS 2150 Lecture'], []).size).toBe(0);
  });

  it('learns a fold’s ladder only from transitions completed before the period it predicts', () => {
    const periods = ['2024-01', '2024-02', '2024-03'];
    const courses = [{ course: 'BAS06', firstRun: 0 }, { course: 'INT01', firstRun: 1 }];
    const transitions = [{ from_period: '2024-02', site: 'N', from_course: 'BAS06', to_course: 'INT01', students: 30 }];
    // Students seen in BAS06 in 2024-02 and in INT01 in 2024-03: unknown when 2024-03 is the one predicted.
    expect(feedersKnownAt(periods, courses, transitions, 2).get('INT01')).toBeUndefined();
    expect(feedersKnownAt(periods, courses, transitions, 3).get('INT01')).toBe('BAS06');
  });
});

describe('the cohort method', () => {
  const grades = ['K', '1', '2', '3'];
  const ladder = inferFeeders(grades, []);
  const school = (site: string, years: string[], size: (year: number, grade: number) => number) =>
    years.flatMap((y) => grades.map((g, i) => ({ period: y, site, course: g, schedule: 'REGULAR', students: size(Number(y), i) })));

  it('carries a cohort two grades across a missing year', () => {
    // Every grade keeps 90 % of the grade before it the year before; kindergarten is 100 every year.
    const size = (_y: number, g: number) => Math.round(100 * 0.9 ** g * 1000) / 1000;
    const years = ['2012', '2013', '2014', '2015', '2017'];
    const panel = new Panel(school('A', years, size), years, 'year', [0]);
    const rows = featureRowsFor(panel, ladder, '2017', 4);
    const third = rows.find((r) => r.course === '3')!;
    expect(third.x[F.steps]).toBe(2);
    expect(third.x[F.cohort_estimate]).toBeCloseTo(100 * 0.9 * 0.9 * 0.9, 0);
  });

  it('pulls a site with few students towards all sites’ ratio', () => {
    const years = ['2012', '2013', '2014', '2015', '2016'];
    const big = (_y: number, g: number) => Math.round(200 * 0.95 ** g);
    const tiny = (_y: number, g: number) => (g === 0 ? 4 : g === 1 ? 6 : 5);
    const panel = new Panel([...school('BIG1', years, big), ...school('BIG2', years, big), ...school('TINY', years, tiny)], years, 'year', [0]);
    const row = featureRowsFor(panel, ladder, '2017', 5).find((r) => r.site === 'TINY' && r.course === '1')!;
    expect(row.x[F.site_ratio]).toBeCloseTo(1.5);
    expect(row.x[F.progression_rate]).toBeLessThan(1.5);
    expect(row.x[F.progression_rate]).toBeGreaterThan(0.9);
  });

  it('forecasts the entry grade from its own trend', () => {
    const years = ['2012', '2013', '2014', '2015', '2016'];
    const panel = new Panel(school('A', years, (y, g) => (g === 0 ? 100 + 10 * (y - 2012) : 50)), years, 'year', [0]);
    const k = featureRowsFor(panel, ladder, '2017', 5).find((r) => r.course === 'K')!;
    expect(k.x[F.has_feeder]).toBe(0);
    expect(k.x[F.cohort_estimate]).toBeGreaterThan(140);
    expect(k.x[F.cohort_estimate]).toBeLessThan(150);
  });
});

describe('schedules that churn', () => {
  it('forecast the course as a whole, split by the last comparable period’s shares', () => {
    const terms = ['2022-2', '2022-4', '2023-2', '2023-4', '2024-2'];
    const rows = terms.flatMap((p, j) => [
      // A course whose fall sections move to new time slots every year.
      ...(p.endsWith('-4') ? [{ period: p, site: 'U', course: 'CS 1', schedule: `MW ${j}`, students: 60 }, { period: p, site: 'U', course: 'CS 1', schedule: `TT ${j}`, students: 30 }] : []),
      // A course that keeps its slot.
      { period: p, site: 'U', course: 'ENG 1', schedule: 'MWF 9', students: 40 },
    ]);
    const panel = new Panel(rows, terms, 'term', [2, 4]);
    const plan = schedulePlan(panel, '2024-4', 5, new Map());
    expect(plan.has(siteCourseKey('U', 'ENG 1'))).toBe(false);
    expect(Object.fromEntries(plan.get(siteCourseKey('U', 'CS 1'))!)).toEqual({ 'MW 3': 2 / 3, 'TT 3': 1 / 3 });
  });
});
