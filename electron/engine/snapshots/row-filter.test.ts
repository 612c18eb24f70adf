import { afterEach, describe, expect, it } from 'vitest';
import { ColumnMappingSchema } from '../../../shared/mapping';
import { tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { importFiles } from './import-files';

let ws: Workspace & { dir: string };
afterEach(() => ws?.close());

/** A university export: lectures with their discussion sections, one period per file. */
const SECTIONS = `Mnemonic,Number,Type,Days1,Enrollment
AAS,1010,Lecture,TuTh 12:30PM,122
AAS,1010,Discussion,Tu 4:00PM,23
AAS,1010,Discussion,We 4:00PM,20
ARH,1001,Lecture,MoWe 10:00AM,80
ARH,1001,Laboratory, Fr 9:00AM ,15
`;
const UVA = { SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment' } as const;

describe("a mapping's row filter", () => {
  it('keeps only the rows whose column holds one of the values, and says how many it left out', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, '2009_fall.csv', SECTIONS);
    const mapping = ColumnMappingSchema.parse({ ...UVA, filter: { column: 'Type', values: ['Lecture'] } });
    const { reports, committed } = await importFiles(ws.db, [{ file, mapping, period: '2009_fall' }], { key: ws.key });
    expect(committed).toBe(true);
    const r = reports[0]!;
    expect(r).toMatchObject({ status: 'imported', rows_read: 5, rows_accepted: 2, rows_rejected: 0, classes: 2 });
    const warning = r.problems.find((p) => p.code === 'rows_filtered')!;
    expect(warning.severity).toBe('warning');
    expect(warning.message.es).toBe('2009_fall.csv, columna «Type»: se dejaron fuera 3 fila(s) cuya columna «Type» no es «Lecture» (filtro del mapeo).');
    expect(warning.message.en).toBe('2009_fall.csv, column "Type": 3 row(s) whose column "Type" is not "Lecture" were left out (the mapping\'s filter).');
    const students = ws.db.prepare(`SELECT SUM(students) FROM raw_class`).pluck().get();
    expect(students).toBe(202);
  });

  it('compares values without the spaces around them, and takes any of several', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, '2009_fall.csv', SECTIONS);
    const mapping = ColumnMappingSchema.parse({ ...UVA, filter: { column: 'type', values: ['Lecture', ' Laboratory'] } });
    const { reports } = await importFiles(ws.db, [{ file, mapping, period: '2009_fall' }], { key: ws.key, dryRun: true });
    expect(reports[0]).toMatchObject({ status: 'imported', rows_accepted: 3 });
  });

  it('refuses a file the filter leaves empty, and a filter on a column the file lacks, in one sentence each', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, '2009_fall.csv', SECTIONS);
    const none = ColumnMappingSchema.parse({ ...UVA, filter: { column: 'Type', values: ['Seminar'] } });
    const empty = await importFiles(ws.db, [{ file, mapping: none, period: '2009_fall' }], { key: ws.key });
    expect(empty.reports[0]!.status).toBe('rejected');
    expect(empty.reports[0]!.problems.map((p) => p.message.es)).toContain('2009_fall.csv, columna «Type»: ninguna fila tiene «Seminar» en la columna «Type»: el filtro del mapeo las dejó todas fuera.');
    const missing = ColumnMappingSchema.parse({ ...UVA, filter: { column: 'Kind', values: ['Lecture'] } });
    const unknown = await importFiles(ws.db, [{ file, mapping: missing, period: '2009_fall' }], { key: ws.key });
    expect(unknown.reports[0]!.status).toBe('rejected');
    expect(unknown.reports[0]!.problems[0]!.message.es).toMatch(/«Kind»/);
  });

  it('is part of how the bytes were read: the same file filtered is another import', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, '2009_fall.csv', SECTIONS);
    const all = await importFiles(ws.db, [{ file, mapping: ColumnMappingSchema.parse(UVA), period: '2009_fall' }], { key: ws.key });
    const lectures = await importFiles(ws.db, [{ file, mapping: ColumnMappingSchema.parse({ ...UVA, filter: { column: 'Type', values: ['Lecture'] } }), period: '2009_fall' }], { key: ws.key });
    expect(lectures.reports[0]!.status).toBe('imported');
    expect(lectures.reports[0]!.snapshot_id).not.toBe(all.reports[0]!.snapshot_id);
  });
});

describe('a file whose periods are written unlike the data already there', () => {
  it('is refused in one language at a time', async () => {
    ws = tempWorkspace();
    const header = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'a.csv', `${header}\n202401,NORTE,BAS01,LMV,12\n`) }], { key: ws.key });
    const { reports } = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'b.csv', `${header}\n2024,NORTE,BAS01,LMV,12\n`) }], { key: ws.key });
    const { es, en } = reports[0]!.problems[0]!.message;
    expect(es).toMatch(/\(años, p\. ej\. "2024"\) no coinciden con los ya importados \(meses, p\. ej\. "202401"\)/);
    expect(en).toMatch(/\(years, e\.g\. "2024"\) do not match those already imported \(months, e\.g\. "202401"\)/);
    expect(es).not.toMatch(/years|months/);
    expect(en).not.toMatch(/años|meses/);
  });
});
