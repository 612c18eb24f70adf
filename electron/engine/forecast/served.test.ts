import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDB } from '../db/types';
import { tempWorkspace } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { dataArrivedAt, servedForecast } from './served';

let ws: Workspace;
let db: WritableDB;

/** Times on one day, by hour: what matters is their order. */
const at = (hour: number) => `2026-03-01T${String(hour).padStart(2, '0')}:00:00.000Z`;

beforeAll(() => {
  ws = tempWorkspace();
  db = ws.db;
  db.prepare(`INSERT INTO dataset_version VALUES ('p', 'platinum', 1, '[]', 0, '{}', '0', 'now')`).run();
  db.prepare(`INSERT INTO training_run VALUES ('run', 'now', 1, '0', 1, '{}', 'p', 'p', 'p', '[]', 'last_value')`).run();
  db.prepare(`INSERT INTO model_version VALUES ('m', 'run', 'last_value', 0.1, 'p', 'p', 'p', '{}', '{}', 'champion', 'now')`).run();
  const forecast = db.prepare(`INSERT INTO forecast (id, model_version_id, period, features_version, created_at) VALUES (?, 'm', '2026-03', 'p', ?)`);
  forecast.run('f1', at(1));
  forecast.run('f2', at(2));
  forecast.run('f3', at(3));
  forecast.run('f-late', at(9));
});
afterAll(() => ws.close());

const exportAt = (id: string, hour: number) => db.prepare(`INSERT INTO forecast_export (forecast_id, exported_at, who) VALUES (?, ?, 'x')`).run(id, at(hour));

describe('which forecast was served', () => {
  it('before any export, the last one made before the actuals arrived', () => {
    expect(servedForecast(db, '2026-03', at(8))!.id).toBe('f3');
    // Before any import holds the period, every forecast made so far qualifies.
    expect(servedForecast(db, '2026-03', null)!.id).toBe('f-late');
  });

  it('the one exported last before the actuals arrived, even if a later one was made', () => {
    exportAt('f2', 4);
    exportAt('f1', 5);
    expect(servedForecast(db, '2026-03', at(8))!.id).toBe('f1');
  });

  it('an export after the actuals arrived does not count', () => {
    exportAt('f3', 10);
    expect(servedForecast(db, '2026-03', at(8))!.id).toBe('f1');
    expect(servedForecast(db, '2026-03', at(4))!.id).toBe('f3');
  });

  it('knows when a period’s actuals first arrived: none yet', () => {
    expect(dataArrivedAt(db, '2026-03')).toBeNull();
    expect(servedForecast(db, '2025-01')).toBeNull();
  });
});
