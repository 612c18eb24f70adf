/**
 * Owns `<database>.writer-lock` and `<database>.writer.json`: one Cupo process writes a database at a time.
 *
 * The desktop app and a scheduled `cupo run` may open the same database. SQLite alone keeps it whole, but two
 * processes interleaving long operations (an import, a training, a restore) would make the second one fail half-way
 * on "database is locked" after its busy timeout, or act on data that changed under it. So every operation that
 * writes first takes the writer's turn, for its whole length: a write lock on a small SQLite file of its own
 * (BEGIN IMMEDIATE on an empty database), which the operating system releases when the process ends, however it
 * ends — a killed or crashed process never leaves the turn taken, and nothing has to judge whether a lock is stale.
 * The holder says who it is in `<database>.writer.json` (process, machine, what it does, since when), which a
 * second writer reads to say, after waiting a bounded time, who keeps the database busy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Bilingual } from '../../../shared/messages';
import { UserError } from '../errors';

/**
 * How long a writer waits for the turn before it gives up and says who holds it: three times SQLite's busy timeout,
 * long enough for a short write of another process (a promotion, a setting, a forecast, a small import) to end,
 * short enough for a person not to wait in silence behind a training. CUPO_WRITER_WAIT_MS overrides it (tests,
 * scripts that would rather wait longer).
 */
export const WRITER_WAIT_MS = 15_000;
const POLL_MS = 100;

export interface WriterInfo {
  pid: number;
  host: string;
  user: string;
  /** The program: the desktop app, the command line (with its command) or browser mode. */
  program: string;
  /** What it is doing, in words. */
  doing: Bilingual;
  since: string;
}

export interface TurnOptions {
  /** What the caller is about to do, in words ("una importación" / "an import"). */
  doing: Bilingual;
  waitMs?: number;
  signal?: AbortSignal;
  /** Called once, when the turn is taken by someone else and the caller starts waiting. */
  onWait?: (holder: WriterInfo | null) => void;
  nativeBinding?: string;
}

export function writerLockFile(dbFile: string): string {
  return `${dbFile}.writer-lock`;
}

export function writerInfoFile(dbFile: string): string {
  return `${dbFile}.writer.json`;
}

function defaultWait(): number {
  const fromEnv = Number(process.env.CUPO_WRITER_WAIT_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : WRITER_WAIT_MS;
}

function programName(): string {
  if (process.versions.electron) return 'Cupo (escritorio / desktop)';
  const script = process.argv[1] ?? '';
  if (/[\\/]cli[\\/]main\.[jt]s$/.test(script) || /[\\/]cupo(\.js)?$/.test(script)) return `«cupo ${process.argv[2] ?? ''}»`.replace(' »', '»');
  return `Cupo (${path.basename(script) || 'node'})`;
}

/** Whether a process of this machine still runs (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the turn, as its holder wrote it; null when nobody said (or the one who did is gone). */
export function currentWriter(dbFile: string): WriterInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(writerInfoFile(dbFile), 'utf8')) as WriterInfo;
    if (typeof info.pid !== 'number' || typeof info.host !== 'string') return null;
    if (info.host === os.hostname() && !processAlive(info.pid)) return null;
    return info;
  } catch {
    return null;
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? '?';
  }
}

export function busySentence(holder: WriterInfo | null, waitedMs: number): Bilingual {
  const waited = Math.round(waitedMs / 1000);
  if (!holder) {
    return {
      es: `La base de datos está ocupada: otro programa está escribiendo en ella; se esperó ${waited} s y no se hizo nada: inténtelo de nuevo en un momento.`,
      en: `The database is busy: another program is writing to it; Cupo waited ${waited} s and did nothing: try again in a moment.`,
    };
  }
  const since = holder.since.replace('T', ' ').slice(0, 19);
  return {
    es: `La base de datos está ocupada: ${holder.program} (proceso ${holder.pid} de ${holder.user} en ${holder.host}) está haciendo ${holder.doing.es} desde ${since} UTC; se esperó ${waited} s y no se hizo nada: inténtelo de nuevo cuando termine.`,
    en: `The database is busy: ${holder.program} (process ${holder.pid} of ${holder.user} on ${holder.host}) has been doing ${holder.doing.en} since ${since} UTC; Cupo waited ${waited} s and did nothing: try again when it ends.`,
  };
}

/** Tries once; the open lock connection when the turn is ours, null when someone else has it. */
function tryTake(lockFile: string, nativeBinding: string | undefined, busyTimeoutMs: number): Database.Database | null {
  const lock = new Database(lockFile, nativeBinding !== undefined ? { nativeBinding } : {});
  try {
    lock.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    lock.exec('BEGIN IMMEDIATE');
    return lock;
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
}

function held(dbFile: string, lock: Database.Database, doing: Bilingual): () => void {
  const info: WriterInfo = { pid: process.pid, host: os.hostname(), user: userName(), program: programName(), doing, since: new Date().toISOString() };
  const infoFile = writerInfoFile(dbFile);
  const part = `${infoFile}.${process.pid}`;
  try {
    fs.writeFileSync(part, JSON.stringify(info));
    fs.renameSync(part, infoFile);
  } catch {
    // Who holds the turn is said for people; the turn itself is the lock, which is taken.
    fs.rmSync(part, { force: true });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      const now = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as WriterInfo;
      if (now.pid === info.pid && now.since === info.since) fs.rmSync(infoFile, { force: true });
    } catch {
      // Already gone.
    }
    lock.close();
  };
}

function lockPathFor(dbFile: string): string {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  return writerLockFile(dbFile);
}

/**
 * Takes the writer's turn on a database, waiting up to `waitMs` (polling, so the engine's thread stays free for
 * reads and cancels), and returns its release. Gives up with one sentence naming who holds it.
 */
export async function takeWriterTurn(dbFile: string, options: TurnOptions): Promise<() => void> {
  const lockFile = lockPathFor(dbFile);
  const waitMs = options.waitMs ?? defaultWait();
  const started = performance.now();
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = tryTake(lockFile, options.nativeBinding, 0);
    if (lock) return held(dbFile, lock, options.doing);
    const holder = currentWriter(dbFile);
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    const waited = performance.now() - started;
    if (waited >= waitMs) throw new UserError(busySentence(holder, waited), 'failed');
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(POLL_MS, waitMs - waited)));
  }
}

/** The same, blocking (SQLite's own busy wait): for a migration, which runs while the database opens. */
export function takeWriterTurnSync(dbFile: string, options: Omit<TurnOptions, 'signal' | 'onWait'>): () => void {
  const lockFile = lockPathFor(dbFile);
  const waitMs = options.waitMs ?? defaultWait();
  const started = performance.now();
  const lock = tryTake(lockFile, options.nativeBinding, waitMs);
  if (lock) return held(dbFile, lock, options.doing);
  throw new UserError(busySentence(currentWriter(dbFile), performance.now() - started), 'failed');
}
