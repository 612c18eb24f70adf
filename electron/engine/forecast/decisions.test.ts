import { describe, expect, it } from 'vitest';
import { decide, sectionsFor } from './decisions';
import { totalCheck } from './total-check';

const sizes = { minClassSize: 8, maxClassSize: 25 };

describe('what to do with a forecast class', () => {
  it('opens two sections for 27 students where the maximum is 25', () => {
    expect(sectionsFor(27, sizes)).toBe(2);
    expect(decide(27, sizes, { pBelowMin: 0 })).toBe('open');
    expect(sectionsFor(25, sizes)).toBe(1);
    // 26 students in two sections of 13 is fine; with a minimum of 14 it is not.
    expect(decide(26, { minClassSize: 14, maxClassSize: 25 }, { pBelowMin: 0 })).toBe('review');
  });

  it('goes by the probability of ending under the minimum where the forecast has an interval', () => {
    expect(decide(9, sizes, { pBelowMin: 0.1 })).toBe('open');
    expect(decide(9, sizes, { pBelowMin: 0.45 })).toBe('review');
    expect(decide(6, sizes, { pBelowMin: 0.8 })).toBe('do_not_open');
  });

  it('keeps the old rule for a model from before intervals', () => {
    expect(decide(8, sizes)).toBe('open');
    expect(decide(7, sizes)).toBe('review');
    expect(decide(3, sizes)).toBe('do_not_open');
  });
});

describe('the forecast total', () => {
  const periods = ['2022-2', '2022-4', '2023-2', '2023-4', '2024-2', '2024-4'];
  const totals = [140_000, 145_000, 139_000, 150_000, 140_000, 152_000];

  it('is flagged when it departs from the same term last year by more than history and backtest explain', () => {
    const check = totalCheck(periods, totals, 'term', '2025-4', 74_974, [-0.03, 0.02], 0, (p) => p)!;
    expect(check.reference_period).toBe('2024-4');
    expect(check.flagged).toBe(true);
    expect(check.message.en).toMatch(/changes -50.7% from 2024-4 \(152,000\)/);
    expect(check.message.es).toMatch(/revise el pronóstico/);
  });

  it('is not flagged within them, counting students expected in courses that have no row', () => {
    const check = totalCheck(periods, totals, 'term', '2025-4', 130_000, [-0.03, 0.02], 0.1, (p) => p)!;
    expect(check.unlisted).toBe(14_444);
    expect(check.flagged).toBe(false);
    expect(check.message.en).toMatch(/no row can name/);
  });
});
