import os from 'node:os';
import type { Bilingual } from '../../../shared/messages';
import type { AuditAction, AuditEntry } from '../../../shared/reports';
import type { ReadableDB, WritableDB } from '../db/types';

/** Who an act is attributed to when nobody asked for it: the engine's own policies. */
export const AUTOMATIC = 'automático';

/** The person at this computer, as `user@machine`: local and offline, the OS account is who is working. */
export function currentUser(): string {
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    // Containers and some service accounts have no entry in the user database.
    user = process.env.USER ?? process.env.USERNAME ?? 'desconocido';
  }
  return `${user}@${os.hostname()}`;
}

export interface NewAuditEntry {
  what: AuditAction;
  /** `currentUser()` by default; `AUTOMATIC` for what the engine did by itself. */
  who?: string;
  from?: string | null;
  to?: string | null;
  /** A person's own words (kept as typed) or a sentence of the engine's in both languages. */
  reason?: string | Bilingual | null;
  /** Whatever else identifies the act: a run, a forecast, a file. */
  details?: Record<string, unknown> | null;
}

export function asBilingual(reason: string | Bilingual): Bilingual {
  return typeof reason === 'string' ? { es: reason, en: reason } : reason;
}

/**
 * Appends one entry to the audit log. Nothing in Cupo changes or deletes an entry, and the database refuses it
 * (triggers of migration 002). Returns the entry's id.
 */
export function recordAudit(db: WritableDB, entry: NewAuditEntry, at: string = new Date().toISOString()): number {
  const result = db
    .prepare(`INSERT INTO audit_log (at, who, what, from_value, to_value, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(
      at,
      entry.who ?? currentUser(),
      entry.what,
      entry.from ?? null,
      entry.to ?? null,
      entry.reason == null ? null : JSON.stringify(asBilingual(entry.reason)),
      entry.details == null ? null : JSON.stringify(entry.details),
    );
  return Number(result.lastInsertRowid);
}

interface AuditRow {
  id: number;
  at: string;
  who: string;
  what: AuditAction;
  from_value: string | null;
  to_value: string | null;
  reason: string | null;
  details: string | null;
}

/** The audit log, newest first; `what` keeps only those acts, `limit` the newest ones. */
export function listAudit(db: ReadableDB, options: { what?: AuditAction[]; limit?: number } = {}): AuditEntry[] {
  const filter = options.what && options.what.length > 0 ? `WHERE what IN (${options.what.map(() => '?').join(', ')})` : '';
  const limit = options.limit !== undefined ? `LIMIT ${Math.max(0, Math.floor(options.limit))}` : '';
  const rows = db.prepare(`SELECT * FROM audit_log ${filter} ORDER BY id DESC ${limit}`).all(...(options.what ?? [])) as AuditRow[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    who: r.who,
    what: r.what,
    from: r.from_value,
    to: r.to_value,
    reason: r.reason === null ? null : (JSON.parse(r.reason) as Bilingual),
    details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
  }));
}
