/**
 * A K-12-shaped dataset: one row per school × grade × school year, the shape of a state's or a country's
 * enrolment census (what the NCES grade-progression method is made for). Deterministic for a seed.
 *
 *   npx tsx bench/generate-k12.ts [out.csv] [--schools 1800] [--from 2010] [--to 2023] [--missing 2016] [--seed 12]
 *
 * What is in it, so a forecast has what real census data has to find:
 * - school types: elementary K–5, middle 6–8, high 9–12, some K–8 and K–12 (about 5 grades a school on average,
 *   so 1,800 schools × 14 years make ~110k rows, like a state file); grades written K, 1 … 12, HORARIO constant;
 * - each school's grade-to-grade survival ratio: a national ratio per transition (9th-grade bulge, high-school
 *   drop-out) times a lasting school effect, a school-year effect shared by its grades, and noise;
 * - the entry grade (K, or 6 and 9 where those schools start) follows the school's own trend with noise;
 *   a national kindergarten dip in 2021 and partial rebound;
 * - census-day noise: a year's count is off by ~2 % in a way that does not carry into the next year;
 * - capacity: a grade well above what the school holds loses part of the excess;
 * - schools that open during the period (most with their first grade only, adding a grade a year; the others
 *   with every grade at once, ramping up) and schools that close (most phasing out a grade a year);
 * - one school year missing in the middle (2016 by default), as real series have.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../electron/engine/models/random';

export interface K12Options {
  schools: number;
  from: number;
  to: number;
  /** School years left out of the file (a year the census was not taken). */
  missing: number[];
  seed: number;
}

export const K12_DEFAULTS: K12Options = { schools: 1800, from: 2010, to: 2023, missing: [2016], seed: 12 };

export const K12_GRADES = ['K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];
export const K12_SCHEDULE = 'REGULAR';

/** National survival ratio into grade g from grade g−1 the year before (index g; 0 unused). */
const NATIONAL_RATIO = [0, 1.02, 0.99, 0.995, 0.99, 0.99, 1.0, 0.99, 0.985, 1.1, 0.92, 0.93, 0.95];

const TYPES = [
  { name: 'elementary', grades: [0, 5], share: 0.55, perGrade: 70 },
  { name: 'middle', grades: [6, 8], share: 0.2, perGrade: 190 },
  { name: 'high', grades: [9, 12], share: 0.18, perGrade: 230 },
  { name: 'k8', grades: [0, 8], share: 0.05, perGrade: 55 },
  { name: 'k12', grades: [0, 12], share: 0.02, perGrade: 40 },
] as const;

export interface K12Row {
  year: number;
  school: string;
  grade: string;
  students: number;
}

export function generateK12(options: Partial<K12Options> = {}): K12Row[] {
  const o = { ...K12_DEFAULTS, ...options };
  const random = seededRandom(o.seed);
  const normal = () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const years = Array.from({ length: o.to - o.from + 1 }, (_, i) => o.from + i);
  const kindergartenYear = (y: number) => (y === 2021 ? 0.93 : y === 2022 ? 0.97 : 1) * Math.exp(-0.004 * (y - o.from));
  const rows: K12Row[] = [];

  for (let s = 0; s < o.schools; s++) {
    let pick = random();
    const type = TYPES.find((t) => (pick -= t.share) < 0) ?? TYPES[0];
    const [low, high] = type.grades;
    const size = type.perGrade * Math.exp(0.6 * normal());
    const capacity = size * (1.25 + 0.2 * random());
    let growth = 0.02 * normal();
    const schoolRatio = NATIONAL_RATIO.map(() => Math.exp(0.03 * normal()));
    // A large city's system over 14 years: about one school in six opens during them, one in twenty closes.
    const opens = random() < 0.16 ? o.from + 1 + Math.floor(random() * (years.length - 3)) : o.from - 20;
    const closes = random() < 0.05 ? o.from + 2 + Math.floor(random() * (years.length - 2)) : Infinity;
    // Most new schools open with their first grade only and add one grade a year (the first year's class moving up);
    // most closing ones phase out: no new entry class, one grade fewer each year, until the last class leaves.
    const phasesIn = random() < 0.7;
    const phasesOut = random() < 0.6;
    const phaseOutFrom = closes - (high - low);
    const name = `SCH${String(s + 1).padStart(4, '0')}`;

    // The school's true enrolment per grade; counted with census-day noise each year.
    let truth: number[] | null = null;
    let level = size;
    for (const year of years) {
      if (year < opens || year >= closes) {
        truth = null;
        continue;
      }
      growth += 0.004 * normal();
      level *= Math.exp(growth);
      // A boundary change, a program moving in or out: now and then a school's year differs from its trend.
      const shock = random() < 0.04 ? Math.exp(0.2 * normal()) : 1;
      level *= shock;
      const yearEffect = Math.exp(0.03 * normal()) * shock;
      const next = new Array<number>(13).fill(0);
      const ramp = phasesIn ? 1 : year - opens < 3 ? 0.55 + 0.15 * (year - opens) : 1;
      const top = phasesIn ? Math.min(high, low + year - opens) : high;
      const bottom = phasesOut && year >= phaseOutFrom ? low + year - phaseOutFrom + 1 : low;
      for (let g = bottom; g <= top; g++) {
        let value: number;
        if (g === low || truth === null) {
          // The entry grade follows the school's own trend (a new school fills every grade at once, smaller).
          value = level * (g === 0 ? kindergartenYear(year) : 1) * ramp * Math.exp(0.07 * normal());
        } else {
          value = truth[g - 1]! * NATIONAL_RATIO[g]! * schoolRatio[g]! * yearEffect * Math.exp(0.5 * growth) * Math.exp(0.07 * normal());
        }
        if (value > capacity) value = capacity + 0.35 * (value - capacity);
        next[g] = value;
      }
      truth = next;
      if (o.missing.includes(year)) continue;
      const closing = year === closes - 1 && !phasesOut ? 0.8 : 1;
      for (let g = bottom; g <= top; g++) {
        const counted = Math.round(truth[g]! * closing * Math.exp(0.04 * normal()));
        if (counted > 0) rows.push({ year, school: name, grade: K12_GRADES[g]!, students: counted });
      }
    }
  }
  rows.sort((a, b) => a.year - b.year || (a.school < b.school ? -1 : a.school > b.school ? 1 : 0) || K12_GRADES.indexOf(a.grade) - K12_GRADES.indexOf(b.grade));
  return rows;
}

export function k12Csv(rows: readonly K12Row[]): string {
  const lines = ['PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS'];
  for (const r of rows) lines.push(`${r.year},${r.school},${r.grade},${K12_SCHEDULE},${r.students}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the dataset; returns the file and its row count. */
export function writeK12(file: string, options: Partial<K12Options> = {}): { file: string; rows: number } {
  const rows = generateK12(options);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, k12Csv(rows));
  return { file: path.resolve(file), rows: rows.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '.bench/k12/k12.csv';
  const result = writeK12(out, {
    ...(option('schools') ? { schools: Number(option('schools')) } : {}),
    ...(option('from') ? { from: Number(option('from')) } : {}),
    ...(option('to') ? { to: Number(option('to')) } : {}),
    ...(option('missing') ? { missing: option('missing')!.split(',').filter(Boolean).map(Number) } : {}),
    ...(option('seed') ? { seed: Number(option('seed')) } : {}),
  });
  console.log(`k12: ${result.rows} rows → ${result.file}`);
}
