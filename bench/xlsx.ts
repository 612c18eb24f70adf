/**
 * `npm run bench:xlsx`: the import of a ~50 MB Excel workbook, streamed. Writes (once, into .bench/) a workbook of
 * student enrolment rows as a school's export looks — a title block, dates for periods, numeric student ids, a
 * name per row (1.25M distinct strings in the shared-strings table) — then imports it in a child process and
 * prints the file's size, the rows, the time and the process's peak memory (RSS). BENCH_XLSX_ROWS changes the size.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';

const ROWS = Number(process.env.BENCH_XLSX_ROWS ?? 1_250_000);
const SITES = ['SEDE CENTRO', 'SEDE NORTE', 'SEDE SUR', 'SEDE ESTE', 'SEDE OESTE', 'SEDE ANEXO'];
const SCHEDULES = ['LMV 07:00-09:00', 'LMV 19:00-21:00', 'MJ 19:00-21:30', 'SAB 08:00-13:00'];
const COURSES = ['BAS', 'INT', 'AVA'].flatMap((family) => Array.from({ length: 12 }, (_, i) => `${family}${String(i + 1).padStart(2, '0')}`));
const MONTHS = 60;

const dir = path.resolve('.bench');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `students-${ROWS}.xlsx`);

async function writeWorkbook(): Promise<void> {
  const part = `${file}.part`;
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part, useSharedStrings: true, useStyles: true });
  const sheet = book.addWorksheet('Matrícula');
  sheet.addRow(['Instituto de Idiomas — Matrícula 2020–2024']).commit();
  sheet.addRow(['Exportado el', new Date(Date.UTC(2025, 0, 15))]).commit();
  sheet.addRow([]).commit();
  sheet.addRow(['Periodo', 'Sede', 'Curso', 'Horario', 'Código de alumno', 'Apellidos y nombres']).commit();
  const perMonth = Math.ceil(ROWS / MONTHS);
  for (let i = 0; i < ROWS; i++) {
    const month = Math.floor(i / perMonth);
    const student = (i * 7919) % Math.round(ROWS * 0.4);
    const row = sheet.addRow([
      new Date(Date.UTC(2020 + Math.floor(month / 12), month % 12, 1)),
      SITES[student % SITES.length],
      COURSES[(student + month) % COURSES.length],
      SCHEDULES[(student >> 3) % SCHEDULES.length],
      70_000_000 + student,
      `APELLIDO${i}, Nombre`,
    ]);
    row.getCell(1).numFmt = 'mmm-yyyy';
    row.commit();
  }
  sheet.commit();
  await book.commit();
  fs.renameSync(part, file);
}

if (!fs.existsSync(file)) {
  const started = performance.now();
  process.stdout.write(`Writing ${ROWS.toLocaleString('en-US')} rows to ${path.relative(process.cwd(), file)}… `);
  await writeWorkbook();
  process.stdout.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

const db = path.join(dir, 'xlsx.sqlite');
for (const suffix of ['', '-wal', '-shm', '.key']) fs.rmSync(db + suffix, { force: true });
const out = execFileSync(process.execPath, ['--import', 'tsx', path.resolve('bench/import-child.ts'), file, db], { encoding: 'utf8' });
const run = JSON.parse(out) as { ms: number; cpuMs: number; peakRssMb: number; rows: number; committed: boolean; phases: Record<string, number> };
if (!run.committed) throw new Error(`Cupo refused ${file}: ${out}`);
const figures = {
  file_mb: Number((fs.statSync(file).size / 1e6).toFixed(1)),
  rows: run.rows,
  import_s: Number((run.ms / 1000).toFixed(1)),
  cpu_s: Number((run.cpuMs / 1000).toFixed(1)),
  peak_rss_mb: Math.round(run.peakRssMb),
  phases_ms: run.phases,
};
console.log(`
workbook     ${figures.file_mb} MB, ${figures.rows.toLocaleString('en-US')} student rows
import       ${figures.import_s} s (CPU ${figures.cpu_s} s)
peak RSS     ${figures.peak_rss_mb} MB`);
console.log(JSON.stringify(figures));
