import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { ReadableDB, WritableDB } from '../db/types';
import { PSEUDONYM_BYTES } from './rosters';

/**
 * Student ids are replaced at import by a keyed hash (HMAC-SHA-256, 128 bits kept). The key lives in a file
 * beside the database, never inside it: a copy of the database alone cannot be reversed by hashing every
 * possible national id. Only the key's fingerprint is stored, to tell when a lost key breaks the links.
 */
export interface PseudonymKey {
  secret: Buffer;
  fingerprint: string;
}

export function keyFileFor(dbFile: string): string {
  return `${dbFile}.key`;
}

export function loadOrCreateKey(dbFile: string): PseudonymKey {
  let secret: Buffer;
  if (dbFile === ':memory:') {
    secret = randomBytes(32);
  } else {
    const file = keyFileFor(dbFile);
    if (fs.existsSync(file)) {
      secret = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    } else {
      secret = randomBytes(32);
      fs.writeFileSync(file, secret.toString('hex'), { mode: 0o600 });
    }
  }
  const fingerprint = createHmac('sha256', secret).update('cupo-key-fingerprint').digest('hex').slice(0, 16);
  return { secret, fingerprint };
}

/** False when earlier imports used another key (their students cannot be linked with these). */
export function keyMatchesDatabase(db: ReadableDB, key: PseudonymKey): boolean {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'pseudonym_key_fingerprint'`).get() as { value: string } | undefined;
  return row === undefined || row.value === key.fingerprint;
}

export function recordKey(db: WritableDB, key: PseudonymKey): void {
  db.prepare(`INSERT INTO meta (key, value) VALUES ('pseudonym_key_fingerprint', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key.fingerprint);
}

/**
 * Hashes the ids of one import. A student appears on many rows, so each distinct id is hashed once and given an
 * ordinal; rows then carry a small number, and the 16-byte pseudonyms are kept once each, side by side.
 * The raw ids live only in this object, in memory, for the length of one import.
 */
export class Pseudonymiser {
  private readonly ordinals = new Map<string, number>();
  private slab = Buffer.alloc(1 << 16);

  constructor(private readonly key: PseudonymKey) {}

  /** The ordinal of this student within the import. */
  ordinal(rawId: string): number {
    let ordinal = this.ordinals.get(rawId);
    if (ordinal === undefined) {
      ordinal = this.ordinals.size;
      if ((ordinal + 1) * PSEUDONYM_BYTES > this.slab.length) {
        const bigger = Buffer.alloc(this.slab.length * 2);
        this.slab.copy(bigger);
        this.slab = bigger;
      }
      createHmac('sha256', this.key.secret).update(rawId.trim().toUpperCase()).digest().copy(this.slab, ordinal * PSEUDONYM_BYTES, 0, PSEUDONYM_BYTES);
      this.ordinals.set(rawId, ordinal);
    }
    return ordinal;
  }

  /** Copies the pseudonym of student `ordinal` into `target` at `offset`. */
  copyPseudonym(ordinal: number, target: Buffer, offset: number): void {
    this.slab.copy(target, offset, ordinal * PSEUDONYM_BYTES, (ordinal + 1) * PSEUDONYM_BYTES);
  }
}
