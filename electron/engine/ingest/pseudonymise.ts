/** Owns the row 'pseudonym_key_fingerprint' of the table meta (and the key file beside the database). */
import { createHash, createHmac, hash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { keyFileFor } from '../db/location';
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

export { keyFileFor };

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

/** The key in a key file (one of a backup being restored, say), with its fingerprint. */
export function readKeyFile(file: string): PseudonymKey {
  const secret = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  return { secret, fingerprint: createHmac('sha256', secret).update('cupo-key-fingerprint').digest('hex').slice(0, 16) };
}

/** Where a restore puts the key it brings until its database is in place (`settleStagedKey` finishes the move). */
function stagedKeyFile(dbFile: string): string {
  return `${keyFileFor(dbFile)}.restoring`;
}

/** First step of putting a restored database's key in place: written whole beside the key in use. */
export function stageKey(dbFile: string, keyFile: string): void {
  const staged = stagedKeyFile(dbFile);
  const part = `${staged}.${process.pid}`;
  fs.copyFileSync(keyFile, part);
  fs.chmodSync(part, 0o600);
  fs.renameSync(part, staged);
}

/**
 * Last step, and the repair of a restore interrupted between its two moves (the database copied, the key not yet,
 * or the other way round): of the staged key and the key in use, the one that matches the database's fingerprint
 * stays. Run after a restore and whenever a database is opened. Returns true when the staged key was taken.
 */
export function settleStagedKey(dbFile: string, db: ReadableDB): boolean {
  const staged = stagedKeyFile(dbFile);
  if (dbFile === ':memory:' || !fs.existsSync(staged)) return false;
  let taken: boolean;
  try {
    taken = keyMatchesDatabase(db, readKeyFile(staged));
  } catch {
    taken = false;
  }
  if (taken) fs.renameSync(staged, keyFileFor(dbFile));
  else fs.rmSync(staged, { force: true });
  return taken;
}

/** False when earlier imports used another key (their students cannot be linked with these). */
export function keyMatchesDatabase(db: ReadableDB, key: PseudonymKey): boolean {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'pseudonym_key_fingerprint'`).get() as { value: string } | undefined;
  return row === undefined || row.value === key.fingerprint;
}

export function recordKey(db: WritableDB, key: PseudonymKey): void {
  db.prepare(`INSERT INTO meta (key, value) VALUES ('pseudonym_key_fingerprint', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key.fingerprint);
}

/** At most this many characters in a student id (as in every label): a longer cell is not an id. */
export const MAX_ID_CHARS = 200;

/**
 * HMAC-SHA-256 (RFC 2104) written out with two one-shot hashes, which Node computes in a quarter of the time
 * `createHmac` takes per id: H((K ^ opad) || H((K ^ ipad) || id)), the first PSEUDONYM_BYTES kept. Digests travel
 * as 'binary' (latin1) strings, one character per byte, copied a character at a time, and an id given as its code is
 * written as bytes without making the string: small Buffers and Buffer.write are what cost most here (a quarter
 * less time per id than writing strings into Buffers). The same function is written once more, in plain
 * JavaScript, in HASHER below; the tests hold both to `createHmac`.
 */
class KeyedHash {
  private readonly inner: Buffer;
  private readonly outer = Buffer.alloc(96);
  /** Views of `inner` by length, so hashing an id allocates no Buffer. */
  private views: Buffer[] = [];

  constructor(secret: Buffer) {
    const key = secret.length > 64 ? createHash('sha256').update(secret).digest() : secret;
    this.inner = Buffer.alloc(64 + 4 * MAX_ID_CHARS + 4);
    for (let i = 0; i < 64; i++) {
      this.inner[i] = (key[i] ?? 0) ^ 0x36;
      this.outer[i] = (key[i] ?? 0) ^ 0x5c;
    }
  }

  /** The pseudonym of the id with this code (idCode), or of `id` when the code is 0. */
  hashInto(code: number, id: string, target: Buffer, offset: number): void {
    let inner = this.inner;
    let end: number;
    if (code > 0) {
      end = 64 + codeLength(code);
      for (let p = end - 1, c = code; c > 0; p--) {
        const digit = c % 37;
        inner[p] = digit <= 10 ? digit + 47 : digit + 54;
        c = (c - digit) / 37;
      }
    } else {
      if (id.length * 3 > inner.length - 64) {
        inner = Buffer.alloc(64 + id.length * 3);
        this.inner.copy(inner, 0, 0, 64);
      }
      end = 64 + inner.write(id, 64, 'utf8');
    }
    const data = inner === this.inner ? (this.views[end] ??= inner.subarray(0, end)) : inner.subarray(0, end);
    const innerDigest = hash('sha256', data, 'binary');
    for (let k = 0; k < 32; k++) this.outer[64 + k] = innerDigest.charCodeAt(k);
    const digest = hash('sha256', this.outer, 'binary');
    for (let k = 0; k < PSEUDONYM_BYTES; k++) target[offset + k] = digest.charCodeAt(k);
  }
}

/** How many characters the id of a code has. */
function codeLength(code: number): number {
  let n = 0;
  for (let c = code; c > 0; c = Math.floor(c / 37)) n++;
  return n;
}

/**
 * Most school ids are short runs of letters and digits ("70123456", "A0001234"): such an id, upper-cased, is
 * written as a number in base 37 (digits 1…36, so no two ids share one; ten characters stay below 2^53), and
 * numbers are looked up in a flat table instead of a Map of strings. -1 for any other id.
 */
export function idCode(id: string): number {
  const n = id.length;
  if (n === 0 || n > 10) return -1;
  let code = 0;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    let digit: number;
    if (c >= 48 && c <= 57) digit = c - 47;
    else if (c >= 65 && c <= 90) digit = c - 54;
    else if (c >= 97 && c <= 122) digit = c - 86;
    else return -1;
    code = code * 37 + digit;
  }
  return code;
}

/** Open addressing over typed arrays: id codes (never 0) to ordinals, one cache line per lookup. */
class CodeTable {
  private keys = new Float64Array(1 << 16);
  private values = new Int32Array(1 << 16);
  private mask = (1 << 16) - 1;
  private size = 0;

  private static slot(code: number, mask: number): number {
    const lo = code >>> 0;
    const hi = (code / 4294967296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    return h & mask;
  }

  /** The ordinal of `code`, or `fresh` (stored) when it is new. */
  getOrAdd(code: number, fresh: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = CodeTable.slot(code, mask);
    for (;;) {
      const k = keys[i]!;
      if (k === code) return this.values[i]!;
      if (k === 0) break;
      i = (i + 1) & mask;
    }
    keys[i] = code;
    this.values[i] = fresh;
    if (++this.size * 2 > mask) this.grow();
    return fresh;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      const code = keys[j]!;
      if (code === 0) continue;
      let i = CodeTable.slot(code, this.mask);
      while (this.keys[i] !== 0) i = (i + 1) & this.mask;
      this.keys[i] = code;
      this.values[i] = values[j]!;
    }
  }
}

/**
 * Plain JavaScript, so the same code runs under tsx, in the desktop bundle and in the utility process. Receives
 * batches of ids, each a code (idCode) or, where the code is 0, the next of `others`, and answers with their
 * pseudonyms side by side (KeyedHash, written again).
 */
const HASHER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash, hash } = require('node:crypto');
const B = ${PSEUDONYM_BYTES};
let key = Buffer.from(workerData.secret);
if (key.length > 64) key = createHash('sha256').update(key).digest();
const innerBase = Buffer.alloc(64 + 4 * ${MAX_ID_CHARS} + 4);
const outer = Buffer.alloc(96);
for (let i = 0; i < 64; i++) { innerBase[i] = (key[i] || 0) ^ 0x36; outer[i] = (key[i] || 0) ^ 0x5c; }
const views = [];
function hashInto(code, id, target, offset) {
  let inner = innerBase;
  let end;
  if (code > 0) {
    end = 64;
    for (let c = code; c > 0; c = Math.floor(c / 37)) end++;
    for (let p = end - 1, c = code; c > 0; p--) { const d = c % 37; inner[p] = d <= 10 ? d + 47 : d + 54; c = (c - d) / 37; }
  } else {
    if (id.length * 3 > inner.length - 64) { inner = Buffer.alloc(64 + id.length * 3); innerBase.copy(inner, 0, 0, 64); }
    end = 64 + inner.write(id, 64, 'utf8');
  }
  const data = inner === innerBase ? (views[end] || (views[end] = inner.subarray(0, end))) : inner.subarray(0, end);
  const innerDigest = hash('sha256', data, 'binary');
  for (let k = 0; k < 32; k++) outer[64 + k] = innerDigest.charCodeAt(k);
  const digest = hash('sha256', outer, 'binary');
  for (let k = 0; k < B; k++) target[offset + k] = digest.charCodeAt(k);
}
parentPort.on('message', ({ first, codes, others }) => {
  const list = new Float64Array(codes);
  const out = Buffer.from(new ArrayBuffer(list.length * B));
  let o = 0;
  for (let i = 0; i < list.length; i++) hashInto(list[i], list[i] > 0 ? '' : others[o++], out, i * B);
  parentPort.postMessage({ first, out: out.buffer }, [out.buffer]);
});`;

/** Ids are handed to the hashing threads this many at a time; an import with fewer hashes them itself. */
const BATCH = 8192;

/** Hashing threads (CUPO_HASH_THREADS overrides, for measuring): two at most, fewer on a machine with fewer cores. */
const HASH_THREADS = Math.max(1, Number(process.env.CUPO_HASH_THREADS) || Math.min(2, availableParallelism()));

interface Batch {
  first: number;
  codes: Float64Array;
  others: string[];
}

/**
 * Hashes the ids of one import. A student appears on many rows, so each distinct id (trimmed, upper-cased) is
 * given an ordinal once and hashed once; rows then carry a small number, and the 16-byte pseudonyms are kept once
 * each, side by side. Hashing runs on worker threads while this one goes on parsing: call `finish()` before
 * reading pseudonyms and `close()` when the import is over. The raw ids live only in this object and those
 * threads, in memory, for the length of one import.
 */
export class Pseudonymiser {
  private readonly codes = new CodeTable();
  private readonly others = new Map<string, number>();
  private count = 0;
  private slab = Buffer.alloc(1 << 16);
  private batch: Batch = { first: 0, codes: new Float64Array(BATCH), others: [] };
  private batchLength = 0;
  private readonly keyedHash: KeyedHash;
  private hashers: Worker[] = [];
  private nextHasher = 0;
  /** Batches the hashing threads have not answered yet, by their first ordinal. */
  private readonly inFlight = new Map<number, { batch: Batch; waiters: (() => void)[] }>();

  constructor(private readonly key: PseudonymKey) {
    this.keyedHash = new KeyedHash(key.secret);
  }

  /** How many distinct students this import has seen. */
  get size(): number {
    return this.count;
  }

  /** The ordinal of this student within the import; -1 for an id that is empty once trimmed. */
  ordinal(rawId: string): number {
    let code = idCode(rawId);
    let other = '';
    if (code < 0) {
      other = rawId.trim().toUpperCase();
      if (other === '') return -1;
      code = idCode(other);
    }
    if (code > 0) {
      const ordinal = this.codes.getOrAdd(code, this.count);
      if (ordinal === this.count) this.added(code, '');
      return ordinal;
    }
    const known = this.others.get(other);
    if (known !== undefined) return known;
    this.others.set(other, this.count);
    return this.added(0, other);
  }

  private added(code: number, other: string): number {
    const ordinal = this.count++;
    if (this.count * PSEUDONYM_BYTES > this.slab.length) {
      const bigger = Buffer.alloc(this.slab.length * 2);
      this.slab.copy(bigger);
      this.slab = bigger;
    }
    const batch = this.batch;
    if (this.batchLength === 0) batch.first = ordinal;
    batch.codes[this.batchLength++] = code;
    if (code === 0) batch.others.push(other);
    if (this.batchLength === BATCH) this.sendBatch();
    return ordinal;
  }

  /** Waits until every id seen so far has its pseudonym. */
  async finish(): Promise<void> {
    if (this.batchLength > 0) {
      this.hashHere({ ...this.batch, codes: this.batch.codes.subarray(0, this.batchLength) });
      this.batch = { first: 0, codes: new Float64Array(BATCH), others: [] };
      this.batchLength = 0;
    }
    await Promise.all([...this.inFlight.values()].map((pending) => new Promise<void>((resolve) => pending.waiters.push(resolve))));
  }

  /** Stops the hashing threads; call once the import is over, whatever its outcome. */
  async close(): Promise<void> {
    const hashers = this.hashers;
    this.hashers = [];
    for (const hasher of hashers) hasher.removeAllListeners();
    await Promise.all(hashers.map((hasher) => hasher.terminate()));
  }

  /** Copies the pseudonym of student `ordinal` into `target` at `offset`. */
  copyPseudonym(ordinal: number, target: Buffer, offset: number): void {
    this.slab.copy(target, offset, ordinal * PSEUDONYM_BYTES, (ordinal + 1) * PSEUDONYM_BYTES);
  }

  /** The pseudonyms of every student seen, ordinal by ordinal (valid after `finish()`). */
  get pseudonyms(): Buffer {
    return this.slab.subarray(0, this.count * PSEUDONYM_BYTES);
  }

  private hashHere({ first, codes, others }: Batch): void {
    let o = 0;
    for (let i = 0; i < codes.length; i++) this.keyedHash.hashInto(codes[i]!, codes[i]! > 0 ? '' : others[o++]!, this.slab, (first + i) * PSEUDONYM_BYTES);
  }

  private settle(first: number, pseudonyms: Buffer | null): void {
    const pending = this.inFlight.get(first);
    if (!pending) return;
    this.inFlight.delete(first);
    if (pseudonyms) pseudonyms.copy(this.slab, first * PSEUDONYM_BYTES);
    else this.hashHere(pending.batch);
    for (const waiter of pending.waiters) waiter();
  }

  private startHasher(): Worker {
    // No execArgv: the hasher is plain JavaScript and needs none of the parent's loaders (tsx would cost each thread 0.1 s).
    const hasher = new Worker(HASHER, { eval: true, execArgv: [], workerData: { secret: new Uint8Array(this.key.secret) } });
    hasher.on('message', ({ first, out }: { first: number; out: ArrayBuffer }) => this.settle(first, Buffer.from(out)));
    // Should a thread fail, what the threads had not answered is hashed here: slower, never lost.
    const fallBack = () => {
      if (!this.hashers.includes(hasher)) return;
      this.hashers = this.hashers.filter((h) => h !== hasher);
      for (const first of [...this.inFlight.keys()]) this.settle(first, null);
    };
    hasher.on('error', fallBack);
    hasher.on('exit', fallBack);
    return hasher;
  }

  private sendBatch(): void {
    if (this.hashers.length === 0 && this.nextHasher === 0) this.hashers = Array.from({ length: HASH_THREADS }, () => this.startHasher());
    const batch = this.batch;
    this.batch = { first: 0, codes: new Float64Array(BATCH), others: [] };
    this.batchLength = 0;
    this.inFlight.set(batch.first, { batch, waiters: [] });
    const hasher = this.hashers[this.nextHasher++ % Math.max(1, this.hashers.length)];
    if (!hasher) {
      this.settle(batch.first, null);
      return;
    }
    // The codes are copied, not moved: should the thread fail, they are hashed here again.
    hasher.postMessage({ first: batch.first, codes: batch.codes.buffer.slice(0), others: batch.others });
  }
}
