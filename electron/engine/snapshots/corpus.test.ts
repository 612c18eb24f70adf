import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseDigest, sharedDir, tempWorkspace } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { importFiles } from './import-files';

interface Expectation {
  file: string;
  outcome: 'ok' | 'error';
  rows: number | null;
  what: string;
}

const corpus = path.join(sharedDir(), 'corpus');
const expectations: Expectation[] = fs
  .readFileSync(path.join(corpus, 'expect.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, outcome, rows, what] = line.split('\t');
    return { file: file!, outcome: outcome as Expectation['outcome'], rows: rows === '-' ? null : Number(rows), what: what ?? '' };
  });

let ws: Workspace | null = null;
afterEach(() => ws?.close());

describe('the shared corpus of awkward and bad files (expect.tsv)', () => {
  it('lists every file in the folder', () => {
    const files = fs.readdirSync(corpus).filter((f) => !['expect.tsv', 'README.md'].includes(f));
    expect(expectations.map((e) => e.file).sort()).toEqual(files.sort());
  });

  for (const e of expectations.filter((x) => x.outcome === 'ok')) {
    it(`imports ${e.file} with ${e.rows} rows (${e.what})`, async () => {
      ws = tempWorkspace();
      const { reports, committed } = await importFiles(ws.db, [{ file: path.join(corpus, e.file) }], { key: ws.key });
      expect(committed).toBe(true);
      expect(reports[0]!.status).toBe('imported');
      expect(reports[0]!.rows_accepted).toBe(e.rows);
      expect(reports[0]!.rows_rejected).toBe(0);
      expect(reports[0]!.problems.filter((p) => p.severity === 'error')).toEqual([]);
    });
  }

  for (const e of expectations.filter((x) => x.outcome === 'error')) {
    it(`refuses ${e.file} with a located, bilingual sentence and leaves the database as it was (${e.what})`, async () => {
      ws = tempWorkspace();
      await importFiles(ws.db, [{ file: path.join(corpus, 'ok-tab.tsv') }], { key: ws.key });
      const before = databaseDigest(ws.db);
      const { reports, committed } = await importFiles(ws.db, [{ file: path.join(corpus, e.file) }], { key: ws.key });
      expect(committed).toBe(false);
      const report = reports[0]!;
      expect(report.status).toBe('rejected');
      expect(report.snapshot_id).toBeNull();
      const first = report.problems[0]!;
      expect(first.severity).toBe('error');
      expect(first.message.es.startsWith(`${e.file}`)).toBe(true);
      expect(first.message.en.startsWith(`${e.file}`)).toBe(true);
      expect(first.message.es).not.toEqual(first.message.en);
      expect(databaseDigest(ws.db)).toBe(before);
    });
  }

  it('names the line and the column of a bad value', async () => {
    ws = tempWorkspace();
    const { reports } = await importFiles(ws.db, [{ file: path.join(corpus, 'err-negative.csv') }], { key: ws.key });
    expect(reports[0]!.problems[0]).toMatchObject({ line: 2, column: 'ALUMNOS', value: '-3', code: 'count_negative' });
    expect(reports[0]!.rows_rejected).toBe(1);
  });

  it('names both ragged rows, with too few and too many fields', async () => {
    ws = tempWorkspace();
    const { reports } = await importFiles(ws.db, [{ file: path.join(corpus, 'err-ragged.csv') }], { key: ws.key });
    expect(reports[0]!.problems.map((p) => [p.code, p.line])).toEqual([['too_few_fields', 2], ['too_many_fields', 3]]);
  });

  it('keeps accents and Ñ from a Windows-1252 file', async () => {
    ws = tempWorkspace();
    const { reports } = await importFiles(ws.db, [{ file: path.join(corpus, 'ok-windows-1252.csv') }], { key: ws.key });
    expect(reports[0]!.encoding).toBe('Windows-1252');
    const sites = ws.db.prepare(`SELECT DISTINCT site, course FROM raw_class ORDER BY course`).all();
    expect(sites[0]).toEqual({ site: 'SEÑOR DE LURÉN', course: 'BÁS01' });
  });

  it('counts a student-level file into one class of 15', async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: path.join(corpus, 'ok-student-level.csv') }], { key: ws.key });
    expect(ws.db.prepare(`SELECT period, site, course, schedule, students FROM platinum_class`).all()).toEqual([
      { period: '2024-01', site: 'CENTRO', course: 'BAS01', schedule: 'LMV 19:00-21:00', students: 15 },
    ]);
  });

  it('reads a quoted field with a newline and a comma, and reports the next row on its real line', async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: path.join(corpus, 'ok-quoted-newline.csv') }], { key: ws.key });
    expect(ws.db.prepare(`SELECT site FROM raw_class ORDER BY course`).pluck().all()).toEqual(['SEDE NORTE', 'SUR, ANEXO']);
  });

  it('maps everyday Spanish headers and 2024-1 periods without help', async () => {
    ws = tempWorkspace();
    const { reports } = await importFiles(ws.db, [{ file: path.join(corpus, 'ok-spanish-headers.csv') }], { key: ws.key });
    expect(reports[0]!.periods).toEqual(['2024-1', '2024-2']);
    expect(ws.db.prepare(`SELECT course FROM raw_class ORDER BY course`).pluck().all()).toEqual(['Básico 1', 'Básico 2']);
  });

  it('reads 12,0 in a semicolon file as 12', async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: path.join(corpus, 'ok-decimal-comma.csv') }], { key: ws.key });
    expect(ws.db.prepare(`SELECT students FROM raw_class ORDER BY period`).pluck().all()).toEqual([12, 11]);
  });
});
