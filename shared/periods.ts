import type { Locale } from './messages';
import type { PeriodFrequency } from './reports';

/**
 * Periods as a person reads them: "nov. 2026", "2024 — otoño", "2026-II". The engine stores canonical periods and
 * speaks each dataset's own notation back (202611, 2024_fall, 2026-2: what CSV exports and --json keep); this turns
 * either into words, for the screens and for the engine's sentences alike. A code it does not know is shown as is.
 *
 * The notations are read here once, for both: the engine's period calendar (electron/engine/domain/periods.ts)
 * takes `readPeriod` from this file and adds the canonical form, the order of periods and the dataset's notation.
 */
export type PeriodShape =
  | { kind: 'year'; year: number }
  | { kind: 'month'; year: number; month: number }
  | { kind: 'term'; year: number; term: number }
  | { kind: 'season'; year: number; season: 1 | 2 | 3 | 4 }
  /** A school year across two calendar years ("2013-14"), kept by the year it starts in. */
  | { kind: 'school-year'; year: number; long: boolean };

/** How a dataset writes its periods, kept so exports speak the user's notation back to them. */
export type PeriodStyle = 'year' | 'yyyymm' | 'yyyy-mm' | 'yyyy-m' | 'yyyy-n' | 'yyyy-roman' | 'season' | 'yyyy-yy' | 'yyyy-yyyy';

export interface PeriodReading {
  year: number;
  /** Month 1–12, term number 0–4, season 1–4 (winter < spring < summer < fall); 0 for years. */
  slot: number;
  frequency: PeriodFrequency;
  style: PeriodStyle;
}

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };
const ROMAN_OF = ['0', 'I', 'II', 'III', 'IV'];
const SEASONS: Record<string, 1 | 2 | 3 | 4> = { winter: 1, spring: 2, summer: 3, fall: 4, autumn: 4 };
const SEASON_NAMES: Record<Locale, readonly string[]> = {
  es: ['', 'invierno', 'primavera', 'verano', 'otoño'],
  en: ['', 'winter', 'spring', 'summer', 'fall'],
};

const plausible = (year: number) => year >= 1900 && year <= 2200;

/** Reads one period as written in a file, or null when it is not a period notation Cupo knows. */
export function readPeriod(text: string): PeriodReading | null {
  const raw = text.trim();
  let m: RegExpExecArray | null;
  const make = (year: string, slot: number, frequency: PeriodFrequency, style: PeriodStyle): PeriodReading | null =>
    plausible(Number(year)) ? { year: Number(year), slot, frequency, style } : null;

  if ((m = /^(\d{4})$/.exec(raw))) return make(m[1]!, 0, 'year', 'year');
  // A school year: "2013-2014", "2013/14". "2011-12" could be December as well: it is read as a month here, and
  // resolveFileNotation reads a whole file of such periods as school years (electron/engine/domain/periods.ts).
  if ((m = /^(\d{4})[-/](\d{4})$/.exec(raw)) && Number(m[2]) === Number(m[1]) + 1) return make(m[1]!, 0, 'year', 'yyyy-yyyy');
  if ((m = /^(\d{4})[-/](\d{2})$/.exec(raw)) && Number(m[2]) === (Number(m[1]) + 1) % 100 && Number(m[2]) > 12) return make(m[1]!, 0, 'year', 'yyyy-yy');
  if ((m = /^(\d{4})(0[1-9]|1[0-2])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'month', 'yyyymm');
  if ((m = /^(\d{4})[-/.](0[1-9]|1[0-2])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'month', 'yyyy-mm');
  if ((m = /^(\d{4})[-/.]([5-9])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'month', 'yyyy-m');
  if ((m = /^(\d{4})[-_ /.]?([0-4])$/.exec(raw))) return make(m[1]!, Number(m[2]), 'term', 'yyyy-n');
  if ((m = /^(\d{4})[-_ ]?(IV|III|II|I)$/i.exec(raw))) return make(m[1]!, ROMAN[m[2]!.toUpperCase()]!, 'term', 'yyyy-roman');
  if ((m = /^(\d{4})[-_ ]?(winter|spring|summer|fall|autumn)$/i.exec(raw))) return make(m[1]!, SEASONS[m[2]!.toLowerCase()]!, 'term', 'season');
  if ((m = /^(winter|spring|summer|fall|autumn)[-_ ]?(\d{4})$/i.exec(raw))) return make(m[2]!, SEASONS[m[1]!.toLowerCase()]!, 'term', 'season');
  return null;
}

/** The frequency a notation writes: what settles "2024-1" (a first term, or January in a 2024-1 … 2024-12 dataset). */
export function styleFrequency(style: PeriodStyle): PeriodFrequency {
  return style === 'year' || style === 'yyyy-yy' || style === 'yyyy-yyyy' ? 'year' : style === 'yyyymm' || style === 'yyyy-mm' || style === 'yyyy-m' ? 'month' : 'term';
}

/**
 * What a period code means. `frequency` settles the one ambiguous notation: in a monthly dataset written
 * "2024-1" … "2024-12", "2024-1" is January, not a first term.
 */
export function periodShape(code: string, frequency?: PeriodFrequency): PeriodShape | null {
  const r = readPeriod(code);
  if (!r) return null;
  if (r.style === 'yyyy-yy' || r.style === 'yyyy-yyyy') return { kind: 'school-year', year: r.year, long: r.style === 'yyyy-yyyy' };
  // In a dataset of years, "2011-12" is the school year, not December.
  if (frequency === 'year' && r.style === 'yyyy-mm' && r.slot === (r.year + 1) % 100) return { kind: 'school-year', year: r.year, long: false };
  if (r.frequency === 'year') return { kind: 'year', year: r.year };
  if (r.frequency === 'month') return { kind: 'month', year: r.year, month: r.slot };
  if (r.style === 'season') return { kind: 'season', year: r.year, season: r.slot as 1 | 2 | 3 | 4 };
  return frequency === 'month' && r.style === 'yyyy-n' && r.slot >= 1 ? { kind: 'month', year: r.year, month: r.slot } : { kind: 'term', year: r.year, term: r.slot };
}

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A period for people. `tag` is the BCP 47 tag whose month names and order to use (es-PE: "nov. 2026", es-AR:
 * "nov 2026", en-US: "Nov 2026"); by default the language's own.
 */
export function periodLabel(code: string, lang: Locale, options: { tag?: string; frequency?: PeriodFrequency } = {}): string {
  const shape = periodShape(code, options.frequency);
  if (!shape) return code;
  switch (shape.kind) {
    case 'year':
      return String(shape.year);
    case 'month': {
      const tag = options.tag ?? (lang === 'es' ? 'es-PE' : 'en-US');
      let format = monthFormats.get(tag);
      if (!format) monthFormats.set(tag, (format = new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone: 'UTC' })));
      return format.format(Date.UTC(shape.year, shape.month - 1, 15));
    }
    case 'term':
      return `${shape.year}-${ROMAN_OF[shape.term] ?? shape.term}`;
    case 'season':
      return `${shape.year} — ${SEASON_NAMES[lang][shape.season]}`;
    case 'school-year':
      return shape.long ? `${shape.year}-${shape.year + 1}` : `${shape.year}-${String((shape.year + 1) % 100).padStart(2, '0')}`;
  }
}
