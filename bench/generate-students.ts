import fs from 'node:fs';
import { seededRandom } from '../electron/engine/models/random';

const SCHEDULES = ['LMV 07:00-09:00', 'LMV 19:00-21:00', 'MJ 19:00-21:30', 'SAB 08:00-13:00', 'MJ 07:00-09:00', 'DOM 09:00-13:00'];

/**
 * Writes at least `rows` student enrolment rows, deterministically: 10 sites, a 30-course ladder, 6 schedules,
 * monthly periods; each month a new intake starts CUR01 and every student moves up one course or leaves.
 */
export async function writeStudentRows(file: string, rows: number): Promise<void> {
  const random = seededRandom(12345);
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO,NOMBRE\n');
  let students: { id: string; site: number; schedule: number; course: number }[] = [];
  let nextId = 0;
  let written = 0;
  for (let month = 0; written < rows; month++) {
    const period = `${2020 + Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}`;
    students = students.filter(() => random() < 0.9).map((s) => ({ ...s, course: s.course + 1 })).filter((s) => s.course < 30);
    for (let i = 0; i < 1200; i++) students.push({ id: `A${String(nextId++).padStart(7, '0')}`, site: Math.floor(random() * 10), schedule: Math.floor(random() * 6), course: 0 });
    let chunk = '';
    for (const s of students) {
      chunk += `${period},SEDE ${s.site + 1},CUR${String(s.course + 1).padStart(2, '0')},${SCHEDULES[s.schedule]},${s.id},Alumno ${s.id}\n`;
      written++;
    }
    await write(chunk);
  }
  await new Promise<void>((resolve) => out.end(resolve));
}
