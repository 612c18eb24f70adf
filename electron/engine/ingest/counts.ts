/**
 * Reads a student count the way the file's locale writes it: files separated by semicolons come from
 * Spanish-locale spreadsheets (decimal comma, thousands dot: "1.234", "12,0"); others use the English convention.
 * Only whole, non-negative numbers are counts: "12,5", "-3" and "doce" are refused, and so is a count no class has.
 */
export type CountReading = { ok: true; value: number } | { ok: false; reason: 'empty' | 'negative' | 'fraction' | 'not_a_number' | 'too_large' };

/** Keep in step with MAX_COUNT in problems.ts (which says it to the user). */
const LARGEST = 1_000_000;

const esc = (c: string) => (c === '.' ? '\\.' : c);
const shapes = new Map<string, { thousands: string; shape: RegExp }>();
function shapeFor(delimiter: string): { thousands: string; shape: RegExp } {
  let found = shapes.get(delimiter);
  if (!found) {
    const [decimal, thousands] = delimiter === ';' ? [',', '.'] : ['.', ','];
    const shape = new RegExp(`^([+-])?(\\d{1,3}(?:${esc(thousands!)}\\d{3})+|\\d+)(?:${esc(decimal!)}(\\d+))?$`);
    shapes.set(delimiter, (found = { thousands: thousands!, shape }));
  }
  return found;
}

export function readCount(text: string, delimiter: string): CountReading {
  // Nearly every count is a few plain digits: read those without a regular expression.
  const n = text.length;
  if (n > 0 && n <= 7) {
    let value = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      value = value * 10 + c;
    }
    if (i === n) return value > LARGEST ? { ok: false, reason: 'too_large' } : { ok: true, value };
  }
  const raw = text.trim().replace(/\s/g, '');
  if (raw === '') return { ok: false, reason: 'empty' };
  const { thousands, shape } = shapeFor(delimiter);
  const m = shape.exec(raw);
  if (!m) return { ok: false, reason: 'not_a_number' };
  const whole = Number(m[2]!.split(thousands).join(''));
  const fraction = m[3] ?? '';
  if (/[1-9]/.test(fraction)) return { ok: false, reason: 'fraction' };
  if (m[1] === '-' && whole !== 0) return { ok: false, reason: 'negative' };
  if (whole > LARGEST) return { ok: false, reason: 'too_large' };
  return { ok: true, value: whole };
}
