import { describe, expect, it } from 'vitest';
import { canonicalPeriod, formatPeriod, nextPeriod, readPeriod, resolveFileNotation } from './periods';
import type { PeriodReading } from './periods';

const read = (text: string) => readPeriod(text)!;

describe('reading the period notations schools use', () => {
  it.each([
    ['2024', 'year', '2024'],
    ['202401', 'month', '2024-01'],
    ['2024-01', 'month', '2024-01'],
    ['2024/12', 'month', '2024-12'],
    ['2024-1', 'term', '2024-1'],
    ['2024-I', 'term', '2024-1'],
    ['2024-II', 'term', '2024-2'],
    ['2024_spring', 'term', '2024-2'],
    ['2024_summer', 'term', '2024-3'],
    ['2024_fall', 'term', '2024-4'],
    ['Fall 2024', 'term', '2024-4'],
    ['2024-0', 'term', '2024-0'],
    ['2013-14', 'year', '2013'],
    ['2019/20', 'year', '2019'],
    ['2013-2014', 'year', '2013'],
  ])('%s is a %s, stored as %s', (text, frequency, canonical) => {
    const reading = read(text);
    expect(reading.frequency).toBe(frequency);
    expect(canonicalPeriod(reading)).toBe(canonical);
  });

  it.each(['20X4-Q9', '2024-13', '202413', '24-1', 'primavera', '', '1850'])('refuses %j', (text) => {
    expect(readPeriod(text)).toBeNull();
  });

  it('orders terms spring < summer < fall and sorts canonical forms as text', () => {
    const periods = ['2024_fall', '2024_spring', '2023_fall', '2024_summer'].map((p) => canonicalPeriod(read(p))).sort();
    expect(periods.map((p) => formatPeriod(p, 'season'))).toEqual(['2023_fall', '2024_spring', '2024_summer', '2024_fall']);
  });

  it('writes periods back in the dataset’s own notation', () => {
    expect(formatPeriod('2024-03', 'yyyymm')).toBe('202403');
    expect(formatPeriod('2024-2', 'yyyy-roman')).toBe('2024-II');
    expect(formatPeriod('2026-4', 'season')).toBe('2026_fall');
    expect(formatPeriod('2013', 'yyyy-yy')).toBe('2013-14');
    expect(formatPeriod('2009', 'yyyy-yy')).toBe('2009-10');
    expect(formatPeriod('2013', 'yyyy-yyyy')).toBe('2013-2014');
  });
});

describe('one notation per file', () => {
  const readings = (...texts: string[]): PeriodReading[] => texts.map(read);

  it('accepts two spellings of the same months', () => {
    expect(resolveFileNotation(readings('202401', '2024-02'))).toMatchObject({ frequency: 'month' });
  });

  it('reads 2024-1 as a month when the same file also writes 2024-7', () => {
    expect(resolveFileNotation(readings('2024-1', '2024-7'))).toEqual({ frequency: 'month', style: 'yyyy-m', reinterpret: true });
  });

  it('reads 2011-12 as a school year when the file writes school years, and as December otherwise', () => {
    const schoolYears = { frequency: 'year', style: 'yyyy-yy', reinterpret: true };
    expect(resolveFileNotation(readings('2011-12', '2012-13', '2013-14'))).toEqual(schoolYears);
    expect(resolveFileNotation(readings('2009-10', '2010-11', '2011-12'))).toEqual(schoolYears);
    expect(resolveFileNotation(readings('2011-11', '2011-12', '2012-01'))).toMatchObject({ frequency: 'month', reinterpret: false });
    expect(resolveFileNotation(readings('2011-12'))).toMatchObject({ frequency: 'month' });
    expect(canonicalPeriod({ ...read('2011-12'), frequency: 'year' })).toBe('2011');
  });

  it('refuses years mixed with months, and seasons mixed with numbered terms', () => {
    expect(resolveFileNotation(readings('2024', '202401'))).toBeNull();
    expect(resolveFileNotation(readings('2024_fall', '2024-1'))).toBeNull();
  });
});

describe('the calendar of a dataset', () => {
  it('steps months and years', () => {
    expect(nextPeriod('2024-12', 'month', [])).toBe('2025-01');
    expect(nextPeriod('2024', 'year', [])).toBe('2025');
  });

  it('skips term slots a school does not use', () => {
    expect(nextPeriod('2026-2', 'term', [2, 4])).toBe('2026-4');
    expect(nextPeriod('2026-4', 'term', [2, 4])).toBe('2027-2');
    expect(nextPeriod('2024-2', 'term', [0, 1, 2])).toBe('2025-0');
  });
});
