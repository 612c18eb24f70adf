import type { WritableDB } from '../types';

/**
 * What planners keep between sessions: column mappings saved by name (offered again for files with the same
 * columns), imports set aside and restored (a log: the latest act on an import says whether it provides its
 * periods), and their own numbers for forecast classes, beside the model's (which never change).
 */
export function migration004Planning(db: WritableDB): void {
  db.exec(`
    CREATE TABLE saved_mapping (
      name TEXT PRIMARY KEY,
      -- JSON, the same the command line's --mapping reads.
      mapping TEXT NOT NULL,
      period_from_name INTEGER NOT NULL CHECK (period_from_name IN (0, 1)),
      -- JSON: the columns of the files it was made for.
      headers TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE snapshot_aside (
      seq INTEGER PRIMARY KEY,
      snapshot_id TEXT NOT NULL REFERENCES raw_snapshot(id),
      action TEXT NOT NULL CHECK (action IN ('set_aside', 'restore')),
      at TEXT NOT NULL,
      who TEXT NOT NULL
    );
    CREATE INDEX snapshot_aside_by_snapshot ON snapshot_aside(snapshot_id, seq);

    CREATE TABLE forecast_override (
      forecast_id TEXT NOT NULL REFERENCES forecast(id),
      site TEXT NOT NULL,
      course TEXT NOT NULL,
      schedule TEXT NOT NULL,
      students INTEGER NOT NULL CHECK (students >= 0),
      note TEXT NOT NULL CHECK (length(note) > 0),
      who TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (forecast_id, site, course, schedule)
    );
  `);
}
