/**
 * Training speed: import + backtest (3 folds × 5 candidates) + final fit on the demo institute, and with --uva
 * on the University of Virginia sections beside the repository (21 semesters, ~100k classes).
 * Prints wall time, each candidate's time and WAPE.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importFiles } from '../electron/engine/snapshots/import-files';
import type { ImportRequest } from '../electron/engine/snapshots/import-files';
import { periodFromFileName } from '../electron/engine/domain/period-from-name';
import { train } from '../electron/engine/training/train';
import { openWorkspace } from '../electron/engine/workspace';

const dir = path.resolve('.bench');
fs.mkdirSync(dir, { recursive: true });

async function measure(name: string, requests: ImportRequest[]) {
  const db = path.join(dir, `train-${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm', '.key']) fs.rmSync(db + suffix, { force: true });
  const ws = openWorkspace(db);
  let started = performance.now();
  await importFiles(ws.db, requests, { key: ws.key });
  const importMs = performance.now() - started;
  started = performance.now();
  const report = await train(ws.db, { seed: 42 });
  const trainMs = performance.now() - started;
  const perCandidate = ws.db.prepare(`SELECT candidate, SUM(duration_ms) AS ms FROM run_metric WHERE run_id = ? GROUP BY candidate`).all(report.run_id) as { candidate: string; ms: number }[];
  ws.close();
  console.log(`\n${name}: import ${Math.round(importMs)} ms, training ${(trainMs / 1000).toFixed(1)} s (backtest ${report.backtest_periods.join(', ')} + final fit of ${report.winner})`);
  for (const c of report.candidates) {
    const ms = perCandidate.find((p) => p.candidate === c.candidate)?.ms ?? 0;
    console.log(`  ${c.candidate.padEnd(20)} WAPE ${(100 * c.wape).toFixed(1).padStart(5)}%   ${(ms / 1000).toFixed(1).padStart(5)} s for ${c.folds} folds${c.candidate === report.winner ? '   ← serves' : ''}`);
  }
  return { name, import_ms: Math.round(importMs), train_ms: Math.round(trainMs), winner: report.winner, candidates: report.candidates };
}

const demoDir = path.resolve('data/demo');
const results = [await measure('demo', fs.readdirSync(demoDir).filter((f) => f.endsWith('.csv')).sort().map((f) => ({ file: path.join(demoDir, f) })))];
if (process.argv.includes('--uva')) {
  const uva = path.resolve('../shared/datasets/uva-sections');
  const mapping = JSON.parse(fs.readFileSync('data/mappings/uva-sections.json', 'utf8'));
  const files = fs.readdirSync(uva).filter((f) => f.endsWith('.csv')).sort();
  results.push(await measure('uva', files.map((f) => ({ file: path.join(uva, f), mapping, period: periodFromFileName(f)! }))));
}
fs.writeFileSync(path.join(dir, 'train.json'), `${JSON.stringify(results, null, 2)}\n`);
