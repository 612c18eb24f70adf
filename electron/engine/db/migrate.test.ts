import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors';
import { openBackup } from '../testing/backups';
import { tempDir } from '../testing/fixtures';
import { openDatabase } from './connection';
import { migrate } from './migrate';
import type { Migration } from './migrations';
import { MIGRATIONS } from './migrations';
import type { WritableDB } from './types';

const first: Migration = { version: 1, name: 'first', up: (db) => db.exec(`CREATE TABLE a (x INTEGER)`) };
const second: Migration = { version: 2, name: 'second', up: (db) => db.exec(`CREATE TABLE b (y INTEGER)`) };
const broken: Migration = { version: 2, name: 'broken', up: (db) => { db.exec(`CREATE TABLE b (y INTEGER)`); throw new Error('boom'); } };

function fileDb(): { db: WritableDB; file: string } {
  const file = path.join(tempDir(), 'm.sqlite');
  return { db: new Database(file) as WritableDB, file };
}

describe('numbered migrations', () => {
  it('records each migration it applies, once', () => {
    const { db, file } = fileDb();
    expect(migrate(db, file, [first, second]).applied).toEqual([1, 2]);
    expect(migrate(db, file, [first, second]).applied).toEqual([]);
    expect(db.prepare(`SELECT version, name FROM migration`).all()).toEqual([{ version: 1, name: 'first' }, { version: 2, name: 'second' }]);
  });

  it('has a database that holds data copied before upgrading it, and does not upgrade when the copy fails', () => {
    const { db, file } = fileDb();
    migrate(db, file, [first]);
    db.prepare(`INSERT INTO a VALUES (7)`).run();
    const seen: number[][] = [];
    const copyFirst = (pending: readonly Migration[]) => {
      seen.push(pending.map((m) => m.version));
      // Called before anything is applied.
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
      return '/the/copy.zip';
    };
    expect(() => migrate(db, file, [first, second], undefined, { beforeApplying: () => { throw new Error('disk full'); } })).toThrow('disk full');
    expect(db.prepare(`SELECT MAX(version) FROM migration`).pluck().get()).toBe(1);
    expect(migrate(db, file, [first, second], undefined, { beforeApplying: copyFirst })).toEqual({ backup: '/the/copy.zip', applied: [2] });
    expect(seen).toEqual([[2]]);
  });

  it('takes a checked backup with the key, in backups/, before openDatabase upgrades a database', () => {
    const { db, file } = fileDb();
    migrate(db, file, MIGRATIONS.slice(0, 1));
    db.prepare(`INSERT INTO meta VALUES ('k', 'v')`).run();
    db.close();
    fs.writeFileSync(`${file}.key`, 'ab'.repeat(32));
    const opened = openDatabase(file);
    expect(path.dirname(opened.backup!)).toBe(path.join(path.dirname(file), 'backups'));
    expect(path.basename(opened.backup!)).toMatch(/^m-copia-\d{8}-\d{6}-\d{3}-antes-de-actualizar\.zip$/);
    expect(opened.db.prepare(`SELECT MAX(version) FROM migration`).pluck().get()).toBe(MIGRATIONS.at(-1)!.version);
    opened.db.close();
    const copy = openBackup(opened.backup!);
    expect(copy.manifest).toMatchObject({ format: 'cupo-backup', schema_version: 1, reason: 'before-migration', source: 'm.sqlite' });
    expect(copy.db.prepare(`SELECT value FROM meta WHERE key = 'k'`).pluck().get()).toBe('v');
    expect(copy.db.prepare(`SELECT MAX(version) FROM migration`).pluck().get()).toBe(1);
    expect(fs.readFileSync(copy.key!, 'utf8')).toBe('ab'.repeat(32));
    copy.db.close();
  });

  it('leaves the database as it was when a migration fails', () => {
    const { db, file } = fileDb();
    migrate(db, file, [first]);
    expect(() => migrate(db, file, [first, broken])).toThrow('boom');
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
    expect(db.prepare(`SELECT MAX(version) FROM migration`).pluck().get()).toBe(1);
  });

  it('lets a migration rebuild a table other tables point at, and refuses one that leaves a reference broken', () => {
    const parent: Migration = { version: 1, name: 'parent', up: (db) => db.exec(`CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (p_id TEXT NOT NULL REFERENCES p(id))`) };
    const rebuild: Migration = {
      version: 2,
      name: 'rebuild',
      up: (db) => db.exec(`CREATE TABLE p2 (id TEXT PRIMARY KEY, extra INTEGER); INSERT INTO p2 (id) SELECT id FROM p; DROP TABLE p; ALTER TABLE p2 RENAME TO p`),
    };
    const orphan: Migration = { version: 3, name: 'orphan', up: (db) => db.exec(`DELETE FROM p`) };
    const { db, file } = fileDb();
    db.pragma('foreign_keys = ON');
    migrate(db, file, [parent]);
    db.exec(`INSERT INTO p VALUES ('a'); INSERT INTO c VALUES ('a')`);
    expect(migrate(db, file, [parent, rebuild]).applied).toEqual([2]);
    expect(db.prepare(`SELECT COUNT(*) FROM c JOIN p ON p.id = c.p_id`).pluck().get()).toBe(1);
    expect(() => migrate(db, file, [parent, rebuild, orphan])).toThrow(/broken reference/);
    expect(db.prepare(`SELECT COUNT(*) FROM p`).pluck().get()).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a database written by a newer version of the app, with one sentence', () => {
    const file = path.join(tempDir(), 'newer.sqlite');
    openDatabase(file).db.close();
    const raw = new Database(file);
    raw.prepare(`INSERT INTO migration VALUES (?, 'from-the-future', '9.9.9', 'now')`).run(MIGRATIONS.at(-1)!.version + 1);
    raw.close();
    const bytes = fs.readFileSync(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).bilingualMessage.en).toMatch(/newer version of Cupo/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a database whose recorded migration does not match this build’s', () => {
    const { db, file } = fileDb();
    migrate(db, file, [first]);
    expect(() => migrate(db, file, [{ ...first, name: 'renamed' }])).toThrow(UserError);
  });

  it('refuses, untouched, a database whose tables differ from what its recorded migrations make', () => {
    const file = path.join(tempDir(), 'draft.sqlite');
    openDatabase(file).db.close();
    const raw = new Database(file);
    raw.exec(`DROP TABLE snapshot_use`);
    raw.close();
    const bytes = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(new RegExp(`not the ones Cupo's schema ${MIGRATIONS.at(-1)!.version} defines`));
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('opens a database made by these migrations again without complaint', () => {
    const file = path.join(tempDir(), 'same.sqlite');
    openDatabase(file).db.close();
    const again = openDatabase(file);
    expect(again.backup).toBeNull();
    again.db.close();
  });
});
