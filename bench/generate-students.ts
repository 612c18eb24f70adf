import fs from 'node:fs';
import { seededRandom } from '../electron/engine/models/random';

const SITES = ['SEDE CENTRO', 'SEDE NORTE', 'SEDE SUR', 'SEDE ESTE', 'SEDE OESTE', 'SEDE ANEXO'];
const SCHEDULES = ['LMV 07:00-09:00', 'LMV 19:00-21:00', 'MJ 19:00-21:30', 'SAB 08:00-13:00', 'MJ 07:00-09:00', 'DOM 09:00-13:00'];
/** A 36-course ladder: BAS01…BAS12 < INT01…INT12 < AVA01…AVA12. */
const COURSES = ['BAS', 'INT', 'AVA'].flatMap((family) => Array.from({ length: 12 }, (_, i) => `${family}${String(i + 1).padStart(2, '0')}`));
export const MONTHS = 60;

export interface StudentShape {
  /** How the bench names it. */
  name: string;
  rows: number;
  /** Distinct student ids in the whole file. */
  students: number;
}

/**
 * Writes `shape.rows` student enrolment rows (one per student and month), deterministically: 6 sites, the 36-course
 * ladder, 6 schedules, 60 monthly periods, an equal number of rows each month. The first month is a whole school;
 * every later month a new intake is placed in any course and the rest are students of the month before, each one course up.
 * The intake is what sets how many distinct students the file has: few (each stays many months) or nearly one per row.
 */
export async function writeStudentRows(file: string, shape: StudentShape): Promise<{ rows: number; students: number }> {
  const random = seededRandom(12345);
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO,NOMBRE\n');
  const perMonth = Math.ceil(shape.rows / MONTHS);
  const intake = Math.max(0, Math.min(perMonth, Math.round((shape.students - perMonth) / (MONTHS - 1))));
  let nextId = 0;
  let rows = 0;
  const student = (course: number) => ({ id: `A${String(nextId++).padStart(7, '0')}`, site: Math.floor(random() * SITES.length), schedule: Math.floor(random() * SCHEDULES.length), course });
  let students = Array.from({ length: perMonth }, () => student(Math.floor(random() * COURSES.length)));
  for (let month = 0; month < MONTHS; month++) {
    if (month > 0) {
      const able = students.filter((s) => s.course + 1 < COURSES.length);
      const keep = perMonth - intake;
      const continuing = able.filter(() => random() < keep / able.length).slice(0, keep).map((s) => ({ ...s, course: s.course + 1 }));
      students = [...continuing, ...Array.from({ length: perMonth - continuing.length }, () => student(Math.floor(random() * COURSES.length)))];
    }
    const period = `${2020 + Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}`;
    let chunk = '';
    // Names are written as exports write them, "SURNAME, Name" in quotes.
    for (const s of students) chunk += `${period},${SITES[s.site]},${COURSES[s.course]},${SCHEDULES[s.schedule]},${s.id},"ALUMNO ${s.id}, Nombre"\n`;
    rows += students.length;
    await write(chunk);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return { rows, students: nextId };
}
