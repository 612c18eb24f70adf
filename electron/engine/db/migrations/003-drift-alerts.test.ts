import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { WritableDB } from '../types';
import { migration001InitialSchema } from './001-initial-schema';
import { migration003DriftAlerts } from './003-drift-alerts';

function migrated(): WritableDB {
  const db = new Database(':memory:') as WritableDB;
  db.pragma('foreign_keys = ON');
  migration001InitialSchema(db);
  migration003DriftAlerts(db);
  return db;
}

const insertAlert = `INSERT INTO alert (dedupe_key, category, kind, severity, message_es, message_en, action_es, action_en, period, scope, evidence,
  occurrences, created_at, updated_at, state) VALUES (?, 'drift', 'vanished', ?, 'm', 'm', 'a', 'a', '2026-11', '{}', '{}', 1, 'now', 'now', ?)`;

describe('migration 003: drift reports and alerts', () => {
  it('adds the drift report and alert tables', () => {
    const db = migrated();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('drift_report', 'alert') ORDER BY name`).pluck().all();
    expect(tables).toEqual(['alert', 'drift_report']);
  });

  it('keeps one live alert per cause, and lets a resolved cause be raised again', () => {
    const db = migrated();
    db.prepare(insertAlert).run('drift:vanished:site:SURCO', 'high', 'open');
    expect(() => db.prepare(insertAlert).run('drift:vanished:site:SURCO', 'high', 'acknowledged')).toThrow(/UNIQUE/);
    db.prepare(`UPDATE alert SET state = 'resolved'`).run();
    expect(() => db.prepare(insertAlert).run('drift:vanished:site:SURCO', 'high', 'open')).not.toThrow();
  });

  it('refuses an unknown severity, category or state', () => {
    const db = migrated();
    expect(() => db.prepare(insertAlert).run('k', 'urgent', 'open')).toThrow(/CHECK/);
    expect(() => db.prepare(insertAlert).run('k', 'low', 'snoozed')).toThrow(/CHECK/);
    expect(() => db.prepare(insertAlert.replace(`'drift'`, `'weather'`)).run('k', 'low', 'open')).toThrow(/CHECK/);
  });

  it('ties a drift report to a platinum version that exists', () => {
    const db = migrated();
    const insert = db.prepare(`INSERT INTO drift_report VALUES ('drift-1', 1, 'now', 'import', ?, '[]', '{}', '[]', 0, NULL, '[]', '[]', '{}', '0')`);
    expect(() => insert.run('platinum-missing')).toThrow(/FOREIGN KEY/);
    db.prepare(`INSERT INTO dataset_version VALUES ('p', 'platinum', 1, '[]', 0, '{}', '0', 'now')`).run();
    expect(() => insert.run('p')).not.toThrow();
  });
});
