/** Imports one file into a fresh database and prints its time, its phases and the process's peak memory as JSON. */
import { importFiles } from '../electron/engine/snapshots/import-files';
import { openWorkspace } from '../electron/engine/workspace';

const [file, db] = process.argv.slice(2) as [string, string];
const started = performance.now();
const ws = openWorkspace(db);
const phases: Record<string, number> = {};
const { reports, committed } = await importFiles(ws.db, [{ file }], { key: ws.key, phases });
ws.close();
const ms = performance.now() - started;
for (const k of Object.keys(phases)) phases[k] = Math.round(phases[k]!);
const cpu = process.cpuUsage();
// CPU time of every thread (parsing, hashing, SQLite): on a shared machine it says what the wall clock cannot.
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, committed, rows: reports[0]!.rows_accepted, phases, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
