import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { demoFiles, tempDir } from '../testing/fixtures';
import { writerInfoFile } from '../db/writer-lock';
import { openInProcessEngine } from './in-process';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `cupo …` in a process of its own, as cron or a second terminal would run it. */
function cupo(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/engine/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, LANG: 'es_PE.UTF-8', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))) };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** A database with the demo's first file imported (two years of months), made in this process. */
async function demoDatabase(): Promise<{ dir: string; db: string }> {
  const dir = tempDir();
  const db = path.join(dir, 'cupo.sqlite');
  const opened = openInProcessEngine(db, path.join(dir, 'exports'));
  if (!opened.ok) throw new Error(opened.error.message.en);
  const first = demoFiles()[0]!;
  await opened.value.call('importFiles', { files: [{ fileId: opened.value.fileIds([first])[0]! }] }, { paths: [first] });
  opened.value.close();
  return { dir, db };
}

describe('two Cupo processes on one database', () => {
  it('take turns: an import and a training started together both finish, and the database is whole', async () => {
    const { db } = await demoDatabase();
    const importing = cupo(['import', demoFiles()[1]!, '--db', db]);
    const training = cupo(['train', '--candidates', 'last_value,moving_average', '--db', db]);
    const [imported, trained] = await Promise.all([importing.done, training.done]);
    expect([imported.code, trained.code], imported.stderr + trained.stderr).toEqual([0, 0]);
    expect(integrity(db)).toBe('ok');
  });

  it('a scheduled run started during a training waits its bound and says, in one sentence, who keeps the database busy; a backup does not wait; a killed training leaves no turn behind', async () => {
    const { dir, db } = await demoDatabase();
    const inbox = path.join(dir, 'entrada');
    fs.mkdirSync(inbox);
    fs.copyFileSync(demoFiles()[1]!, path.join(inbox, 'matriculas-2025-2026.csv'));
    // The long writer: a training of the network (tens of seconds on the demo), as the desktop app would run it.
    const training = cupo(['train', '--candidates', 'neural', '--backtest-periods', '3', '--db', db]);
    try {
      await until(() => fs.existsSync(writerInfoFile(db)), 60_000);
      const holder = JSON.parse(fs.readFileSync(writerInfoFile(db), 'utf8'));
      expect(holder).toMatchObject({ pid: training.child.pid, program: '«cupo train»', doing: { es: 'un entrenamiento' } });

      const run = await cupo(['run', '--inbox', inbox, '--db', db], { CUPO_WRITER_WAIT_MS: '1000' }).done;
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(
        new RegExp(`^La base de datos está ocupada: «cupo train» \\(proceso ${training.child.pid} de .+ en .+\\) está haciendo un entrenamiento desde \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; se esperó 1 s y no se hizo nada: inténtelo de nuevo cuando termine\\. / The database is busy: «cupo train» .* has been doing a training since .*; Cupo waited 1 s and did nothing: try again when it ends\\.$`),
      );
      // A backup needs no turn: it copies a consistent snapshot while the training holds it.
      const backup = await cupo(['backup', '--db', db, '--out', path.join(dir, 'copia.zip')], { CUPO_WRITER_WAIT_MS: '0' }).done;
      expect(backup.code, backup.stderr).toBe(0);
      expect(training.child.exitCode, 'the training was still running').toBeNull();
    } finally {
      training.child.kill('SIGKILL');
    }
    expect((await training.done).signal).toBe('SIGKILL');
    // The operating system released the turn with the process: the scheduled run goes at once, and does its work.
    const after = await cupo(['run', '--inbox', inbox, '--db', db], { CUPO_WRITER_WAIT_MS: '0' }).done;
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/matriculas-2025-2026\.csv: importado/);
    expect(integrity(db)).toBe('ok');
  });
});
