import type { WritableDB } from '../types';

/**
 * The model lifecycle: one champion at a time among kept versions (challengers, retired ones), the history of who
 * served when and why, every export of a forecast, the scores of served forecasts once their actuals arrive, and
 * an append-only audit log.
 *
 * model_version is rebuilt (SQLite cannot change a CHECK constraint in place): 'serving' becomes 'champion', and
 * each version gains its data versions and parameters. Before this schema every trained model served from its
 * creation until the next one was created, so the champion history of an existing database is rebuilt exactly
 * from the creation times.
 */
export function migration002ModelLifecycle(db: WritableDB): void {
  db.exec(`
    CREATE TABLE model_version_v2 (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES training_run(id),
      candidate TEXT NOT NULL,
      backtest_wape REAL NOT NULL,
      platinum_version TEXT NOT NULL REFERENCES dataset_version(id),
      features_version TEXT NOT NULL REFERENCES dataset_version(id),
      target_version TEXT NOT NULL REFERENCES dataset_version(id),
      -- Seed and hyperparameters (the network's layers, learning rate, batch, steps), as JSON.
      params TEXT NOT NULL,
      artifact TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('champion', 'challenger', 'retired')),
      created_at TEXT NOT NULL
    );
    INSERT INTO model_version_v2 (id, run_id, candidate, backtest_wape, platinum_version, features_version, target_version, params, artifact, status, created_at)
      SELECT m.id, m.run_id, m.candidate, m.backtest_wape, r.platinum_version, m.features_version, r.target_version,
             json_object('seed', r.seed, 'app_version', r.app_version), m.artifact,
             CASE m.status WHEN 'serving' THEN 'champion' ELSE 'retired' END, m.created_at
      FROM model_version m JOIN training_run r ON r.id = m.run_id;
    DROP TABLE model_version;
    ALTER TABLE model_version_v2 RENAME TO model_version;
    CREATE UNIQUE INDEX one_champion ON model_version(status) WHERE status = 'champion';

    -- Who served when: one row per tenure, the current champion's still open (to_at NULL).
    CREATE TABLE champion_history (
      id INTEGER PRIMARY KEY,
      model_id TEXT NOT NULL REFERENCES model_version(id),
      from_at TEXT NOT NULL,
      to_at TEXT,
      how TEXT NOT NULL CHECK (how IN ('train', 'promote', 'rollback', 'auto_rollback', 'force')),
      -- JSON {"es": …, "en": …}
      reason TEXT NOT NULL,
      who TEXT NOT NULL
    );
    CREATE UNIQUE INDEX one_open_tenure ON champion_history((to_at IS NULL)) WHERE to_at IS NULL;
    INSERT INTO champion_history (model_id, from_at, to_at, how, reason, who)
      SELECT id, created_at, CASE status WHEN 'champion' THEN NULL ELSE COALESCE(next_created, created_at) END, 'train',
             json_object('es', 'Entrenado antes de que Cupo guardara el historial; periodo de servicio reconstruido a partir de las fechas de creación.',
                         'en', 'Trained before Cupo kept this history; time in service rebuilt from creation times.'),
             'automático'
      FROM (SELECT id, status, created_at, LEAD(created_at) OVER (ORDER BY created_at, id) AS next_created FROM model_version)
      ORDER BY created_at, id;

    -- Every time a forecast left Cupo (CSV, Excel): what decides which forecast was the one planners used.
    CREATE TABLE forecast_export (
      id INTEGER PRIMARY KEY,
      forecast_id TEXT NOT NULL REFERENCES forecast(id),
      exported_at TEXT NOT NULL,
      who TEXT NOT NULL
    );
    CREATE INDEX forecast_export_by_forecast ON forecast_export(forecast_id);

    -- A served forecast scored against its period's actuals; again (a new row) if those actuals change.
    CREATE TABLE forecast_score (
      forecast_id TEXT NOT NULL REFERENCES forecast(id),
      actuals_digest TEXT NOT NULL,
      period TEXT NOT NULL,
      model_id TEXT NOT NULL REFERENCES model_version(id),
      platinum_version TEXT NOT NULL REFERENCES dataset_version(id),
      scored_at TEXT NOT NULL,
      wape REAL NOT NULL,
      mae REAL NOT NULL,
      bias REAL NOT NULL,
      absolute_error INTEGER NOT NULL,
      actual_total INTEGER NOT NULL,
      predicted_total INTEGER NOT NULL,
      classes INTEGER NOT NULL,
      -- Classes that opened without a forecast, and forecast classes that did not run.
      unforecast_classes INTEGER NOT NULL,
      unforecast_students INTEGER NOT NULL,
      not_run_classes INTEGER NOT NULL,
      not_run_students INTEGER NOT NULL,
      -- What the model's backtest promised.
      expected_wape REAL NOT NULL,
      PRIMARY KEY (forecast_id, actuals_digest)
    ) WITHOUT ROWID;

    CREATE TABLE forecast_score_detail (
      forecast_id TEXT NOT NULL,
      actuals_digest TEXT NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('site', 'course')),
      label TEXT NOT NULL,
      absolute_error INTEGER NOT NULL,
      actual INTEGER NOT NULL,
      predicted INTEGER NOT NULL,
      classes INTEGER NOT NULL,
      PRIMARY KEY (forecast_id, actuals_digest, level, label),
      FOREIGN KEY (forecast_id, actuals_digest) REFERENCES forecast_score(forecast_id, actuals_digest)
    ) WITHOUT ROWID;

    -- What was done, by whom, when. Append only: the triggers refuse any change or deletion.
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      who TEXT NOT NULL,
      what TEXT NOT NULL,
      from_value TEXT,
      to_value TEXT,
      -- JSON {"es": …, "en": …}
      reason TEXT,
      -- JSON: what else identifies the act (a run, a forecast, a file).
      details TEXT
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted'); END;
  `);
}
