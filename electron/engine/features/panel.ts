import type { PeriodFrequency } from '../../../shared/reports';
import type { ClassLabels } from '../domain/class-key';
import { labelsString } from '../domain/class-key';
import type { PlatinumClass } from '../snapshots/platinum';

/** The schedule of a course-level row: the course at its site, all schedules together (never a real label: imports refuse empty ones). */
export const ALL_SCHEDULES = '';

/**
 * The platinum table as dense series: one value per class per observed period (0 where the class did not run),
 * plus the site, course and site-course totals that features are made of.
 */
export class Panel {
  readonly periods: string[];
  readonly classes: ClassLabels[] = [];
  private readonly classIndex = new Map<string, number>();
  private readonly counts: Float64Array;
  readonly firstRun: Int32Array;
  private readonly totals = new Map<string, Float64Array>();
  /** Per class: its place when classes are listed by site, course, schedule; its site's, course's and site-course's series. */
  readonly rank: Int32Array;
  readonly siteOfClass: Float64Array[] = [];
  readonly courseOfClass: Float64Array[] = [];
  readonly siteCourseOfClass: Float64Array[] = [];
  /** The classes of each site × course (every schedule it ran in), in order of appearance. */
  private readonly bySiteCourse = new Map<string, number[]>();
  readonly sites: string[] = [];

  constructor(
    rows: readonly PlatinumClass[],
    periods: readonly string[],
    readonly frequency: PeriodFrequency,
    readonly termSlots: readonly number[],
  ) {
    this.periods = [...periods];
    const periodIndex = new Map(this.periods.map((p, i) => [p, i]));
    const sites = new Set<string>();
    for (const row of rows) {
      const key = labelsString(row);
      if (!this.classIndex.has(key)) {
        const id = this.classes.length;
        this.classIndex.set(key, id);
        this.classes.push({ site: row.site, course: row.course, schedule: row.schedule });
        const sc = `${row.site}\u0001${row.course}`;
        const list = this.bySiteCourse.get(sc);
        if (list) list.push(id);
        else this.bySiteCourse.set(sc, [id]);
        sites.add(row.site);
      }
    }
    this.sites = [...sites].sort();
    const keys = this.classes.map(labelsString);
    const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    this.rank = new Int32Array(this.classes.length);
    order.forEach((id, r) => (this.rank[id] = r));
    const P = this.periods.length;
    this.counts = new Float64Array(this.classes.length * P);
    this.firstRun = new Int32Array(this.classes.length).fill(P + 1);
    for (const row of rows) {
      const c = this.classIndex.get(labelsString(row))!;
      const p = periodIndex.get(row.period)!;
      this.counts[c * P + p] = row.students;
      if (row.students > 0 && p < this.firstRun[c]!) this.firstRun[c] = p;
      for (const key of [`s\u0001${row.site}`, `c\u0001${row.course}`, `sc\u0001${row.site}\u0001${row.course}`]) {
        let series = this.totals.get(key);
        if (!series) this.totals.set(key, (series = new Float64Array(P)));
        series[p]! += row.students;
      }
    }
    for (const c of this.classes) {
      this.siteOfClass.push(this.totals.get(`s\u0001${c.site}`) ?? new Float64Array(P));
      this.courseOfClass.push(this.totals.get(`c\u0001${c.course}`) ?? new Float64Array(P));
      this.siteCourseOfClass.push(this.totals.get(`sc\u0001${c.site}\u0001${c.course}`) ?? new Float64Array(P));
    }
  }

  get periodCount(): number {
    return this.periods.length;
  }

  indexOfClass(c: ClassLabels): number | undefined {
    return this.classIndex.get(labelsString(c));
  }

  /** Students of class `c` in period index `p`; 0 outside the observed range. */
  count(c: number, p: number): number {
    if (p < 0 || p >= this.periods.length) return 0;
    return this.counts[c * this.periods.length + p]!;
  }

  countOf(key: ClassLabels, p: number): number {
    const c = this.indexOfClass(key);
    return c === undefined ? 0 : this.count(c, p);
  }

  /** Students per period of a site × course (all schedules), a site, or a course; an empty series where none ran. */
  siteCourseSeries(site: string, course: string): Float64Array {
    return this.totals.get(`sc\u0001${site}\u0001${course}`) ?? this.empty;
  }

  siteSeries(site: string): Float64Array {
    return this.totals.get(`s\u0001${site}`) ?? this.empty;
  }

  courseSeries(course: string): Float64Array {
    return this.totals.get(`c\u0001${course}`) ?? this.empty;
  }

  /** Students per period of class `c` (a view: do not write to it). */
  classSeries(c: number): Float64Array {
    const P = this.periods.length;
    return this.counts.subarray(c * P, (c + 1) * P);
  }

  private get empty(): Float64Array {
    return (this.emptySeries ??= new Float64Array(this.periods.length));
  }
  private emptySeries: Float64Array | undefined;

  siteTotal(site: string, p: number): number {
    return this.totals.get(`s\u0001${site}`)?.[p] ?? 0;
  }

  courseTotal(course: string, p: number): number {
    return this.totals.get(`c\u0001${course}`)?.[p] ?? 0;
  }

  siteCourseTotal(site: string, course: string, p: number): number {
    return this.totals.get(`sc\u0001${site}\u0001${course}`)?.[p] ?? 0;
  }

  /** The class ids of a course at a site, one per schedule it ever ran in. */
  classesOf(site: string, course: string): readonly number[] {
    return this.bySiteCourse.get(`${site}\u0001${course}`) ?? [];
  }

  /** True when some course at some site ran in more than one schedule: then forecasts are also made per course. */
  hasSchedules(): boolean {
    for (const list of this.bySiteCourse.values()) if (list.length > 1) return true;
    return false;
  }

  /** The same data with the schedules of each course at each site added together (schedule `ALL_SCHEDULES`). */
  courseLevel(): Panel {
    const sums = new Map<string, PlatinumClass>();
    this.classes.forEach((c, id) => {
      for (let p = 0; p < this.periods.length; p++) {
        const students = this.count(id, p);
        if (students <= 0) continue;
        const key = `${p}\u0001${c.site}\u0001${c.course}`;
        const known = sums.get(key);
        if (known) known.students += students;
        else sums.set(key, { period: this.periods[p]!, site: c.site, course: c.course, schedule: ALL_SCHEDULES, students });
      }
    });
    return new Panel([...sums.values()], this.periods, this.frequency, this.termSlots);
  }
}
