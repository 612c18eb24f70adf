import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { ReadableDB, WritableDB } from '../db/types';

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

/** Hashes ids; a student appears in many rows, so each distinct id is hashed once per import. */
export class Pseudonymiser {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly key: PseudonymKey) {}

  pseudonym(rawId: string): Buffer {
    const id = rawId.trim().toUpperCase();
    let hashed = this.cache.get(id);
    if (!hashed) {
      hashed = createHmac('sha256', this.key.secret).update(id).digest().subarray(0, 16);
      if (this.cache.size >= 500_000) this.cache.clear();
      this.cache.set(id, hashed);
    }
    return hashed;
  }
}
