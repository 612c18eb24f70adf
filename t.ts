import { openDatabase } from './electron/engine/db/connection';
import { importFile } from './electron/engine/ingest/import-file';
import { loadOrCreateKey } from './electron/engine/ingest/pseudonymise';
import { train } from './electron/engine/training/train';
import fs from 'node:fs';
fs.rmSync('/tmp/demo.sqlite', { force: true }); fs.rmSync('/tmp/demo.sqlite.key', { force: true });
const { db } = openDatabase('/tmp/demo.sqlite');
const key = loadOrCreateKey('/tmp/demo.sqlite');
for (const f of ['matriculas-2023-2024.csv', 'matriculas-2025-2026.csv']) {
  const t0 = Date.now();
  const r = await importFile(db, 'data/demo/' + f, { key });
  console.log(f, r.status, r.rows_accepted, r.classes, r.problem_count, r.problems.map(p=>p.message.en), Date.now() - t0, 'ms');
}
console.log(db.prepare('select id, kind, row_count, summary from dataset_version').all());
const t0 = Date.now();
const rep = await train(db, { onProgress: (p) => process.stderr.write(`${p.candidate} ${p.period}\n`) });
console.log(JSON.stringify(rep.candidates, null, 1), rep.serving, Date.now() - t0);
console.log(rep.folds.map(f => `${f.candidate} ${f.period} ${f.wape.toFixed(3)} ${f.actual_total} ${f.predicted_total} ${f.classes}`).join('\n'));
