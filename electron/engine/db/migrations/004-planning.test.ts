import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { WritableDB } from '../types';
import { migration001InitialSchema } from './001-initial-schema';
import { migration004Planning } from './004-planning';

function migrated(): WritableDB {
  const db = new Database(':memory:') as WritableDB;
  db.pragma('foreign_keys = ON');
  migration001InitialSchema(db);
  migration004Planning(db);
  return db;
}

describe('migration 004: saved mappings, imports set aside, planners’ own numbers', () => {
  it('adds the three tables', () => {
    const db = migrated();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('saved_mapping', 'snapshot_aside', 'forecast_override') ORDER BY name`).pluck().all();
    expect(tables).toEqual(['forecast_override', 'saved_mapping', 'snapshot_aside']);
  });

  it('keeps one mapping per name', () => {
    const db = migrated();
    const insert = db.prepare(`INSERT INTO saved_mapping VALUES (?, '{}', 0, '[]', 'now', 'now')`);
    insert.run('UVA');
    expect(() => insert.run('UVA')).toThrow(/UNIQUE|PRIMARY/);
  });

  it('sets aside only imports that exist, with a known act', () => {
    const db = migrated();
    expect(() => db.prepare(`INSERT INTO snapshot_aside (snapshot_id, action, at, who) VALUES ('raw-000000000000', 'set_aside', 'now', 'ana')`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO snapshot_aside (snapshot_id, action, at, who) VALUES ('raw-000000000000', 'delete', 'now', 'ana')`).run()).toThrow(/CHECK/);
  });

  it('refuses a number without a note, or below zero, and one for a forecast that does not exist', () => {
    const db = migrated();
    const insert = (forecast: string, students: number, note: string) =>
      db.prepare(`INSERT INTO forecast_override VALUES (?, 'NORTE', 'BAS01', 'LMV', ?, ?, 'ana', 'now')`).run(forecast, students, note);
    expect(() => insert('forecast-x', 10, 'se fue la profesora')).toThrow(/FOREIGN KEY/);
    // A forecast row alone (its model and data versions are not what this test is about).
    db.pragma('foreign_keys = OFF');
    db.exec(`INSERT INTO forecast VALUES ('forecast-1', 'model-0001', '202611', 'features-1', 'now')`);
    db.pragma('foreign_keys = ON');
    expect(() => insert('forecast-1', 10, '')).toThrow(/CHECK/);
    expect(() => insert('forecast-1', -1, 'nota')).toThrow(/CHECK/);
    expect(() => insert('forecast-1', 10, 'se fue la profesora')).not.toThrow();
  });
});
