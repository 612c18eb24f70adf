/**
 * Reads a student count the way the file's locale writes it: files separated by semicolons come from
 * Spanish-locale spreadsheets (decimal comma, thousands dot: "1.234", "12,0"); others use the English convention.
 * Only whole, non-negative numbers are counts: "12,5", "-3" and "doce" are refused.
 */
export type CountReading = { ok: true; value: number } | { ok: false; reason: 'empty' | 'negative' | 'fraction' | 'not_a_number' };

export function readCount(text: string, delimiter: string): CountReading {
  const raw = text.trim().replace(/\s/g, '');
  if (raw === '') return { ok: false, reason: 'empty' };
  const [decimal, thousands] = delimiter === ';' ? [',', '.'] : ['.', ','];
  const esc = (c: string) => (c === '.' ? '\\.' : c);
  const shape = new RegExp(`^([+-])?(\\d{1,3}(?:${esc(thousands)}\\d{3})+|\\d+)(?:${esc(decimal)}(\\d+))?$`);
  const m = shape.exec(raw);
  if (!m) return { ok: false, reason: 'not_a_number' };
  const whole = Number(m[2]!.split(thousands).join(''));
  const fraction = m[3] ?? '';
  if (/[1-9]/.test(fraction)) return { ok: false, reason: 'fraction' };
  if (m[1] === '-' && whole !== 0) return { ok: false, reason: 'negative' };
  return { ok: true, value: whole };
}
