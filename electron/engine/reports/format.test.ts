import { describe, expect, it } from 'vitest';
import { int, list, pct, periodForPeople, periodWithCode, sameSlotLastYear, signedPct } from './format';

describe('how reports write for people', () => {
  it('groups thousands and keeps the decimal comma in Spanish', () => {
    expect(int(1595, 'es')).toBe('1.595');
    expect(int(1595, 'en')).toBe('1,595');
    expect(pct(0.177, 'es')).toBe('17,7\u00a0%');
    expect(pct(0.177, 'en')).toBe('17.7%');
    expect(signedPct(0.04, 'es')).toBe('+4,0\u00a0%');
  });

  it('shows periods as people say them, with the data’s own code beside', () => {
    expect(periodForPeople('2026-11', { frequency: 'month', style: 'yyyymm' }, 'es')).toBe('nov. 2026');
    expect(periodForPeople('2026-11', { frequency: 'month', style: 'yyyymm' }, 'en')).toBe('Nov 2026');
    expect(periodWithCode('2026-11', { frequency: 'month', style: 'yyyymm' }, 'es')).toBe('nov. 2026 (202611)');
    expect(periodForPeople('2024-4', { frequency: 'term', style: 'season' }, 'es')).toBe('2024 — otoño');
    expect(periodForPeople('2024-4', { frequency: 'term', style: 'season' }, 'en')).toBe('2024 — fall');
    expect(periodForPeople('2025-2', { frequency: 'term', style: 'yyyy-roman' }, 'es')).toBe('2025 — periodo II');
    expect(periodWithCode('2026', { frequency: 'year', style: 'year' }, 'es')).toBe('2026');
  });

  it('compares a period with the same one a year before', () => {
    expect(sameSlotLastYear('2026-11', 'month')).toBe('2025-11');
    expect(sameSlotLastYear('2024-4', 'term')).toBe('2023-4');
    expect(sameSlotLastYear('2026', 'year')).toBe('2025');
  });

  it('lists a few and counts the rest', () => {
    expect(list(['a', 'b', 'c'], 'es')).toBe('a, b y c');
    expect(list(['a', 'b', 'c'], 'en', 2)).toBe('a, b and 1 more');
  });
});
