import type { Formatter, Region } from '../../../shared/format';
import { formatter } from '../../../shared/format';
import type { Bilingual, Locale } from '../../../shared/messages';
import type { PeriodFrequency } from '../../../shared/reports';

/** The CLI speaks the user's language for what it prints; errors always carry both (see UserError). */
export function cliLocale(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Locale {
  const wanted = (explicit ?? env.CUPO_LANG ?? env.LC_ALL ?? env.LANG ?? 'es').toLowerCase();
  return wanted.startsWith('en') ? 'en' : 'es';
}

export class Text {
  /** The same rules as the screens (shared/format.ts): the language's default region until `use` says the user's. */
  private format: Formatter;
  private frequency: PeriodFrequency | undefined;

  constructor(readonly locale: Locale) {
    this.format = formatter(locale);
  }

  /** The user's region (Settings) and the data's frequency, which settles what "2024-1" is (a term, or January). */
  use(region: Region | null, frequency: PeriodFrequency | undefined): void {
    this.format = formatter(this.locale, region);
    this.frequency = frequency;
  }

  get f(): Formatter {
    return this.format;
  }

  t(message: Bilingual): string {
    return message[this.locale];
  }

  int(n: number): string {
    return this.format.int(n);
  }

  one(n: number): string {
    return this.format.one(n);
  }

  pct(n: number): string {
    return this.format.pct(n);
  }

  /** A period as the data writes it (202611, 2024_fall), for people: "nov. 2026", "2024 — otoño". */
  period(code: string): string {
    return this.format.period(code, this.frequency);
  }

  /** Periods in a sentence: "ene. 2024 y feb. 2024", or "ene. 2020 … nov. 2026 (46)" for many. */
  periods(codes: readonly string[]): string {
    if (codes.length === 0) return '—';
    if (codes.length > 3) return `${this.period(codes[0]!)} … ${this.period(codes.at(-1)!)} (${this.int(codes.length)})`;
    return this.format.list(codes.map((c) => this.period(c)));
  }

  /** An ICU message in the CLI's language: `say({ es: '{n, plural, one {# clase} other {# clases}}', en: … }, { n })`. */
  say(patterns: Bilingual, values?: Record<string, string | number>): string {
    return this.format.message(patterns[this.locale], values);
  }
}

/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][], rightAligned: readonly number[] = []): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
