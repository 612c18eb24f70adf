import { describe, expect, it } from 'vitest';
import type { PlatinumClass } from '../snapshots/platinum';
import { F, featureRowsFor } from './build';
import { Panel } from './panel';
import { courseRung, inferFeeders } from './progression';

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
