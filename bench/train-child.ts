/** Trains on an already imported database and prints the time, the process's peak memory and the report as JSON. */
import { train } from '../electron/engine/training/train';
import { openWorkspace } from '../electron/engine/workspace';

const [db] = process.argv.slice(2) as [string];
const ws = openWorkspace(db);
const started = performance.now();
const report = await train(ws.db, { seed: 42 });
const ms = performance.now() - started;
const perCandidate = ws.db.prepare(`SELECT candidate, SUM(duration_ms) AS ms FROM run_metric WHERE run_id = ? GROUP BY candidate`).all(report.run_id) as { candidate: string; ms: number }[];
ws.close();
process.stdout.write(JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, report, perCandidate }));
