import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDemo } from './generate';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the shipped demo institute', () => {
  it('is exactly what its generator makes (regenerate with npm run demo:generate)', () => {
    const demo = generateDemo();
    for (const [name, text] of Object.entries(demo.files)) expect(fs.readFileSync(path.join(here, name), 'utf8') === text, name).toBe(true);
  });

  it('has several sites, an 18-course ladder, five schedules and 46 months', () => {
    const rows = Object.values(generateDemo().files).flatMap((t) => t.trim().split('\r\n').slice(1).map((l) => l.split(',')));
    expect(new Set(rows.map((r) => r[1])).size).toBe(4);
    expect(new Set(rows.map((r) => r[2])).size).toBe(18);
    expect(new Set(rows.map((r) => r[3])).size).toBe(5);
    expect(new Set(rows.map((r) => r[0])).size).toBe(46);
    const olivos = rows.filter((r) => r[1] === 'LOS OLIVOS').map((r) => r[0]!).sort();
    expect(olivos[0]).toBe('202408');
    const afternoon = rows.filter((r) => r[3] === 'LMV 15:00-17:00').map((r) => r[0]!).sort();
    expect(afternoon.at(-1)).toBe('202503');
  });
});
