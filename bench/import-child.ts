/** Imports one file into a fresh database and prints its time and the process's peak memory as JSON. */
import { importFiles } from '../electron/engine/snapshots/import-files';
import { openWorkspace } from '../electron/engine/workspace';

const [file, db] = process.argv.slice(2) as [string, string];
const started = performance.now();
const ws = openWorkspace(db);
const { reports, committed } = await importFiles(ws.db, [{ file }], { key: ws.key });
ws.close();
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, committed, rows: reports[0]!.rows_accepted, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
