/**
 * How the reports write numbers, dates and periods for people. Numbers go through Intl: Spanish as `es` with
 * grouping always on ("1.595", "17,7 %"), which keeps the decimal comma of every other Spanish sentence Cupo
 * writes (words.ts, whose sentences the report quotes); English as `en-US`.
 * (es-PE would write "1,595" and "17.7%", against the rest of the app.) When shared/ gains one formatter for
 * numbers and periods, these become calls to it.
 */
import type { Locale } from '../../../shared/messages';
import type { PeriodFrequency } from '../../../shared/reports';
import type { PeriodStyle } from '../domain/periods';
import { formatPeriod, parseCanonical } from '../domain/periods';

const TAG: Record<Locale, string> = { es: 'es', en: 'en-US' };
const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) cache.set(key, (format = new Intl.NumberFormat(TAG[locale], { useGrouping: 'always', ...options } as Intl.NumberFormatOptions)));
  return format;
}

/** A whole number: "1.595" / "1,595". */
export function int(n: number, locale: Locale): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(Math.round(n));
}

/** One decimal: "4,2" / "4.2". */
export function one(n: number, locale: Locale): string {
  return numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

/** A share as a percentage with one decimal: "17,7 %" / "17.7%". */
export function pct(share: number, locale: Locale): string {
  return numberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);
}

/** A change as a signed percentage: "+4,0 %" / "-3.1%". */
export function signedPct(share: number, locale: Locale): string {
  return numberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(share);
}

/** A day: "23 nov. 2026" / "Nov 23, 2026" (in UTC, so a report reads the same on every machine). */
export function day(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-PE' : 'en-US', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
}

const MONTHS: Record<Locale, string[]> = {
  es: ['ene.', 'feb.', 'mar.', 'abr.', 'may.', 'jun.', 'jul.', 'ago.', 'set.', 'oct.', 'nov.', 'dic.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
const SEASONS: Record<Locale, string[]> = {
  es: ['', 'invierno', 'primavera', 'verano', 'otoño'],
  en: ['', 'winter', 'spring', 'summer', 'fall'],
};
const ROMAN = ['0', 'I', 'II', 'III', 'IV'];

/** How the data writes its periods, to show a canonical period to people. */
export interface PeriodNotation {
  frequency: PeriodFrequency;
  style: PeriodStyle;
}

/** A canonical period as a person says it: "nov. 2026", "2024 — otoño", "2025 — periodo II", "2026". */
export function periodForPeople(period: string, notation: PeriodNotation, locale: Locale): string {
  const { year, slot } = parseCanonical(period);
  if (notation.frequency === 'year') return String(year);
  if (notation.frequency === 'month') return locale === 'es' ? `${MONTHS.es[slot - 1] ?? slot} ${year}` : `${MONTHS.en[slot - 1] ?? slot} ${year}`;
  if (notation.style === 'season') return `${year} — ${SEASONS[locale][slot] ?? slot}`;
  const term = notation.style === 'yyyy-roman' ? (ROMAN[slot] ?? String(slot)) : String(slot);
  return `${year} — ${locale === 'es' ? 'periodo' : 'term'} ${term}`;
}

/** A period for people, with the data's own notation beside it when they differ: "nov. 2026 (202611)". */
export function periodWithCode(period: string, notation: PeriodNotation, locale: Locale): string {
  const people = periodForPeople(period, notation, locale);
  const code = formatPeriod(period, notation.style);
  return people === code ? people : `${people} (${code})`;
}

/** The same period a year earlier (canonical), for the comparisons a school makes: November with November. */
export function sameSlotLastYear(period: string, frequency: PeriodFrequency): string {
  const { year, slot } = parseCanonical(period);
  if (frequency === 'year') return String(year - 1);
  if (frequency === 'month') return `${year - 1}-${String(slot).padStart(2, '0')}`;
  return `${year - 1}-${slot}`;
}

/** "a, b y c" / "a, b and c", the first `max` of them and how many more. */
export function list(items: readonly string[], locale: Locale, max = 6): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  const and = locale === 'es' ? 'y' : 'and';
  if (more > 0) return `${shown.join(', ')} ${and} ${locale === 'es' ? `${more} más` : `${more} more`}`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} ${and} ${shown.at(-1)}`;
}

/** Singular or plural by count: `plural(3, 'clase', 'clases')`. */
export function plural(n: number, one: string, many: string): string {
  return Math.round(n) === 1 ? one : many;
}
