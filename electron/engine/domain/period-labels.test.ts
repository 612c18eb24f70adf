import { describe, expect, it } from 'vitest';
import { both, formatter } from '../../../shared/format';
import { periodLabel, periodShape } from '../../../shared/periods';
import { periodForPeople, readPeriod } from './periods';

// The engine's calendar reads notations with shared/periods.ts's reader: the display and the engine agree by construction.
describe('period labels for people', () => {
  const notations = ['2024', '202401', '202611', '2024-03', '2024/11', '2024-7', '2024-1', '2024-0', '2024_2', '2024-II', '2024 IV', '2024_fall', 'Spring 2025', '2024-autumn'];

  it('agree with the engine on what each notation means', () => {
    for (const code of notations) {
      const engine = readPeriod(code)!;
      const shape = periodShape(code)!;
      expect(shape, code).not.toBeNull();
      expect(shape.year, code).toBe(engine.year);
      const kind = engine.frequency === 'year' ? 'year' : engine.frequency === 'month' ? 'month' : engine.style === 'season' ? 'season' : 'term';
      expect(shape.kind, code).toBe(kind);
    }
  });

  it('writes months, terms and seasons as a person reads them, never the code', () => {
    expect(periodLabel('202611', 'es')).toBe('nov. 2026');
    expect(periodLabel('202611', 'en')).toBe('Nov 2026');
    expect(periodLabel('2024_fall', 'es')).toBe('2024 — otoño');
    expect(periodLabel('2024_fall', 'en')).toBe('2024 — fall');
    expect(periodLabel('2026-2', 'es')).toBe('2026-II');
    expect(periodLabel('2026-II', 'en')).toBe('2026-II');
    expect(periodLabel('2024', 'es')).toBe('2024');
    // A monthly dataset written 2024-1 … 2024-12: "2024-1" is January there.
    expect(periodLabel('2024-1', 'es', { frequency: 'month' })).toBe('ene. 2024');
    expect(periodLabel('not a period', 'es')).toBe('not a period');
  });
});

describe('numbers the region’s way', () => {
  it('groups and separates decimals as each country does', () => {
    expect(formatter('es', 'es-AR').int(1532)).toBe('1.532');
    expect(formatter('es', 'es-PE').int(1532)).toBe('1,532');
    expect(formatter('es', 'es-MX').one(1595.25)).toBe('1,595.3');
    expect(formatter('es', 'es-CO').pct(0.1234)).toMatch(/^12,3\s?%$/);
    expect(formatter('en').int(14563)).toBe('14,563');
    expect(formatter('es').region).toBe('es-PE');
    expect(formatter('en').region).toBe('en-US');
  });

  it('says counts with their plural, never "1 sedes" or "14563 cursos"', () => {
    const es = formatter('es', 'es-AR');
    const pattern = '{sites, plural, one {# sede} other {# sedes}} y {courses, plural, one {# curso} other {# cursos}}';
    expect(es.message(pattern, { sites: 1, courses: 14563 })).toBe('1 sede y 14.563 cursos');
    expect(formatter('en').message('{n, plural, one {# class} other {# classes}}', { n: 1 })).toBe('1 class');
    // A number in a plain argument is written the region's way too.
    expect(es.message('{shown} de {total}', { shown: 14563, total: 'x' })).toBe('14.563 de x');
  });

  it('writes a period in the interface language with the region’s month style', () => {
    expect(formatter('es', 'es-AR').period('202611')).toBe('nov 2026');
    expect(formatter('en', 'es-AR').period('202611')).toBe('Nov 2026');
  });
});

describe('the engine’s sentences say periods and models one way', () => {
  const es = formatter('es');
  const en = formatter('en');

  it('labels a stored period from the data’s notation, and never formats a code twice', () => {
    expect(periodForPeople('2026-11', 'yyyymm', es)).toBe('nov. 2026');
    expect(periodForPeople('2024-4', 'season', es)).toBe('2024 — otoño');
    expect(periodForPeople('2026-2', 'yyyy-n', en)).toBe('2026-II');
    expect(periodForPeople('2024-01', 'yyyy-m', es)).toBe('ene. 2024');
    expect(periodForPeople('2026-11', null, es)).toBe('nov. 2026');
    // Already in the data's notation: labelled as it is, not turned into "20250100".
    expect(periodForPeople('202501', 'yyyymm', es)).toBe('ene. 2025');
  });

  it('names a model for people, and its version by the day it was made', () => {
    expect(es.model('neural')).toBe('Red neuronal');
    expect(es.model('neural', '2026-11-12T15:00:00Z')).toBe(`Red neuronal del ${es.date('2026-11-12T15:00:00Z')}`);
    expect(en.model('cohort_progression', '2026-11-12T15:00:00Z')).toBe(`Progression from the previous course (${en.date('2026-11-12T15:00:00Z')})`);
  });

  it('writes changes with their sign, lists with the rest counted, and both languages at once', () => {
    expect(formatter('es', 'es-AR').signedPct(0.04)).toBe('+4,0%');
    expect(en.signedPct(-0.031, 0)).toBe('-3%');
    expect(es.list(['a', 'b', 'c', 'd'], 2)).toBe('a, b y 2 más');
    expect(both((f) => f.pct(0.5, 0))).toEqual({ es: '50%', en: '50%' });
  });
});
