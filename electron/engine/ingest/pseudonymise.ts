/** Owns the row 'pseudonym_key_fingerprint' of the table meta (and the key file beside the database). */
import crypto, { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { MessageChannel, type MessagePort, type Worker, receiveMessageOnPort } from 'node:worker_threads';
import { keyFileFor } from '../db/location';
import type { ReadableDB, WritableDB } from '../db/types';
import { PSEUDONYM_BYTES } from '../domain/pseudonyms';
import { compileHere, grown, startThread, stopThread } from './plain-code';

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

/** The most slots a table makes room for in advance (four million: 48 MB); past it, it grows as students come. */
const MAX_RESERVED_SLOTS = 1 << 22;

/**
 * One import's distinct students, written in plain JavaScript so that the same text runs on the id thread (a
 * Worker evaluates it) and here, for an import too small to be worth a thread or whose thread failed. Each row's id
 * key (an idCode, or -(n + 1) for the n-th distinct id that has no code) becomes an ordinal, given in the order
 * students first appear, and each new student is hashed once into `pseudonyms`, side by side.
 *
 * The keyed hash is HMAC-SHA-256 (RFC 2104) written out with two one-shot hashes, which Node computes in a quarter
 * of the time `createHmac` takes per id: H((K ^ opad) || H((K ^ ipad) || id)), the first PSEUDONYM_BYTES kept.
 * Digests travel as 'binary' (latin1) strings copied a character at a time, and an id given as its code is written
 * as bytes without making the string: small Buffers and Buffer.write are what cost most here.
 */
const ID_TABLE = `
function idTable(secret) {
  const B = ${PSEUDONYM_BYTES};
  let key = Buffer.from(secret);
  if (key.length > 64) key = crypto.createHash('sha256').update(key).digest();
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
    const innerDigest = crypto.hash('sha256', data, 'binary');
    for (let k = 0; k < 32; k++) outer[64 + k] = innerDigest.charCodeAt(k);
    const digest = crypto.hash('sha256', outer, 'binary');
    for (let k = 0; k < B; k++) target[offset + k] = digest.charCodeAt(k);
  }

  // Students are told apart as their rows arrive and hashed in the time between (hashSome): which student a row is
  // is wanted at once, the pseudonyms only at the end. pseudonyms holds the students since the last take, the first
  // being student number taken; waiting holds the keys of students not hashed yet, from student number hashed.
  let pseudonyms = Buffer.alloc(B << 12);
  let count = 0;
  let taken = 0;
  let hashed = 0;
  let waiting = new Float64Array(1 << 12);
  let head = 0;
  let tail = 0;
  function fresh(key) {
    if ((count + 1 - taken) * B > pseudonyms.length) { const bigger = Buffer.alloc(pseudonyms.length * 2); pseudonyms.copy(bigger); pseudonyms = bigger; }
    if (tail === waiting.length) {
      if (head * 2 >= waiting.length) waiting.copyWithin(0, head, tail);
      else { const longer = new Float64Array(waiting.length * 2); longer.set(waiting.subarray(head, tail)); waiting = longer; }
      tail -= head;
      head = 0;
    }
    waiting[tail++] = key;
    return count++;
  }
  function hashKey(key, texts, target, offset) {
    hashInto(key > 0 ? key : 0, key > 0 ? '' : texts[-key - 1], target, offset);
  }
  // Hashes up to limit of the students waiting.
  function hashSome(limit) {
    for (let n = Math.min(limit, tail - head); n > 0; n--, hashed++) hashKey(waiting[head++], others, pseudonyms, (hashed - taken) * B);
    if (head === tail) head = tail = 0;
  }

  // Codes to ordinals: open addressing over typed arrays.
  let codes = new Float64Array(1 << 16);
  let ordinals = new Int32Array(1 << 16);
  let mask = (1 << 16) - 1;
  let codesKept = 0;
  function slot(code, m) {
    const lo = code >>> 0;
    const hi = (code / 4294967296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    return h & m;
  }
  function grow() {
    const oldCodes = codes, oldOrdinals = ordinals;
    codes = new Float64Array(oldCodes.length * 2);
    ordinals = new Int32Array(oldCodes.length * 2);
    mask = codes.length - 1;
    for (let j = 0; j < oldCodes.length; j++) {
      const code = oldCodes[j];
      if (code === 0) continue;
      let i = slot(code, mask);
      while (codes[i] !== 0) i = (i + 1) & mask;
      codes[i] = code;
      ordinals[i] = oldOrdinals[j];
    }
  }
  function ofCode(code) {
    let i = slot(code, mask);
    for (;;) {
      const k = codes[i];
      if (k === code) return ordinals[i];
      if (k === 0) break;
      i = (i + 1) & mask;
    }
    const ordinal = fresh(code);
    codes[i] = code;
    ordinals[i] = ordinal;
    if (++codesKept * 2 > mask) grow();
    return ordinal;
  }

  // Ids without a code arrive already told apart (the n-th distinct one is key -(n + 1)), with their text.
  const others = [];
  const ordinalsOfOthers = [];
  function ofOther(n) {
    let ordinal = ordinalsOfOthers[n];
    if (ordinal === undefined) ordinalsOfOthers[n] = ordinal = fresh(-n - 1);
    return ordinal;
  }

  return {
    add(keys, newOthers) {
      for (const other of newOthers) others.push(other);
      const out = new Int32Array(keys.length);
      for (let i = 0; i < keys.length; i++) out[i] = keys[i] > 0 ? ofCode(keys[i]) : ofOther(-keys[i] - 1);
      return out;
    },
    students() {
      return count;
    },
    unhashed() {
      return tail - head;
    },
    hashSome,
    // Makes room for about this many students at once: growing the table step by step moves every code again each
    // time, a tenth of the thread's work for a million students.
    reserve(students) {
      while (students * 2 > mask && mask < ${MAX_RESERVED_SLOTS}) grow();
    },
    // Hashes the students left and hands over the pseudonyms made since the last take, a Buffer of its own, so a
    // thread can move it unchanged.
    takePseudonyms() {
      hashSome(tail - head);
      const made = pseudonyms.subarray(0, (hashed - taken) * B);
      taken = hashed = count;
      pseudonyms = Buffer.alloc(B << 12);
      return made;
    },
    // No more rows will come: the tables that tell students apart (tens of megabytes for a million) can go.
    release() {
      codes = ordinals = null;
      ordinalsOfOthers.length = 0;
    },
  };
}`;

/** The id thread's words of shared memory: whether the pseudonyms asked for are on their port, and slices hashed. */
const ANSWERED = 0;
const SLICES = 1;

/**
 * The id thread: ID_TABLE behind a port. Rows are answered at once with their students; new students are hashed a
 * slice at a time between messages. The pseudonyms are asked for from inside the import's transaction, where the
 * asking thread cannot wait for an event: they come on a port of their own, read synchronously, and a word of
 * shared memory says when they are there. Another word counts the slices hashed, so that a thread that died (the
 * count stops) is told from one that is busy.
 */
const ID_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
${ID_TABLE}
const table = idTable(workerData.secret);
const signal = new Int32Array(workerData.signal);
function hashSlice(size) {
  table.hashSome(size);
  Atomics.add(signal, ${SLICES}, 1);
}
let hashing = false;
function hashLater() {
  if (hashing || table.unhashed() === 0) return;
  hashing = true;
  setImmediate(() => {
    hashing = false;
    hashSlice(2048);
    hashLater();
  });
}
parentPort.on('message', (message) => {
  if (message.reserve) table.reserve(message.reserve);
  else if (message.keys) {
    const ordinals = table.add(new Float64Array(message.keys), message.others);
    parentPort.postMessage({ first: message.first, ordinals: ordinals.buffer, students: table.students() }, [ordinals.buffer]);
    hashLater();
  } else if (message.noMoreRows) table.release();
  else {
    while (table.unhashed() > 0) hashSlice(4096);
    const made = table.takePseudonyms();
    workerData.answers.postMessage({ pseudonyms: made.buffer, length: made.length }, [made.buffer]);
    Atomics.store(signal, ${ANSWERED}, 1);
    Atomics.notify(signal, ${ANSWERED});
  }
});`;

interface IdTable {
  add(keys: Float64Array, newOthers: readonly string[]): Int32Array;
  students(): number;
  takePseudonyms(): Buffer;
}

interface IdThread {
  worker: Worker;
  /** Where the pseudonyms asked for arrive (see ID_THREAD), and the shared words ANSWERED and SLICES. */
  answers: MessagePort;
  signal: Int32Array;
}

/** ID_TABLE on this thread. */
const localIdTable = compileHere<(secret: Uint8Array) => IdTable>(ID_TABLE, 'idTable', { crypto });

/** Rows are handed to the id thread this many at a time; an import with fewer does its students here. */
const BATCH = 8192;

/** An id thread that hashes nothing for this long while its pseudonyms are awaited is taken for dead. */
const STALL_MS = 3000;

/**
 * The students of one import. Parsing a row costs this thread only the id's key (`row`): telling a million ids
 * apart and hashing each distinct one runs on the id thread meanwhile. Rows carry their row number until
 * `settle()` says which student each is (`ordinals`, `size`); `pseudonyms()` gives each student's 16-byte
 * pseudonym, side by side, as late as the import can ask, so the hashing goes on while the import writes what
 * needs no pseudonym. Call `close()` when the import is over. The raw ids live only in this object and that
 * thread, in memory, for the length of one import.
 */
export class Pseudonymiser {
  /** Every row's id key, kept so that the rows can be told apart again here should the thread fail. */
  private keys = new Float64Array(1 << 14);
  private rows = 0;
  private readonly otherKeys = new Map<string, number>();
  private readonly others: string[] = [];
  /** How many rows and ids without a code the table in use has been given. */
  private sentRows = 0;
  private sentOthers = 0;
  private rowOrdinals = new Int32Array(1 << 14);
  /** Rows whose students are known, and how many distinct students those are. */
  private answered = 0;
  private students = 0;
  /** The pseudonyms taken so far, ordinal by ordinal. */
  private slab: Buffer = Buffer.alloc(0);
  private thread: IdThread | null = null;
  private threadFailed = false;
  private expected = 0;
  private local: IdTable | null = null;
  private settling: (() => void) | null = null;
  /** Said by `settle(true)`: once the pseudonyms are in, the id thread has nothing left to do. */
  private noMoreRows = false;

  constructor(private readonly key: PseudonymKey) {}

  /**
   * Takes one row's student id: the row's number (what `ordinals` reads), or -1 for an id that is empty once
   * trimmed. Ids are compared trimmed and upper-cased.
   */
  row(rawId: string): number {
    let key = idCode(rawId);
    if (key < 0) {
      const normal = rawId.trim().toUpperCase();
      if (normal === '') return -1;
      key = idCode(normal);
      if (key < 0) {
        let n = this.otherKeys.get(normal);
        if (n === undefined) {
          this.otherKeys.set(normal, (n = this.others.length));
          this.others.push(normal);
        }
        key = -1 - n;
      }
    }
    if (this.rows === this.keys.length) this.keys = grown(this.keys);
    this.keys[this.rows] = key;
    if (++this.rows - this.sentRows === BATCH) this.send();
    return this.rows - 1;
  }

  /**
   * Says how many rows this import is likely to have (from the size of its file): the id thread makes room for that
   * many students at once instead of growing its table step by step.
   */
  expect(rows: number): void {
    this.expected = rows;
    this.thread?.worker.postMessage({ reserve: rows });
  }

  /**
   * Waits until every row taken so far is known as a student; their pseudonyms may still be in the making. `last`:
   * no more rows will come, so the id thread frees the table that tells students apart (tens of megabytes for a
   * million) and only hashes.
   */
  async settle(last = false): Promise<void> {
    if (!this.thread) {
      this.finishHere();
      return;
    }
    if (this.sentRows < this.rows) this.send();
    if (last) {
      this.thread.worker.postMessage({ noMoreRows: true });
      this.noMoreRows = true;
    }
    if (this.answered < this.rows) await new Promise<void>((resolve) => (this.settling = resolve));
  }

  /**
   * Every student's pseudonym, ordinal by ordinal; call after `settle()`. It blocks this thread until the id thread
   * has hashed the last student: it is called inside the import's transaction, and an await there would let other
   * requests run inside it. Should the id thread have died, the pseudonyms are made here again from the kept keys.
   */
  pseudonyms(): Buffer {
    if (this.answered === this.rows && this.slab.length === this.students * PSEUDONYM_BYTES) return this.slab;
    const thread = this.thread;
    if (!thread) {
      this.finishHere();
      return this.slab;
    }
    if (this.answered < this.rows) throw new Error('Pseudonymiser.pseudonyms() was called before settle().');
    Atomics.store(thread.signal, ANSWERED, 0);
    thread.worker.postMessage({ pseudonyms: true });
    let slices = Atomics.load(thread.signal, SLICES);
    let progressed = performance.now();
    for (;;) {
      const answer = receiveMessageOnPort(thread.answers) as { message: { pseudonyms: ArrayBuffer; length: number } } | undefined;
      if (answer) {
        this.addPseudonyms(Buffer.from(answer.message.pseudonyms, 0, answer.message.length));
        // Stopped now, not when the import ends: its memory is freed while the rosters are written.
        if (this.noMoreRows) {
          this.thread = null;
          void stop(thread);
        }
        return this.slab;
      }
      sleepUntilAnswered(thread.signal, 50);
      const now = Atomics.load(thread.signal, SLICES);
      if (now !== slices) {
        slices = now;
        progressed = performance.now();
      } else if (performance.now() - progressed > STALL_MS) {
        this.fail(thread);
        this.finishHere();
        return this.slab;
      }
    }
  }

  /** Stops the id thread; call once the import is over, whatever its outcome. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    if (thread) await stop(thread);
  }

  /** How many distinct students the rows taken hold (valid after `settle()`). */
  get size(): number {
    return this.students;
  }

  /** Each row's student, by row number (valid after `settle()`). */
  get ordinals(): Int32Array {
    return this.rowOrdinals.subarray(0, this.rows);
  }

  private finishHere(): void {
    this.local ??= localIdTable(new Uint8Array(this.key.secret));
    this.keep(this.sentRows, this.local.add(this.keys.subarray(this.sentRows, this.rows), this.others.slice(this.sentOthers)), this.local.students());
    this.sentRows = this.rows;
    this.sentOthers = this.others.length;
    this.addPseudonyms(this.local.takePseudonyms());
  }

  private addPseudonyms(made: Buffer): void {
    if (made.length === 0) return;
    this.slab = this.slab.length === 0 ? made : Buffer.concat([this.slab, made]);
  }

  private keep(first: number, ordinals: Int32Array, students: number): void {
    while (this.rowOrdinals.length < first + ordinals.length) this.rowOrdinals = grown(this.rowOrdinals);
    this.rowOrdinals.set(ordinals, first);
    this.answered = first + ordinals.length;
    this.students = students;
    if (this.answered === this.rows) {
      const settling = this.settling;
      this.settling = null;
      settling?.();
    }
  }

  private send(): void {
    if (this.threadFailed) return;
    if (!this.thread) {
      this.thread = this.startThread();
      // The thread's table starts empty: it is given every row from the first, so its ordinals are the ones a
      // table here gave the rows of an earlier, smaller file of this import, and its pseudonyms start from the first.
      this.local = null;
      this.sentRows = 0;
      this.sentOthers = 0;
      this.slab = Buffer.alloc(0);
    }
    const keys = this.keys.slice(this.sentRows, this.rows);
    this.thread.worker.postMessage({ first: this.sentRows, keys: keys.buffer, others: this.others.slice(this.sentOthers) }, [keys.buffer]);
    this.sentRows = this.rows;
    this.sentOthers = this.others.length;
  }

  private startThread(): IdThread {
    const { port1: answers, port2 } = new MessageChannel();
    // Read only by receiveMessageOnPort: the port must not keep the process alive.
    answers.unref();
    const signal = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const worker = startThread(ID_THREAD, { secret: new Uint8Array(this.key.secret), answers: port2, signal: signal.buffer }, [port2]);
    const thread: IdThread = { worker, answers, signal };
    if (this.expected > 0) worker.postMessage({ reserve: this.expected });
    worker.on('message', (message: { first: number; ordinals: ArrayBuffer; students: number }) => this.keep(message.first, new Int32Array(message.ordinals), message.students));
    const fallBack = () => {
      if (this.thread !== thread) return;
      this.fail(thread);
      if (this.settling) this.finishHere();
    };
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
    return thread;
  }

  /** Gives up on the id thread: every row is told apart and hashed here again from the first, slower, never lost. */
  private fail(thread: IdThread): void {
    this.thread = null;
    this.threadFailed = true;
    this.sentRows = 0;
    this.sentOthers = 0;
    this.slab = Buffer.alloc(0);
    void stop(thread);
  }
}

/** Sleeps up to `ms` or until the id thread says it has answered; where blocking is forbidden, returns at once. */
function sleepUntilAnswered(signal: Int32Array, ms: number): void {
  try {
    Atomics.wait(signal, ANSWERED, 0, ms);
  } catch {
    // An embedder may forbid Atomics.wait on its main thread (a TypeError): the caller's loop then polls the port.
  }
}

async function stop(thread: IdThread): Promise<void> {
  thread.answers.close();
  await stopThread(thread.worker);
}
