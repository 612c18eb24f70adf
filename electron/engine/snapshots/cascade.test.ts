import { afterEach, describe, expect, it } from 'vitest';
import { ensureFeatures } from '../features/build';
import { importFiles } from '../snapshots/import-files';
import { tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { PLATINUM_LOGIC_VERSION, ensurePlatinum } from './platinum';
import { derivedVersionId, findVersion } from './versions';

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
let ws: Workspace & { dir: string };
afterEach(() => ws?.close());

describe('versioned data: raw ⇒ platinum ⇒ features, target', () => {
  it('rebuilds a derived version only when what it came from changes', async () => {
    ws = tempWorkspace();
    const first = writeFile(ws.dir, 'a.csv', `${HEADER}\n202401,N,BAS01,LMV,12\n202402,N,BAS02,LMV,10\n202403,N,BAS03,LMV,9\n`);
    await importFiles(ws.db, [{ file: first }], { key: ws.key });
    const platinum = ensurePlatinum(ws.db)!;
    expect(platinum.created).toBe(false);
    const v1 = ensureFeatures(ws.db, platinum.id);
    const rowsBefore = ws.db.prepare(`SELECT COUNT(*) FROM feature_row`).pluck().get();
    expect(ensureFeatures(ws.db, platinum.id)).toEqual(v1);
    expect(ws.db.prepare(`SELECT COUNT(*) FROM feature_row`).pluck().get()).toBe(rowsBefore);

    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'b.csv', `${HEADER}\n202404,N,BAS04,LMV,8\n`) }], { key: ws.key });
    const next = ensurePlatinum(ws.db)!;
    expect(next.id).not.toBe(platinum.id);
    const v2 = ensureFeatures(ws.db, next.id);
    expect(v2.featuresVersion).not.toBe(v1.featuresVersion);
    expect(v2.targetVersion).not.toBe(v1.targetVersion);
    const ids = (kind: string) => ws.db.prepare(`SELECT id FROM dataset_version WHERE kind = ? ORDER BY rowid DESC`).pluck().all(kind) as string[];
    expect(ids('platinum')).toEqual([next.id, platinum.id]);
    expect(ids('features').map((id) => findVersion(ws.db, id)!.parents)).toEqual([[next.id], [platinum.id]]);
  });

  it('names a version by its inputs and by the version of the logic that made it', () => {
    const parents = ['2024-01=raw-1'];
    expect(derivedVersionId('platinum', PLATINUM_LOGIC_VERSION, parents)).toBe(derivedVersionId('platinum', PLATINUM_LOGIC_VERSION, [...parents]));
    expect(derivedVersionId('platinum', PLATINUM_LOGIC_VERSION + 1, parents)).not.toBe(derivedVersionId('platinum', PLATINUM_LOGIC_VERSION, parents));
    expect(derivedVersionId('platinum', PLATINUM_LOGIC_VERSION, ['2024-01=raw-2'])).not.toBe(derivedVersionId('platinum', PLATINUM_LOGIC_VERSION, parents));
  });
});
