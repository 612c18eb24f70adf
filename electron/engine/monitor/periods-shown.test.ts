import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../snapshots/import-files';
import { ensurePlatinum } from '../snapshots/platinum';
import { periodStyleInUse, reopenSnapshot } from '../snapshots/raw';
import { tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { history } from './history';
import { status } from './status';

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
let ws: Workspace & { dir: string };
afterEach(() => ws?.close());

describe('periods are shown one way everywhere', () => {
  it('in the notation of the data in use, also after reopening an import written differently', async () => {
    ws = tempWorkspace();
    const older = await importFiles(ws.db, [{ file: writeFile(ws.dir, 'a.csv', `${HEADER}\n202401,N,BAS01,LMV,12\n202402,N,BAS02,LMV,10\n`) }], { key: ws.key });
    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'b.csv', `${HEADER}\n2024-01,N,BAS01,LMV,13\n2024-02,N,BAS02,LMV,11\n`) }], { key: ws.key });
    expect(periodStyleInUse(ws.db)).toBe('yyyy-mm');
    expect(status(ws.db, ws.file).data?.last_period).toBe('2024-02');

    ws.db.transaction(() => {
      reopenSnapshot(ws.db, older.reports[0]!.snapshot_id!);
      ensurePlatinum(ws.db);
    })();
    expect(periodStyleInUse(ws.db)).toBe('yyyymm');
    const now = status(ws.db, ws.file);
    expect(now.data).toMatchObject({ first_period: '202401', last_period: '202402', next_period: '202403' });
    expect(now.snapshots.flatMap((s) => s.periods)).toEqual(['202401', '202402', '202401', '202402']);
    expect(history(ws.db).snapshots.map((s) => s.periods_in_use)).toEqual([[], ['202401', '202402']]);
  });
});
