import type { Alert, AlertCategory, AlertState } from '../../../shared/drift';
import type { Severity } from '../../../shared/drift';
import { SEVERITY_LABELS, SEVERITY_ORDER, severityRank } from '../../../shared/drift';
import type { Bilingual } from '../../../shared/messages';
/**
 * Alerts, in one place: drift, accuracy, data and model problems, each with what to do about it. One live alert
 * per cause (its dedupe key): the same cause raised again updates that alert (and counts it) instead of adding
 * another. States: open → acknowledged → resolved, each change with who and when; a resolved cause that comes
 * back is a new alert.
 */
import type { ReadableDB, WritableDB } from '../db/types';
import { UserError } from '../errors';
import { periodFormatter } from '../snapshots/raw';


/** Who resolves an alert whose cause is no longer there. */
export const SYSTEM_ACTOR = 'cupo';

export interface AlertInput {
  /** The cause: the same string every time this problem is seen. */
  key: string;
  category: AlertCategory;
  kind: string;
  severity: Severity;
  message: Bilingual;
  action: Bilingual;
  /** Canonical period it is about, if any. */
  period: string | null;
  scope: Record<string, string | number | string[]>;
  evidence?: Record<string, unknown>;
  /** What raised it: a drift report id, a snapshot id, a scored forecast… */
  source?: string | null;
}


interface AlertRow {
  id: number;
  dedupe_key: string;
  category: AlertCategory;
  kind: string;
  severity: Severity;
  message_es: string;
  message_en: string;
  action_es: string;
  action_en: string;
  period: string | null;
  scope: string;
  evidence: string;
  source: string | null;
  occurrences: number;
  created_at: string;
  updated_at: string;
  state: AlertState;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

function show(db: ReadableDB): (period: string | null) => string | null {
  const format = periodFormatter(db);
  return (p) => (p === null ? null : format(p));
}

function fromRow(row: AlertRow, shown: (p: string | null) => string | null): Alert {
  return {
    id: row.id,
    severity: row.severity,
    category: row.category,
    message: { es: row.message_es, en: row.message_en },
    action: { es: row.action_es, en: row.action_en },
    period: shown(row.period),
    scope: JSON.parse(row.scope) as Alert['scope'],
    state: row.state,
    created_at: row.created_at,
    kind: row.kind,
    key: row.dedupe_key,
    severity_label: SEVERITY_LABELS[row.severity],
    occurrences: row.occurrences,
    updated_at: row.updated_at,
    acknowledged: row.acknowledged_by && row.acknowledged_at ? { by: row.acknowledged_by, at: row.acknowledged_at } : null,
    resolved: row.resolved_by && row.resolved_at ? { by: row.resolved_by, at: row.resolved_at } : null,
    evidence: JSON.parse(row.evidence) as Record<string, unknown>,
  };
}

export interface RaiseOptions {
  /**
   * Live alerts whose key starts with one of these and that this call did not raise are resolved (by 'cupo'):
   * their cause is gone. `keep` spares some of them (a structural drift alert waits for a person or a retrain).
   */
  settle?: { prefixes: readonly string[]; keep?: (alert: Alert) => boolean };
  now?: string;
}

export interface RaiseOutcome {
  raised: number[];
  merged: number[];
  resolved: number[];
}

/**
 * Stores alerts, merging each with the live alert of the same cause: its text, period, scope and evidence become
 * the newest, its severity the newest too, and it is counted once more (once per source). An acknowledged alert
 * that gets more severe is open again.
 */
export function raiseAlerts(db: WritableDB, alerts: readonly AlertInput[], options: RaiseOptions = {}): RaiseOutcome {
  const now = options.now ?? new Date().toISOString();
  const outcome: RaiseOutcome = { raised: [], merged: [], resolved: [] };
  const live = db.prepare(`SELECT * FROM alert WHERE dedupe_key = ? AND state <> 'resolved'`);
  const insert = db.prepare(
    `INSERT INTO alert (dedupe_key, category, kind, severity, message_es, message_en, action_es, action_en, period, scope, evidence, source, occurrences, created_at, updated_at, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'open')`,
  );
  const update = db.prepare(
    `UPDATE alert SET category = ?, kind = ?, severity = ?, message_es = ?, message_en = ?, action_es = ?, action_en = ?, period = ?, scope = ?, evidence = ?,
       source = ?, occurrences = occurrences + ?, updated_at = ?, state = ? WHERE id = ?`,
  );
  db.transaction(() => {
    const seen = new Set<string>();
    // The most severe version of a cause wins when one call raises it twice.
    const unique = [...alerts].sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).filter((a) => !seen.has(a.key) && seen.add(a.key));
    for (const a of unique) {
      const row = live.get(a.key) as AlertRow | undefined;
      const fields = [a.category, a.kind, a.severity, a.message.es, a.message.en, a.action.es, a.action.en, a.period, JSON.stringify(a.scope), JSON.stringify(a.evidence ?? {}), a.source ?? null] as const;
      if (!row) {
        outcome.raised.push(Number(insert.run(a.key, ...fields, now, now).lastInsertRowid));
        continue;
      }
      const again = a.source == null || a.source !== row.source ? 1 : 0;
      const escalated = severityRank(a.severity) < severityRank(row.severity);
      const state: AlertState = row.state === 'acknowledged' && escalated ? 'open' : row.state;
      update.run(...fields, again, now, state, row.id);
      outcome.merged.push(row.id);
    }
    if (options.settle) {
      const { prefixes, keep } = options.settle;
      const shown = show(db);
      const candidates = (db.prepare(`SELECT * FROM alert WHERE state <> 'resolved'`).all() as AlertRow[]).filter((r) => prefixes.some((p) => r.dedupe_key.startsWith(p)) && !seen.has(r.dedupe_key));
      const resolve = db.prepare(`UPDATE alert SET state = 'resolved', resolved_by = ?, resolved_at = ?, updated_at = ? WHERE id = ?`);
      for (const r of candidates) {
        if (keep?.(fromRow(r, shown))) continue;
        resolve.run(SYSTEM_ACTOR, now, now, r.id);
        outcome.resolved.push(r.id);
      }
    }
  })();
  return outcome;
}

/** Alerts, most severe and most recent first; by default every state. */
export function listAlerts(db: ReadableDB, filter: { state?: AlertState | readonly AlertState[] } = {}): Alert[] {
  const states = filter.state === undefined ? null : typeof filter.state === 'string' ? [filter.state] : filter.state;
  const rows = db.prepare(`SELECT * FROM alert ORDER BY updated_at DESC, id DESC`).all() as AlertRow[];
  const shown = show(db);
  return rows
    .filter((r) => states === null || states.includes(r.state))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity))
    .map((r) => fromRow(r, shown));
}

export function getAlert(db: ReadableDB, id: number): Alert | null {
  const row = db.prepare(`SELECT * FROM alert WHERE id = ?`).get(id) as AlertRow | undefined;
  return row ? fromRow(row, show(db)) : null;
}

function mustGet(db: ReadableDB, id: number): AlertRow {
  const row = db.prepare(`SELECT * FROM alert WHERE id = ?`).get(id) as AlertRow | undefined;
  if (!row) throw new UserError({ es: `No existe la alerta ${id}.`, en: `There is no alert ${id}.` });
  return row;
}

function actor(by: string): string {
  const who = by.trim();
  if (!who) throw new UserError({ es: 'Diga quién atiende la alerta.', en: 'Say who is handling the alert.' });
  return who.slice(0, 200);
}

/** Someone has seen it and is on it; it stays until resolved. Acknowledging a resolved alert changes nothing. */
export function acknowledgeAlert(db: WritableDB, id: number, by: string, now = new Date().toISOString()): Alert {
  const row = mustGet(db, id);
  const who = actor(by);
  if (row.state === 'open') {
    db.prepare(`UPDATE alert SET state = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?, updated_at = ? WHERE id = ?`).run(who, now, now, id);
  }
  return getAlert(db, id)!;
}

/** Done: the cause was dealt with (or is not a problem). If it comes back, it is a new alert. */
export function resolveAlert(db: WritableDB, id: number, by: string, now = new Date().toISOString()): Alert {
  const row = mustGet(db, id);
  const who = actor(by);
  if (row.state !== 'resolved') {
    db.prepare(`UPDATE alert SET state = 'resolved', resolved_by = ?, resolved_at = ?, updated_at = ? WHERE id = ?`).run(who, now, now, id);
  }
  return getAlert(db, id)!;
}

/** The most severe alert nobody has acknowledged yet (null when there is none): what a badge shows. */
export function highestOpenSeverity(db: ReadableDB): Severity | null {
  const severities = db.prepare(`SELECT DISTINCT severity FROM alert WHERE state = 'open'`).pluck().all() as Severity[];
  return SEVERITY_ORDER.find((s) => severities.includes(s)) ?? null;
}
