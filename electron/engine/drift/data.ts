import { foldLabel } from '../domain/class-key';
import type { Dimension } from '../../../shared/drift';
import type { ReadableDB } from '../db/types';
import { parseCanonical } from '../domain/periods';
import type { PlatinumClass, PlatinumSummary } from '../snapshots/platinum';
import { findVersion } from '../snapshots/versions';

export const DIMENSIONS: readonly Dimension[] = ['site', 'course', 'schedule', 'class'];

export function entityOf(c: PlatinumClass, dimension: Dimension): string {
  switch (dimension) {
    case 'site':
      return c.site;
    case 'course':
      return c.course;
    case 'schedule':
      return c.schedule;
    case 'class':
      return `${c.site} · ${c.course} · ${c.schedule}`;
  }
}

/** Students per entity of one dimension in one period, keyed by folded label, with the label as shown. */
export interface Totals {
  students: Map<string, number>;
  shown: Map<string, string>;
  total: number;
}

/** One platinum version, read a period at a time and kept: what drift compares. */
export class PlatinumView {
  readonly id: string;
  readonly summary: PlatinumSummary;
  private readonly byPeriod = new Map<string, PlatinumClass[]>();
  private readonly totalsCache = new Map<string, Totals>();
  private readonly select;

  constructor(db: ReadableDB, id: string) {
    const version = findVersion<PlatinumSummary>(db, id);
    if (!version || version.kind !== 'platinum') throw new Error(`platinum version ${id} not found`);
    this.id = id;
    this.summary = version.summary;
    this.select = db.prepare(`SELECT period, site, course, schedule, students FROM platinum_class WHERE version_id = ? AND period = ? AND students > 0`);
  }

  get periods(): readonly string[] {
    return this.summary.periods;
  }

  has(period: string): boolean {
    return this.summary.periods.includes(period);
  }

  classes(period: string): PlatinumClass[] {
    let rows = this.byPeriod.get(period);
    if (!rows) this.byPeriod.set(period, (rows = this.select.all(this.id, period) as PlatinumClass[]));
    return rows;
  }

  totals(dimension: Dimension, period: string): Totals {
    const cacheKey = `${dimension}\u0001${period}`;
    let totals = this.totalsCache.get(cacheKey);
    if (!totals) {
      totals = { students: new Map(), shown: new Map(), total: 0 };
      for (const c of this.classes(period)) {
        const label = entityOf(c, dimension);
        const key = foldLabel(label);
        totals.students.set(key, (totals.students.get(key) ?? 0) + c.students);
        totals.shown.set(key, label);
        totals.total += c.students;
      }
      this.totalsCache.set(cacheKey, totals);
    }
    return totals;
  }

  total(period: string): number {
    return this.totals('site', period).total;
  }

  /** Periods strictly before `period`, oldest first. */
  before(period: string): string[] {
    return this.summary.periods.filter((p) => p < period);
  }

  /**
   * Earlier periods of the same season (same month or term; every year for yearly data), newest first, at most
   * `limit` and no more than `years` back.
   */
  sameSeasonBefore(period: string, limit: number, years = 3): string[] {
    const { year, slot } = parseCanonical(period);
    return this.before(period)
      .filter((p) => {
        const q = parseCanonical(p);
        return q.slot === slot && q.year < year && year - q.year <= years;
      })
      .reverse()
      .slice(0, limit);
  }
}

export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
