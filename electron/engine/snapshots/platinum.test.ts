import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { importFiles } from './import-files';
import { ensurePlatinum } from './platinum';

let workspaces: Workspace[] = [];
afterEach(() => {
  for (const w of workspaces) w.close();
  workspaces = [];
});

/** What a platinum version holds, without the ids that name its inputs. */
function platinumOf(w: Workspace, id: string) {
  return {
    classes: w.db.prepare(`SELECT period, site, course, schedule, students, capacity FROM platinum_class WHERE version_id = ? ORDER BY period, site, course, schedule`).all(id),
    transitions: w.db.prepare(`SELECT from_period, site, from_course, to_course, students FROM platinum_transition WHERE version_id = ? ORDER BY from_period, site, from_course, to_course`).all(id),
    summary: JSON.parse(w.db.prepare(`SELECT summary FROM dataset_version WHERE id = ?`).pluck().get(id) as string) as unknown,
  };
}

async function importLines(lines: string[]): Promise<{ w: Workspace; id: string }> {
  const w = tempWorkspace();
  workspaces.push(w);
  const { platinum_version } = await importFiles(w.db, [{ file: writeFile(w.dir, 'alumnos.csv', [...lines, ''].join('\n')) }], { key: w.key });
  return { w, id: platinum_version! };
}

const HEADER = 'periodo,sede,curso,horario,id_alumno,vacantes';

describe('the platinum classes', () => {
  it('are the same whether a label is written in one letter case or several', async () => {
    const mixed = await importLines([
      HEADER,
      '2025-1,Norte,BAS01,lmv,A001,25',
      '2025-1,NORTE,BAS01,LMV,A002,',
      '2025-1,Norte,bas02,LMV,A003,',
      '2025-2,Norte,BAS02,LMV,A001,30',
      '2025-2,NORTE,BAS02,LMV,A002,',
      '2025-2,Norte,BAS02,LMV,A003,',
    ]);
    const single = await importLines([
      HEADER,
      '2025-1,Norte,BAS01,LMV,A001,25',
      '2025-1,Norte,BAS01,LMV,A002,',
      '2025-1,Norte,BAS02,LMV,A003,',
      '2025-2,Norte,BAS02,LMV,A001,30',
      '2025-2,Norte,BAS02,LMV,A002,',
      '2025-2,Norte,BAS02,LMV,A003,',
    ]);
    const expected = platinumOf(single.w, single.id);
    expect(expected.classes).toEqual([
      { period: '2025-1', site: 'Norte', course: 'BAS01', schedule: 'LMV', students: 2, capacity: 25 },
      { period: '2025-1', site: 'Norte', course: 'BAS02', schedule: 'LMV', students: 1, capacity: null },
      { period: '2025-2', site: 'Norte', course: 'BAS02', schedule: 'LMV', students: 3, capacity: 30 },
    ]);
    expect(expected.transitions).toHaveLength(2);
    expect(platinumOf(mixed.w, mixed.id)).toEqual(expected);
  });

  it('add up a class a file lists under two spellings of its period', async () => {
    const twice = await importLines([HEADER, '202501,NORTE,BAS01,LMV,A001,20', '2025-01,NORTE,BAS01,LMV,A002,', '2025-01,NORTE,BAS01,LMV,A003,5', '202502,NORTE,BAS01,LMV,A001,']);
    expect(twice.w.db.prepare(`SELECT COUNT(*) FROM raw_class WHERE period = '2025-01'`).pluck().get()).toBe(2);
    expect(platinumOf(twice.w, twice.id).classes).toEqual([
      { period: '2025-01', site: 'NORTE', course: 'BAS01', schedule: 'LMV', students: 3, capacity: 25 },
      { period: '2025-02', site: 'NORTE', course: 'BAS01', schedule: 'LMV', students: 1, capacity: null },
    ]);
  });

  it('are the same rebuilt from the stored snapshots as built from the files just read', async () => {
    for (const lines of [
      [HEADER, '2025-1,Norte,BAS01,LMV,A001,25', '2025-1,NORTE,BAS01,LMV,A002,', '2025-2,norte,BAS01,LMV,A001,', '2025-2,Norte,bas01,LMV,A002,', '2025-2,Sur,BAS02,LMV,A003,9'],
      [HEADER, '2025-1,Norte,BAS01,LMV,A001,25', '2025-1,Norte,BAS02,LMV,A002,', '2025-2,Norte,BAS01,LMV,A001,', '2025-2,Sur,BAS02,LMV,A002,9'],
    ]) {
      const { w, id } = await importLines(lines);
      const fromFiles = platinumOf(w, id);
      w.db.transaction(() => {
        for (const table of ['platinum_class', 'platinum_transition']) w.db.prepare(`DELETE FROM ${table} WHERE version_id = ?`).run(id);
        w.db.prepare(`DELETE FROM dataset_version WHERE id = ?`).run(id);
      })();
      expect(ensurePlatinum(w.db)).toEqual({ id, created: true });
      expect(platinumOf(w, id)).toEqual(fromFiles);
    }
  });
});
