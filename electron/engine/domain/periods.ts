import type { Formatter } from '../../../shared/format';
import type { PeriodReading, PeriodStyle } from '../../../shared/periods';
import { styleFrequency } from '../../../shared/periods';
import type { PeriodFrequency } from '../../../shared/reports';

/**
 * The period calendar: the notations schools write periods in, the canonical form Cupo stores ("2024", "2024-03",
 * "2024-2"), the order of periods and the period after one. Periods are stored canonical and shown in the
 * dataset's own notation. The notations are read by shared/periods.ts, the same reader the screens label periods
 * with, so the two never disagree on what "2024-1" or "2024_fall" means.
 */
export { readPeriod } from '../../../shared/periods';
export type { PeriodReading, PeriodStyle } from '../../../shared/periods';

/** How the data already imported writes its periods: what new files must agree with. `example` is canonical. */
export interface Notation {
  frequency: PeriodFrequency;
  period_style: PeriodStyle;
  example: string;
}

/** Styles that mean the same slots and may be mixed; styles from different families cannot both be right. */
const STYLE_FAMILY: Record<PeriodStyle, string> = {
  year: 'year',
  yyyymm: 'month',
  'yyyy-mm': 'month',
  'yyyy-m': 'month',
  'yyyy-n': 'numbered-term',
  'yyyy-roman': 'numbered-term',
  season: 'season-term',
  'yyyy-yy': 'year',
  'yyyy-yyyy': 'year',
};

const ROMAN_OF = ['0', 'I', 'II', 'III', 'IV'];
const SEASON_NAMES = ['', 'winter', 'spring', 'summer', 'fall'];

export function canonicalPeriod(reading: Pick<PeriodReading, 'year' | 'slot' | 'frequency'>): string {
  if (reading.frequency === 'year') return String(reading.year);
  if (reading.frequency === 'month') return `${reading.year}-${String(reading.slot).padStart(2, '0')}`;
  return `${reading.year}-${reading.slot}`;
}

export function parseCanonical(period: string): { year: number; slot: number } {
  const [year, slot] = period.split('-');
  return { year: Number(year), slot: slot === undefined ? 0 : Number(slot) };
}

export function styleFamily(style: PeriodStyle): string {
  return STYLE_FAMILY[style];
}

/** "2011-12" read as a month that is also the school year 2011-12. */
const couldBeSchoolYear = (r: PeriodReading) => r.style === 'yyyy-yy' || (r.style === 'yyyy-mm' && r.slot === (r.year + 1) % 100);

/**
 * Decides how one file's periods are read, all together: "2024-1" is a first term, unless the same file also
 * writes "2024-7", in which case both are months; "2011-12" is December, unless the same file also writes "2013-14"
 * or only ever writes school years ("2010-11", "2011-12": no monthly file has one month a year). `reinterpret`: read
 * every period with the returned frequency. Returns null when the notations cannot both be right.
 */
export function resolveFileNotation(readings: PeriodReading[]): { frequency: PeriodFrequency; style: PeriodStyle; reinterpret: boolean } | null {
  const distinct = new Set(readings.map((r) => `${r.year}-${r.slot}`)).size;
  if (readings.every(couldBeSchoolYear) && (readings.some((r) => r.style === 'yyyy-yy') || distinct >= 2)) {
    return { frequency: 'year', style: 'yyyy-yy', reinterpret: true };
  }
  const families = new Set(readings.map((r) => STYLE_FAMILY[r.style]));
  if (families.size === 1) {
    const latest = readings.at(-1)!;
    return { frequency: latest.frequency, style: latest.style, reinterpret: false };
  }
  const onlyMonthsAndTerms = [...families].every((f) => f === 'month' || f === 'numbered-term');
  const termsFitMonths = readings.every((r) => r.style !== 'yyyy-roman' && (r.frequency === 'month' || r.slot >= 1));
  if (onlyMonthsAndTerms && termsFitMonths && readings.some((r) => r.style === 'yyyy-m')) {
    return { frequency: 'month', style: 'yyyy-m', reinterpret: true };
  }
  return null;
}

/** Writes a canonical period the way the dataset writes it (2024_fall, 202403, 2024-II…). */
export function formatPeriod(period: string, style: PeriodStyle): string {
  const { year, slot } = parseCanonical(period);
  switch (style) {
    case 'year':
      return String(year);
    case 'yyyymm':
      return `${year}${String(slot).padStart(2, '0')}`;
    case 'yyyy-mm':
      return `${year}-${String(slot).padStart(2, '0')}`;
    case 'yyyy-m':
    case 'yyyy-n':
      return `${year}-${slot}`;
    case 'yyyy-roman':
      return `${year}-${ROMAN_OF[slot] ?? slot}`;
    case 'season':
      return `${year}_${SEASON_NAMES[slot] ?? slot}`;
    case 'yyyy-yy':
      return `${year}-${String((year + 1) % 100).padStart(2, '0')}`;
    case 'yyyy-yyyy':
      return `${year}-${year + 1}`;
  }
}

/** The same period a year earlier (canonical), for the comparisons a school makes: November with November. */
export function sameSlotLastYear(period: string, frequency: PeriodFrequency): string {
  const { year, slot } = parseCanonical(period);
  if (frequency === 'year') return String(year - 1);
  if (frequency === 'month') return `${year - 1}-${String(slot).padStart(2, '0')}`;
  return `${year - 1}-${slot}`;
}

/** The period after `period`, given the slots a term dataset uses (a school with no summer term skips it). */
export function nextPeriod(period: string, frequency: PeriodFrequency, termSlots: readonly number[]): string {
  const { year, slot } = parseCanonical(period);
  if (frequency === 'year') return String(year + 1);
  if (frequency === 'month') return canonicalPeriod(slot === 12 ? { year: year + 1, slot: 1, frequency } : { year, slot: slot + 1, frequency });
  const slots = [...new Set(termSlots)].sort((a, b) => a - b);
  const later = slots.find((s) => s > slot);
  return later === undefined ? canonicalPeriod({ year: year + 1, slot: slots[0] ?? slot, frequency }) : canonicalPeriod({ year, slot: later, frequency });
}

const CANONICAL = /^\d{4}(-\d{1,2})?$/;

/**
 * A stored (canonical) period as people read it in a sentence: "nov. 2026", "2024 — otoño", "2026-II", written in
 * the dataset's notation first (`style`, null before any import) so a season is named and a 2024-1 … 2024-12
 * month is a month. A period already in a dataset's notation is labelled as it is, never formatted twice.
 */
export function periodForPeople(period: string, style: PeriodStyle | null, f: Formatter): string {
  if (!style || !CANONICAL.test(period)) return f.period(period);
  return f.period(formatPeriod(period, style), styleFrequency(style));
}
