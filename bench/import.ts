/**
 * Import speed and memory: 1M generated student rows through Cupo's import (decode, validate, pseudonymise,
 * aggregate, store, derive platinum) side by side with sqlite3's own `.import` of the same file into a bare table,
 * for two shapes of the same size: few distinct students (each enrolled many months) and nearly one per row.
 * Goals: at most 1.5x sqlite3's time and at most 300 MB peak memory, for both.
 * BENCH_ROWS changes the size, BENCH_RUNS the number of runs (the best is kept).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StudentShape } from './generate-students';
import { writeStudentRows } from './generate-students';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GOAL_RATIO = 1.5;
const GOAL_MB = 300;
const SHAPES: StudentShape[] = [
  { name: '120k students', rows: ROWS, students: Math.round(ROWS * 0.12) },
  { name: '950k students', rows: ROWS, students: Math.round(ROWS * 0.95) },
];

const dir = path.resolve('.bench');
fs.mkdirSync(dir, { recursive: true });

function fresh(name: string): string {
  const file = path.join(dir, name);
  for (const suffix of ['', '-wal', '-shm', '.key']) fs.rmSync(file + suffix, { force: true });
  return file;
}

const hasSqlite3 = spawnSync('sqlite3', ['--version']).status === 0;
if (!hasSqlite3) console.log('sqlite3 is not installed, so there is nothing to compare with: install the command-line tool (apt-get install -y sqlite3) and run again.');

interface Figures {
  shape: string;
  rows: number;
  distinct_students: number;
  file_mb: number;
  cupo_ms: number;
  /** CPU time of all of Cupo's threads in the best run. */
  cupo_cpu_ms: number;
  cupo_peak_rss_mb: number;
  cupo_phases_ms: Record<string, number>;
  sqlite3_import_ms: number | null;
  ratio_to_sqlite3: number | null;
}

const results: Figures[] = [];
for (const shape of SHAPES) {
  const csv = path.join(dir, `students-${shape.rows}-${shape.students}.csv`);
  const counts = `${csv}.json`;
  if (!fs.existsSync(csv) || !fs.existsSync(counts)) fs.writeFileSync(counts, JSON.stringify(await writeStudentRows(csv, shape)));
  const { students } = JSON.parse(fs.readFileSync(counts, 'utf8')) as { students: number };
  const cupo: { ms: number; cpuMs: number; peakRssMb: number; rows: number; phases: Record<string, number> }[] = [];
  const sqlite3: number[] = [];
  // Interleaved, so a busy moment of the machine falls on both alike.
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.resolve('bench/import-child.ts'), csv, fresh('cupo.sqlite')], { encoding: 'utf8' });
    const run = JSON.parse(out) as (typeof cupo)[number] & { committed: boolean };
    if (!run.committed) throw new Error(`Cupo refused ${csv}: ${out}`);
    cupo.push(run);
    if (hasSqlite3) {
      const db = fresh('sqlite3.sqlite');
      const started = performance.now();
      execFileSync('sqlite3', [db, '.mode csv', `.import ${csv} enrolment`]);
      sqlite3.push(performance.now() - started);
    }
  }
  const best = cupo.reduce((a, b) => (b.ms < a.ms ? b : a));
  const sqliteMs = hasSqlite3 ? Math.min(...sqlite3) : null;
  results.push({
    shape: shape.name,
    rows: best.rows,
    distinct_students: students,
    file_mb: Number((fs.statSync(csv).size / 1e6).toFixed(1)),
    cupo_ms: Math.round(best.ms),
    cupo_cpu_ms: Math.round(best.cpuMs),
    cupo_peak_rss_mb: Math.round(Math.max(...cupo.map((c) => c.peakRssMb))),
    cupo_phases_ms: best.phases,
    sqlite3_import_ms: sqliteMs === null ? null : Math.round(sqliteMs),
    ratio_to_sqlite3: sqliteMs === null ? null : Number((best.ms / sqliteMs).toFixed(2)),
  });
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`Import of ${ROWS.toLocaleString('en-US')} student rows, 6 sites × 36 courses × 6 schedules × 60 months, best of ${RUNS} (goals: ≤ ${GOAL_RATIO}x sqlite3, ≤ ${GOAL_MB} MB):`);
console.log(`  ${'shape'.padEnd(15)} ${pad('file MB', 8)} ${pad('cupo ms', 8)} ${pad('(cpu ms)', 9)} ${pad('sqlite3 ms', 10)} ${pad('ratio', 6)} ${pad('peak MB', 8)}  phases (ms)`);
for (const r of results) {
  const ratio = r.ratio_to_sqlite3 === null ? '—' : `${r.ratio_to_sqlite3}x`;
  const phases = Object.entries(r.cupo_phases_ms).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`  ${r.shape.padEnd(15)} ${pad(r.file_mb, 8)} ${pad(r.cupo_ms, 8)} ${pad(`(${r.cupo_cpu_ms})`, 9)} ${pad(r.sqlite3_import_ms ?? '—', 10)} ${pad(ratio, 6)} ${pad(r.cupo_peak_rss_mb, 8)}  ${phases}`);
}
for (const r of results) {
  const fast = r.ratio_to_sqlite3 === null ? 'speed not compared (no sqlite3)' : r.ratio_to_sqlite3 <= GOAL_RATIO ? 'speed goal met' : 'speed goal NOT met';
  console.log(`  ${r.shape}: ${r.distinct_students.toLocaleString('en-US')} distinct ids; ${fast}; memory goal ${r.cupo_peak_rss_mb <= GOAL_MB ? 'met' : 'NOT met'}.`);
}
fs.writeFileSync(path.join(dir, 'import.json'), `${JSON.stringify(results, null, 2)}\n`);
