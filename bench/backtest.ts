/**
 * Backtest tables: per candidate and per fold, class-level WAPE, bias and 80 % interval coverage, with the
 * course × site and site WAPE, then what the winner forecasts next (total, its check, classes closing).
 *
 *   npx tsx bench/backtest.ts [--demo] [--k12] [--nyc] [--uva] [--candidates a,b] [--folds 3]
 *
 * --k12 is generated (bench/generate-k12.ts); --nyc is real (bench/nyc-k12.ts). For both, a grade-progression
 * method written apart from Cupo (bench/plain-cohort.ts) is scored on the same folds, the yardstick of issue #10.
 *
 * The figures are also written to .bench/backtest-<name>.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TrainingReport } from '../shared/reports';
import { makeForecast } from '../electron/engine/forecast/forecast';
import { importFiles } from '../electron/engine/snapshots/import-files';
import type { ImportRequest } from '../electron/engine/snapshots/import-files';
import { periodFromFileName } from '../electron/engine/domain/period-from-name';
import { train } from '../electron/engine/training/train';
import { openWorkspace } from '../electron/engine/workspace';
import { K12_GRADES, writeK12 } from './generate-k12';
import { writeNycK12 } from './nyc-k12';
import { plainCohortWape, readCountRows } from './plain-cohort';

const dir = path.resolve('.bench');
fs.mkdirSync(dir, { recursive: true });
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const pct = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '   —' : `${(100 * v).toFixed(digits)}%`);

function table(report: TrainingReport): string {
  const periods = report.backtest_periods;
  const lines: string[] = [];
  const head = ['candidate'.padEnd(19), ...periods.map((p) => `${p}: WAPE course  bias  cover`.padStart(36)), '  all: WAPE course  site   bias  cover'];
  lines.push(head.join(' '));
  for (const c of report.candidates) {
    const cells = periods.map((p) => {
      const f = report.folds.find((x) => x.candidate === c.candidate && x.period === p);
      return f ? `${pct(f.wape).padStart(12)} ${pct(f.course_wape).padStart(6)} ${pct(f.bias).padStart(6)} ${pct(f.coverage, 0).padStart(5)}` : ''.padStart(36);
    });
    const folds = report.folds.filter((x) => x.candidate === c.candidate);
    const site = folds.length ? folds.reduce((a, f) => a + f.site_wape * f.actual_total, 0) / folds.reduce((a, f) => a + f.actual_total, 0) : 0;
    lines.push([`${c.candidate}${c.candidate === report.winner ? ' ★' : ''}`.padEnd(19), ...cells, `${pct(c.wape).padStart(11)} ${pct(c.course_wape).padStart(6)} ${pct(site).padStart(5)} ${pct(c.bias).padStart(6)} ${pct(c.coverage, 0).padStart(6)}`].join(' '));
  }
  return lines.join('\n');
}

/** The independent grade-progression method on the folds Cupo was tested on, beside the winner's WAPE. */
function yardstick(file: string, report: TrainingReport): void {
  const plain = plainCohortWape(readCountRows(file), K12_GRADES, report.backtest_periods);
  // Over the periods the served model was scored on (a combination has none for a first period with nothing before it).
  const served = report.folds.filter((f) => f.candidate === report.winner);
  const on = plain.filter((f) => served.some((s) => s.period === f.period));
  const weight = (p: string) => served.find((s) => s.period === p)!.actual_total;
  const pooled = on.reduce((a, f) => a + f.wape * weight(f.period), 0) / on.reduce((a, f) => a + weight(f.period), 0);
  const winner = served.reduce((a, f) => a + f.wape * f.actual_total, 0) / served.reduce((a, f) => a + f.actual_total, 0);
  console.log(`plain grade progression (bench/plain-cohort.ts): ${plain.map((f) => `${f.period} ${pct(f.wape)} (bias ${pct(f.bias)})`).join(', ')}`);
  console.log(`on ${served.map((f) => f.period).join(', ')}: served (${report.winner}) ${pct(winner)}, plain method ${pct(pooled)}: ${(winner / pooled).toFixed(3)} ×`);
}

async function run(name: string, requests: ImportRequest[]): Promise<TrainingReport> {
  const db = path.join(dir, `backtest-${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm', '.key']) fs.rmSync(db + suffix, { force: true });
  const ws = openWorkspace(db);
  await importFiles(ws.db, requests, { key: ws.key });
  const started = performance.now();
  const report = await train(ws.db, {
    seed: 42,
    ...(option('candidates') ? { candidates: option('candidates')!.split(',') } : {}),
    ...(option('folds') ? { backtestPeriods: Number(option('folds')) } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const forecast = await makeForecast(ws.db);
  ws.close();
  console.log(`\n${name} (${seconds.toFixed(1)} s; WAPE over every class forecast or run, and of the forecast added up per course at each site; bias = (forecast − actual) / actual; cover = actuals inside the 80 % interval)`);
  console.log(table(report));
  const f = forecast.report;
  console.log(`forecast ${f.period} by ${f.candidate}: ${f.rows} classes, ${f.total_students} students; ${f.closing.length} classes closing (${f.closing.reduce((a, c) => a + c.last_students, 0)} students)`);
  if (f.total_check) console.log(`${f.total_check.flagged ? 'FLAGGED: ' : ''}${f.total_check.message.en}`);
  fs.writeFileSync(path.join(dir, `backtest-${name}.json`), `${JSON.stringify({ report, forecast: f }, null, 2)}\n`);
  return report;
}

if (args.includes('--demo') || !args.some((a) => a === '--k12' || a === '--nyc' || a === '--uva')) {
  const demoDir = path.resolve('data/demo');
  await run('demo', fs.readdirSync(demoDir).filter((f) => f.endsWith('.csv')).sort().map((f) => ({ file: path.join(demoDir, f) })));
}
if (args.includes('--k12')) {
  const { file } = writeK12(path.join(dir, 'k12', 'k12.csv'));
  yardstick(file, await run('k12', [{ file }]));
}
if (args.includes('--nyc')) {
  const file = writeNycK12(path.join(dir, 'nyc', 'nyc.csv'));
  yardstick(file, await run('nyc', [{ file }]));
}
if (args.includes('--uva')) {
  const uva = path.resolve('../shared/datasets/uva-sections');
  const mapping = JSON.parse(fs.readFileSync('data/mappings/uva-sections.json', 'utf8'));
  const files = fs.readdirSync(uva).filter((f) => f.endsWith('.csv')).sort();
  await run('uva', files.map((f) => ({ file: path.join(uva, f), mapping, period: periodFromFileName(f)! })));
}
