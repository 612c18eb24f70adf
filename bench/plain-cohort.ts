import fs from 'node:fs';

/**
 * The grade-progression method as a planner would write it in a spreadsheet, apart from Cupo's engine (the yardstick
 * issue #10 measures against): a grade's students next year are the grade below this year times the average of
 * that school's last three ratios between those grades; a grade with no grade below at the school (kindergarten,
 * the first grade of a middle or high school), or with no ratio at that school yet, repeats this year's number; a
 * grade new at the school is not forecast. Scored like Cupo's backtest: over every
 * class forecast or run (a class that ran without a forecast counts in full), WAPE = Σ|actual − forecast| / Σ actual.
 */
export interface CountRow {
  period: string;
  site: string;
  course: string;
  students: number;
}

/** The rows of a file written as Cupo's input (PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS, no quoting). */
export function readCountRows(file: string): CountRow[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => {
    const [period, site, course, , students] = line.split(',');
    return { period: period!, site: site!, course: course!, students: Number(students) };
  });
}

const RATIO_YEARS = 3;

/** WAPE of the method on each of `folds` (periods), each forecast from the periods before it only. */
export function plainCohortWape(rows: readonly CountRow[], ladder: readonly string[], folds: readonly string[]): { period: string; wape: number; bias: number }[] {
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const count = new Map<string, number>();
  const key = (period: string, site: string, course: string) => `${period}\u0001${site}\u0001${course}`;
  for (const r of rows) count.set(key(r.period, r.site, r.course), (count.get(key(r.period, r.site, r.course)) ?? 0) + r.students);
  const n = (period: string | undefined, site: string, course: string) => (period === undefined ? 0 : count.get(key(period, site, course)) ?? 0);
  const below = new Map(ladder.slice(1).map((c, i) => [c, ladder[i]!]));
  return folds.map((fold) => {
    const t = periods.indexOf(fold);
    const last = periods[t - 1]!;
    const forecast = new Map<string, number>();
    for (const r of rows) {
      if (r.period !== last) continue;
      for (const course of [r.course, ladder[ladder.indexOf(r.course) + 1]].filter((c): c is string => !!c)) {
        const k = `${r.site}\u0001${course}`;
        if (forecast.has(k)) continue;
        const feeder = below.get(course);
        const fed = feeder ? n(last, r.site, feeder) : 0;
        const ratios: number[] = [];
        for (let j = t - 1; j >= 1 && ratios.length < RATIO_YEARS; j--) {
          const from = feeder ? n(periods[j - 1], r.site, feeder) : 0;
          const to = n(periods[j], r.site, course);
          if (from > 0 && to > 0) ratios.push(to / from);
        }
        if (ratios.length > 0) forecast.set(k, fed * (ratios.reduce((a, b) => a + b, 0) / ratios.length));
        else if (course === r.course) forecast.set(k, n(last, r.site, course));
      }
    }
    let error = 0;
    let actualTotal = 0;
    let forecastTotal = 0;
    const seen = new Set<string>();
    for (const [k, f] of forecast) {
      const [site, course] = k.split('\u0001') as [string, string];
      const actual = n(fold, site, course);
      const rounded = Math.round(f);
      error += Math.abs(actual - rounded);
      actualTotal += actual;
      forecastTotal += rounded;
      seen.add(k);
    }
    for (const r of rows) {
      if (r.period !== fold || seen.has(`${r.site}\u0001${r.course}`)) continue;
      error += r.students;
      actualTotal += r.students;
    }
    return { period: fold, wape: error / actualTotal, bias: (forecastTotal - actualTotal) / actualTotal };
  });
}
