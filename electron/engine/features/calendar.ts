import type { PeriodFrequency } from '../../../shared/reports';
import { nextPeriod, parseCanonical } from '../domain/periods';

/**
 * How many of the dataset's periods go from `from` to `to`: 1 for consecutive periods, 2 across a missing school
 * year (2015 → 2017) or a missing term. A cohort crosses that many steps of its ladder.
 */
export function stepsBetween(from: string, to: string, frequency: PeriodFrequency, termSlots: readonly number[]): number {
  const a = parseCanonical(from);
  const b = parseCanonical(to);
  if (frequency === 'year') return b.year - a.year;
  if (frequency === 'month') return (b.year - a.year) * 12 + (b.slot - a.slot);
  let steps = 0;
  for (let p = from; p < to && steps < 48; steps++) p = nextPeriod(p, frequency, termSlots);
  return steps;
}

/** steps[j]: the steps from period j − 1 to period j (steps[0] = 1). */
export function periodSteps(periods: readonly string[], frequency: PeriodFrequency, termSlots: readonly number[]): Int32Array {
  return Int32Array.from(periods, (p, j) => (j === 0 ? 1 : stepsBetween(periods[j - 1]!, p, frequency, termSlots)));
}
