import type { PeriodFrequency } from '../../../shared/reports';

/**
 * The period calendar: the notations schools write periods in, the canonical form Cupo stores ("2024", "2024-03",
 * "2024-2"), the order of periods and the period after one. Periods are stored canonical and shown in the
 * dataset's own notation.
 */

/** How a dataset writes its periods, kept so exports speak the user's notation back to them. */
export type PeriodStyle = 'year' | 'yyyymm' | 'yyyy-mm' | 'yyyy-m' | 'yyyy-n' | 'yyyy-roman' | 'season';

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
};

export interface PeriodReading {
  year: number;
  /** Month 1–12, term number 0–4, season 1–4 (winter < spring < summer < fall); 0 for years. */
  slot: number;
  frequency: PeriodFrequency;
  style: PeriodStyle;
}

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };
const SEASONS: Record<string, number> = { winter: 1, spring: 2, summer: 3, fall: 4, autumn: 4 };
const SEASON_NAMES = ['', 'winter', 'spring', 'summer', 'fall'];

function plausibleYear(year: number): boolean {
  return year >= 1900 && year <= 2200;
}

/** Reads one period as written in a file, or null when it is not a period notation Cupo knows. */
export function readPeriod(text: string): PeriodReading | null {
  const raw = text.trim();
  let m: RegExpExecArray | null;
  const make = (year: string, slot: number, frequency: PeriodFrequency, style: PeriodStyle): PeriodReading | null =>
    plausibleYear(Number(year)) ? { year: Number(year), slot, frequency, style } : null;

  if ((m = /^(\d{4})$/.exec(raw))) return make(m[1]!, 0, 'year', 'year');
  if ((m = /^(\d{4})(0[1-9]|1[0-2])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'month', 'yyyymm');
  if ((m = /^(\d{4})[-/.](0[1-9]|1[0-2])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'month', 'yyyy-mm');
  if ((m = /^(\d{4})[-/.]([5-9])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'month', 'yyyy-m');
  if ((m = /^(\d{4})[-_ /.]?([0-4])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'term', 'yyyy-n');
  if ((m = /^(\d{4})[-_ ]?(IV|III|II|I)$/i.exec(raw))) return make(m[1]!, ROMAN[m[2]!.toUpperCase()]!, 'term', 'yyyy-roman');
  if ((m = /^(\d{4})[-_ ]?(winter|spring|summer|fall|autumn)$/i.exec(raw)))
    return make(m[1]!, SEASONS[m[2]!.toLowerCase()]!, 'term', 'season');
  if ((m = /^(winter|spring|summer|fall|autumn)[-_ ]?(\d{4})$/i.exec(raw)))
    return make(m[2]!, SEASONS[m[1]!.toLowerCase()]!, 'term', 'season');
  return null;
}

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

/**
 * Decides how one file's periods are read, all together: "2024-1" is a first term, unless the same file also
 * writes "2024-7", in which case both are months. Returns null when the notations cannot both be right.
 */
export function resolveFileNotation(readings: PeriodReading[]): { frequency: PeriodFrequency; style: PeriodStyle; reinterpretTermsAsMonths: boolean } | null {
  const families = new Set(readings.map((r) => STYLE_FAMILY[r.style]));
  if (families.size === 1) {
    const latest = readings.at(-1)!;
    return { frequency: latest.frequency, style: latest.style, reinterpretTermsAsMonths: false };
  }
  const onlyMonthsAndTerms = [...families].every((f) => f === 'month' || f === 'numbered-term');
  const termsFitMonths = readings.every((r) => r.style !== 'yyyy-roman' && (r.frequency === 'month' || r.slot >= 1));
  if (onlyMonthsAndTerms && termsFitMonths && readings.some((r) => r.style === 'yyyy-m')) {
    return { frequency: 'month', style: 'yyyy-m', reinterpretTermsAsMonths: true };
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
      return `${year}-${Object.keys(ROMAN).find((k) => ROMAN[k] === slot) ?? slot}`;
    case 'season':
      return `${year}_${SEASON_NAMES[slot] ?? slot}`;
  }
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
