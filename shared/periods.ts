import type { Locale } from './messages';
import type { PeriodFrequency } from './reports';

/**
 * Periods as a person reads them: "nov. 2026", "2024 — otoño", "2026-II". The engine stores canonical periods and
 * speaks each dataset's own notation back (202611, 2024_fall, 2026-2: what CSV exports and --json keep); this turns
 * either into words, for the screens and for the engine's sentences alike. A code it does not know is shown as is.
 *
 * The notations are those of the engine's period calendar (electron/engine/domain/periods.ts, readPeriod); its
 * test checks that the two read every notation alike.
 */
export type PeriodShape =
  | { kind: 'year'; year: number }
  | { kind: 'month'; year: number; month: number }
  | { kind: 'term'; year: number; term: number }
  | { kind: 'season'; year: number; season: 1 | 2 | 3 | 4 };

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };
const ROMAN_OF = ['0', 'I', 'II', 'III', 'IV'];
const SEASONS: Record<string, 1 | 2 | 3 | 4> = { winter: 1, spring: 2, summer: 3, fall: 4, autumn: 4 };
const SEASON_NAMES: Record<Locale, readonly string[]> = {
  es: ['', 'invierno', 'primavera', 'verano', 'otoño'],
  en: ['', 'winter', 'spring', 'summer', 'fall'],
};

const plausible = (year: number) => year >= 1900 && year <= 2200;

/**
 * What a period code means. `frequency` settles the one ambiguous notation: in a monthly dataset written
 * "2024-1" … "2024-12", "2024-1" is January, not a first term.
 */
export function periodShape(code: string, frequency?: PeriodFrequency): PeriodShape | null {
  const raw = code.trim();
  let m: RegExpExecArray | null;
  let shape: PeriodShape | null = null;
  if ((m = /^(\d{4})$/.exec(raw))) shape = { kind: 'year', year: Number(m[1]) };
  else if ((m = /^(\d{4})(0[1-9]|1[0-2])$/.exec(raw))) shape = { kind: 'month', year: Number(m[1]), month: Number(m[2]) };
  else if ((m = /^(\d{4})[-/.](0[1-9]|1[0-2])$/.exec(raw))) shape = { kind: 'month', year: Number(m[1]), month: Number(m[2]) };
  else if ((m = /^(\d{4})[-/.]([5-9])$/.exec(raw))) shape = { kind: 'month', year: Number(m[1]), month: Number(m[2]) };
  else if ((m = /^(\d{4})[-_ /.]?([0-4])$/.exec(raw))) {
    const slot = Number(m[2]);
    shape = frequency === 'month' && slot >= 1 ? { kind: 'month', year: Number(m[1]), month: slot } : { kind: 'term', year: Number(m[1]), term: slot };
  } else if ((m = /^(\d{4})[-_ ]?(IV|III|II|I)$/i.exec(raw))) shape = { kind: 'term', year: Number(m[1]), term: ROMAN[m[2]!.toUpperCase()]! };
  else if ((m = /^(\d{4})[-_ ]?(winter|spring|summer|fall|autumn)$/i.exec(raw))) shape = { kind: 'season', year: Number(m[1]), season: SEASONS[m[2]!.toLowerCase()]! };
  else if ((m = /^(winter|spring|summer|fall|autumn)[-_ ]?(\d{4})$/i.exec(raw))) shape = { kind: 'season', year: Number(m[2]), season: SEASONS[m[1]!.toLowerCase()]! };
  return shape && plausible(shape.year) ? shape : null;
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
  }
}
