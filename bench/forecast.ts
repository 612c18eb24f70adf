/**
 * Forecast speed: a school system with ~100,000 classes a year (20,000 schools × grades K–12, 2019–2023, from
 * bench/generate-k12.ts) is imported and trained once, then the next year is forecast — rows, intervals, decisions,
 * closing classes, total check, stored — three times; prints the best. Goal: ≤ 1 s.
 * Then one class through the contract (the in-process host the CLI uses: validation, dispatch, the forecast
 * stored): a school with one class and six years, trained, forecast 20 times after a first call. Goal: ≤ 20 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeForecast } from '../electron/engine/forecast/forecast';
import { importFiles } from '../electron/engine/snapshots/import-files';
import { train } from '../electron/engine/training/train';
import { openInProcessEngine } from '../electron/engine/host/in-process';
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

const oneDir = fs.mkdtempSync(path.join(dir, 'one-class-'));
const oneCsv = path.join(oneDir, 'one.csv');
fs.writeFileSync(oneCsv, ['PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS', ...[2018, 2019, 2020, 2021, 2022, 2023].map((y, i) => `${y},CENTRO,K,REGULAR,${20 + i}`)].join('\n'));
const opened = openInProcessEngine(path.join(oneDir, 'one.sqlite'), oneDir);
if (!opened.ok) throw new Error(opened.error.message.en);
const engine = opened.value;
const imported = await engine.call('importFiles', { files: [{ fileId: engine.fileIds([oneCsv])[0]! }] }, { paths: [oneCsv] });
if (!imported.ok) throw new Error(imported.error.message.en);
await engine.call('train', {});
await engine.call('forecast', {});
const one: number[] = [];
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  const result = await engine.call('forecast', {});
  one.push(performance.now() - started);
  if (!result.ok || result.value.report.rows !== 1) throw new Error('the one-class forecast did not forecast one class');
}
engine.close();
fs.rmSync(oneDir, { recursive: true, force: true });
one.sort((a, b) => a - b);
console.log(`forecast of 1 class through the contract: median ${one[10]!.toFixed(1)} ms, best ${one[0]!.toFixed(1)} ms, worst ${one[19]!.toFixed(1)} ms of 20 (goal ≤ 20 ms)`);
