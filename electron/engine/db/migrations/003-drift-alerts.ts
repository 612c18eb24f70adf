import type { WritableDB } from '../types';

/**
 * Drift reports (one per import, or asked for) and the alerts that monitoring raises. A report keeps its
 * findings and chart data as JSON: it is read whole, never queried inside. An alert is one live row per cause
 * (its dedupe key): the same cause seen again updates that row instead of adding another.
 */
export function migration003DriftAlerts(db: WritableDB): void {
  db.exec(`
    CREATE TABLE drift_report (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      trigger TEXT NOT NULL CHECK (trigger IN ('import', 'on_demand')),
      platinum_version TEXT NOT NULL REFERENCES dataset_version(id),
      periods TEXT NOT NULL,
      reference TEXT NOT NULL,
      snapshot_ids TEXT NOT NULL,
      dataset_drift INTEGER NOT NULL CHECK (dataset_drift IN (0, 1)),
      severity TEXT CHECK (severity IN ('critical', 'high', 'medium', 'low')),
      findings TEXT NOT NULL,
      columns TEXT NOT NULL,
      charts TEXT NOT NULL,
      app_version TEXT NOT NULL
    );

    CREATE TABLE alert (
      id INTEGER PRIMARY KEY,
      dedupe_key TEXT NOT NULL,
      category TEXT NOT NULL CHECK (category IN ('drift', 'accuracy', 'data', 'model')),
      kind TEXT NOT NULL,
      severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
      message_es TEXT NOT NULL,
      message_en TEXT NOT NULL,
      action_es TEXT NOT NULL,
      action_en TEXT NOT NULL,
      period TEXT,
      scope TEXT NOT NULL,
      evidence TEXT NOT NULL,
      source TEXT,
      occurrences INTEGER NOT NULL CHECK (occurrences >= 1),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
      acknowledged_by TEXT,
      acknowledged_at TEXT,
      resolved_by TEXT,
      resolved_at TEXT
    );
    -- One live alert per cause; a resolved one stays as history and the cause may be raised afresh.
    CREATE UNIQUE INDEX alert_live_cause ON alert(dedupe_key) WHERE state <> 'resolved';
    CREATE INDEX alert_by_state ON alert(state, severity);
  `);
}
