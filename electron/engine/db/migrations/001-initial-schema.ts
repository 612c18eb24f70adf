import type { WritableDB } from '../types';

/**
 * The first schema: immutable raw snapshots, derived dataset versions (platinum, features, target),
 * experiment runs, model versions and served forecasts.
 * Labels are stored as given; personal data never arrives here (students only as keyed hashes).
 */
export function migration001InitialSchema(db: WritableDB): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE raw_snapshot (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL UNIQUE,
      content_sha256 TEXT NOT NULL,
      interpretation TEXT NOT NULL,
      file_name TEXT NOT NULL,
      byte_size INTEGER NOT NULL,
      encoding TEXT NOT NULL,
      delimiter TEXT NOT NULL,
      granularity TEXT NOT NULL CHECK (granularity IN ('class', 'student')),
      frequency TEXT NOT NULL CHECK (frequency IN ('year', 'term', 'month')),
      period_style TEXT NOT NULL,
      rows_read INTEGER NOT NULL,
      rows_accepted INTEGER NOT NULL,
      rows_rejected INTEGER NOT NULL,
      warnings TEXT NOT NULL,
      app_version TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      UNIQUE (content_sha256, interpretation)
    );

    -- Which snapshot speaks for its periods: the one used last, by an import or by reopening it.
    CREATE TABLE snapshot_use (
      seq INTEGER PRIMARY KEY,
      snapshot_id TEXT NOT NULL REFERENCES raw_snapshot(id),
      action TEXT NOT NULL CHECK (action IN ('import', 'reopen')),
      used_at TEXT NOT NULL
    );

    CREATE TABLE raw_class (
      id INTEGER PRIMARY KEY,
      snapshot_id TEXT NOT NULL REFERENCES raw_snapshot(id),
      period TEXT NOT NULL,
      site TEXT NOT NULL,
      course TEXT NOT NULL,
      schedule TEXT NOT NULL,
      students INTEGER NOT NULL CHECK (students >= 0),
      source_rows INTEGER NOT NULL
    );
    -- Classes are unique within a snapshot by construction (the parser aggregates them); this index only serves
    -- "the classes of period P in snapshot S", which is how platinum reads them.
    CREATE INDEX raw_class_by_period ON raw_class(snapshot_id, period);

    -- A class's students as their pseudonyms (16 bytes each, sorted, each once): what course transitions are
    -- learnt from. One row per class, not per student: a million enrolments are a few thousand rows.
    CREATE TABLE raw_roster (
      class_id INTEGER PRIMARY KEY REFERENCES raw_class(id),
      students BLOB NOT NULL
    );

    CREATE TABLE dataset_version (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('platinum', 'features', 'target')),
      logic_version INTEGER NOT NULL,
      parents TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      summary TEXT NOT NULL,
      app_version TEXT NOT NULL,
      created_at TEXT NOT NULL
    );

    CREATE TABLE platinum_class (
      version_id TEXT NOT NULL REFERENCES dataset_version(id),
      period TEXT NOT NULL,
      site TEXT NOT NULL,
      course TEXT NOT NULL,
      schedule TEXT NOT NULL,
      students INTEGER NOT NULL,
      snapshot_id TEXT NOT NULL REFERENCES raw_snapshot(id),
      PRIMARY KEY (version_id, period, site, course, schedule)
    ) WITHOUT ROWID;

    CREATE TABLE platinum_transition (
      version_id TEXT NOT NULL REFERENCES dataset_version(id),
      from_period TEXT NOT NULL,
      site TEXT NOT NULL,
      from_course TEXT NOT NULL,
      to_course TEXT NOT NULL,
      students INTEGER NOT NULL,
      PRIMARY KEY (version_id, from_period, site, from_course, to_course)
    ) WITHOUT ROWID;

    CREATE TABLE feature_row (
      version_id TEXT NOT NULL REFERENCES dataset_version(id),
      period TEXT NOT NULL,
      site TEXT NOT NULL,
      course TEXT NOT NULL,
      schedule TEXT NOT NULL,
      reason TEXT NOT NULL,
      vector TEXT NOT NULL,
      PRIMARY KEY (version_id, period, site, course, schedule)
    ) WITHOUT ROWID;

    CREATE TABLE target_row (
      version_id TEXT NOT NULL REFERENCES dataset_version(id),
      period TEXT NOT NULL,
      site TEXT NOT NULL,
      course TEXT NOT NULL,
      schedule TEXT NOT NULL,
      students INTEGER NOT NULL,
      PRIMARY KEY (version_id, period, site, course, schedule)
    ) WITHOUT ROWID;

    CREATE TABLE training_run (
      id TEXT PRIMARY KEY,
      started_at TEXT NOT NULL,
      duration_ms INTEGER NOT NULL,
      app_version TEXT NOT NULL,
      seed INTEGER NOT NULL,
      params TEXT NOT NULL,
      platinum_version TEXT NOT NULL REFERENCES dataset_version(id),
      features_version TEXT NOT NULL REFERENCES dataset_version(id),
      target_version TEXT NOT NULL REFERENCES dataset_version(id),
      backtest_periods TEXT NOT NULL,
      winner TEXT NOT NULL
    );

    CREATE TABLE run_metric (
      run_id TEXT NOT NULL REFERENCES training_run(id),
      candidate TEXT NOT NULL,
      period TEXT NOT NULL,
      wape REAL NOT NULL,
      mae REAL NOT NULL,
      bias REAL NOT NULL,
      actual_total INTEGER NOT NULL,
      predicted_total INTEGER NOT NULL,
      classes INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      PRIMARY KEY (run_id, candidate, period)
    ) WITHOUT ROWID;

    CREATE TABLE run_site_metric (
      run_id TEXT NOT NULL REFERENCES training_run(id),
      candidate TEXT NOT NULL,
      period TEXT NOT NULL,
      site TEXT NOT NULL,
      absolute_error INTEGER NOT NULL,
      actual INTEGER NOT NULL,
      PRIMARY KEY (run_id, candidate, period, site)
    ) WITHOUT ROWID;

    CREATE TABLE model_version (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES training_run(id),
      candidate TEXT NOT NULL,
      backtest_wape REAL NOT NULL,
      features_version TEXT NOT NULL REFERENCES dataset_version(id),
      artifact TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('serving', 'retired')),
      created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX one_serving_model ON model_version(status) WHERE status = 'serving';

    CREATE TABLE forecast (
      id TEXT PRIMARY KEY,
      model_version_id TEXT NOT NULL REFERENCES model_version(id),
      period TEXT NOT NULL,
      features_version TEXT NOT NULL REFERENCES dataset_version(id),
      created_at TEXT NOT NULL
    );

    CREATE TABLE forecast_row (
      forecast_id TEXT NOT NULL REFERENCES forecast(id),
      site TEXT NOT NULL,
      course TEXT NOT NULL,
      schedule TEXT NOT NULL,
      predicted INTEGER NOT NULL,
      predicted_raw REAL NOT NULL,
      last_students INTEGER NOT NULL,
      feeder_students INTEGER NOT NULL,
      reason TEXT NOT NULL,
      PRIMARY KEY (forecast_id, site, course, schedule)
    ) WITHOUT ROWID;
  `);
}
