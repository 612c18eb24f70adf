import { IntlMessageFormat } from 'intl-messageformat';
import type { Bilingual, Locale } from './messages';
import { modelName } from './model-names';
import { periodLabel } from './periods';
import type { Region } from './regions';
import { defaultRegion } from './regions';
import type { PeriodFrequency } from './reports';

export { REGIONS, defaultRegion, isRegion, regionName } from './regions';
export type { Region } from './regions';

/**
 * How Cupo writes numbers, dates, percentages, periods and sentences with counts in them, for the screens and the
 * engine's own sentences (CLI, reports) alike: the platform's `Intl` for numbers and dates, ICU messages
 * (intl-messageformat) for plurals. The interface language (es/en) and the region (how numbers and dates are
 * written: 1.532 in Argentina, 1,532 in Peru) are separate settings.
 */

export interface Formatter {
  readonly lang: Locale;
  readonly region: Region;
  /** A whole number, grouped the region's way: 14.563 (es-AR), 14,563 (es-PE), 14563 is never shown. */
  int(n: number): string;
  /** One decimal: 3,4 (es-AR), 3.4 (es-PE). */
  one(n: number): string;
  /** A number with exactly `digits` decimals: 0,050 (es-AR), 0.050 (es-PE). */
  fixed(n: number, digits: number): string;
  /** A share as a percentage, with `digits` decimals (1 by default): 12,3 % (es-ES), 12.3% (es-PE). */
  pct(n: number, digits?: number): string;
  /** A change as a percentage with its sign: +4,0 % / -3,1 % (es-AR), +4.0% (en-US); 0 has none. */
  signedPct(n: number, digits?: number): string;
  /** A day: "12 nov. 2026" (es-PE), "12 nov 2026" (es-AR), "Nov 12, 2026" (en-US). */
  date(when: string | number | Date): string;
  /** A day and time: "12 nov. 2026, 3:30 p. m.". */
  dateTime(when: string | number | Date): string;
  /** A period: "nov. 2026", "2024 — otoño", "2026-II" (see shared/periods.ts). */
  period(code: string, frequency?: PeriodFrequency): string;
  /** Items joined the language's way: "a, b y c", "a, b, and c"; past `max` of them, "a, b y 3 más". */
  list(items: readonly string[], max?: number): string;
  /**
   * A model for people: its method's name ("Red neuronal"), and, given its creation date, which version of it
   * ("Red neuronal del 12 nov. 2026", "Neural network (Nov 12, 2026)"), as the screens write it. Never its id ("model-0003").
   */
  model(candidate: string, createdAt?: string | number | Date): string;
  /**
   * An ICU message ("{n, plural, one {# clase} other {# clases}}") with its values. A number given to a plain
   * `{name}` is written the region's way too, so a sentence never shows 14563.
   */
  message(pattern: string, values?: Record<string, string | number>): string;
}

export interface FormatterOptions {
  /** The time zone of dates: "UTC" where a file must read the same on every machine; the machine's by default. */
  timeZone?: string;
}

type MessageFormatElement = ReturnType<IntlMessageFormat['getAst']>[number];

/** Collects the arguments a message formats itself (plural, select, number, date): the others get numbers formatted. */
function selfFormatted(elements: MessageFormatElement[], names = new Set<string>()): Set<string> {
  for (const element of elements) {
    // 2 number, 3 date, 4 time, 5 select, 6 plural (@formatjs/icu-messageformat-parser's TYPE).
    if (element.type >= 2 && element.type <= 6) names.add((element as { value: string }).value);
    if (element.type === 5 || element.type === 6) for (const option of Object.values(element.options)) selfFormatted(option.value, names);
    if (element.type === 8) selfFormatted(element.children, names);
  }
  return names;
}

const formatters = new Map<string, Formatter>();

/** The formatter for a language and a region (the language's default region when none is chosen). Cached. */
export function formatter(lang: Locale, region: Region | null = null, options: FormatterOptions = {}): Formatter {
  const chosen = region ?? defaultRegion(lang);
  const zone = options.timeZone ? { timeZone: options.timeZone } : {};
  const key = `${lang}|${chosen}|${options.timeZone ?? ''}`;
  const cached = formatters.get(key);
  if (cached) return cached;
  // Numbers follow the region. Month names follow the language: the region's own when it speaks it, else a
  // neutral variant of the language (an English screen in Argentina writes "12 Nov 2026", a Spanish one in the
  // US "12 nov 2026").
  const dateTag = chosen.startsWith(`${lang}-`) ? chosen : lang === 'en' ? 'en-001' : 'es-419';
  const int = new Intl.NumberFormat(chosen, { maximumFractionDigits: 0 });
  const plain = new Intl.NumberFormat(chosen, { maximumFractionDigits: 2 });
  const one = new Intl.NumberFormat(chosen, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const numbers = new Map<string, Intl.NumberFormat>();
  const numberFormat = (options: Intl.NumberFormatOptions) => {
    const id = JSON.stringify(options);
    let format = numbers.get(id);
    if (!format) numbers.set(id, (format = new Intl.NumberFormat(chosen, options)));
    return format;
  };
  const percent = (digits: number, signDisplay: 'auto' | 'exceptZero') =>
    numberFormat({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay });
  const day = new Intl.DateTimeFormat(dateTag, { day: 'numeric', month: 'short', year: 'numeric', ...zone });
  const dayTime = new Intl.DateTimeFormat(dateTag, { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', ...zone });
  const list = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' });
  const messages = new Map<string, { format: IntlMessageFormat; own: Set<string> }>();
  const made: Formatter = {
    lang,
    region: chosen,
    int: (n) => int.format(n),
    one: (n) => one.format(n),
    fixed: (n, digits) => numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n),
    pct: (n, digits = 1) => percent(digits, 'auto').format(n),
    signedPct: (n, digits = 1) => percent(digits, 'exceptZero').format(n),
    date: (when) => day.format(new Date(when)),
    dateTime: (when) => dayTime.format(new Date(when)),
    period: (code, frequency) => periodLabel(code, lang, { tag: dateTag, ...(frequency ? { frequency } : {}) }),
    list: (items, max = Infinity) => {
      const more = items.length - max;
      if (more <= 0) return list.format(items);
      return list.format([...items.slice(0, max), lang === 'es' ? `${int.format(more)} más` : `${int.format(more)} more`]);
    },
    model: (candidate, createdAt) => {
      const name = modelName(candidate)[lang];
      if (createdAt === undefined) return name;
      return lang === 'es' ? `${name} del ${day.format(new Date(createdAt))}` : `${name} (${day.format(new Date(createdAt))})`;
    },
    message: (pattern, values = {}) => {
      let compiled = messages.get(pattern);
      if (!compiled) {
        // Plural rules are the language's; numbers inside the message (`#`, `{n, number}`) the region's.
        const format = new IntlMessageFormat(pattern, [chosen, lang]);
        messages.set(pattern, (compiled = { format, own: selfFormatted(format.getAst()) }));
      }
      const prepared: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(values)) prepared[name] = typeof value === 'number' && !compiled.own.has(name) ? plain.format(value) : value;
      return String(compiled.format.format(prepared));
    },
  };
  formatters.set(key, made);
  return made;
}

/** The decimal mark a region writes (es-AR 1,5; es-PE 1.5): where it is a comma, spreadsheets expect ";" between CSV fields. */
export function decimalMark(region: Region): ',' | '.' {
  return new Intl.NumberFormat(region).format(1.5).includes(',') ? ',' : '.';
}

/**
 * A sentence in both languages, each written with its language's default region: what the engine stores and sends
 * as `{ es, en }` (alerts, drift findings, the reasons on the audit log).
 */
export function both(make: (f: Formatter) => string): Bilingual {
  return { es: make(formatter('es')), en: make(formatter('en')) };
}
