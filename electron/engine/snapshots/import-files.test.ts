import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseDigest, tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';
import { importFiles } from './import-files';
import { ensurePlatinum } from './platinum';
import { listRawSnapshots } from './raw';

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
let ws: Workspace & { dir: string };
afterEach(() => ws?.close());

function platinum(w: Workspace, period?: string) {
  const id = (w.db.prepare(`SELECT id FROM dataset_version WHERE kind = 'platinum' ORDER BY rowid DESC LIMIT 1`).get() as { id: string }).id;
  return w.db.prepare(`SELECT period, site, course, schedule, students FROM platinum_class WHERE version_id = ? ${period ? 'AND period = ?' : ''} ORDER BY period, course`).all(...(period ? [id, period] : [id]));
}

describe('importing enrolment files as snapshots', () => {
  it('detects the same file imported again and changes nothing', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, 'a.csv', `${HEADER}\n202401,NORTE,BAS01,LMV,12\n`);
    await importFiles(ws.db, [{ file }], { key: ws.key });
    const before = databaseDigest(ws.db);
    const copy = writeFile(ws.dir, 'renamed-copy.csv', fs.readFileSync(file));
    const { reports } = await importFiles(ws.db, [{ file: copy }], { key: ws.key });
    expect(reports[0]!.status).toBe('already_imported');
    expect(databaseDigest(ws.db)).toBe(before);
  });

  it('replaces a period imported again in the next platinum version and keeps the older snapshot', async () => {
    ws = tempWorkspace();
    const first = writeFile(ws.dir, 'enero.csv', `${HEADER}\n202401,NORTE,BAS01,LMV,12\n202402,NORTE,BAS02,LMV,10\n`);
    const fix = writeFile(ws.dir, 'enero-corregido.csv', `${HEADER}\n202401,NORTE,BAS01,LMV,14\n`);
    await importFiles(ws.db, [{ file: first }], { key: ws.key });
    const { reports } = await importFiles(ws.db, [{ file: fix }], { key: ws.key });
    expect(platinum(ws)).toEqual([
      { period: '2024-01', site: 'NORTE', course: 'BAS01', schedule: 'LMV', students: 14 },
      { period: '2024-02', site: 'NORTE', course: 'BAS02', schedule: 'LMV', students: 10 },
    ]);
    expect(listRawSnapshots(ws.db).map((s) => s.file_name)).toEqual(['enero.csv', 'enero-corregido.csv']);
    expect(ws.db.prepare(`SELECT students FROM raw_class WHERE snapshot_id != ? AND period = '2024-01'`).pluck().get(reports[0]!.snapshot_id)).toBe(12);
  });

  it('writes nothing when one file of a batch is refused', async () => {
    ws = tempWorkspace();
    const good = writeFile(ws.dir, 'good.csv', `${HEADER}\n202401,NORTE,BAS01,LMV,12\n`);
    const bad = writeFile(ws.dir, 'bad.csv', `${HEADER}\n202401,NORTE,BAS02,LMV,doce\n`);
    const before = databaseDigest(ws.db);
    const { reports, committed } = await importFiles(ws.db, [{ file: good }, { file: bad }], { key: ws.key });
    expect(committed).toBe(false);
    expect(reports.map((r) => r.status)).toEqual(['imported', 'rejected']);
    expect(databaseDigest(ws.db)).toBe(before);
  });

  it('refuses periods written differently from the data already imported', async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'm.csv', `${HEADER}\n202401,NORTE,BAS01,LMV,12\n`) }], { key: ws.key });
    const before = databaseDigest(ws.db);
    const { reports } = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'y.csv', `${HEADER}\n2025,NORTE,BAS01,LMV,12\n`) }], { key: ws.key });
    expect(reports[0]!.problems[0]!.code).toBe('frequency_mismatch');
    expect(databaseDigest(ws.db)).toBe(before);
  });

  it('refuses a file that mixes years and months, naming both lines', async () => {
    ws = tempWorkspace();
    const { reports } = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'mix.csv', `${HEADER}\n2024,NORTE,BAS01,LMV,12\n202402,NORTE,BAS02,LMV,10\n`) }], { key: ws.key });
    expect(reports[0]!.problems[0]).toMatchObject({ code: 'mixed_period_notation', line: 3 });
    expect(reports[0]!.problems[0]!.message.en).toContain('line 2');
  });

  it('sums duplicate class rows and says so once', async () => {
    ws = tempWorkspace();
    const { reports } = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'd.csv', `${HEADER}\n202401,NORTE,BAS01,LMV,12\n202401,NORTE,BAS01,LMV,3\n202401,NORTE,BAS01,LMV,1\n`) }], { key: ws.key });
    expect(reports[0]!.problems).toHaveLength(1);
    expect(reports[0]!.problems[0]).toMatchObject({ severity: 'warning', code: 'duplicate_class', line: 3 });
    expect(platinum(ws)).toEqual([{ period: '2024-01', site: 'NORTE', course: 'BAS01', schedule: 'LMV', students: 16 }]);
  });

  it('reads UTF-16 files with a byte-order mark', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, 'u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`${HEADER}\r\n202401,ÑAÑA,BÁSICO 1,LMV,12\r\n`, 'utf16le')]));
    const { reports } = await importFiles(ws.db, [{ file }], { key: ws.key });
    expect(reports[0]!.encoding).toBe('UTF-16 LE (BOM)');
    expect(platinum(ws)).toEqual([{ period: '2024-01', site: 'ÑAÑA', course: 'BÁSICO 1', schedule: 'LMV', students: 12 }]);
  });

  it('treats labels differing only in case as one class, spelled as most recently', async () => {
    ws = tempWorkspace();
    const file = writeFile(ws.dir, 'case.csv', `${HEADER}\n202401,Norte,BAS01,TuTh 9:30AM,12\n202402,NORTE,BAS01,tuth 9:30am,10\n`);
    await importFiles(ws.db, [{ file }], { key: ws.key });
    expect(platinum(ws)).toEqual([
      { period: '2024-01', site: 'NORTE', course: 'BAS01', schedule: 'tuth 9:30am', students: 12 },
      { period: '2024-02', site: 'NORTE', course: 'BAS01', schedule: 'tuth 9:30am', students: 10 },
    ]);
  });
});

describe('personal data', () => {
  it('never stores student ids, names or e-mails; a student enrolled twice in a class counts once', async () => {
    ws = tempWorkspace();
    const rows = [
      'Periodo,Sede,Curso,Horario,DNI,Nombre,Correo',
      '202401,NORTE,BAS01,LMV,70123456,Rosa Quispe Mamani,rosa.quispe@example.pe',
      '202401,NORTE,BAS01,LMV,70123457,Juan Huamán,juan@example.pe',
      '202401,NORTE,BAS01,LMV,70123457,Juan Huamán,juan@example.pe',
      '202402,NORTE,BAS02,LMV,70123456,Rosa Quispe Mamani,rosa.quispe@example.pe',
    ];
    const { reports } = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'alumnos.csv', `${rows.join('\n')}\n`) }], { key: ws.key });
    expect(reports[0]!.granularity).toBe('student');
    expect(reports[0]!.problems.map((p) => p.code)).toEqual(['duplicate_student']);
    expect(platinum(ws).map((r) => (r as { students: number }).students)).toEqual([2, 1]);
    expect(ws.db.prepare(`SELECT from_course, to_course, students FROM platinum_transition`).all()).toEqual([{ from_course: 'BAS01', to_course: 'BAS02', students: 1 }]);
    ws.close();

    const stored = Buffer.concat(fs.readdirSync(ws.dir).filter((f) => f.startsWith('cupo.sqlite') && !f.endsWith('.key')).map((f) => fs.readFileSync(path.join(ws.dir, f))));
    for (const secret of ['70123456', '70123457', 'Quispe', 'Huamán', 'example.pe', 'Rosa']) expect(stored.includes(Buffer.from(secret))).toBe(false);
    ws = Object.assign(openWorkspace(path.join(ws.dir, 'cupo.sqlite')), { dir: ws.dir });
  });

  it('links the same student across imports with the database’s key, and only with it', async () => {
    ws = tempWorkspace();
    const jan = writeFile(ws.dir, 'jan.csv', 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO\n202401,N,BAS01,LMV,A1\n');
    const feb = writeFile(ws.dir, 'feb.csv', 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO\n202402,N,BAS02,LMV,a1\n');
    await importFiles(ws.db, [{ file: jan }], { key: ws.key });
    await importFiles(ws.db, [{ file: feb }], { key: ws.key });
    expect(ws.db.prepare(`SELECT COUNT(*) FROM platinum_transition WHERE version_id = (SELECT id FROM dataset_version ORDER BY rowid DESC LIMIT 1)`).pluck().get()).toBe(1);
    const other = tempWorkspace();
    const { reports } = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'mar.csv', 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO\n202403,N,BAS03,LMV,A1\n') }], { key: other.key });
    expect(reports[0]!.problems.map((p) => p.code)).toContain('pseudonym_key_changed');
    other.close();
  });
});

describe('course transitions', () => {
  it('follow a student who changes site, counted at the site they left', async () => {
    ws = tempWorkspace();
    const rows = ['PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO', '202401,NORTE,BAS01,LMV,A1', '202401,NORTE,BAS01,LMV,A2', '202402,NORTE,BAS02,LMV,A1', '202402,SUR,BAS02,LMV,A2'];
    await importFiles(ws.db, [{ file: writeFile(ws.dir, 't.csv', `${rows.join('\n')}\n`) }], { key: ws.key });
    expect(ws.db.prepare(`SELECT from_period, site, from_course, to_course, students FROM platinum_transition`).all()).toEqual([
      { from_period: '2024-01', site: 'NORTE', from_course: 'BAS01', to_course: 'BAS02', students: 2 },
    ]);
  });
});

describe('checking before importing', () => {
  it('a dry run reports what an import would do, including the periods it would replace, and writes nothing', async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'a.csv', `${HEADER}\n202401,N,BAS01,LMV,12\n202402,N,BAS02,LMV,10\n`) }], { key: ws.key });
    const before = databaseDigest(ws.db);
    const { reports, committed } = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'b.csv', `${HEADER}\n202402,N,BAS02,LMV,11\n202403,N,BAS03,LMV,9\n`) }], { key: ws.key, dryRun: true });
    expect(committed).toBe(false);
    expect(reports[0]).toMatchObject({ status: 'imported', rows_accepted: 2, replaces_periods: ['202402'] });
    expect(databaseDigest(ws.db)).toBe(before);
  });
});

describe('transitions counted at import', () => {
  it('are those counted again from the stored rosters, within an import and across two', async () => {
    ws = tempWorkspace();
    // Students in one or two classes a month, the same student in two schedules of one course, ids in either case.
    // The second file has more rows than the id thread's batch, so its students are told apart and hashed there.
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const file = (name: string, months: number[]) => {
      const rows = ['PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO'];
      for (const month of months) {
        for (let i = 0; i < 3000; i++) {
          const id = `a${Math.floor(random() * 1500)}`;
          const course = `BAS0${1 + Math.floor(random() * 4)}`;
          rows.push(`20240${month},${random() < 0.5 ? 'Norte' : 'SUR'},${course},${random() < 0.5 ? 'LMV' : 'MJ'},${random() < 0.5 ? id : id.toUpperCase()}`);
        }
      }
      return writeFile(ws.dir, name, `${rows.join('\n')}\n`);
    };
    await importFiles(ws.db, [{ file: file('early.csv', [1, 2]) }], { key: ws.key });
    await importFiles(ws.db, [{ file: file('later.csv', [3, 4, 5]) }], { key: ws.key });
    const transitions = () => ws.db.prepare(`SELECT from_period, site, from_course, to_course, students FROM platinum_transition WHERE version_id = (SELECT id FROM dataset_version ORDER BY rowid DESC LIMIT 1) ORDER BY 1, 2, 3, 4`).all() as { from_period: string }[];
    const atImport = transitions();
    // From February (stored by the first import) to March (in memory in the second), and within each import.
    expect(new Set(atImport.map((t) => t.from_period))).toEqual(new Set(['2024-01', '2024-02', '2024-03', '2024-04']));
    ws.db.exec(`DELETE FROM platinum_transition; DELETE FROM platinum_class; DELETE FROM dataset_version;`);
    ensurePlatinum(ws.db);
    expect(transitions()).toEqual(atImport);
  });
});

describe('limits, each said in one sentence', () => {
  const refusal = async (name: string, content: string | Buffer) => {
    ws = tempWorkspace();
    const before = databaseDigest(ws.db);
    const { reports, committed } = await importFiles(ws.db, [{ file: writeFile(ws.dir, name, content) }], { key: ws.key });
    expect(committed).toBe(false);
    expect(databaseDigest(ws.db)).toBe(before);
    return reports[0]!.problems[0]!;
  };

  it('refuses a label longer than 200 characters, naming the line and the column', async () => {
    const p = await refusal('long.csv', `${HEADER}\n202401,NORTE,BAS01,LMV,12\n202401,${'N'.repeat(300_000)},BAS01,LMV,12\n`);
    expect(p).toMatchObject({ code: 'value_too_long', line: 3, column: 'SEDE' });
    expect(p.message.en).toBe('long.csv, line 3, column "SEDE": the value has 300000 characters and at most 200 are allowed.');
  });

  it('refuses a student id longer than 200 characters', async () => {
    const p = await refusal('id.csv', `PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ID_ALUMNO\n202401,N,BAS01,LMV,${'7'.repeat(201)}\n`);
    expect(p).toMatchObject({ code: 'value_too_long', line: 2, column: 'ID_ALUMNO' });
  });

  it('refuses more than 500 columns', async () => {
    const p = await refusal('wide.csv', `${HEADER},${Array.from({ length: 600 }, (_, i) => `X${i}`).join(',')}\n202401,N,BAS01,LMV,12${','.repeat(600)}\n`);
    expect(p).toMatchObject({ code: 'too_many_columns', line: 1 });
  });

  it('refuses a row that never ends (an unclosed quote) without reading the rest', async () => {
    const p = await refusal('quote.csv', `${HEADER}\n202401,"NORTE,BAS01,LMV,12\n${'202401,N,BAS01,LMV,12\n'.repeat(200_000)}`);
    expect(p).toMatchObject({ code: 'record_too_long', line: 2 });
  });

  it('refuses control characters in a label and a count no class has', async () => {
    // A few control bytes in a long file are a damaged cell; many in a short one are a binary file.
    const good = '202401,NORTE,BAS01,LMV,12\n'.repeat(100);
    expect(await refusal('ctl.csv', `${HEADER}\n${good}202401,NO\u0001RTE,BAS01,LMV,12\n`)).toMatchObject({ code: 'control_character', line: 102, column: 'SEDE' });
    expect(await refusal('big.csv', `${HEADER}\n202401,N,BAS01,LMV,99999999999999999999\n`)).toMatchObject({ code: 'count_too_large', line: 2, column: 'ALUMNOS' });
  });

  it('skips lines of separators or blanks in any delimiter, and says how many', async () => {
    for (const [d, blank] of [[',', ',,,,'], [';', ';;;;'], ['\t', '\t\t\t\t'], ['|', ' | | '], [',', '   ']] as const) {
      ws?.close();
      ws = tempWorkspace();
      const h = HEADER.replaceAll(',', d);
      const file = writeFile(ws.dir, 'b.csv', `${h}\n${blank}\n${['202401', 'N', 'BAS01', 'LMV', '12'].join(d)}\n${blank}\n${blank}\n`);
      const { reports, committed } = await importFiles(ws.db, [{ file }], { key: ws.key });
      expect(committed, JSON.stringify(blank)).toBe(true);
      expect(reports[0]).toMatchObject({ rows_accepted: 1, rows_rejected: 0 });
      expect(reports[0]!.problems).toEqual([expect.objectContaining({ severity: 'warning', code: 'blank_rows', line: 2 })]);
      expect(reports[0]!.problems[0]!.message.en).toContain('3 row(s)');
    }
  });
});
