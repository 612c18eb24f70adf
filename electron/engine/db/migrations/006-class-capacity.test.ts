import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { WritableDB } from '../types';
import { migration001InitialSchema } from './001-initial-schema';
import { migration006ClassCapacity } from './006-class-capacity';

function withClass(): WritableDB {
  const db = new Database(':memory:') as WritableDB;
  migration001InitialSchema(db);
  // Class rows alone: the snapshot and the dataset version they hang from are not what this test is about.
  db.pragma('foreign_keys = OFF');
  db.exec(`INSERT INTO raw_class (snapshot_id, period, site, course, schedule, students, source_rows) VALUES ('raw-1', '2024-1', 'NORTE', 'BAS01', 'LMV', 18, 1)`);
  db.exec(`INSERT INTO platinum_class (version_id, period, site, course, schedule, students, snapshot_id) VALUES ('plat-1', '2024-1', 'NORTE', 'BAS01', 'LMV', 18, 'raw-1')`);
  migration006ClassCapacity(db);
  return db;
}

describe('migration 006: the capacity of a class, where the file gives one', () => {
  it('keeps the classes imported before, with their capacity unknown rather than made up', () => {
    const db = withClass();
    expect(db.prepare(`SELECT students, capacity FROM raw_class`).get()).toEqual({ students: 18, capacity: null });
    expect(db.prepare(`SELECT students, capacity FROM platinum_class`).get()).toEqual({ students: 18, capacity: null });
  });

  it('stores a capacity, zero included, and refuses a negative one', () => {
    const db = withClass();
    const raw = db.prepare(`INSERT INTO raw_class (snapshot_id, period, site, course, schedule, students, source_rows, capacity) VALUES ('raw-1', '2024-1', 'SUR', 'BAS01', 'LMV', 12, 1, ?)`);
    const platinum = db.prepare(`INSERT INTO platinum_class (version_id, period, site, course, schedule, students, snapshot_id, capacity) VALUES ('plat-1', '2024-1', ?, 'BAS01', 'LMV', 12, 'raw-1', ?)`);
    raw.run(25);
    raw.run(0);
    platinum.run('SUR', 25);
    expect(db.prepare(`SELECT capacity FROM raw_class WHERE site = 'SUR' ORDER BY capacity`).pluck().all()).toEqual([0, 25]);
    expect(() => raw.run(-1)).toThrow(/CHECK/);
    expect(() => platinum.run('ESTE', -1)).toThrow(/CHECK/);
  });
});
