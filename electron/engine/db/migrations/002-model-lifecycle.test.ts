import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openBackup } from '../../testing/backups';
import { tempDir } from '../../testing/fixtures';
import { openDatabase } from '../connection';
import { migrate } from '../migrate';
import type { WritableDB } from '../types';
import { MIGRATIONS } from './index';

function tables(db: Database.Database): string[] {
  return db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
}

/** A database as version 1 of the schema left it: two trained models (the second serving) and a forecast of the second. */
function databaseAtSchema1(): string {
  const file = path.join(tempDir(), 'v1.sqlite');
  const db = new Database(file) as WritableDB;
  db.pragma('foreign_keys = ON');
  migrate(db, file, MIGRATIONS.slice(0, 1));
  db.prepare(`INSERT INTO dataset_version VALUES (?, ?, 1, '[]', 0, '{}', '0.1.0', 'now')`).run('platinum-a', 'platinum');
  db.prepare(`INSERT INTO dataset_version VALUES (?, ?, 1, '["platinum-a"]', 0, '{}', '0.1.0', 'now')`).run('features-a', 'features');
  db.prepare(`INSERT INTO dataset_version VALUES (?, ?, 1, '["platinum-a"]', 0, '{}', '0.1.0', 'now')`).run('target-a', 'target');
  const run = db.prepare(`INSERT INTO training_run VALUES (?, ?, 1, '0.1.0', ?, '{}', 'platinum-a', 'features-a', 'target-a', '[]', ?)`);
  run.run('run-1', '2026-01-01T00:00:00.000Z', 7, 'last_value');
  run.run('run-2', '2026-02-01T00:00:00.000Z', 42, 'cohort_progression');
  const model = db.prepare(`INSERT INTO model_version VALUES (?, ?, ?, ?, 'features-a', '{"candidate":"x","kind":"baseline"}', ?, ?)`);
  model.run('model-0001', 'run-1', 'last_value', 0.5, 'retired', '2026-01-01T00:01:00.000Z');
  model.run('model-0002', 'run-2', 'cohort_progression', 0.25, 'serving', '2026-02-01T00:01:00.000Z');
  db.prepare(`INSERT INTO forecast VALUES ('forecast-1', 'model-0002', '2026-03', 'features-a', '2026-02-02T00:00:00.000Z')`).run();
  db.prepare(`INSERT INTO forecast_row VALUES ('forecast-1', 'N', 'BAS01', 'L', 12, 11.6, 10, 0, 'running')`).run();
  db.close();
  return file;
}

describe('migration 002: model lifecycle', () => {
  it('on a new database: champion/challenger/retired models, champion history, exports, scores, an append-only audit log', () => {
    const { db } = openDatabase(path.join(tempDir(), 'fresh.sqlite'));
    expect(tables(db)).toEqual(expect.arrayContaining(['audit_log', 'champion_history', 'forecast_export', 'forecast_score', 'forecast_score_detail', 'model_version']));
    const columns = (db.prepare(`PRAGMA table_info(model_version)`).all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['id', 'run_id', 'candidate', 'backtest_wape', 'platinum_version', 'features_version', 'target_version', 'params', 'artifact', 'status', 'created_at']);

    db.prepare(`INSERT INTO dataset_version VALUES ('p', 'platinum', 1, '[]', 0, '{}', '0', 'now')`).run();
    db.prepare(`INSERT INTO training_run VALUES ('run', 'now', 1, '0', 1, '{}', 'p', 'p', 'p', '[]', 'last_value')`).run();
    const model = db.prepare(`INSERT INTO model_version VALUES (?, 'run', 'last_value', 0.1, 'p', 'p', 'p', '{}', '{}', ?, 'now')`);
    model.run('m1', 'champion');
    model.run('m2', 'challenger');
    expect(() => model.run('m3', 'champion')).toThrow(/UNIQUE/);
    expect(() => model.run('m4', 'serving')).toThrow(/CHECK/);

    const tenure = db.prepare(`INSERT INTO champion_history (model_id, from_at, to_at, how, reason, who) VALUES (?, 'a', ?, ?, '{}', 'x')`);
    tenure.run('m1', 'b', 'train');
    tenure.run('m2', null, 'promote');
    expect(() => tenure.run('m1', null, 'rollback')).toThrow(/UNIQUE/);
    expect(() => tenure.run('m1', 'c', 'whim')).toThrow(/CHECK/);
    expect(() => tenure.run('nobody', 'c', 'train')).toThrow(/FOREIGN KEY/);

    db.prepare(`INSERT INTO audit_log (at, who, what) VALUES ('now', 'ana@pc', 'train')`).run();
    expect(() => db.prepare(`UPDATE audit_log SET who = 'someone else'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    expect(db.prepare(`SELECT who FROM audit_log`).pluck().all()).toEqual(['ana@pc']);
    db.close();
  });

  it('upgrades a database of schema 1: the serving model becomes the champion, the history is rebuilt, a copy is kept first', () => {
    const file = databaseAtSchema1();
    const before = fs.readFileSync(file);
    const opened = openDatabase(file);
    const db = opened.db;
    // The backup taken first (a zip with the key, in backups/) holds the database as it was.
    const copy = openBackup(opened.backup!).db;
    expect(copy.prepare(`SELECT status FROM model_version ORDER BY id`).pluck().all()).toEqual(['retired', 'serving']);
    copy.close();
    expect(before.length).toBeGreaterThan(0);

    expect(db.prepare(`SELECT id, status, platinum_version, target_version, params FROM model_version ORDER BY id`).all()).toEqual([
      { id: 'model-0001', status: 'retired', platinum_version: 'platinum-a', target_version: 'target-a', params: '{"seed":7,"app_version":"0.1.0"}' },
      { id: 'model-0002', status: 'champion', platinum_version: 'platinum-a', target_version: 'target-a', params: '{"seed":42,"app_version":"0.1.0"}' },
    ]);
    const history = db.prepare(`SELECT model_id, from_at, to_at, how, who FROM champion_history ORDER BY id`).all();
    expect(history).toEqual([
      { model_id: 'model-0001', from_at: '2026-01-01T00:01:00.000Z', to_at: '2026-02-01T00:01:00.000Z', how: 'train', who: 'automático' },
      { model_id: 'model-0002', from_at: '2026-02-01T00:01:00.000Z', to_at: null, how: 'train', who: 'automático' },
    ]);
    expect(JSON.parse(db.prepare(`SELECT reason FROM champion_history LIMIT 1`).pluck().get() as string)).toMatchObject({ en: expect.stringMatching(/rebuilt from creation times/) });
    // The forecast still points at its model, every reference holds, and foreign keys are enforced again.
    expect(db.prepare(`SELECT m.status FROM forecast f JOIN model_version m ON m.id = f.model_version_id`).pluck().get()).toBe('champion');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare(`DELETE FROM model_version WHERE id = 'model-0002'`).run()).toThrow(/FOREIGN KEY/);
    db.close();

    // Opened again, its schema is exactly what replaying migrations 1 and 2 makes.
    const again = openDatabase(file);
    expect(again.backup).toBeNull();
    again.db.close();
  });
});
