import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../db/migrations';
import { studentMonths } from '../testing/backups';
import { tempDir } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

const NEWEST = MIGRATIONS.at(-1)!.version;

describe('cupo backup and cupo restore', () => {
  it('write a checked backup where asked, never over a file, and put it back, saying where the replaced database went', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cupo.sqlite');
    expect((await cli(['import', studentMonths(dir, 'a.csv', ['202401', '202402', '202403', '202404']), '--db', db])).code).toBe(0);
    expect((await cli(['train', '--candidates', 'last_value,moving_average', '--db', db])).code).toBe(0);

    const out = path.join(dir, 'copias', 'lunes.zip');
    const backup = await cli(['backup', '--db', db, '--out', out]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^Copia de seguridad escrita en ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ kB; base de datos y clave de seudonimización, esquema ${NEWEST}; comprobada: integridad correcta, \\d+ tablas, [\\d.,]+ filas\\)\\.\\n$`));
    const again = await cli(['backup', '--db', db, '--out', out, '--lang', 'en']);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toMatch(/already exists: a backup is never overwritten; choose another name with --out\.\n$/);

    expect((await cli(['import', studentMonths(dir, 'b.csv', ['202405'], 5), '--db', db])).code).toBe(0);
    expect((await cli(['restore', '--db', db])).code).toBe(2);
    expect((await cli(['restore', path.join(dir, 'nada.zip'), '--db', db])).stderr).toMatch(/No existe el archivo .*nada\.zip\./);
    const notBackup = await cli(['restore', path.join(dir, 'b.csv'), '--db', db]);
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr.trim().split('\n')).toEqual(['b.csv no es una copia de seguridad de Cupo (no es un zip / not a zip): no se cambió nada. / b.csv is not a Cupo backup (no es un zip / not a zip): nothing was changed.']);

    const restored = await cli(['restore', out, '--db', db, '--json']);
    expect(restored.code, restored.stderr).toBe(0);
    const result = JSON.parse(restored.stdout);
    expect(result).toMatchObject({ restored: { fileName: 'lunes.zip', schema_version: NEWEST }, migrated: [] });
    expect(fs.existsSync(result.safety_backup)).toBe(true);
    const status = JSON.parse((await cli(['status', '--db', db, '--json'])).stdout);
    expect(status.data.last_period).toBe('202404');
    const audit = await cli(['audit', '--limit', '2', '--db', db, '--json']);
    expect(JSON.parse(audit.stdout).map((e: { what: string }) => e.what)).toEqual(['restore', 'backup']);
  });
});
