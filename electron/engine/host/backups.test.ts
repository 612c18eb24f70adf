import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableDB, WritableDB } from '../db/types';
import { backupSteps, runNow } from '../db/backup';
import { MIGRATIONS } from '../db/migrations';
import { openBackup, studentMonths } from '../testing/backups';
import { tempDir } from '../testing/fixtures';
import type { EngineClient } from './client';
import { openInProcessEngine } from './in-process';
import type { InProcessEngine } from './in-process';
import { startEngineWorker } from './worker-client';

const NEWEST = MIGRATIONS.at(-1)!.version;
const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../db/fixtures/cupo-0.1-schema-001.sqlite');

/** Every row of every table but the audit log (which a restore appends to) and alerts (brought up to date after it), as one hash. */
function dataDigest(file: string): string {
  const db = new Database(file, { readonly: true });
  const hash = createHash('sha256');
  try {
    for (const table of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'alert') ORDER BY name`).pluck().all() as string[]) {
      hash.update(`#${table}`);
      for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).raw().all()) hash.update(JSON.stringify(row, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)));
    }
  } finally {
    db.close();
  }
  return hash.digest('hex');
}

const FILE_A = 'f-000000000000000a';
const FILE_B = 'f-000000000000000b';
const FILE_Z = 'f-000000000000000c';

describe('backup and restore under a running engine (worker thread, as in browser mode)', () => {
  const dir = tempDir();
  const databaseFile = path.join(dir, 'cupo.sqlite');
  const exportsDir = path.join(dir, 'exports');
  let engine: EngineClient;
  beforeAll(async () => {
    engine = startEngineWorker({ databaseFile, exportsDir });
    await engine.ready;
    const first = studentMonths(dir, 'h1.csv', ['202401', '202402', '202403', '202404', '202405', '202406']);
    expect(await engine.call('importFiles', { files: [{ fileId: FILE_A }] }, { files: { [FILE_A]: { path: first, name: 'h1.csv' } } })).toMatchObject({ ok: true, value: { committed: true } });
    expect(await engine.call('train', { candidates: ['last_value', 'moving_average'] })).toMatchObject({ ok: true });
  });
  afterAll(() => engine.close());

  it('writes one checked file with the database and its key, restores it in place, and keeps what it replaced', async () => {
    const progress: string[] = [];
    const backup = await engine.call('backup', {}, { onProgress: (e) => progress.push(e.message.en) });
    if (!backup.ok) throw new Error(backup.error.message.en);
    expect(backup.value).toMatchObject({ fileName: expect.stringMatching(/^cupo-copia-\d{8}-\d{6}-\d{3}-manual\.zip$/), schema_version: NEWEST, with_key: true });
    expect(progress).toEqual(['Backup: copying and checking the database', 'Backup: packing the database with its key', 'Backup: reading back what was written', 'Backup ready']);
    const zip = path.join(exportsDir, backup.value.exportId, backup.value.fileName);
    expect(fs.statSync(zip).size).toBe(backup.value.bytes);
    const inside = openBackup(zip);
    expect(inside.manifest.tables.raw_roster).toBeGreaterThan(0);
    expect(Object.values(inside.manifest.tables).reduce((a, b) => a + b, 0)).toBe(backup.value.rows);
    expect(fs.readFileSync(inside.key!)).toEqual(fs.readFileSync(`${databaseFile}.key`));
    inside.db.close();
    const before = dataDigest(databaseFile);
    const keyBefore = fs.readFileSync(`${databaseFile}.key`);

    // Things change: a model forced in, a month more.
    expect(await engine.call('train', { candidates: ['last_value'], force: true })).toMatchObject({ ok: true, value: { decision: { champion_after: 'model-0002' } } });
    const july = studentMonths(dir, 'jul.csv', ['202407'], 99);
    expect(await engine.call('importFiles', { files: [{ fileId: FILE_B }] }, { files: { [FILE_B]: { path: july, name: 'jul.csv' } } })).toMatchObject({ ok: true, value: { committed: true } });
    // And the key is lost and replaced (a restore brings the right one back).
    fs.writeFileSync(`${databaseFile}.key`, 'cd'.repeat(32));
    expect(dataDigest(databaseFile)).not.toBe(before);

    const restored = await engine.call('restore', { fileId: FILE_Z }, { files: { [FILE_Z]: { path: zip, name: backup.value.fileName } } });
    if (!restored.ok) throw new Error(restored.error.message.en);
    expect(restored.value).toMatchObject({ restored: { fileName: backup.value.fileName, schema_version: NEWEST }, migrated: [] });
    expect(restored.value.message.es).toMatch(/^Se restauró la copia cupo-copia-.*; lo que había antes quedó guardado en .*antes-de-restaurar\.zip\.$/);
    expect(dataDigest(databaseFile)).toBe(before);
    expect(fs.readFileSync(`${databaseFile}.key`)).toEqual(keyBefore);

    // What it replaced was backed up first: model-0002 serving, July there.
    const safety = openBackup(restored.value.safety_backup);
    expect(safety.db.prepare(`SELECT id FROM model_version WHERE status = 'champion'`).pluck().get()).toBe('model-0002');
    expect(safety.db.prepare(`SELECT COUNT(*) FROM raw_snapshot`).pluck().get()).toBe(2);
    safety.db.close();

    // The engine goes on, on the connections it had: reads answer from the restored database, writes work, and the
    // restored key is the one used (July's students link to the earlier months again: no "key changed" problem).
    expect(await engine.call('status', {})).toMatchObject({ ok: true, value: { serving: { model_version: 'model-0001' }, data: { last_period: '202406' } } });
    const audit = await engine.call('audit', { limit: 2 });
    expect(audit.ok && audit.value.map((a) => [a.what, a.who === 'automático'])).toEqual([['restore', false], ['backup', true]]);
    const again = await engine.call('importFiles', { files: [{ fileId: FILE_B }] }, { files: { [FILE_B]: { path: july, name: 'jul.csv' } } });
    expect(again).toMatchObject({ ok: true, value: { committed: true, reports: [{ problems: [] }] } });
    const check = new Database(databaseFile, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    check.close();
  });
});

describe('restore refuses in one sentence, changing nothing', () => {
  let engine: InProcessEngine;
  const dir = tempDir();
  const databaseFile = path.join(dir, 'cupo.sqlite');
  beforeAll(async () => {
    const opened = openInProcessEngine(databaseFile, path.join(dir, 'exports'));
    if (!opened.ok) throw new Error(opened.error.message.en);
    engine = opened.value;
    const file = studentMonths(dir, 'h1.csv', ['202401', '202402', '202403']);
    expect(await engine.call('importFiles', { files: [{ fileId: engine.fileIds([file])[0]! }] }, { paths: [file] })).toMatchObject({ ok: true });
  });
  afterAll(() => engine.close());

  async function restore(file: string) {
    return engine.call('restore', { fileId: engine.fileIds([file])[0]! }, { paths: [file] });
  }

  /** A backup made by hand of any database, as db/backup.ts would make it. */
  function backupOf(build: (db: WritableDB) => void, name: string): string {
    const source = path.join(tempDir(), 'x.sqlite');
    const db = new Database(source) as WritableDB;
    build(db);
    const target = path.join(dir, name);
    runNow(backupSteps(db as ReadableDB, source, target, { reason: 'manual' }));
    db.close();
    return target;
  }

  it('a file that is not a Cupo backup, one from a newer Cupo, one damaged', async () => {
    const before = dataDigest(databaseFile);
    const csv = path.join(dir, 'h1.csv');
    const otherZip = path.join(dir, 'fotos.zip');
    fs.writeFileSync(otherZip, zipSync({ 'foto.jpg': new Uint8Array([1, 2, 3]) }));
    const newer = backupOf((db) => {
      db.exec(`CREATE TABLE migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, app_version TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      db.prepare(`INSERT INTO migration VALUES (?, 'from-the-future', '9.0.0', 'now')`).run(99);
    }, 'futuro.zip');
    const good = (await engine.call('backup', {})) as { ok: true; value: { exportId: string; fileName: string } };
    const damaged = path.join(dir, 'cortada.zip');
    const bytes = fs.readFileSync(engine.exportPath(good.value.exportId, good.value.fileName)!);
    fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length * 0.6)));

    const sentences: Record<string, { es: string; en: string }> = {};
    for (const [name, file] of Object.entries({ csv, otherZip, newer, damaged })) {
      const result = await restore(file);
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result.error.code, name).toBe('refused');
      expect(result.error.message.es.split(/[.:] [A-Z¿]/).length, `${name}: one sentence`).toBe(1);
      sentences[name] = result.error.message;
    }
    expect(sentences.csv!.es).toBe('h1.csv no es una copia de seguridad de Cupo (no es un zip / not a zip): no se cambió nada.');
    expect(sentences.otherZip!.en).toMatch(/^fotos\.zip is not a Cupo backup \(.*foto\.jpg.*\): nothing was changed\.$/);
    expect(sentences.newer!.es).toBe(`La copia futuro.zip la hizo una versión más nueva de Cupo (0.1.0, esquema 99; esta versión conoce hasta el ${NEWEST}): actualice Cupo para restaurarla; no se cambió nada.`);
    expect(sentences.damaged!.en).toMatch(/^The backup cortada\.zip is damaged \(.*\): nothing was changed\.$/);
    // Nothing was touched, and no backup of what would have been replaced was even taken.
    expect(dataDigest(databaseFile)).toBe(before);
    expect(fs.existsSync(path.join(dir, 'backups')) ? fs.readdirSync(path.join(dir, 'backups')).filter((f) => f.endsWith('.zip')) : []).toEqual([]);
  });

  it('restores a backup of the previous release (schema 001), bringing it up to date on the way in', async () => {
    const work = tempDir();
    const source = path.join(work, 'old.sqlite');
    fs.copyFileSync(FIXTURE, source);
    fs.copyFileSync(`${FIXTURE}.key`, `${source}.key`);
    const old = new Database(source) as WritableDB;
    const zip = path.join(dir, 'de-la-version-anterior.zip');
    runNow(backupSteps(old, source, zip, { reason: 'manual' }));
    old.close();
    const result = await restore(zip);
    if (!result.ok) throw new Error(result.error.message.en);
    expect(result.value).toMatchObject({ restored: { schema_version: 1, app_version: '0.1.0' }, migrated: MIGRATIONS.slice(1).map((m) => m.version) });
    expect(result.value.message.en).toMatch(/was restored and brought up to this version;/);
    expect(await engine.call('status', {})).toMatchObject({ ok: true, value: { serving: { model_version: 'model-0001', candidate: 'moving_average' }, last_forecast: { period: '202407' } } });
    expect(fs.readFileSync(`${databaseFile}.key`)).toEqual(fs.readFileSync(`${FIXTURE}.key`));
    // The release before wrote 4 KB pages; the database in use, made by this one, keeps its 16 KB.
    const [fixturePage, livePage] = [FIXTURE, databaseFile].map((file) => {
      const db = new Database(file, { readonly: true });
      const size = db.pragma('page_size', { simple: true });
      db.close();
      return size;
    });
    expect([fixturePage, livePage]).toEqual([4096, 16384]);
  });
});

describe('restore over a damaged database', () => {
  it('keeps the damaged files as they were, since they cannot be backed up whole, and restores', async () => {
    const dir = tempDir();
    const databaseFile = path.join(dir, 'cupo.sqlite');
    const first = openInProcessEngine(databaseFile, path.join(dir, 'exports'));
    if (!first.ok) throw new Error(first.error.message.en);
    const file = studentMonths(dir, 'h1.csv', ['202401', '202402', '202403', '202404', '202405', '202406']);
    await first.value.call('importFiles', { files: [{ fileId: first.value.fileIds([file])[0]! }] }, { paths: [file] });
    const made = await first.value.call('backup', {});
    if (!made.ok) throw new Error(made.error.message.en);
    const zip = path.join(dir, 'buena.zip');
    fs.copyFileSync(first.value.exportPath(made.value.exportId, made.value.fileName)!, zip);
    first.value.close();

    // A disk error: the pages of a table in the middle of the file overwritten.
    const bytes = fs.readFileSync(databaseFile);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    bytes.fill(0x5a, pageSize * Math.floor(pages / 2), pageSize * (Math.floor(pages / 2) + 3));
    fs.writeFileSync(databaseFile, bytes);
    const damaged = new Database(databaseFile, { readonly: true });
    expect(damaged.pragma('integrity_check', { simple: true })).not.toBe('ok');
    damaged.close();

    const opened = openInProcessEngine(databaseFile, path.join(dir, 'exports'));
    if (!opened.ok) throw new Error(opened.error.message.en);
    try {
      const result = await opened.value.call('restore', { fileId: opened.value.fileIds([zip])[0]! }, { paths: [zip] });
      if (!result.ok) throw new Error(result.error.message.en);
      expect(result.value.safety_backup).toMatch(/backups\/cupo-copia-.*-antes-de-restaurar-sin-comprobar$/);
      expect(fs.readFileSync(path.join(result.value.safety_backup, 'cupo.sqlite'))).toEqual(bytes);
      const check = new Database(databaseFile, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
      expect(await opened.value.call('status', {})).toMatchObject({ ok: true, value: { data: { periods: 6 } } });
    } finally {
      opened.value.close();
    }
  });
});

describe('automatic backups before every act that replaces what is in use', () => {
  it('reopen, promote and rollback each back up first (the last ten kept, on the audit log); a refused act keeps none', async () => {
    const dir = tempDir();
    const databaseFile = path.join(dir, 'cupo.sqlite');
    const opened = openInProcessEngine(databaseFile, path.join(dir, 'exports'));
    if (!opened.ok) throw new Error(opened.error.message.en);
    const engine = opened.value;
    try {
      const first = studentMonths(dir, 'a.csv', ['202401', '202402', '202403', '202404']);
      const second = studentMonths(dir, 'b.csv', ['202404', '202405'], 7);
      const [a, b] = engine.fileIds([first, second]);
      await engine.call('importFiles', { files: [{ fileId: a! }] }, { paths: [first] });
      await engine.call('importFiles', { files: [{ fileId: b! }] }, { paths: [second] });
      await engine.call('train', { candidates: ['last_value', 'moving_average'] });
      await engine.call('train', { candidates: ['last_value'], force: true });
      const backups = () => (fs.existsSync(path.join(dir, 'backups')) ? fs.readdirSync(path.join(dir, 'backups')).filter((f) => f.endsWith('.zip')).sort() : []);
      expect(backups()).toEqual([]);

      // Refused: nothing changes, no backup kept.
      expect(await engine.call('promote', { modelId: 'model-0002', reason: 'ya sirve' })).toMatchObject({ ok: false });
      expect(backups()).toEqual([]);

      const snapshots = await engine.call('snapshots', {});
      const older = snapshots.ok ? snapshots.value.find((s) => s.file === 'a.csv')!.id : '';
      expect(await engine.call('reopenSnapshot', { id: older })).toMatchObject({ ok: true });
      expect(backups()).toEqual([expect.stringMatching(/-antes-de-reabrir\.zip$/)]);
      for (let i = 0; i < 6; i++) {
        expect(await engine.call('rollback', { reason: `vuelta ${i}` })).toMatchObject({ ok: true });
        expect(await engine.call('promote', { modelId: 'model-0002', reason: `otra vez ${i}` })).toMatchObject({ ok: true });
      }
      const kept = backups();
      expect(kept).toHaveLength(10);
      expect(kept.filter((f) => f.endsWith('-antes-de-promover.zip'))).toHaveLength(5);
      expect(kept.filter((f) => f.endsWith('-antes-de-volver-atras.zip'))).toHaveLength(5);
      // The newest holds the database as it was just before the last promotion: model-0001 serving.
      const newest = openBackup(path.join(dir, 'backups', kept.at(-1)!));
      expect(newest.manifest.reason).toBe('before-promote');
      expect(newest.db.prepare(`SELECT id FROM model_version WHERE status = 'champion'`).pluck().get()).toBe('model-0001');
      newest.db.close();
      const audit = await engine.call('audit', { limit: 2 });
      expect(audit.ok && audit.value.map((e) => [e.what, e.who, e.details?.reason ?? null])).toEqual([
        ['promote', expect.any(String), null],
        ['backup', 'automático', 'before-promote'],
      ]);
    } finally {
      engine.close();
    }
  });
});
