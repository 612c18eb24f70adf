/**
 * Owns the table saved_mapping: column mappings kept by name, so that the next import of files with the same
 * columns starts from them. A mapping is stored as the JSON the command line's `--mapping` reads.
 */
import type { ColumnMapping } from '../../../shared/mapping';
import { ColumnMappingSchema } from '../../../shared/mapping';
import type { SavedMapping } from '../../../shared/reports';
import type { ReadableDB, WritableDB } from '../db/types';

interface Row {
  name: string;
  mapping: string;
  period_from_name: number;
  headers: string;
  created_at: string;
  updated_at: string;
}

function fromRow(r: Row): SavedMapping {
  // Stored by this module from a checked mapping; read through the schema anyway, so an older row never breaks a screen.
  const parsed = ColumnMappingSchema.safeParse(JSON.parse(r.mapping));
  return { name: r.name, mapping: parsed.success ? parsed.data : {}, period_from_name: r.period_from_name === 1, headers: JSON.parse(r.headers) as string[], created_at: r.created_at, updated_at: r.updated_at };
}

/** Every saved mapping, the most recently saved first. */
export function listMappings(db: ReadableDB): SavedMapping[] {
  return (db.prepare(`SELECT * FROM saved_mapping ORDER BY updated_at DESC, rowid DESC`).all() as Row[]).map(fromRow);
}

/** Saves a mapping under its name; one of the same name (compared without case) is replaced, keeping when it was first saved. */
export function saveMapping(db: WritableDB, input: { name: string; mapping: ColumnMapping; periodFromName?: boolean; headers: readonly string[] }): SavedMapping {
  const now = new Date().toISOString();
  const name = input.name.trim();
  return db.transaction(() => {
    const existing = db.prepare(`SELECT name, created_at FROM saved_mapping WHERE lower(name) = lower(?)`).get(name) as { name: string; created_at: string } | undefined;
    if (existing) db.prepare(`DELETE FROM saved_mapping WHERE name = ?`).run(existing.name);
    db.prepare(`INSERT INTO saved_mapping (name, mapping, period_from_name, headers, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
      name,
      JSON.stringify(input.mapping),
      input.periodFromName ? 1 : 0,
      JSON.stringify(input.headers),
      existing?.created_at ?? now,
      now,
    );
    return fromRow(db.prepare(`SELECT * FROM saved_mapping WHERE name = ?`).get(name) as Row);
  })();
}

export function deleteMapping(db: WritableDB, name: string): boolean {
  return db.prepare(`DELETE FROM saved_mapping WHERE lower(name) = lower(?)`).run(name.trim()).changes > 0;
}
