import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { WritableDB } from '../types';
import { migration001InitialSchema } from './001-initial-schema';
import { migration005FoldDetail } from './005-fold-detail';

function withRun(): WritableDB {
  const db = new Database(':memory:') as WritableDB;
  migration001InitialSchema(db);
  // A run's metric rows alone: the run and its data versions are not what this test is about.
  db.pragma('foreign_keys = OFF');
  db.exec(`INSERT INTO run_metric (run_id, candidate, period, wape, mae, bias, actual_total, predicted_total, classes, duration_ms)
           VALUES ('run-1', 'cohort_progression', '202610', 0.2, 1.5, -0.01, 900, 891, 80, 12)`);
  migration005FoldDetail(db);
  return db;
}

const insert = `INSERT INTO run_metric VALUES ('run-2', 'boosted', '202610', 0.18, 1.4, 0.0, 900, 900, 80, 10, ?, ?, ?, ?)`;

describe('migration 005: course, site and interval figures per backtest fold', () => {
  it('keeps the folds of earlier runs, with their new figures unknown rather than made up', () => {
    const db = withRun();
    expect(db.prepare(`SELECT wape, course_wape, site_wape, covered, intervals FROM run_metric WHERE run_id = 'run-1'`).get())
      .toEqual({ wape: 0.2, course_wape: null, site_wape: null, covered: null, intervals: null });
  });

  it('stores a fold with its figures, and refuses more classes inside the interval than had one', () => {
    const db = withRun();
    db.prepare(insert).run(0.09, 0.04, 61, 76);
    expect(db.prepare(`SELECT covered * 1.0 / intervals FROM run_metric WHERE run_id = 'run-2'`).pluck().get()).toBeCloseTo(61 / 76);
    db.exec(`DELETE FROM run_metric WHERE run_id = 'run-2'`);
    expect(() => db.prepare(insert).run(0.09, 0.04, 77, 76)).toThrow(/CHECK/);
    expect(() => db.prepare(insert).run(0.09, 0.04, -1, 76)).toThrow(/CHECK/);
  });
});
