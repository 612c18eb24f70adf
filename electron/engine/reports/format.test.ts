import { describe, expect, it } from 'vitest';
import { formatter } from '../../../shared/format';
import { sameSlotLastYear } from '../domain/periods';
import { reportWords } from './format';

const months = { frequency: 'month', style: 'yyyymm' } as const;

describe('how reports write for people', () => {
  it('writes numbers the way of the region in Settings, in either language', () => {
    expect(reportWords('es', 'es-AR', months).f.int(1595)).toBe('1.595');
    expect(reportWords('es', null, months).f.int(1595)).toBe('1,595');
    expect(reportWords('en', 'es-AR', months).f.pct(0.177)).toBe('17,7%');
    expect(reportWords('es', 'es-ES', months).f.signedPct(0.04)).toBe('+4,0\u00a0%');
    expect(reportWords('en', null, months).f.signedPct(-0.031)).toBe('-3.1%');
  });

  it('dates a report in UTC, so the same data gives the same file on every machine', () => {
    expect(reportWords('es', null, months).f.date('2026-11-23T01:00:00Z')).toBe(formatter('es', null, { timeZone: 'UTC' }).date('2026-11-23T12:00:00Z'));
  });

  it('shows periods as people say them, never the data’s code', () => {
    expect(reportWords('es', null, months).P('2026-11')).toBe('nov. 2026');
    expect(reportWords('en', null, months).P('2026-11')).toBe('Nov 2026');
    expect(reportWords('es', null, { frequency: 'term', style: 'season' }).P('2024-4')).toBe('2024 — otoño');
    expect(reportWords('en', null, { frequency: 'term', style: 'season' }).P('2024-4')).toBe('2024 — fall');
    expect(reportWords('es', null, { frequency: 'term', style: 'yyyy-roman' }).P('2025-2')).toBe('2025-II');
    expect(reportWords('es', null, { frequency: 'month', style: 'yyyy-m' }).P('2025-01')).toBe('ene. 2025');
    expect(reportWords('es', null, { frequency: 'year', style: 'year' }).P('2026')).toBe('2026');
  });

  it('compares a period with the same one a year before', () => {
    expect(sameSlotLastYear('2026-11', 'month')).toBe('2025-11');
    expect(sameSlotLastYear('2024-4', 'term')).toBe('2023-4');
    expect(sameSlotLastYear('2026', 'year')).toBe('2025');
  });

  it('lists a few and counts the rest', () => {
    expect(formatter('es').list(['a', 'b', 'c'])).toBe('a, b y c');
    expect(formatter('en').list(['a', 'b', 'c'], 2)).toBe('a, b, and 1 more');
  });
});
