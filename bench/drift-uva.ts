/**
 * No crying wolf on real data: imports the University of Virginia sections one semester at a time (as a school
 * would, each file when it arrives), makes the drift report and raises the alerts after each import, and prints
 * per semester the alerts raised or updated by severity and the high and critical ones' messages.
 * No model is trained: the reference is the semesters before. `--demo` does the same with the demo institute,
 * one month at a time.
 *
 *   npx tsx bench/drift-uva.ts [--demo] [--verbose: medium ones too] [--json out.json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listAlerts } from '../electron/engine/alerts/alerts';
import { alertsAfterImport } from '../electron/engine/alerts/sources';
import { driftReport } from '../electron/engine/drift/report';
import type { Severity } from '../shared/drift';
import type { ImportRequest } from '../electron/engine/snapshots/import-files';
import { importFiles } from '../electron/engine/snapshots/import-files';
import { periodFromFileName } from '../electron/engine/domain/period-from-name';
import { openWorkspace } from '../electron/engine/workspace';

const demo = process.argv.includes('--demo');
const jsonAt = process.argv.indexOf('--json');
const verbose = process.argv.includes('--verbose');

/** The demo's two files cut into one file per month, so each month is imported on its own. */
function demoMonths(dir: string): ImportRequest[] {
  const byMonth = new Map<string, string[]>();
  let header = '';
  for (const f of fs.readdirSync('data/demo').filter((n) => n.endsWith('.csv')).sort()) {
    const [head, ...lines] = fs.readFileSync(path.join('data/demo', f), 'utf8').split(/\r?\n/).filter(Boolean);
    header = head!;
    for (const line of lines) {
      const month = line.slice(0, 6);
      let list = byMonth.get(month);
      if (!list) byMonth.set(month, (list = []));
      list.push(line);
    }
  }
  return [...byMonth.keys()].sort().map((m) => {
    const file = path.join(dir, `matriculas-${m}.csv`);
    fs.writeFileSync(file, `${header}\n${byMonth.get(m)!.join('\n')}\n`);
    return { file };
  });
}

function uvaSemesters(): ImportRequest[] {
  const dir = path.resolve('../shared/datasets/uva-sections');
  const mapping = JSON.parse(fs.readFileSync('data/mappings/uva-sections.json', 'utf8'));
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv'));
  return files
    .map((f) => ({ file: path.join(dir, f), mapping, period: periodFromFileName(f)! }))
    .sort((a, b) => {
      const [ya, sa] = a.period.split('_');
      const [yb, sb] = b.period.split('_');
      const order = { spring: 1, summer: 2, fall: 3 } as Record<string, number>;
      return Number(ya) - Number(yb) || order[sa!]! - order[sb!]!;
    });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-drift-'));
const ws = openWorkspace(path.join(work, 'cupo.sqlite'));
const requests = demo ? demoMonths(work) : uvaSemesters();
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
const rows: { period: string; import_ms: number; drift_ms: number; counts: Record<Severity, number>; alarms: string[] }[] = [];

console.log(`${demo ? 'Demo institute, one month' : 'UVA sections, one semester'} at a time; no model (reference: the ${demo ? 'months' : 'semesters'} before).\n`);
console.log(`${'period'.padEnd(12)} ${'crit'.padStart(4)} ${'high'.padStart(4)} ${'med'.padStart(4)} ${'low'.padStart(4)}  import   drift   high and critical`);
for (const request of requests) {
  let started = performance.now();
  const outcome = await importFiles(ws.db, [request], { key: ws.key });
  const importMs = performance.now() - started;
  const snapshotIds = outcome.reports.map((r) => r.snapshot_id).filter((id): id is string => id !== null);
  started = performance.now();
  const report = driftReport(ws.db, { trigger: 'import', snapshotIds });
  const raised = alertsAfterImport(ws.db, { snapshotIds, drift: report });
  const driftMs = performance.now() - started;
  const touched = new Set([...raised.raised, ...raised.merged]);
  const alerts = listAlerts(ws.db).filter((a) => touched.has(a.id));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, alerts.filter((a) => a.severity === s).length])) as Record<Severity, number>;
  const alarms = alerts.filter((a) => a.severity === 'critical' || a.severity === 'high' || (verbose && a.severity === 'medium')).map((a) => `[${a.severity_label.es}] ${a.message.es}`);
  const period = report?.periods_shown.at(-1) ?? outcome.reports[0]?.periods.at(-1) ?? '?';
  rows.push({ period, import_ms: Math.round(importMs), drift_ms: Math.round(driftMs), counts, alarms });
  const cells = SEVERITIES.map((s) => String(counts[s]).padStart(4)).join(' ');
  console.log(`${period.padEnd(12)} ${cells}  ${String(Math.round(importMs)).padStart(5)}ms ${String(Math.round(driftMs)).padStart(5)}ms   ${alarms[0] ?? ''}`);
  for (const line of alarms.slice(1)) console.log(`${' '.repeat(56)}${line}`);
}
const open = listAlerts(ws.db, { state: 'open' });
console.log(`\nOpen alerts at the end: ${SEVERITIES.map((s) => `${open.filter((a) => a.severity === s).length} ${s}`).join(', ')}.`);
if (jsonAt > 0) fs.writeFileSync(process.argv[jsonAt + 1]!, `${JSON.stringify(rows, null, 2)}\n`);
ws.close();
fs.rmSync(work, { recursive: true, force: true });
