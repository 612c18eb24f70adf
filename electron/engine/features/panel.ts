import type { PeriodFrequency } from '../../../shared/reports';
import type { ClassLabels } from '../domain/class-key';
import { labelsString } from '../domain/class-key';
import type { PlatinumClass } from '../snapshots/platinum';

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

  constructor(
    rows: readonly PlatinumClass[],
    periods: readonly string[],
    readonly frequency: PeriodFrequency,
    readonly termSlots: readonly number[],
  ) {
    this.periods = [...periods];
    const periodIndex = new Map(this.periods.map((p, i) => [p, i]));
    for (const row of rows) {
      const key = labelsString(row);
      if (!this.classIndex.has(key)) {
        this.classIndex.set(key, this.classes.length);
        this.classes.push({ site: row.site, course: row.course, schedule: row.schedule });
      }
    }
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

  siteTotal(site: string, p: number): number {
    return this.totals.get(`s\u0001${site}`)?.[p] ?? 0;
  }

  courseTotal(course: string, p: number): number {
    return this.totals.get(`c\u0001${course}`)?.[p] ?? 0;
  }

  siteCourseTotal(site: string, course: string, p: number): number {
    return this.totals.get(`sc\u0001${site}\u0001${course}`)?.[p] ?? 0;
  }
}
