import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupManifest } from '../db/backup';
import { extractBackupSteps, runNow } from '../db/backup';
import type { WritableDB } from '../db/types';
import { tempDir, writeFile } from './fixtures';

/** The database inside a backup file, extracted and checked (as a restore would), opened read-only for a test to look at. */
export function openBackup(zip: string): { db: Database.Database; manifest: BackupManifest; dir: string; key: string | null } {
  const dir = tempDir('cupo-backup-');
  const extracted = runNow(extractBackupSteps(zip, dir, path.basename(zip), (file) => new Database(file) as WritableDB));
  return { db: new Database(extracted.database, { readonly: true }), manifest: extracted.manifest, dir, key: extracted.key };
}

/**
 * A small enrolment file, one row per student with an id: `months` (YYYYMM) × 2 sites × 3 courses × 2 schedules,
 * 6–14 students a class (seeded), ids from a pool of 400 so students come back month after month.
 */
export function studentMonths(dir: string, name: string, months: readonly string[], seed = 13): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = ['periodo,sede,curso,horario,id_alumno'];
  let id = 0;
  for (const month of months) {
    for (const site of ['CENTRO', 'NORTE']) {
      for (const course of ['BAS01', 'BAS02', 'BAS03']) {
        for (const schedule of ['08:00', '18:00']) {
          const n = 6 + Math.floor(next() * 9);
          for (let i = 0; i < n; i++) rows.push(`${month},${site},${course},${schedule},A${String(++id % 400).padStart(5, '0')}`);
        }
      }
    }
  }
  return writeFile(dir, name, `${rows.join('\n')}\n`);
}
