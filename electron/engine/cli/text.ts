import type { Formatter } from '../../../shared/format';
import { formatter } from '../../../shared/format';
import type { Bilingual, Locale } from '../../../shared/messages';

/** The CLI speaks the user's language for what it prints; errors always carry both (see UserError). */
export function cliLocale(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Locale {
  const wanted = (explicit ?? env.CUPO_LANG ?? env.LC_ALL ?? env.LANG ?? 'es').toLowerCase();
  return wanted.startsWith('en') ? 'en' : 'es';
}

export class Text {
  /** The same rules as the screens (shared/format.ts), in the language's default region. */
  private readonly format: Formatter;

  constructor(readonly locale: Locale) {
    this.format = formatter(locale);
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
}

/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][], rightAligned: readonly number[] = []): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
