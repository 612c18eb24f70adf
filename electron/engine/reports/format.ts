/**
 * What only the reports add to shared/format.ts: dates in UTC, so the same data gives the same file on every
 * machine, and the notation their periods are shown from. Numbers follow the user's region (Settings).
 */
import type { Formatter, Region } from '../../../shared/format';
import { formatter } from '../../../shared/format';
import type { Locale } from '../../../shared/messages';
import type { PeriodFrequency } from '../../../shared/reports';
import type { PeriodStyle } from '../domain/periods';
import { periodForPeople } from '../domain/periods';

/** How the data writes its periods, to show a canonical period to people. */
export interface PeriodNotation {
  frequency: PeriodFrequency;
  style: PeriodStyle;
}

/** A report's words: a formatter for the language and region, and its periods as people say them ("nov. 2026"). */
export function reportWords(locale: Locale, region: Region | null, notation: PeriodNotation): { f: Formatter; P: (period: string) => string } {
  const f = formatter(locale, region, { timeZone: 'UTC' });
  return { f, P: (period) => periodForPeople(period, notation.style, f) };
}
