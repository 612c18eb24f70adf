/**
 * Import speed and memory: 1M generated student rows through Cupo's import (stream, validate, pseudonymise,
 * store, derive platinum) side by side with sqlite3's own `.import` of the same file into a bare table.
 * Goals: at most 2x sqlite3's time, at most 400 MB peak memory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeStudentRows } from './generate-students';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const dir = path.resolve('.bench');
fs.mkdirSync(dir, { recursive: true });
const csv = path.join(dir, `ladder-students-${ROWS}.csv`);
if (!fs.existsSync(csv)) await writeStudentRows(csv, ROWS);
const sizeMb = fs.statSync(csv).size / 1e6;

function fresh(name: string): string {
  const file = path.join(dir, name);
  for (const suffix of ['', '-wal', '-shm', '.key']) fs.rmSync(file + suffix, { force: true });
  return file;
}

const runs = 3;
const cupo: { ms: number; peakRssMb: number; rows: number }[] = [];
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.resolve('bench/import-child.ts'), csv, fresh('cupo.sqlite')], { encoding: 'utf8' });
  cupo.push(JSON.parse(out));
}

let sqliteMs: number | null = null;
if (spawnSync('sqlite3', ['--version']).status === 0) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const db = fresh('sqlite3.sqlite');
    const started = performance.now();
    execFileSync('sqlite3', [db, '.mode csv', `.import ${csv} enrolment`]);
    times.push(performance.now() - started);
  }
  sqliteMs = Math.min(...times);
}

const best = cupo.reduce((a, b) => (b.ms < a.ms ? b : a));
const figures = {
  rows: ROWS,
  file_mb: Number(sizeMb.toFixed(1)),
  cupo_ms: Math.round(best.ms),
  cupo_rows_per_s: Math.round(ROWS / (best.ms / 1000)),
  cupo_peak_rss_mb: Math.round(Math.max(...cupo.map((c) => c.peakRssMb))),
  sqlite3_import_ms: sqliteMs === null ? null : Math.round(sqliteMs),
  ratio_to_sqlite3: sqliteMs === null ? null : Number((best.ms / sqliteMs).toFixed(2)),
};
console.log(`Import of ${ROWS.toLocaleString("en-US")}+ student rows (${figures.file_mb} MB), best of ${runs}:`);
console.log(`  cupo import      ${figures.cupo_ms} ms (${figures.cupo_rows_per_s.toLocaleString('en-US')} rows/s), peak memory ${figures.cupo_peak_rss_mb} MB (goal ≤ 400 MB)`);
if (sqliteMs === null) console.log('  sqlite3 .import  not measured: install the sqlite3 command-line tool (apt-get install sqlite3)');
else console.log(`  sqlite3 .import  ${figures.sqlite3_import_ms} ms  →  cupo / sqlite3 = ${figures.ratio_to_sqlite3}x (goal ≤ 2x)`);
fs.writeFileSync(path.join(dir, 'import.json'), `${JSON.stringify(figures, null, 2)}\n`);
