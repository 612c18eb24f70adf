import { describe, expect, it } from 'vitest';
import { periodFromFileName } from './period-from-name';

describe('a period in a file name', () => {
  it.each([
    ['/data/2024_fall.csv', '2024_fall'],
    ['matriculas-202401.csv', '202401'],
    ['ciclo 2024-II.csv', '2024_II'],
    ['alumnos.csv', null],
  ])('%s → %s', (file, period) => {
    expect(periodFromFileName(file)).toBe(period);
  });
});
