import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadableDB } from '../db/types';
import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The folder beside the repository that holds the shared corpus and datasets (CUPO_SHARED_DIR overrides). */
export function sharedDir(): string {
  const dir = process.env.CUPO_SHARED_DIR ?? path.resolve(repoRoot, '../shared');
  if (!fs.existsSync(path.join(dir, 'corpus', 'expect.tsv'))) throw new Error(`The shared corpus is missing: expected it at ${dir}/corpus (set CUPO_SHARED_DIR).`);
  return dir;
}

export { demoFiles } from '../demo';

export function tempDir(prefix = 'cupo-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real database file in a fresh temporary folder. */
export function tempWorkspace(): Workspace & { dir: string } {
  const dir = tempDir();
  return Object.assign(openWorkspace(path.join(dir, 'cupo.sqlite')), { dir });
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** A digest of every row of every table: equal digests mean the database holds exactly the same data. */
export function databaseDigest(db: ReadableDB): string {
  const hash = createHash('sha256');
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[];
  for (const { name } of tables) {
    hash.update(`#${name}\n`);
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).raw().iterate() as Iterable<unknown[]>) {
      hash.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) || (v && typeof v === 'object' && 'type' in v && v.type === 'Buffer') ? Buffer.from(v as Buffer).toString('hex') : v)));
    }
  }
  return hash.digest('hex');
}

/**
 * A student-level file large enough (600,000 enrolments, 2031) that importing it takes longer than a cancel takes
 * to arrive: what the cancellation tests cancel.
 */
export function largeEnrolmentFile(dir: string = tempDir()): string {
  const file = path.join(dir, 'matricula-grande.csv');
  const rows = Array.from({ length: 600_000 }, (_, i) => `2031${String((i % 12) + 1).padStart(2, '0')},NORTE,BAS${String(i % 10).padStart(2, '0')},LMV,A${i % 90_000}`);
  fs.writeFileSync(file, `Periodo,Sede,Curso,Horario,Codigo_Alumno\n${rows.join('\n')}\n`);
  return file;
}
