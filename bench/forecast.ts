/**
 * Forecast speed: a school system with ~100,000 classes a year (20,000 schools × grades K–12, 2019–2023, from
 * bench/generate-k12.ts) is imported and trained once, then the next year is forecast — rows, intervals, decisions,
 * closing classes, total check, stored — three times; prints the best. Goal: ≤ 1 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeForecast } from '../electron/engine/forecast/forecast';
import { importFiles } from '../electron/engine/snapshots/import-files';
import { train } from '../electron/engine/training/train';
import { openWorkspace } from '../electron/engine/workspace';
import { writeK12 } from './generate-k12';

const dir = path.resolve('.bench');
const db = path.join(dir, 'forecast-100k.sqlite');
const fresh = !fs.existsSync(db);
const ws = openWorkspace(db);
if (fresh) {
  const { file, rows } = writeK12(path.join(dir, 'k12', 'k12-100k.csv'), { schools: 20_000, from: 2019, to: 2023, missing: [] });
  console.log(`importing ${rows} rows…`);
  await importFiles(ws.db, [{ file }], { key: ws.key });
  const started = performance.now();
  const report = await train(ws.db, { seed: 42, backtestPeriods: 1 });
  console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s; serves ${report.winner}`);
}
const times: number[] = [];
let classes = 0;
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const { rows } = await makeForecast(ws.db);
  times.push(performance.now() - started);
  classes = rows.length;
}
ws.close();
console.log(`forecast of ${classes.toLocaleString('en-US')} classes: best ${Math.round(Math.min(...times))} ms of ${times.map((t) => Math.round(t)).join(', ')} (goal ≤ 1,000 ms)`);
