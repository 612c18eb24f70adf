import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { WritableDB } from '../types';
import { migration001InitialSchema } from './001-initial-schema';

describe('migration 001: initial schema', () => {
  const db = new Database(':memory:') as WritableDB;
  db.pragma('foreign_keys = ON');
  migration001InitialSchema(db);

  it('creates the tables of the whole pipeline', () => {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual([
      'dataset_version', 'feature_row', 'forecast', 'forecast_row', 'meta', 'model_version', 'platinum_class', 'platinum_transition',
      'raw_class', 'raw_roster', 'raw_snapshot', 'run_metric', 'run_site_metric', 'snapshot_use', 'target_row', 'training_run',
    ]);
  });

  it('has no column that could hold a raw student id or a name', () => {
    const columns = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[])
      .flatMap((t) => (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name));
    expect(columns.filter((c) => /name|dni|email|student_id|id_alumno/i.test(c) && c !== 'file_name')).toEqual([]);
  });

  it('refuses negative counts and a second serving model', () => {
    db.prepare(`INSERT INTO raw_snapshot VALUES ('r', 1, 'h', '{}', 'f.csv', 1, 'UTF-8', ',', 'class', 'month', 'yyyymm', 1, 1, 0, '[]', '0', 'now')`).run();
    expect(() => db.prepare(`INSERT INTO raw_class (snapshot_id, period, site, course, schedule, students, source_rows) VALUES ('r', '2024-01', 'N', 'B', 'L', -1, 1)`).run()).toThrow(/CHECK/);
    db.prepare(`INSERT INTO dataset_version VALUES ('p', 'platinum', 1, '[]', 0, '{}', '0', 'now')`).run();
    db.prepare(`INSERT INTO training_run VALUES ('run', 'now', 1, '0', 1, '{}', 'p', 'p', 'p', '[]', 'last_value')`).run();
    const model = db.prepare(`INSERT INTO model_version VALUES (?, 'run', 'last_value', 0.1, 'p', '{}', 'serving', 'now')`);
    model.run('m1');
    expect(() => model.run('m2')).toThrow(/UNIQUE/);
  });
});
