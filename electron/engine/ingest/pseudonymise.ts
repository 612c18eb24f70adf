/** Owns the row 'pseudonym_key_fingerprint' of the table meta (and the key file beside the database). */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ReadableDB, WritableDB } from '../db/types';
import { PSEUDONYM_BYTES } from '../domain/pseudonyms';

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

/** HMAC-SHA-256 of a normalised id, the first PSEUDONYM_BYTES kept. */
function pseudonymOf(secret: Buffer, id: string, target: Buffer, offset: number): void {
  createHmac('sha256', secret).update(id).digest().copy(target, offset, 0, PSEUDONYM_BYTES);
}

/**
 * Plain JavaScript, so the same code runs under tsx, in the desktop bundle and in the utility process. Receives
 * batches of normalised ids and answers with their pseudonyms side by side.
 */
const HASHER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const secret = Buffer.from(workerData.secret);
parentPort.on('message', ({ first, ids }) => {
  const out = Buffer.from(new ArrayBuffer(ids.length * ${PSEUDONYM_BYTES}));
  for (let i = 0; i < ids.length; i++) createHmac('sha256', secret).update(ids[i]).digest().copy(out, i * ${PSEUDONYM_BYTES}, 0, ${PSEUDONYM_BYTES});
  parentPort.postMessage({ first, out: out.buffer }, [out.buffer]);
});`;

/** Ids are handed to the hashing thread this many at a time; an import with fewer hashes them itself. */
const BATCH = 4096;

/**
 * Hashes the ids of one import. A student appears on many rows, so each distinct id is hashed once and given an
 * ordinal; rows then carry a small number, and the 16-byte pseudonyms are kept once each, side by side.
 * Hashing (a third of reading a student file) runs on a second thread while this one goes on parsing: call
 * `finish()` before reading pseudonyms and `close()` when the import is over.
 * The raw ids live only in this object and that thread, in memory, for the length of one import.
 */
export class Pseudonymiser {
  private readonly ordinals = new Map<string, number>();
  private slab = Buffer.alloc(1 << 16);
  private batch: string[] = [];
  private batchStart = 0;
  private hasher: Worker | null = null;
  /** Batches the hashing thread has not answered yet, by their first ordinal. */
  private readonly inFlight = new Map<number, { ids: string[]; waiters: (() => void)[] }>();

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
      this.ordinals.set(rawId, ordinal);
      if (this.batch.length === 0) this.batchStart = ordinal;
      this.batch.push(rawId.trim().toUpperCase());
      if (this.batch.length === BATCH) this.sendBatch();
    }
    return ordinal;
  }

  /** Waits until every id seen so far has its pseudonym. */
  async finish(): Promise<void> {
    this.hashHere(this.batchStart, this.batch);
    this.batch = [];
    await Promise.all([...this.inFlight.values()].map((pending) => new Promise<void>((resolve) => pending.waiters.push(resolve))));
  }

  /** Stops the hashing thread; call once the import is over, whatever its outcome. */
  async close(): Promise<void> {
    const hasher = this.hasher;
    this.hasher = null;
    hasher?.removeAllListeners();
    await hasher?.terminate();
  }

  /** Copies the pseudonym of student `ordinal` into `target` at `offset`. */
  copyPseudonym(ordinal: number, target: Buffer, offset: number): void {
    this.slab.copy(target, offset, ordinal * PSEUDONYM_BYTES, (ordinal + 1) * PSEUDONYM_BYTES);
  }

  private hashHere(first: number, ids: readonly string[]): void {
    ids.forEach((id, i) => pseudonymOf(this.key.secret, id, this.slab, (first + i) * PSEUDONYM_BYTES));
  }

  private settle(first: number, pseudonyms: Buffer | null): void {
    const pending = this.inFlight.get(first);
    if (!pending) return;
    this.inFlight.delete(first);
    if (pseudonyms) pseudonyms.copy(this.slab, first * PSEUDONYM_BYTES);
    else this.hashHere(first, pending.ids);
    for (const waiter of pending.waiters) waiter();
  }

  private sendBatch(): void {
    if (!this.hasher) {
      const hasher = new Worker(HASHER, { eval: true, workerData: { secret: new Uint8Array(this.key.secret) } });
      hasher.on('message', ({ first, out }: { first: number; out: ArrayBuffer }) => this.settle(first, Buffer.from(out)));
      // Should the thread fail, what it had not answered is hashed here: slower, never lost.
      const fallBack = () => {
        if (this.hasher === hasher) this.hasher = null;
        for (const first of [...this.inFlight.keys()]) this.settle(first, null);
      };
      hasher.on('error', fallBack);
      hasher.on('exit', fallBack);
      this.hasher = hasher;
    }
    this.inFlight.set(this.batchStart, { ids: this.batch, waiters: [] });
    this.hasher.postMessage({ first: this.batchStart, ids: this.batch });
    this.batch = [];
  }
}
