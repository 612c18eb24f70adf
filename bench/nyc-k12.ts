/**
 * Real K-12 enrolment for the benchmarks: the New York City Department of Education's "2013 - 2018 Demographic
 * Snapshot School" (NYC Open Data, public), every public school × school year 2013-14 … 2017-18 with its students
 * per grade. data/k12/nyc-demographic-snapshot-2013-2018.csv keeps the published file's enrolment columns only
 * (DBN, year, total, pre-K, K, 1 … 12; every row's grades add up to its total); this writes it the way a school
 * system exports it to Cupo: one row per school × grade × school year, pre-K left out (K–12, like the kept-back data).
 *
 *   npx tsx bench/nyc-k12.ts [out.csv]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { K12_GRADES, K12_SCHEDULE } from './generate-k12';

export const NYC_SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/k12/nyc-demographic-snapshot-2013-2018.csv');

export function writeNycK12(out: string): string {
  const lines = ['PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS'];
  for (const line of fs.readFileSync(NYC_SOURCE, 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const [dbn, year, , , ...grades] = line.split(','); // DBN, YEAR, TOTAL, GRADE_PK, then K … 12
    grades.forEach((students, g) => {
      if (Number(students) > 0) lines.push(`${year},${dbn},${K12_GRADES[g]},${K12_SCHEDULE},${Number(students)}`);
    });
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  return path.resolve(out);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = writeNycK12(process.argv[2] ?? 'nyc-k12.csv');
  console.log(`nyc: ${fs.readFileSync(file, 'utf8').split('\n').length - 2} rows → ${file}`);
}
