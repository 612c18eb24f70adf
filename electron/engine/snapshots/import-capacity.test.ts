import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ColumnMappingSchema } from '../../../shared/mapping';
import { databaseDigest, sharedDir, tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { importFiles } from './import-files';
import { ensurePlatinum } from './platinum';

let ws: Workspace & { dir: string };
afterEach(() => ws?.close());

const raw = (w: Workspace) => w.db.prepare(`SELECT site, course, schedule, students, capacity FROM raw_class ORDER BY site, course, schedule`).all();
const platinum = (w: Workspace, id: string) => w.db.prepare(`SELECT site, course, schedule, students, capacity FROM platinum_class WHERE version_id = ? ORDER BY site, course, schedule`).all(id);

describe('the capacity of a class, where the file gives one', () => {
  it('reads a class-level file’s CUPO column by its name; rows of one class add up, blank is unknown', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, 'matricula-2025-1.csv', [
      'Ciclo,Sede,Curso,Horario,Matriculados,Cupo',
      '2025-1,NORTE,BAS01,LMV 19:00,18,20',
      '2025-1,NORTE,BAS01,LMV 19:00,9,10',
      '2025-1,NORTE,BAS02,LMV 19:00,12,',
      '2025-1,SUR,BAS01,SAB 09:00,0,0',
      '',
    ].join('\n'));
    const { committed } = await importFiles(ws.db, [{ file }], { key: ws.key });
    expect(committed).toBe(true);
    expect(raw(ws)).toEqual([
      { site: 'NORTE', course: 'BAS01', schedule: 'LMV 19:00', students: 27, capacity: 30 },
      { site: 'NORTE', course: 'BAS02', schedule: 'LMV 19:00', students: 12, capacity: null },
      { site: 'SUR', course: 'BAS01', schedule: 'SAB 09:00', students: 0, capacity: 0 },
    ]);
  });

  it('takes the largest capacity written on a student-level file’s rows, and adds up spellings merged into one class', async () => {
    ws = tempWorkspace();
    const students = writeFile(ws.dir, 'alumnos-2025-1.csv', [
      'periodo,sede,curso,horario,id_alumno,vacantes',
      '2025-1,Norte,BAS01,LMV,A001,25',
      '2025-1,Norte,BAS01,LMV,A002,25',
      '2025-1,Norte,BAS01,LMV,A003,',
      '2025-1,NORTE,BAS01,LMV,A004,10',
      '2025-1,Norte,BAS02,LMV,A005,',
      '',
    ].join('\n'));
    await importFiles(ws.db, [{ file: students }], { key: ws.key });
    expect(raw(ws)).toEqual([
      { site: 'NORTE', course: 'BAS01', schedule: 'LMV', students: 1, capacity: 10 },
      { site: 'Norte', course: 'BAS01', schedule: 'LMV', students: 3, capacity: 25 },
      { site: 'Norte', course: 'BAS02', schedule: 'LMV', students: 1, capacity: null },
    ]);
    const { id } = ensurePlatinum(ws.db)!;
    expect(platinum(ws, id)).toEqual([
      { site: 'Norte', course: 'BAS01', schedule: 'LMV', students: 4, capacity: 35 },
      { site: 'Norte', course: 'BAS02', schedule: 'LMV', students: 1, capacity: null },
    ]);
  });

  it('refuses a capacity that is not a whole number of seats in one sentence naming file, line and column, and writes nothing', async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'a.csv', 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS\n2024-2,NORTE,BAS01,LMV,12\n') }], { key: ws.key });
    const before = databaseDigest(ws.db);
    const file = writeFile(ws.dir, 'b.csv', 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS,AFORO\n2025-1,NORTE,BAS01,LMV,12,20\n2025-1,NORTE,BAS02,LMV,9,veinte\n');
    const { reports, committed } = await importFiles(ws.db, [{ file }], { key: ws.key });
    expect(committed).toBe(false);
    expect(reports[0]!.status).toBe('rejected');
    expect(reports[0]!.problems).toHaveLength(1);
    expect(reports[0]!.problems[0]).toMatchObject({ code: 'capacity_not_a_number', line: 3, column: 'AFORO' });
    expect(reports[0]!.problems[0]!.message).toEqual({
      es: 'b.csv, línea 3, columna «AFORO»: "veinte" no es una capacidad válida: no es un número (deje la celda vacía si no se conoce).',
      en: 'b.csv, line 3, column "AFORO": "veinte" is not a valid capacity: it is not a number (leave the cell empty where it is not known).',
    });
    expect(databaseDigest(ws.db)).toBe(before);
    const negative = writeFile(ws.dir, 'c.csv', 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS,CAPACIDAD\n2025-1,NORTE,BAS01,LMV,12,-5\n2025-1,NORTE,BAS02,LMV,12,20.5\n');
    const second = await importFiles(ws.db, [{ file: negative }], { key: ws.key });
    expect(second.reports[0]!.problems.map((p) => [p.code, p.line])).toEqual([['capacity_negative', 2], ['capacity_fraction', 3]]);
    expect(databaseDigest(ws.db)).toBe(before);
  });

  it('reads UVA’s EnrollmentLimit through data/mappings/uva-sections.json: a lecture’s sections at one time add up', async () => {
    ws = tempWorkspace();
    const mapping = ColumnMappingSchema.parse(JSON.parse(fs.readFileSync(path.join(__dirname, '../../../data/mappings/uva-sections.json'), 'utf8')));
    const file = path.join(sharedDir(), 'datasets', 'uva-sections', '2009_fall.csv');
    const { committed } = await importFiles(ws.db, [{ file, mapping, period: '2009_fall' }], { key: ws.key });
    expect(committed).toBe(true);
    // AAS 1010's lecture is one section of 122 students in a room for 120 (line 2 of the file).
    expect(ws.db.prepare(`SELECT students, capacity FROM raw_class WHERE course = 'AAS 1010 Lecture' AND schedule = 'TuTh 12:30PM - 1:45PM'`).get()).toEqual({ students: 122, capacity: 120 });
    expect(ws.db.prepare(`SELECT COUNT(*) FROM raw_class WHERE capacity IS NULL`).pluck().get()).toBe(0);
  });
});
