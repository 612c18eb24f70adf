import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCaptured as cli } from '../cli/captured';
import { openBackup } from '../testing/backups';
import { tempDir, writeFile } from '../testing/fixtures';
import { MIGRATIONS } from './migrations';

/**
 * A database made by the previous release, before the model lifecycle (schema 001 only): the code of commit b85b6ca
 * imported `matriculas-2024-h1.csv` (6 months, 2 sites, 3 courses, 2 schedules, one row per student with an id,
 * 734 rows), trained `--candidates last_value,moving_average` (model-0001, moving_average, served) and forecast
 * 202407 (12 classes, 127 students). Its key file came along. Made with:
 *
 *   git worktree add /tmp/cupo-prev b85b6ca && ln -s $PWD/node_modules /tmp/cupo-prev/node_modules
 *   cd /tmp/cupo-prev && npx tsx electron/engine/cli/main.ts import matriculas-2024-h1.csv --db prev.sqlite
 *   npx tsx electron/engine/cli/main.ts train --candidates last_value,moving_average --db prev.sqlite
 *   npx tsx electron/engine/cli/main.ts forecast --db prev.sqlite --out f.csv
 */
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'cupo-0.1-schema-001.sqlite');

/** The same students (ids A00001…) a month later: 202407's actuals, for the forecast the old release served. */
function july(dir: string): string {
  const rows = ['periodo,sede,curso,horario,id_alumno'];
  let id = 0;
  for (const site of ['CENTRO', 'NORTE']) {
    for (const course of ['BAS01', 'BAS02', 'BAS03']) {
      for (const schedule of ['08:00', '18:00']) for (let i = 0; i < 10; i++) rows.push(`202407,${site},${course},${schedule},A${String(++id % 400).padStart(5, '0')}`);
    }
  }
  return writeFile(dir, 'matriculas-202407.csv', `${rows.join('\n')}\n`);
}

describe('upgrading a database of the previous release', () => {
  it('runs every migration after 001 (002, 003, …) after a backup of schema 001 with its key; the model that served still serves, status and forecast work', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cupo.sqlite');
    fs.copyFileSync(FIXTURE, file);
    fs.copyFileSync(`${FIXTURE}.key`, `${file}.key`);
    const old = new Database(file, { readonly: true });
    expect(old.prepare(`SELECT version FROM migration`).pluck().all()).toEqual([1]);
    const oldForecast = old.prepare(`SELECT site, course, schedule, predicted FROM forecast_row ORDER BY 1, 2, 3`).all();
    old.close();

    // Opened by today's code: the upgrade is said once, on stderr, naming the backup.
    const status = await cli(['status', '--db', file, '--json']);
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(/La base de datos se actualizó a esta versión de Cupo; la copia anterior quedó en .*backups\/cupo-copia-.*-antes-de-actualizar\.zip/);
    const report = JSON.parse(status.stdout);
    expect(report.serving).toMatchObject({ model_version: 'model-0001', candidate: 'moving_average' });
    expect(report.data).toMatchObject({ first_period: '202401', last_period: '202406', next_period: '202407', periods: 6 });
    expect(report.last_forecast).toMatchObject({ period: '202407', rows: 12, students: 127 });

    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT version FROM migration ORDER BY version`).pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.prepare(`SELECT id, status FROM model_version`).all()).toEqual([{ id: 'model-0001', status: 'champion' }]);
    expect(db.prepare(`SELECT model_id, to_at FROM champion_history`).all()).toEqual([{ model_id: 'model-0001', to_at: null }]);
    expect(db.prepare(`SELECT what, who, json_extract(details, '$.reason') AS reason FROM audit_log`).all()).toEqual([{ what: 'backup', who: 'automático', reason: 'before-migration' }]);
    db.close();

    // The backup taken first: the old schema, the old data, the key that goes with it.
    const backups = fs.readdirSync(path.join(dir, 'backups'));
    expect(backups).toHaveLength(1);
    const copy = openBackup(path.join(dir, 'backups', backups[0]!));
    expect(copy.manifest).toMatchObject({ schema_version: 1, reason: 'before-migration', key: { bytes: 64 } });
    expect(copy.db.prepare(`SELECT version FROM migration`).pluck().all()).toEqual([1]);
    expect(copy.db.prepare(`SELECT id, status FROM model_version`).all()).toEqual([{ id: 'model-0001', status: 'serving' }]);
    expect(copy.db.prepare(`SELECT name FROM sqlite_master WHERE name = 'audit_log'`).get()).toBeUndefined();
    expect(fs.readFileSync(copy.key!, 'utf8')).toBe(fs.readFileSync(`${FIXTURE}.key`, 'utf8'));
    copy.db.close();

    // The champion forecasts the same classes it forecast before the upgrade, each within a student of what it said
    // then (today's forecasting rounds its way: 126 students in all where the previous release said 127).
    const forecast = await cli(['forecast', '--db', file, '--json']);
    expect(forecast.code).toBe(0);
    expect(JSON.parse(forecast.stdout)).toMatchObject({ period: '202407', model_version: 'model-0001', rows: 12 });
    const after = new Database(file, { readonly: true });
    const newest = after.prepare(`SELECT id FROM forecast ORDER BY created_at DESC LIMIT 1`).pluck().get();
    const now = after.prepare(`SELECT site, course, schedule, predicted FROM forecast_row WHERE forecast_id = ? ORDER BY 1, 2, 3`).all(newest) as typeof oldForecast;
    after.close();
    type Row = { site: string; course: string; schedule: string; predicted: number };
    expect(now.map((r) => { const { predicted: _p, ...key } = r as Row; return key; })).toEqual(oldForecast.map((r) => { const { predicted: _p, ...key } = r as Row; return key; }));
    now.forEach((r, i) => expect(Math.abs((r as Row).predicted - (oldForecast[i] as Row).predicted)).toBeLessThanOrEqual(1));

    // Opened again: nothing left to upgrade, no second backup. July's actuals arrive: the same key links the same
    // students (no "key changed" problem), and the forecast served is scored.
    const imported = await cli(['import', july(dir), '--db', file, '--json']);
    expect(imported.code).toBe(0);
    expect(imported.stderr).not.toMatch(/se actualizó/);
    const result = JSON.parse(imported.stdout);
    expect(result.reports[0].problems).toEqual([]);
    expect(result.scored).toEqual([expect.objectContaining({ period: '202407', model_id: 'model-0001' })]);
    expect(fs.readdirSync(path.join(dir, 'backups'))).toEqual(backups);
  });
});
