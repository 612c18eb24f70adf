/**
 * Owns the backup file (one zip: manifest.json, a note for people, the database and its pseudonymisation key) and
 * the folder of automatic backups beside the database (`backups/`).
 *
 * A backup is made with VACUUM INTO from a connection that is already open (a consistent snapshot, whoever else is
 * reading), checked before it is packed (PRAGMA integrity_check on the copy, every table's row count equal to the
 * database's at that same moment), packed with its key, read back from disk and compared with what was checked,
 * and only then given its name: a backup interrupted at any point leaves a hidden temporary file, never a file that
 * looks like a backup. A restore reads one back, checks it the same way, and copies it into the live database with
 * SQLite's backup API, which writes every page in one transaction of the live file: the connections already open
 * on it (the engine's writer and reader, another process's) see the old database or the restored one, never a mix.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Unzip, UnzipInflate, Zip, ZipDeflate } from 'fflate';
import { UserError } from '../errors';
import { yieldToEventLoop } from '../event-loop';
import { APP_VERSION } from '../version';
import { keyFileFor } from './location';
import { schemaVersionOf } from './migrate';
import { MIGRATIONS } from './migrations';
import type { ReadableDB, WritableDB } from './types';

export const BACKUP_FORMAT = 'cupo-backup';
/** The container's own version: a Cupo that knows a lower one refuses the file in one sentence. */
export const BACKUP_FORMAT_VERSION = 1;
/** How many automatic backups `backups/` keeps; older ones are deleted, except those taken before a migration. */
export const AUTOMATIC_BACKUPS_KEPT = 10;

/** Entries of the zip, always these names: a restore never uses a name from the file as a path. */
const ENTRY = { manifest: 'manifest.json', note: 'LEAME-README.txt', database: 'cupo.sqlite', key: 'cupo.sqlite.key' } as const;
/** fflate writes no ZIP64: an entry must stay below 4 GiB. */
const ZIP_LIMIT = 0xffff_ffff;
const CHUNK = 1 << 20;

/** Why a backup was taken; automatic ones say which act came next. */
export type BackupReason = 'manual' | 'before-restore' | 'before-reopen' | 'before-promote' | 'before-rollback' | 'before-migration';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  app_version: string;
  /** The newest migration the database had: a Cupo that knows fewer refuses it. */
  schema_version: number;
  created_at: string;
  reason: BackupReason;
  /** The name the database had where it was copied from. */
  source: string;
  database: { entry: string; bytes: number; sha256: string };
  key: { entry: string; bytes: number; sha256: string } | null;
  /** Rows per table, as checked on the copy. */
  tables: Record<string, number>;
}

export interface BackupMade {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

export type BackupStep = 'copy' | 'pack' | 'verify';

export interface BackupOptions {
  reason: BackupReason;
  signal?: AbortSignal;
  onStep?: (step: BackupStep) => void;
  /** The time written in the manifest and the entries (now by default). */
  at?: Date;
}

export function backupsDir(dbFile: string): string {
  return path.join(path.dirname(dbFile), 'backups');
}

const FILE_TAG: Record<BackupReason, string> = {
  manual: 'manual',
  'before-restore': 'antes-de-restaurar',
  'before-reopen': 'antes-de-reabrir',
  'before-promote': 'antes-de-promover',
  'before-rollback': 'antes-de-volver-atras',
  'before-migration': 'antes-de-actualizar',
};

/** `cupo-copia-20261123-220742-123-antes-de-promover.zip`: sorts by time, says why. */
export function backupFileName(dbFile: string, reason: BackupReason, at: Date = new Date(), suffix = ''): string {
  const base = path.basename(dbFile).replace(/\.(sqlite3?|db)$/i, '') || 'cupo';
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  return `${base}-copia-${stamp}-${FILE_TAG[reason]}${suffix}.zip`;
}

/** Rows per table (SQLite's own tables aside), by name. */
export function rowCounts(db: ReadableDB, schema = 'main'): Record<string, number> {
  const tables = db.prepare(`SELECT name FROM "${schema}".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = db.prepare(`SELECT COUNT(*) FROM "${schema}"."${table.replace(/"/g, '""')}"`).pluck().get() as number;
  return counts;
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): string | null {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const differing = names.find((n) => a[n] !== b[n]);
  return differing === undefined ? null : `${differing}: ${a[differing] ?? 'none'} / ${b[differing] ?? 'none'}`;
}

function integrityOf(db: ReadableDB, schema = 'main'): string {
  const rows = db.pragma(`"${schema}".integrity_check`) as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

/**
 * Work that yields between chunks: the same steps run at once (`runNow`, for a migration, which happens while the
 * database opens) or giving the engine's thread back between chunks (`runYielding`, for everything else).
 */
type Steps<T> = Generator<void, T, void>;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function runYielding<T>(steps: Steps<T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    try {
      await yieldToEventLoop(signal);
    } catch (error) {
      // Cancelled between two chunks: the generator's `finally` removes what it had written.
      steps.return(undefined as never);
      throw error;
    }
  }
}

function sha256OfFile(file: string): Steps<string> {
  return (function* () {
    const hash = createHash('sha256');
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const n = fs.readSync(fd, buffer, 0, CHUNK, null);
        if (n === 0) break;
        hash.update(buffer.subarray(0, n));
        yield;
      }
    } finally {
      fs.closeSync(fd);
    }
    return hash.digest('hex');
  })();
}

/**
 * A copy of the database, taken with VACUUM INTO, checked: integrity, and the row count of every table equal to
 * the database's at the same moment. Another connection committing between the copy and the count (PRAGMA
 * data_version tells) means the two were not the same moment: the copy is taken again, three times at most.
 */
function checkedCopy(db: ReadableDB, copy: string): { tables: Record<string, number>; schema: number } {
  for (let attempt = 1; ; attempt++) {
    const version = db.pragma('data_version', { simple: true });
    db.prepare('VACUUM INTO ?').run(copy);
    const tables = rowCounts(db);
    const schema = schemaVersionOf(db);
    if (db.pragma('data_version', { simple: true }) === version) {
      verifyCopy(db, copy, tables);
      return { tables, schema };
    }
    fs.rmSync(copy, { force: true });
    if (attempt === 3) {
      throw new UserError(
        { es: 'No se pudo copiar la base de datos: otro programa la cambiaba sin parar mientras se copiaba; inténtelo de nuevo.', en: 'Could not copy the database: another program kept changing it while it was being copied; try again.' },
        'failed',
      );
    }
  }
}

/** Attaches a copy to a connection that is open anyway (no second native binding to find), checks it, detaches. */
function verifyCopy(db: ReadableDB, copy: string, expected: Record<string, number>): void {
  db.prepare(`ATTACH DATABASE ? AS cupo_backup_check`).run(copy);
  let problem: string | null = null;
  try {
    const integrity = integrityOf(db, 'cupo_backup_check');
    if (integrity !== 'ok') problem = `integrity_check: ${integrity.slice(0, 200)}`;
    else {
      const differing = sameCounts(rowCounts(db, 'cupo_backup_check'), expected);
      if (differing) problem = `row counts differ (${differing})`;
    }
  } finally {
    db.exec('DETACH DATABASE cupo_backup_check');
  }
  if (problem) {
    throw new UserError(
      { es: `La copia de la base de datos no salió bien (${problem}): no se guardó ninguna copia de seguridad.`, en: `The copy of the database came out wrong (${problem}): no backup was kept.` },
      'failed',
    );
  }
}

const NOTE = `Copia de seguridad de Cupo / Cupo backup

cupo.sqlite      la base de datos / the database
cupo.sqlite.key  la clave de seudonimización de los alumnos: guarde esta copia con el mismo cuidado que la base
                 the students' pseudonymisation key: keep this file as safe as the database itself
manifest.json    qué contiene y cómo se comprobó / what it holds and how it was checked

Restaurar / Restore:  cupo restore <este archivo / this file>   (o Ajustes en la aplicación / or Settings in the app)
`;

interface Entry {
  name: string;
  file?: string;
  bytes?: Uint8Array;
}

/** Writes the zip, flushed to disk. Chunks are read fresh each time: the compressor may keep what it was given. */
function writeZip(target: string, entries: Entry[], at: Date): Steps<void> {
  return (function* () {
    const fd = fs.openSync(target, 'wx', 0o600);
    try {
      let failure: Error | null = null;
      const zip = new Zip((error, chunk) => {
        if (error) failure = error;
        else fs.writeSync(fd, chunk);
      });
      for (const entry of entries) {
        const stream = new ZipDeflate(entry.name, { level: 6 });
        stream.mtime = at;
        zip.add(stream);
        if (entry.bytes) stream.push(entry.bytes, true);
        else {
          const size = fs.statSync(entry.file!).size;
          const input = fs.openSync(entry.file!, 'r');
          try {
            let read = 0;
            do {
              const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - read));
              const n = fs.readSync(input, buffer, 0, buffer.length, read);
              read += n;
              stream.push(buffer.subarray(0, n), read >= size);
              if (failure) throw failure;
              yield;
            } while (read < size);
          } finally {
            fs.closeSync(input);
          }
        }
        if (failure) throw failure;
      }
      zip.end();
      if (failure) throw failure;
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  })();
}

interface Sink {
  /** Called with each chunk; throws to refuse the entry (larger than declared). */
  write(chunk: Uint8Array): void;
  end(): void;
  /** Lets go of the file if the entry never ended (a zip cut short). */
  close(): void;
}

/**
 * Reads a zip entry by entry, streaming: `open` decides, from an entry's name and its place, where its bytes go
 * (null: skipped). Throws fflate's error for a file that is not a zip or is cut short.
 */
function readZip(file: string, open: (name: string, index: number) => Sink | null): Steps<void> {
  return (function* () {
    let failure: unknown = null;
    let index = 0;
    const sinks: Sink[] = [];
    const unzip = new Unzip((entry) => {
      // An entry refused already (a manifest from a newer Cupo) stops the reading: what follows is not looked at.
      if (failure) return;
      const sink = open(entry.name, index++);
      if (!sink) return;
      sinks.push(sink);
      entry.ondata = (error, chunk, final) => {
        if (failure) return;
        try {
          if (error) throw error;
          sink.write(chunk);
          if (final) sink.end();
        } catch (e) {
          failure = e;
          entry.terminate();
        }
      };
      entry.start();
    });
    unzip.register(UnzipInflate);
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      let read = 0;
      do {
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - read));
        const n = fs.readSync(fd, buffer, 0, buffer.length, read);
        if (n === 0) break;
        read += n;
        unzip.push(buffer.subarray(0, n), read >= size);
        if (failure) throw failure;
        yield;
      } while (read < size);
      if (size === 0) unzip.push(new Uint8Array(0), true);
    } finally {
      fs.closeSync(fd);
      for (const sink of sinks) sink.close();
    }
    if (failure) throw failure;
  })();
}

/**
 * A sink that hashes and counts what passes through it, refusing more than `limit` bytes; `to` says where the bytes
 * go: a new file, kept in memory (a manifest, small), or nowhere (a check).
 */
function hashingSink(limit: number, to: { file: string } | 'memory' | 'nowhere', done: (result: { bytes: number; sha256: string; content: Buffer | null }) => void): Sink {
  const file = typeof to === 'object' ? to.file : null;
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let fd = file === null ? null : fs.openSync(file, 'wx', 0o600);
  let bytes = 0;
  const close = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
  };
  return {
    write(chunk) {
      bytes += chunk.length;
      if (bytes > limit) throw new Error(`entry larger than declared (${limit} bytes)`);
      hash.update(chunk);
      if (fd !== null) fs.writeSync(fd, chunk);
      else if (to === 'memory') kept.push(Buffer.from(chunk));
    },
    end() {
      if (fd !== null) fs.fsyncSync(fd);
      close();
      done({ bytes, sha256: hash.digest('hex'), content: to === 'memory' ? Buffer.concat(kept) : null });
    },
    close,
  };
}

/** Reads the written zip back and compares every entry with what was checked before packing. */
function verifyZip(file: string, manifest: BackupManifest, manifestBytes: Buffer): Steps<void> {
  return (function* () {
    const expected = new Map<string, { bytes: number; sha256: string }>([
      [ENTRY.manifest, { bytes: manifestBytes.length, sha256: createHash('sha256').update(manifestBytes).digest('hex') }],
      [ENTRY.database, manifest.database],
      ...(manifest.key ? ([[ENTRY.key, manifest.key]] as const) : []),
    ]);
    const seen = new Map<string, { bytes: number; sha256: string }>();
    yield* readZip(file, (name) => {
      const want = expected.get(name);
      return want ? hashingSink(want.bytes, 'nowhere', (r) => seen.set(name, r)) : null;
    });
    for (const [name, want] of expected) {
      const got = seen.get(name);
      if (!got || got.bytes !== want.bytes || got.sha256 !== want.sha256) {
        throw new UserError(
          { es: `La copia de seguridad escrita no coincide con la base de datos copiada (${name}): se descartó.`, en: `The backup written does not match the database copied (${name}): it was discarded.` },
          'failed',
        );
      }
    }
  })();
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary files and folders of backups and restores whose process died half-way (a crash, a kill): nobody will
 * finish them. Their names carry the process id.
 */
export function sweepAbandoned(dir: string): void {
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const match = /^\..+\.(\d+)-[0-9a-f]{8}\.(sqlite|part)$/.exec(name) ?? /^\.restore-(\d+)-/.exec(name);
    if (match && !processAlive(Number(match[1]))) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** A folder for extracting a backup, beside the automatic backups (same disk as the database), swept if abandoned. */
export function restoreWorkDir(dbFile: string): string {
  const dir = backupsDir(dbFile);
  fs.mkdirSync(dir, { recursive: true });
  sweepAbandoned(dir);
  return fs.mkdtempSync(path.join(dir, `.restore-${process.pid}-`));
}

/**
 * Backs up the database `db` is connected to, and its key, into `target` (a .zip; it must not exist yet).
 * Steps: a checked copy, its hash, the zip written and flushed, read back and compared, then renamed into place.
 */
export function backupSteps(db: ReadableDB, dbFile: string, target: string, options: BackupOptions): Steps<BackupMade> {
  return (function* () {
    const dir = path.dirname(target);
    fs.mkdirSync(dir, { recursive: true });
    if (fs.existsSync(target)) {
      throw new UserError({ es: `Ya existe el archivo ${target}: elija otro nombre.`, en: `The file ${target} already exists: choose another name.` });
    }
    sweepAbandoned(dir);
    const at = options.at ?? new Date();
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const copy = path.join(dir, `.${path.basename(target)}.${tag}.sqlite`);
    const part = path.join(dir, `.${path.basename(target)}.${tag}.part`);
    try {
      options.onStep?.('copy');
      const { tables, schema } = checkedCopy(db, copy);
      yield;
      const bytes = fs.statSync(copy).size;
      if (bytes >= ZIP_LIMIT) {
        throw new UserError({ es: 'La base de datos pasa de 4 GB: Cupo no puede guardarla en una copia de seguridad.', en: 'The database is over 4 GB: Cupo cannot put it in a backup.' }, 'failed');
      }
      const sha256 = yield* sha256OfFile(copy);
      const keyFile = keyFileFor(dbFile);
      const key = fs.existsSync(keyFile) ? fs.readFileSync(keyFile) : null;
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT,
        format_version: BACKUP_FORMAT_VERSION,
        app_version: APP_VERSION,
        schema_version: schema,
        created_at: at.toISOString(),
        reason: options.reason,
        source: path.basename(dbFile),
        database: { entry: ENTRY.database, bytes, sha256 },
        key: key && { entry: ENTRY.key, bytes: key.length, sha256: createHash('sha256').update(key).digest('hex') },
        tables,
      };
      const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
      options.onStep?.('pack');
      yield* writeZip(part, [
        // The manifest first: a restore learns what the file is before reading anything large.
        { name: ENTRY.manifest, bytes: manifestBytes },
        { name: ENTRY.note, bytes: Buffer.from(NOTE) },
        { name: ENTRY.database, file: copy },
        ...(key ? [{ name: ENTRY.key, bytes: key }] : []),
      ], at);
      options.onStep?.('verify');
      yield* verifyZip(part, manifest, manifestBytes);
      fs.renameSync(part, target);
      return { file: target, bytes: fs.statSync(target).size, manifest };
    } finally {
      fs.rmSync(copy, { force: true });
      fs.rmSync(part, { force: true });
    }
  })();
}

export function writeBackup(db: ReadableDB, dbFile: string, target: string, options: BackupOptions): Promise<BackupMade> {
  return runYielding(backupSteps(db, dbFile, target, options), options.signal);
}

/**
 * An automatic backup in `backups/` beside the database. Its caller prunes the folder (`pruneAutomaticBackups`) once
 * the act it was taken for is done: a refused act's backup is deleted, and must not have pushed out an older one.
 */
export function automaticBackupSteps(db: ReadableDB, dbFile: string, options: BackupOptions): Steps<BackupMade> {
  return (function* () {
    const at = options.at ?? new Date();
    const dir = backupsDir(dbFile);
    let target = path.join(dir, backupFileName(dbFile, options.reason, at));
    for (let n = 2; fs.existsSync(target); n++) target = path.join(dir, backupFileName(dbFile, options.reason, at, `-${n}`));
    return yield* backupSteps(db, dbFile, target, { ...options, at });
  })();
}

export function automaticBackup(db: ReadableDB, dbFile: string, options: BackupOptions): Promise<BackupMade> {
  return runYielding(automaticBackupSteps(db, dbFile, options), options.signal);
}

/**
 * Keeps the newest `keep` automatic backups of this database and deletes the others, except those taken before a
 * migration: one per upgrade, the way back to the previous version of Cupo, kept until a person deletes them.
 * Returns the files deleted.
 */
export function pruneAutomaticBackups(dbFile: string, keep = AUTOMATIC_BACKUPS_KEPT): string[] {
  const dir = backupsDir(dbFile);
  if (!fs.existsSync(dir)) return [];
  const base = path.basename(backupFileName(dbFile, 'manual')).split('-copia-')[0]!;
  const routine = fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(`${base}-copia-`) && name.endsWith('.zip') && !name.includes(FILE_TAG['before-migration']) && !name.includes(`-${FILE_TAG.manual}`))
    .sort();
  const removed = routine.slice(0, Math.max(0, routine.length - keep)).map((name) => path.join(dir, name));
  for (const file of removed) fs.rmSync(file, { force: true });
  return removed;
}

/** The automatic backups of a database, newest first. */
export function listAutomaticBackups(dbFile: string): string[] {
  const dir = backupsDir(dbFile);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => name.endsWith('.zip') && !name.startsWith('.')).sort().reverse().map((name) => path.join(dir, name));
}

// ——— Reading a backup back ———

export interface ExtractedBackup {
  manifest: BackupManifest;
  /** The database, extracted and checked, in the folder given. */
  database: string;
  /** Its key, extracted beside it as `<database>.key` (where the engine looks for a key), or null. */
  key: string | null;
}

function notABackup(name: string, why: string): UserError {
  return new UserError(
    { es: `${name} no es una copia de seguridad de Cupo (${why}): no se cambió nada.`, en: `${name} is not a Cupo backup (${why}): nothing was changed.` },
    'refused',
  );
}

function damaged(name: string, why: string): UserError {
  return new UserError(
    { es: `La copia de seguridad ${name} está dañada (${why}): no se cambió nada.`, en: `The backup ${name} is damaged (${why}): nothing was changed.` },
    'refused',
  );
}

export function newestSchema(): number {
  return MIGRATIONS.at(-1)?.version ?? 0;
}

function fromNewerCupo(name: string, schema: number, appVersion: string): UserError {
  return new UserError(
    {
      es: `La copia ${name} la hizo una versión más nueva de Cupo (${appVersion}, esquema ${schema}; esta versión conoce hasta el ${newestSchema()}): actualice Cupo para restaurarla; no se cambió nada.`,
      en: `The backup ${name} was made by a newer version of Cupo (${appVersion}, schema ${schema}; this version knows up to ${newestSchema()}): update Cupo to restore it; nothing was changed.`,
    },
    'refused',
  );
}

function parseManifest(name: string, content: Buffer): BackupManifest {
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(content.toString('utf8')) as Partial<BackupManifest>;
  } catch {
    throw notABackup(name, 'manifest.json no es JSON / manifest.json is not JSON');
  }
  if (manifest?.format !== BACKUP_FORMAT) throw notABackup(name, `format ${JSON.stringify(manifest?.format ?? null)}`);
  const appVersion = typeof manifest.app_version === 'string' ? manifest.app_version : '?';
  if (typeof manifest.format_version !== 'number' || manifest.format_version > BACKUP_FORMAT_VERSION) throw fromNewerCupo(name, manifest.schema_version ?? 0, appVersion);
  if (typeof manifest.schema_version !== 'number' || !Number.isInteger(manifest.schema_version)) throw damaged(name, 'manifest.json: schema_version');
  if (manifest.schema_version > newestSchema()) throw fromNewerCupo(name, manifest.schema_version, appVersion);
  const entryOk = (e: unknown, entry: string) => {
    const x = e as { entry?: unknown; bytes?: unknown; sha256?: unknown } | null;
    return x !== null && typeof x === 'object' && x.entry === entry && typeof x.bytes === 'number' && x.bytes >= 0 && typeof x.sha256 === 'string';
  };
  if (!entryOk(manifest.database, ENTRY.database) || (manifest.key !== null && !entryOk(manifest.key, ENTRY.key)) || typeof manifest.tables !== 'object' || manifest.tables === null) {
    throw damaged(name, 'manifest.json');
  }
  return manifest as BackupManifest;
}

/**
 * Extracts a backup into `intoDir` (an empty folder of the caller's) and checks it: a zip whose first entry is a
 * Cupo manifest, not from a newer Cupo, every entry the size and hash the manifest says, the database whole
 * (integrity_check) with the rows the manifest counted. Refuses anything else in one sentence, changing nothing.
 * `open` opens the extracted database (with the caller's native binding) for the checks.
 */
export function extractBackupSteps(file: string, intoDir: string, displayName: string, open: (file: string) => WritableDB): Steps<ExtractedBackup> {
  return (function* () {
    const name = displayName;
    const head = Buffer.alloc(4);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 4, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (head.readUInt32LE(0) !== 0x04034b50) throw notABackup(name, 'no es un zip / not a zip');
    const database = path.join(intoDir, ENTRY.database);
    const key = keyFileFor(database);
    let manifest: BackupManifest | null = null;
    const got = new Map<string, { bytes: number; sha256: string }>();
    try {
      yield* readZip(file, (entry, index) => {
        if (index === 0) {
          if (entry !== ENTRY.manifest) throw notABackup(name, `primera entrada / first entry «${entry.slice(0, 80)}»`);
          return hashingSink(1 << 20, 'memory', (r) => (manifest = parseManifest(name, r.content!)));
        }
        if (!manifest) throw notABackup(name, 'sin manifest.json / no manifest.json');
        const m: BackupManifest = manifest;
        if (entry === ENTRY.database && !got.has(entry)) return hashingSink(m.database.bytes, { file: database }, (r) => got.set(entry, r));
        if (entry === ENTRY.key && m.key && !got.has(entry)) return hashingSink(m.key.bytes, { file: key }, (r) => got.set(entry, r));
        return null;
      });
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw manifest ? damaged(name, (error as Error).message) : notABackup(name, (error as Error).message);
    }
    if (!manifest) throw notABackup(name, 'sin manifest.json / no manifest.json');
    const m: BackupManifest = manifest;
    for (const [entry, want] of [[ENTRY.database, m.database], ...(m.key ? [[ENTRY.key, m.key] as const] : [])] as const) {
      const have = got.get(entry);
      if (!have) throw damaged(name, `falta / missing ${entry}`);
      if (have.bytes !== want.bytes || have.sha256 !== want.sha256) throw damaged(name, `${entry}: sha256`);
    }
    yield;
    const db = open(database);
    try {
      const integrity = integrityOf(db);
      if (integrity !== 'ok') throw damaged(name, `integrity_check: ${integrity.slice(0, 200)}`);
      const schema = schemaVersionOf(db);
      if (schema > newestSchema()) throw fromNewerCupo(name, schema, m.app_version);
      const differing = sameCounts(rowCounts(db), m.tables);
      if (differing) throw damaged(name, `filas / rows ${differing}`);
    } finally {
      db.close();
    }
    return { manifest: m, database, key: m.key ? key : null };
  })();
}

/**
 * Copies a database (already checked and brought up to date) into the live file with SQLite's backup API, in one
 * write transaction of the live database: its open connections see the new content as one commit, and a crash
 * half-way leaves the old one. Both must have the same page size: a database made before Cupo used 16 KB pages
 * (db/connection.ts) keeps its 4 KB, so the source, a scratch copy, is rewritten in the live one's.
 */
export async function copyInto(source: WritableDB, liveFile: string, liveDb: ReadableDB, signal?: AbortSignal): Promise<void> {
  const pageSize = liveDb.pragma('page_size', { simple: true }) as number;
  if (source.pragma('page_size', { simple: true }) !== pageSize) {
    // A database in WAL mode cannot change its page size (VACUUM would keep the old one).
    source.pragma('journal_mode = DELETE');
    source.pragma(`page_size = ${pageSize}`);
    source.exec('VACUUM');
  }
  signal?.throwIfAborted();
  const started = performance.now();
  await source.backup(liveFile, {
    progress: ({ remainingPages }) => {
      // All pages in one step; a step that finds the live file locked (SQLITE_BUSY) is tried again, for 30 s at most.
      if (remainingPages > 0 && performance.now() - started > 30_000) throw new Error('the database stayed locked by another program for 30 s');
      return 0x7fffffff;
    },
  });
}
