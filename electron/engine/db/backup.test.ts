import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { automaticBackup, backupsDir, copyInto, pruneAutomaticBackups, writeBackup } from './backup';
import type { WritableDB } from './types';

function database(): { db: WritableDB; file: string } {
  const file = path.join(tempDir(), 'cupo.sqlite');
  const db = new Database(file) as WritableDB;
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE t (x INTEGER); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i FROM n`);
  fs.writeFileSync(`${file}.key`, 'ef'.repeat(32));
  return { db, file };
}

describe('the backup file', () => {
  it('is a plain zip: the manifest first, a note for people, the database, its key', async () => {
    const { db, file } = database();
    const target = path.join(path.dirname(file), 'copia.zip');
    const made = await writeBackup(db, file, target, { reason: 'manual' });
    const entries = unzipSync(fs.readFileSync(target));
    expect(Object.keys(entries)).toEqual(['manifest.json', 'LEAME-README.txt', 'cupo.sqlite', 'cupo.sqlite.key']);
    expect(JSON.parse(Buffer.from(entries['manifest.json']!).toString())).toEqual(made.manifest);
    expect(made.manifest).toMatchObject({ format: 'cupo-backup', format_version: 1, schema_version: 0, tables: { t: 5000 }, key: { bytes: 64 } });
    expect(Buffer.from(entries['cupo.sqlite.key']!).toString()).toBe('ef'.repeat(32));
    expect((fs.statSync(target).mode & 0o777).toString(8)).toBe('600');
    // Never over an existing file.
    await expect(writeBackup(db, file, target, { reason: 'manual' })).rejects.toThrow(/Ya existe el archivo/);
    db.close();
  });

  it('cancelled half-way, leaves nothing behind', async () => {
    const { db, file } = database();
    const controller = new AbortController();
    const target = path.join(path.dirname(file), 'out', 'copia.zip');
    const writing = writeBackup(db, file, target, { reason: 'manual', signal: controller.signal, onStep: (step) => step === 'pack' && controller.abort(new Error('cancelled')) });
    await expect(writing).rejects.toThrow('cancelled');
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);
    db.close();
  });

  it('sweeps what a dead process left half-made, and keeps the ten newest automatic backups', async () => {
    const { db, file } = database();
    const dir = backupsDir(file);
    fs.mkdirSync(dir);
    const dead = path.join(dir, '.cupo-copia-x.zip.4194303-0a1b2c3d.part');
    const mine = path.join(dir, `.cupo-copia-y.zip.${process.pid}-0a1b2c3d.part`);
    fs.writeFileSync(dead, 'half');
    fs.writeFileSync(mine, 'being written');
    const before = await automaticBackup(db, file, { reason: 'before-migration', at: new Date('2026-01-01T00:00:00Z') });
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(mine)).toBe(true);
    for (let i = 0; i < 12; i++) await automaticBackup(db, file, { reason: i % 2 ? 'before-promote' : 'before-rollback', at: new Date(Date.UTC(2026, 0, 2, 0, i)) });
    expect(pruneAutomaticBackups(file)).toHaveLength(2);
    const kept = fs.readdirSync(dir).filter((f) => f.endsWith('.zip'));
    expect(kept).toHaveLength(11);
    expect(kept).toContain(path.basename(before.file));
    expect(kept.sort()[0]).toBe('cupo-copia-20260101-000000-000-antes-de-actualizar.zip');
    expect(kept.sort()[1]).toBe('cupo-copia-20260102-000200-000-antes-de-volver-atras.zip');
    db.close();
  });
});

describe('a restore’s copy into the live database', () => {
  it('takes a database of another page size, either way, and the live one keeps its own', async () => {
    for (const [from, to] of [
      [4096, 16384],
      [16384, 4096],
    ] as const) {
      const dir = tempDir();
      const open = (name: string, pageSize: number) => {
        const db = new Database(path.join(dir, name)) as WritableDB;
        db.pragma(`page_size = ${pageSize}`);
        db.pragma('journal_mode = WAL');
        return db;
      };
      const live = open('live.sqlite', to);
      live.exec(`CREATE TABLE old (x)`);
      // The source in WAL mode too: the worst case, whose page size only changes once it leaves WAL.
      const source = open('source.sqlite', from);
      source.exec(`CREATE TABLE t (x INTEGER, b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, randomblob(i % 700) FROM n`);
      const rows = source.prepare(`SELECT * FROM t ORDER BY x`).all();
      await copyInto(source, path.join(dir, 'live.sqlite'), live);
      source.close();
      expect(live.pragma('page_size', { simple: true })).toBe(to);
      expect(live.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(live.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(live.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['t']);
      expect(live.prepare(`SELECT * FROM t ORDER BY x`).all()).toEqual(rows);
      live.close();
    }
  });
});
