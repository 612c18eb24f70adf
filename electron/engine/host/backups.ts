/**
 * Backups and restores as the contract offers them: a backup the user saves like an export, an automatic one before
 * every act that replaces what is in use (reopening an import, promoting or rolling back a model, restoring), and a
 * restore that keeps what it replaces first. Every one is on the audit log. The file format, the checks and the copy
 * itself are db/backup.ts's.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupDownload, RestoreResult } from '../../../shared/contract';
import type { Bilingual } from '../../../shared/messages';
import { AUTOMATIC, recordAudit } from '../audit/audit';
import type { BackupMade, BackupReason, BackupStep } from '../db/backup';
import { automaticBackup, backupFileName, backupsDir, copyInto, extractBackupSteps, pruneAutomaticBackups, restoreWorkDir, rowCounts, runYielding, writeBackup } from '../db/backup';
import { migrate } from '../db/migrate';
import { MIGRATIONS } from '../db/migrations';
import type { WritableDB } from '../db/types';
import { UserError } from '../errors';
import { keyMatchesDatabase, loadOrCreateKey, readKeyFile, settleStagedKey, stageKey } from '../ingest/pseudonymise';
import type { Workspace } from '../workspace';
import type { CallContext } from './call';
import { newExportFile } from './exports';

const STEP_WORDS: Record<BackupStep, Bilingual> = {
  copy: { es: 'Copia de seguridad: copiando y comprobando la base de datos', en: 'Backup: copying and checking the database' },
  pack: { es: 'Copia de seguridad: guardando la base con su clave', en: 'Backup: packing the database with its key' },
  verify: { es: 'Copia de seguridad: releyendo lo escrito', en: 'Backup: reading back what was written' },
};
const STEPS: BackupStep[] = ['copy', 'pack', 'verify'];

function stepReporter(call: CallContext): (step: BackupStep) => void {
  return (step) => call.onProgress({ stage: 'backup', done: STEPS.indexOf(step), total: STEPS.length, message: STEP_WORDS[step] });
}

function refuseInMemory(ws: Workspace): void {
  if (ws.file === ':memory:') {
    throw new UserError({ es: 'Una base de datos en memoria no tiene archivo que copiar ni que reemplazar.', en: 'A database in memory has no file to back up or replace.' }, 'failed');
  }
}

function totalRows(tables: Record<string, number>): number {
  return Object.values(tables).reduce((a, b) => a + b, 0);
}

/** `backup`: the database and its key in one zip, checked, in the exports folder for the host to hand over. */
export async function backupToExport(ws: Workspace, exportsDir: string, call: CallContext): Promise<BackupDownload> {
  refuseInMemory(ws);
  const fileName = backupFileName(ws.file, 'manual');
  const { exportId, file } = newExportFile(exportsDir, fileName);
  const made = await writeBackup(ws.db, ws.file, file, { reason: 'manual', signal: call.signal, onStep: stepReporter(call) });
  const { manifest } = made;
  const rows = totalRows(manifest.tables);
  recordAudit(ws.db, { what: 'backup', to: fileName, details: { reason: 'manual', bytes: made.bytes, schema_version: manifest.schema_version, tables: Object.keys(manifest.tables).length, rows, with_key: manifest.key !== null } });
  call.onProgress({ stage: 'backup', done: STEPS.length, total: STEPS.length, message: { es: 'Copia de seguridad lista', en: 'Backup ready' } });
  return {
    exportId,
    fileName,
    bytes: made.bytes,
    created_at: manifest.created_at,
    schema_version: manifest.schema_version,
    tables: Object.keys(manifest.tables).length,
    rows,
    with_key: manifest.key !== null,
  };
}

function auditAutomatic(db: WritableDB, made: BackupMade): void {
  recordAudit(db, {
    what: 'backup',
    who: AUTOMATIC,
    to: path.basename(made.file),
    details: { reason: made.manifest.reason, file: made.file, bytes: made.bytes, schema_version: made.manifest.schema_version, rows: totalRows(made.manifest.tables) },
  });
}

/**
 * An act that replaces what is in use, after an automatic backup of the database as it was (in `backups/`, the last
 * ten kept). The backup's audit entry and the act commit together; an act refused or failed changes nothing, and
 * its backup, the same database again, is not kept.
 */
export async function withBackupBefore<T>(ws: Workspace, reason: BackupReason, call: CallContext, act: () => T): Promise<T> {
  const made = ws.file === ':memory:' ? null : await automaticBackup(ws.db, ws.file, { reason, signal: call.signal, onStep: stepReporter(call) });
  try {
    const result = ws.db.transaction(() => {
      if (made) auditAutomatic(ws.db, made);
      return act();
    })();
    pruneAutomaticBackups(ws.file);
    return result;
  } catch (error) {
    if (made) fs.rmSync(made.file, { force: true });
    throw error;
  }
}

function openFile(file: string, nativeBinding: string | undefined): WritableDB {
  return new Database(file, nativeBinding !== undefined ? { nativeBinding } : {}) as WritableDB;
}

const NO_KEY = { secret: Buffer.alloc(0), fingerprint: '' };

/**
 * What a restore replaces is backed up first. A database too damaged to be copied whole (the copy fails its
 * integrity check, or SQLite cannot read it) is what a restore is most often for: then its files are kept as they
 * are, in a folder beside the backups, and the restore goes on.
 */
async function backupOrKeepFiles(ws: Workspace, call: CallContext): Promise<{ file: string; made: BackupMade | null }> {
  try {
    const made = await automaticBackup(ws.db, ws.file, { reason: 'before-restore', signal: call.signal, onStep: stepReporter(call) });
    return { file: made.file, made };
  } catch (error) {
    if (call.signal.aborted) throw error;
    const folder = path.join(backupsDir(ws.file), backupFileName(ws.file, 'before-restore').replace(/\.zip$/, '-sin-comprobar'));
    fs.mkdirSync(folder, { recursive: true });
    for (const suffix of ['', '-wal', '.key']) {
      if (fs.existsSync(ws.file + suffix)) fs.copyFileSync(ws.file + suffix, path.join(folder, path.basename(ws.file) + suffix));
    }
    return { file: folder, made: null };
  }
}

/**
 * `restore`: replaces the database with a backup. The backup is extracted beside the database and checked whole
 * (db/backup.ts), its key must be its database's, and a backup of an older Cupo is brought up to date on that copy;
 * only then is what is in use backed up (automatically, in `backups/`) and the backup copied in, in one transaction
 * of the live file, with its key put in place after it. The open connections stay open: they see the restored
 * database as one commit, so the engine goes on without reopening anything; another process that has the database
 * open sees it too, and picks up the key at its next write.
 */
export async function restoreFrom(ws: Workspace, source: { path: string; name: string }, call: CallContext): Promise<RestoreResult> {
  refuseInMemory(ws);
  if (!fs.existsSync(source.path) || !fs.statSync(source.path).isFile()) {
    throw new UserError({ es: `No existe el archivo ${source.name}.`, en: `There is no file ${source.name}.` });
  }
  const work = restoreWorkDir(ws.file);
  try {
    call.onProgress({ stage: 'restore', done: 0, total: 4, message: { es: `Leyendo y comprobando ${source.name}`, en: `Reading and checking ${source.name}` } });
    const extracted = await runYielding(extractBackupSteps(source.path, work, source.name, (file) => openFile(file, ws.nativeBinding)), call.signal);
    const { manifest } = extracted;
    const incoming = openFile(extracted.database, ws.nativeBinding);
    let safety: { file: string; made: BackupMade | null };
    let applied: number[];
    let expected: Record<string, number>;
    try {
      // The key and the database travel together: a key that is not the database's would break every student link.
      const keyed = !keyMatchesDatabase(incoming, NO_KEY);
      if (extracted.key ? !keyMatchesDatabase(incoming, readKeyFile(extracted.key)) : keyed) {
        throw new UserError(
          {
            es: `La copia ${source.name} no trae la clave de seudonimización de su base de datos: sin ella no se podrían unir los alumnos de importaciones futuras; no se cambió nada.`,
            en: `The backup ${source.name} does not carry its database's pseudonymisation key: without it the students of future imports could not be linked; nothing was changed.`,
          },
          'refused',
        );
      }
      // A backup of an earlier Cupo is upgraded here, on the extracted copy: the backup file itself stays as it was.
      ({ applied } = migrate(incoming, extracted.database, MIGRATIONS, ws.nativeBinding));
      expected = rowCounts(incoming);
      call.signal.throwIfAborted();
      call.onProgress({ stage: 'restore', done: 1, total: 4, message: { es: 'Guardando una copia de lo que se va a reemplazar', en: 'Backing up what is about to be replaced' } });
      safety = await backupOrKeepFiles(ws, call);
      // From here on nothing is cancelled: the swap runs to its end (a crash half-way leaves the old database, or the
      // new one and its key staged, which the next open puts in place).
      call.onProgress({ stage: 'restore', done: 2, total: 4, message: { es: 'Restaurando la base de datos', en: 'Restoring the database' } });
      // The restore goes on the log of the database restored, written into it before it is copied in: the act and
      // its record arrive in one commit (the same for the backup just taken of what it replaces).
      if (safety.made) auditAutomatic(incoming, safety.made);
      recordAudit(incoming, {
        what: 'restore',
        from: path.basename(safety.file),
        to: source.name,
        details: { created_at: manifest.created_at, app_version: manifest.app_version, schema_version: manifest.schema_version, migrated: applied, safety_backup: safety.file, rows: totalRows(expected) },
      });
      expected = rowCounts(incoming);
      if (extracted.key) stageKey(ws.file, extracted.key);
      await copyInto(incoming, ws.file, ws.db);
    } finally {
      incoming.close();
    }
    settleStagedKey(ws.file, ws.db);
    ws.key = loadOrCreateKey(ws.file);
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    call.onProgress({ stage: 'restore', done: 3, total: 4, message: { es: 'Comprobando la base restaurada', en: 'Checking the restored database' } });
    const integrity = (ws.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const counts = rowCounts(ws.db);
    const differing = Object.keys({ ...counts, ...expected }).find((t) => counts[t] !== expected[t]);
    if (integrity !== 'ok' || differing !== undefined) {
      throw new UserError(
        {
          es: `La base restaurada no pasó la comprobación (${integrity !== 'ok' ? integrity.slice(0, 120) : `filas de ${differing}`}): lo que había antes está en ${safety.file}.`,
          en: `The restored database failed its check (${integrity !== 'ok' ? integrity.slice(0, 120) : `rows of ${differing}`}): what was there before is in ${safety.file}.`,
        },
        'failed',
      );
    }
    pruneAutomaticBackups(ws.file);
    call.onProgress({ stage: 'restore', done: 4, total: 4, message: { es: 'Restauración terminada', en: 'Restore done' } });
    const made = manifest.created_at.replace('T', ' ').slice(0, 16);
    return {
      restored: { fileName: source.name, created_at: manifest.created_at, app_version: manifest.app_version, schema_version: manifest.schema_version },
      migrated: applied,
      safety_backup: safety.file,
      message: {
        es: `Se restauró la copia ${source.name} (del ${made} UTC, Cupo ${manifest.app_version})${applied.length > 0 ? ', actualizada a esta versión' : ''}; lo que había antes quedó guardado en ${safety.file}.`,
        en: `The backup ${source.name} (of ${made} UTC, Cupo ${manifest.app_version}) was restored${applied.length > 0 ? ' and brought up to this version' : ''}; what was there before was kept in ${safety.file}.`,
      },
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
