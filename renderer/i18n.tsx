import { createContext, useContext } from 'react';
import type { Formatter, Region } from '../shared/format';
import { formatter } from '../shared/format';
import type { Bilingual, Locale } from '../shared/messages';
import { modelName } from '../shared/model-names';
import type { PeriodFrequency } from '../shared/reports';
import type { MessageKey } from './messages';
import { en, es } from './messages';

/**
 * What every screen writes with: the interface language's sentences (ICU messages, with plurals), and numbers,
 * dates and periods the region's way (shared/format.ts, the same rules as the engine's sentences).
 */
export interface I18n {
  locale: Locale;
  region: Region;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** A sentence the engine sent, in both languages. */
  say: (message: Bilingual) => string;
  int: (n: number) => string;
  /** A share as a percentage, one decimal unless told (`digits`). */
  pct: (n: number, digits?: number) => string;
  /** A change as a signed percentage: "+0,6 %", "−2,1 %". */
  signedPct: (n: number) => string;
  one: (n: number) => string;
  /** A model candidate's name for people ("Red neuronal"), its id where the catalog has none. */
  modelName: (candidate: string) => string;
  /** A day: "12 nov. 2026". */
  day: (iso: string) => string;
  /** A day and time: "12 nov. 2026, 3:30 p. m.". */
  date: (iso: string) => string;
  /** A period for people: "nov. 2026", "2024 — otoño", "2026-II"; never 202611 or 2024_fall. */
  period: (code: string) => string;
  /** Periods in a sentence: "ene. 2024 y feb. 2024", or "ene. 2020 … nov. 2026 (46 periodos)" for many. */
  periods: (codes: readonly string[]) => string;
}

export function makeI18n(locale: Locale, region: Region | null = null, frequency?: PeriodFrequency): I18n {
  const catalog = locale === 'es' ? es : en;
  const f: Formatter = formatter(locale, region);
  const period = (code: string) => f.period(code, frequency);
  // A value that ends a sentence with its own period ("11:40 p. m.") takes the place of the sentence's period.
  const t: I18n['t'] = (key, values) => {
    let pattern: string = catalog[key];
    for (const [name, value] of Object.entries(values ?? {})) if (typeof value === 'string' && value.endsWith('.')) pattern = pattern.split(`{${name}}.`).join(`{${name}}`);
    return f.message(pattern, values);
  };
  return {
    locale,
    region: f.region,
    t,
    say: (message) => message[locale],
    int: f.int,
    pct: f.pct,
    signedPct: (n) => f.signedPct(n),
    one: f.one,
    modelName: (candidate) => modelName(candidate)[locale],
    day: (iso) => f.date(iso),
    date: (iso) => f.dateTime(iso),
    period,
    periods: (codes) =>
      codes.length === 0 ? '—' : codes.length > 3 ? t('common.periodSpan', { first: period(codes[0]!), last: period(codes.at(-1)!), count: codes.length }) : f.list(codes.map(period)),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('es'));
export const useI18n = () => useContext(I18nContext);
