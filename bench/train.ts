/**
 * Training speed and memory: import, then (in a fresh process, so its peak memory is training's own) backtest of
 * every candidate + final fit. On the demo institute by default; `--k12` adds the generated K-12-shaped dataset
 * (1,800 schools × grades K–12 × 14 school years, one missing: bench/generate-k12.ts), `--uva` the University of
 * Virginia sections beside the repository (21 semesters). Goal on --k12: ≤ 30 s and ≤ 400 MB.
 * Prints wall time, peak memory, each candidate's time and WAPE.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TrainingReport } from '../shared/reports';
import { importFiles } from '../electron/engine/snapshots/import-files';
import type { ImportRequest } from '../electron/engine/snapshots/import-files';
import { periodFromFileName } from '../electron/engine/domain/period-from-name';
import { openWorkspace } from '../electron/engine/workspace';
import { writeK12 } from './generate-k12';

const dir = path.resolve('.bench');
fs.mkdirSync(dir, { recursive: true });

async function measure(name: string, requests: ImportRequest[]) {
  const db = path.join(dir, `train-${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm', '.key']) fs.rmSync(db + suffix, { force: true });
  const ws = openWorkspace(db);
  const started = performance.now();
  await importFiles(ws.db, requests, { key: ws.key });
  const importMs = performance.now() - started;
  ws.close();
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.resolve('bench/train-child.ts'), db], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const { ms, peakRssMb, report, perCandidate } = JSON.parse(out) as { ms: number; peakRssMb: number; report: TrainingReport; perCandidate: { candidate: string; ms: number }[] };
  console.log(`\n${name}: import ${Math.round(importMs)} ms, training ${(ms / 1000).toFixed(1)} s, peak memory ${Math.round(peakRssMb)} MB (backtest ${report.backtest_periods.join(', ')} + final fit of ${report.winner})`);
  for (const c of report.candidates) {
    const candidateMs = perCandidate.find((p) => p.candidate === c.candidate)?.ms ?? 0;
    console.log(`  ${c.candidate.padEnd(20)} WAPE ${(100 * c.wape).toFixed(1).padStart(5)}%   ${(candidateMs / 1000).toFixed(1).padStart(5)} s for ${c.folds} folds${c.candidate === report.winner ? '   ← serves' : ''}`);
  }
  return { name, import_ms: Math.round(importMs), train_ms: Math.round(ms), peak_rss_mb: Math.round(peakRssMb), winner: report.winner, candidates: report.candidates };
}

const demoDir = path.resolve('data/demo');
const results = [await measure('demo', fs.readdirSync(demoDir).filter((f) => f.endsWith('.csv')).sort().map((f) => ({ file: path.join(demoDir, f) })))];
if (process.argv.includes('--k12')) {
  const { file } = writeK12(path.join(dir, 'k12', 'k12.csv'));
  results.push(await measure('k12', [{ file }]));
}
if (process.argv.includes('--uva')) {
  const uva = path.resolve('../shared/datasets/uva-sections');
  const mapping = JSON.parse(fs.readFileSync('data/mappings/uva-sections.json', 'utf8'));
  const files = fs.readdirSync(uva).filter((f) => f.endsWith('.csv')).sort();
  results.push(await measure('uva', files.map((f) => ({ file: path.join(uva, f), mapping, period: periodFromFileName(f)! }))));
}
fs.writeFileSync(path.join(dir, 'train.json'), `${JSON.stringify(results, null, 2)}\n`);
