import { describe, expect, it } from 'vitest';
import type { PlatinumClass } from '../snapshots/platinum';
import { featureRowsFor, F } from './build';
import { periodSteps } from './calendar';
import { expectedOpenings } from './expansion';
import { Panel } from './panel';
import { inferFeeders } from './progression';

const YEARS = ['2014', '2015', '2016', '2017', '2018', '2019', '2020'];
const GRADES = ['K', '1', '2', '3'];

/**
 * A K–3 school that runs throughout; three K–2 schools that opened with kindergarten in 2014, 2015 and 2016 and
 * added a grade a year until grade 2; one more that opened the same way in 2018.
 */
function district(): PlatinumClass[] {
  const rows: PlatinumClass[] = [];
  const add = (site: string, year: string, grade: string, students: number) => rows.push({ period: year, site, course: grade, schedule: 'REGULAR', students });
  for (const year of YEARS) for (const g of GRADES) add('S0', year, g, 60);
  for (const [site, opened] of [['A', 2014], ['B', 2015], ['C', 2016], ['D', 2018]] as const) {
    for (const year of YEARS) {
      const age = Number(year) - opened;
      for (let g = 0; g <= Math.min(age, 2); g++) add(site, year, GRADES[g]!, 40 - 2 * g);
    }
  }
  return rows;
}

describe('classes that open by growth', () => {
  const rows = district();
  const feeders = inferFeeders(GRADES, []);

  it('expects the next grade of a school that has added one a year, and not past where such schools stop', () => {
    // Known up to 2019 (index 5): D has K and 1, its grade 1 new; C's grade 2 was new in 2018, and schools stop at 2.
    const panel = new Panel(rows.filter((r) => r.period <= '2019'), YEARS.slice(0, 6), 'year', []);
    const openings = expectedOpenings(panel, feeders, 5, periodSteps(panel.periods, 'year', []), 1);
    expect(openings.map((o) => o.key)).toEqual([{ site: 'D', course: '2', schedule: 'REGULAR' }]);
    expect(openings[0]!.rate).toBeGreaterThan(0.5);
  });

  it('forecasts that class from the class moving up, and never from the period it predicts', () => {
    const panel = new Panel(rows, YEARS, 'year', []);
    const forecast2020 = featureRowsFor(panel, feeders, '2020', 6);
    const opening = forecast2020.find((r) => r.site === 'D' && r.course === '2')!;
    expect(opening.reason).toBe('progression');
    expect(opening.x[F.lag1]).toBe(0);
    expect(opening.x[F.feeder_lag1]).toBe(38);
    expect(opening.x[F.cohort_estimate]).toBeGreaterThan(30);
    expect(forecast2020.some((r) => r.site === 'C' && r.course === '3')).toBe(false);
    // The same rows whether or not 2020 is known: the class's row for 2020 is made from 2019 and before.
    const known = new Panel(rows.filter((r) => r.period <= '2019'), YEARS.slice(0, 6), 'year', []);
    const blind = featureRowsFor(known, feeders, '2020', 6).find((r) => r.site === 'D' && r.course === '2')!;
    expect([...blind.x]).toEqual([...opening.x]);
  });

  it('expects nothing after a missing year, nor where no school ever grew', () => {
    const panel = new Panel(rows.filter((r) => r.period <= '2019'), YEARS.slice(0, 6), 'year', []);
    expect(expectedOpenings(panel, feeders, 5, periodSteps(panel.periods, 'year', []), 2)).toEqual([]);
    const steady = new Panel(rows.filter((r) => r.site === 'S0'), YEARS, 'year', []);
    expect(expectedOpenings(steady, feeders, 6, periodSteps(steady.periods, 'year', []), 1)).toEqual([]);
  });
});
