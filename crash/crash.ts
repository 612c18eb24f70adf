/**
 * Crash safety: the engine process is killed with SIGKILL at random points of an import, a training, a promotion, a
 * rollback and a restore, and every time the database must be whole and consistent, and the next act must work.
 *
 * Each run copies a prepared database (two years of the demo imported, two models trained, the second serving, the
 * first before it), starts the real command line in a child process (crash/child.ts), kills it after a random delay
 * drawn over the length of an uninterrupted run of the same command (measured first), and checks, in this process:
 * PRAGMA integrity_check and foreign_key_check; no half-made import (every snapshot has its classes, a student file's
 * classes their rosters, every snapshot is in use somewhere); no half-made data version (platinum, features and
 * target versions hold the rows they say); no half-made training (every run has its metrics); exactly one champion,
 * with one open tenure, and it is the one that served before or the act's new one; the act and its audit entry
 * together (both or neither); every backup in sight opens and checks; the key matches the database. Then it opens
 * the database with the engine and forecasts, imports (after a killed import) and trains.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { backupSteps, runNow } from '../electron/engine/db/backup';
import { MIGRATIONS } from '../electron/engine/db/migrations';
import type { WritableDB } from '../electron/engine/db/types';
import { openInProcessEngine } from '../electron/engine/host/in-process';
import { keyMatchesDatabase, readKeyFile } from '../electron/engine/ingest/pseudonymise';
import { openBackup } from '../electron/engine/testing/backups';
import { seededRandom } from '../electron/engine/models/random';
import { demoFiles, tempDir } from '../electron/engine/testing/fixtures';


const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'crash', 'child.ts');
const FIXTURE = path.join(ROOT, 'electron/engine/db/fixtures/cupo-0.1-schema-001.sqlite');

export const KINDS = ['import', 'train', 'promote', 'rollback', 'restore'] as const;
export type Kind = (typeof KINDS)[number];

export interface CrashFailure {
  kind: Kind;
  run: number;
  point: string;
  problems: string[];
}

export interface CrashResult {
  runs: number;
  /** Runs whose process was killed (the others ended before their kill came). */
  kills: number;
  /** Distinct places a kill landed: the last step the process had reported, and whether its act had committed. */
  points: Map<string, number>;
  perKind: Record<Kind, { runs: number; kills: number; committed: number; ms: number }>;
  failures: CrashFailure[];
  ms: number;
}

export interface CrashOptions {
  runsPerKind: number;
  seed: number;
  kinds?: readonly Kind[];
  onRun?: (line: string) => void;
}


/** A progress line as a kill point: the step, without file names, periods or counts. */
function pointOf(line: string): string {
  const rules: [RegExp, string][] = [
    [/^@start$/, 'started, nothing reported yet'],
    [/^Leyendo y comprobando/, 'restore: reading the backup'],
    [/^Leyendo /, 'import: reading the file'],
    [/^Preparando los datos/, 'train: preparing the data'],
    [/^Probando /, 'train: backtest'],
    [/^Entrenando /, 'train: final fit'],
    [/^Copia de seguridad: copiando/, 'backup: copy'],
    [/^Copia de seguridad: guardando/, 'backup: pack'],
    [/^Copia de seguridad: releyendo/, 'backup: verify'],
    [/^Copia de seguridad lista/, 'backup: done'],
    [/^Guardando una copia de lo que/, 'restore: backing up what it replaces'],
    [/^Restaurando la base/, 'restore: copying in'],
    [/^Comprobando la base restaurada/, 'restore: checking'],
    [/^Restauración terminada/, 'restore: done'],
  ];
  for (const [pattern, name] of rules) if (pattern.test(line)) return name;
  return line.replace(/\d+/g, '#').slice(0, 40);
}

interface Base {
  dir: string;
  db: string;
  secondFile: string;
  restoreFrom: string;
  backupsBefore: number;
}

function copyDatabase(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  for (const suffix of ['', '-wal', '.key']) if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
}

/** The prepared database every run starts from, made once with the engine in this process. */
async function prepare(): Promise<Base> {
  const dir = tempDir('cupo-crash-');
  const db = path.join(dir, 'base', 'cupo.sqlite');
  const [first, second] = demoFiles() as [string, string];
  const opened = openInProcessEngine(db, path.join(dir, 'exports'));
  if (!opened.ok) throw new Error(opened.error.message.en);
  const engine = opened.value;
  const must = async (result: Promise<{ ok: boolean; error?: { message: { en: string } } }>) => {
    const r = await result;
    if (!r.ok) throw new Error(r.error!.message.en);
  };
  await must(engine.call('importFiles', { files: [{ fileId: engine.fileIds([first])[0]! }] }, { paths: [first] }));
  await must(engine.call('train', { candidates: ['last_value', 'moving_average'] }));
  await must(engine.call('train', { candidates: ['seasonal_naive'], force: true }));
  await must(engine.call('forecast', {}));
  engine.close();
  // What a restore brings: a backup of another database, of the previous release (schema 001, its own key).
  const oldDb = path.join(dir, 'old', 'cupo.sqlite');
  copyDatabase(FIXTURE, oldDb);
  const restoreFrom = path.join(dir, 'copia-anterior.zip');
  const old = new Database(oldDb) as WritableDB;
  runNow(backupSteps(old, oldDb, restoreFrom, { reason: 'manual' }));
  old.close();
  return { dir, db, secondFile: second, restoreFrom, backupsBefore: 0 };
}

function argsOf(kind: Kind, base: Base, db: string): string[] {
  switch (kind) {
    case 'import':
      return ['import', base.secondFile, '--db', db];
    case 'train':
      // Two baselines and the network on one fold: most of a real training's time is the network's epochs, so the
      // kills land in the backtest, the final fit, the registering and the commit of a model of some size.
      return ['train', '--candidates', 'last_value,moving_average,neural', '--backtest-periods', '1', '--db', db];
    case 'promote':
      return ['promote', 'model-0001', '--reason', 'crash test', '--db', db];
    case 'rollback':
      return ['rollback', '--reason', 'crash test', '--db', db];
    case 'restore':
      return ['restore', base.restoreFrom, '--db', db];
  }
}

interface ChildRun {
  killed: boolean;
  code: number | null;
  point: string;
  /** From the start mark to the end (or the kill). */
  ms: number;
  stderr: string;
}

/** Runs the command in a child; kills it `killAfterMs` after its start mark (never, when null). */
function runChild(args: string[], killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      cwd: ROOT,
      env: { ...process.env, LANG: 'es_PE.UTF-8', CUPO_WRITER_WAIT_MS: '2000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let last = 'launched, modules not loaded yet';
    let started = 0;
    let point: string | null = null;
    let timer: NodeJS.Timeout | null = null;
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of chunk.toString().split(/[\r\n]+/)) {
        const text = line.trim();
        if (!text) continue;
        if (text === '@start' && started === 0) {
          started = performance.now();
          if (killAfterMs !== null) {
            timer = setTimeout(() => {
              point = last;
              child.kill('SIGKILL');
            }, killAfterMs);
          }
        }
        last = pointOf(text);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL' && point !== null, code, point: point ?? 'ended before the kill', ms: started ? performance.now() - started : 0, stderr });
    });
  });
}

interface State {
  champion: string | null;
  snapshots: number;
  runs: number;
  audit: Record<string, number>;
  zips: string[];
  restoredFile: boolean;
}

function stateOf(file: string): State {
  const db = new Database(file, { readonly: true });
  try {
    const audit = Object.fromEntries((db.prepare(`SELECT what, COUNT(*) AS n FROM audit_log GROUP BY what`).all() as { what: string; n: number }[]).map((r) => [r.what, r.n]));
    const dir = path.join(path.dirname(file), 'backups');
    return {
      champion: (db.prepare(`SELECT id FROM model_version WHERE status = 'champion'`).pluck().get() as string | undefined) ?? null,
      snapshots: db.prepare(`SELECT COUNT(*) FROM raw_snapshot`).pluck().get() as number,
      runs: db.prepare(`SELECT COUNT(*) FROM training_run`).pluck().get() as number,
      audit,
      zips: fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.zip') && !f.startsWith('.')).sort() : [],
      restoredFile: (db.prepare(`SELECT COUNT(*) FROM raw_snapshot WHERE file_name = 'matriculas-2024-h1.csv'`).pluck().get() as number) > 0,
    };
  } finally {
    db.close();
  }
}

/** Whether the act of `kind` is in the database now (it commits whole or not at all). */
function committed(kind: Kind, before: State, after: State): boolean {
  switch (kind) {
    case 'import':
      return after.snapshots > before.snapshots;
    case 'train':
      return after.runs > before.runs;
    case 'promote':
    case 'rollback':
      return after.champion !== before.champion;
    case 'restore':
      return after.restoredFile;
  }
}

const AUDITED: Record<Kind, string> = { import: 'import', train: 'train', promote: 'promote', rollback: 'rollback', restore: 'restore' };

/** Everything that must hold of a database whatever moment its writer died at. */
function check(kind: Kind, file: string, before: State): { problems: string[]; done: boolean } {
  const problems: string[] = [];
  const db = new Database(file);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) problems.push(`foreign_key_check: ${broken.length} broken reference(s)`);
    const versions = db.prepare(`SELECT version FROM migration ORDER BY version`).pluck().all();
    if (JSON.stringify(versions) !== JSON.stringify(MIGRATIONS.map((m) => m.version))) problems.push(`migrations ${JSON.stringify(versions)}`);
    const empty = db.prepare(`SELECT id FROM raw_snapshot s WHERE NOT EXISTS (SELECT 1 FROM raw_class c WHERE c.snapshot_id = s.id)`).pluck().all();
    if (empty.length > 0) problems.push(`snapshots without classes: ${empty.join(', ')}`);
    const rosterless = db.prepare(`SELECT COUNT(*) FROM raw_class c JOIN raw_snapshot s ON s.id = c.snapshot_id WHERE s.granularity = 'student' AND NOT EXISTS (SELECT 1 FROM raw_roster r WHERE r.class_id = c.id)`).pluck().get() as number;
    if (rosterless > 0) problems.push(`${rosterless} student classes without their roster`);
    const unused = db.prepare(`SELECT id FROM raw_snapshot s WHERE NOT EXISTS (SELECT 1 FROM snapshot_use u WHERE u.snapshot_id = s.id)`).pluck().all();
    if (unused.length > 0) problems.push(`snapshots never used: ${unused.join(', ')}`);
    for (const [kindOf, table] of [['platinum', 'platinum_class'], ['features', 'feature_row'], ['target', 'target_row']] as const) {
      const partial = db
        .prepare(`SELECT v.id FROM dataset_version v WHERE v.kind = ? AND v.row_count <> (SELECT COUNT(*) FROM ${table} t WHERE t.version_id = v.id)`)
        .pluck()
        .all(kindOf);
      if (partial.length > 0) problems.push(`incomplete ${kindOf} versions: ${partial.join(', ')}`);
    }
    const metricless = db.prepare(`SELECT id FROM training_run r WHERE NOT EXISTS (SELECT 1 FROM run_metric m WHERE m.run_id = r.id)`).pluck().all();
    if (metricless.length > 0) problems.push(`training runs without metrics: ${metricless.join(', ')}`);
    const champions = db.prepare(`SELECT id FROM model_version WHERE status = 'champion'`).pluck().all() as string[];
    const open = db.prepare(`SELECT model_id FROM champion_history WHERE to_at IS NULL`).pluck().all() as string[];
    if (champions.length !== 1 || open.length !== 1 || open[0] !== champions[0]) problems.push(`champions ${JSON.stringify(champions)}, open tenures ${JSON.stringify(open)}`);
  } finally {
    db.close();
  }
  const after = stateOf(file);
  const done = committed(kind, before, after);
  // The champion: the one before, or the act's new one.
  const allowed = new Set([before.champion, ...(kind === 'promote' || kind === 'rollback' || kind === 'restore' ? ['model-0001'] : [])]);
  if (kind === 'train' && done) allowed.add(after.champion);
  if (kind === 'import') allowed.add('model-0001');
  if (!allowed.has(after.champion)) problems.push(`champion ${after.champion} (before ${before.champion})`);
  // The act and its audit entry, both or neither.
  // (A restored database has the log it was backed up with, plus the restore's own entry.)
  const entries = (after.audit[AUDITED[kind]] ?? 0) - (kind === 'restore' && done ? 0 : (before.audit[AUDITED[kind]] ?? 0));
  if (entries !== (done ? 1 : 0)) problems.push(`${done ? 'committed' : 'not committed'} with ${entries} new '${AUDITED[kind]}' audit entries`);
  // Every backup in sight opens and checks; an act that committed after a backup has it.
  for (const zip of after.zips) {
    try {
      openBackup(path.join(path.dirname(file), 'backups', zip)).db.close();
    } catch (error) {
      problems.push(`backup ${zip}: ${(error as Error).message}`);
    }
  }
  if (done && kind !== 'import' && kind !== 'train' && after.zips.length === 0) problems.push('committed without its backup');
  // The key is the database's, or the restore's staged key is (the next open puts it in place).
  const check2 = new Database(file, { readonly: true });
  try {
    const key = readKeyFile(`${file}.key`);
    const staged = fs.existsSync(`${file}.key.restoring`) ? readKeyFile(`${file}.key.restoring`) : null;
    if (!keyMatchesDatabase(check2 as never, key) && !(staged && keyMatchesDatabase(check2 as never, staged))) problems.push('the key does not match the database');
  } finally {
    check2.close();
  }
  return { problems, done };
}

/** The next acts, with the engine: they must work. */
async function nextActs(kind: Kind, file: string, base: Base): Promise<string[]> {
  const problems: string[] = [];
  const opened = openInProcessEngine(file, path.join(path.dirname(file), 'exports'));
  if (!opened.ok) return [`open: ${opened.error.message.en}`];
  const engine = opened.value;
  try {
    if (fs.existsSync(`${file}.key.restoring`)) problems.push('a staged key was left after opening');
    const status = await engine.call('status', {});
    if (!status.ok || !status.value.serving) problems.push(`status: ${status.ok ? 'nothing serves' : status.error.message.en}`);
    const forecast = await engine.call('forecast', {});
    if (!forecast.ok) problems.push(`forecast: ${forecast.error.message.en}`);
    if (kind === 'import') {
      const imported = await engine.call('importFiles', { files: [{ fileId: engine.fileIds([base.secondFile])[0]! }] }, { paths: [base.secondFile] });
      if (!imported.ok || imported.value.reports[0]?.status === 'rejected') problems.push(`import: ${imported.ok ? JSON.stringify(imported.value.reports[0]?.problems[0]) : imported.error.message.en}`);
      else if (imported.value.reports[0]!.problems.some((p) => /key|clave/i.test(p.message.en))) problems.push('import: the key changed');
    }
    const trained = await engine.call('train', { candidates: ['last_value'] });
    if (!trained.ok) problems.push(`train: ${trained.error.message.en}`);
  } finally {
    engine.close();
  }
  return problems;
}

export async function runCrashCampaign(options: CrashOptions): Promise<CrashResult> {
  const started = performance.now();
  // A writer's turn left taken by a killed process would show as a wait; it must never happen, so do not wait long.
  process.env.CUPO_WRITER_WAIT_MS = '2000';
  const next = seededRandom(options.seed);
  const kinds = options.kinds ?? KINDS;
  const base = await prepare();
  const baseState = stateOf(base.db);
  const result: CrashResult = {
    runs: 0,
    kills: 0,
    points: new Map(),
    perKind: Object.fromEntries(KINDS.map((k) => [k, { runs: 0, kills: 0, committed: 0, ms: 0 }])) as CrashResult['perKind'],
    failures: [],
    ms: 0,
  };
  let counter = 0;
  for (const kind of kinds) {
    const kindStarted = performance.now();
    // Uninterrupted runs first (two for a long campaign, their mean counts: the machine is shared): each must
    // succeed and pass every check, and they give the window the kills fall in.
    const lengths: number[] = [];
    for (let c = 0; c < (options.runsPerKind >= 10 ? 2 : 1); c++) {
      const calibration = path.join(base.dir, `run-${counter++}`, 'cupo.sqlite');
      copyDatabase(base.db, calibration);
      const run = await runChild(argsOf(kind, base, calibration), null);
      const first = check(kind, calibration, baseState);
      if (run.code !== 0 || !first.done || first.problems.length > 0) {
        result.failures.push({ kind, run: 0, point: 'uninterrupted', problems: [`exit ${run.code}: ${run.stderr.trim().split('\n').at(-1)}`, ...first.problems] });
      }
      lengths.push(run.ms);
      fs.rmSync(path.dirname(calibration), { recursive: true, force: true });
    }
    const length = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    for (let i = 1; i <= options.runsPerKind; i++) {
      const dir = path.join(base.dir, `run-${counter++}`);
      const db = path.join(dir, 'cupo.sqlite');
      copyDatabase(base.db, db);
      // Most draws anywhere in the run; three in ten around its end, where the commit and the closing are.
      const delay = Math.round(length * (next() < 0.3 ? 0.85 + 0.4 * next() : next()));
      const run = await runChild(argsOf(kind, base, db), delay);
      const { problems, done } = check(kind, db, baseState);
      if (problems.length === 0) problems.push(...(await nextActs(kind, db, base)));
      const where = run.point.startsWith(`${kind}: `) ? run.point : `${kind}: ${run.point}`;
      const point = `${where} → ${run.killed ? (done ? 'committed' : 'not committed') : `exit ${run.code}`}`;
      result.runs++;
      result.perKind[kind].runs++;
      if (run.killed) {
        result.kills++;
        result.perKind[kind].kills++;
        result.points.set(point, (result.points.get(point) ?? 0) + 1);
      }
      if (done) result.perKind[kind].committed++;
      if (!run.killed && run.code !== 0) problems.push(`ended with exit ${run.code}: ${run.stderr.trim().split('\n').at(-1)}`);
      if (problems.length > 0) result.failures.push({ kind, run: i, point, problems });
      options.onRun?.(`${kind} #${i}: killed at ${delay} ms of ${Math.round(length)} — ${point}${problems.length > 0 ? ` — FAILED: ${problems.join('; ')}` : ''}`);
      if (problems.length === 0) fs.rmSync(dir, { recursive: true, force: true });
    }
    result.perKind[kind].ms = performance.now() - kindStarted;
  }
  if (result.failures.length === 0) fs.rmSync(base.dir, { recursive: true, force: true });
  result.ms = performance.now() - started;
  return result;
}
