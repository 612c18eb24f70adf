import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ColumnMappingSchema } from '../../../shared/mapping';
import type { ColumnMapping } from '../../../shared/mapping';
import { bilingual } from '../../../shared/messages';
import type { ForecastReport, ImportReport, SnapshotInfo, StatusReport, TrainingReport } from '../../../shared/reports';
import { resolveDatabasePath, userDataDir } from '../db/location';
import { demoFiles } from '../demo';
import { UserError } from '../errors';
import { closingFileFor, writeForecastCsv, forecastCsv } from '../forecast/export-csv';
import { makeForecast } from '../forecast/forecast';
import { importFiles } from '../ingest/import-file';
import type { ImportRequest } from '../ingest/import-file';
import { periodFromFileName } from '../ingest/period-from-name';
import { status } from '../monitor/status';
import { ensurePlatinum } from '../snapshots/platinum';
import { describeSnapshots, reopenSnapshot } from '../snapshots/raw';
import { explainTraining } from '../training/explain';
import { train } from '../training/train';
import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';
import { ProgressLine } from './progress';
import { Text, cliLocale, table } from './text';

export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { isTTY?: boolean; write(s: string): unknown };
}

const HELP = `Cupo — pronóstico de alumnos por clase / class enrollment forecasting

Uso / Usage: cupo <comando> [opciones]

  import <archivos…>  [--mapping m.json] [--period P | --period-from-name]
  train               [--seed N] [--backtest-periods N] [--candidates a,b]
  backtest            [--seed N] [--backtest-periods N] [--candidates a,b]
  forecast            [--period P] [--out f.csv] [--delimiter ";"]
  status
  snapshots           importaciones y los periodos que aportan / imports and the periods they provide
  reopen <id>         vuelve a usar una importación anterior / use an earlier import again
  demo                [--out f.csv]

Opciones comunes / Common options:
  --db PATH   base de datos / database (por defecto / default: CUPO_DB o ${path.join(userDataDir(), 'cupo.sqlite')})
  --json      salida para programas / machine-readable output
  --lang es|en
  --debug     muestra la traza de un error / show an error's stack trace

Códigos de salida / Exit codes: 0 ok, 2 entrada rechazada (nada se escribió) / input refused (nothing written), 1 otro error / other failure.
`;

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  mapping: { type: 'string' },
  period: { type: 'string' },
  'period-from-name': { type: 'boolean', default: false },
  seed: { type: 'string' },
  'backtest-periods': { type: 'string' },
  candidates: { type: 'string' },
  out: { type: 'string' },
  delimiter: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

interface Context {
  values: Values;
  positionals: string[];
  io: CliIO;
  text: Text;
  progress: ProgressLine;
}

function wholeNumber(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new UserError({ es: `--${name} debe ser un número entero mayor o igual que ${min} (se recibió «${raw}»).`, en: `--${name} must be a whole number of at least ${min} (got "${raw}").` });
  }
  return Number(raw);
}

function readMapping(file: string): ColumnMapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError({ es: `No se pudo leer el archivo de mapeo ${file}: ${(error as Error).message}.`, en: `Could not read the mapping file ${file}: ${(error as Error).message}.` });
  }
  const parsed = ColumnMappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(raíz / root)';
    throw new UserError({
      es: `El archivo de mapeo ${file} no es válido en «${where}»: cada campo (PERIODO, SEDE, CURSO_ACTUAL, HORARIO_ACTUAL, ALUMNOS, ID_ALUMNO) es un nombre de columna, una lista de columnas o {"value": "…"}.`,
      en: `The mapping file ${file} is not valid at "${where}": each field (PERIODO, SEDE, CURSO_ACTUAL, HORARIO_ACTUAL, ALUMNOS, ID_ALUMNO) is a column name, a list of columns or {"value": "…"}.`,
    });
  }
  return parsed.data;
}

function importRequests(ctx: Context): ImportRequest[] {
  const { values, positionals } = ctx;
  if (positionals.length === 0) throw new UserError({ es: 'Indique al menos un archivo para importar.', en: 'Name at least one file to import.' });
  if (values.period !== undefined && values['period-from-name']) {
    throw new UserError({ es: 'Use --period o --period-from-name, no ambos.', en: 'Use --period or --period-from-name, not both.' });
  }
  const mapping = values.mapping ? readMapping(values.mapping) : undefined;
  return positionals.map((file) => {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      throw new UserError({ es: `No existe el archivo ${file}.`, en: `There is no file ${file}.` });
    }
    let period = values.period;
    if (values['period-from-name']) {
      period = periodFromFileName(file) ?? undefined;
      if (!period) throw new UserError({ es: `El nombre ${path.basename(file)} no contiene un periodo reconocible (p. ej. 2024_fall, 202401).`, en: `The name ${path.basename(file)} holds no period Cupo can read (e.g. 2024_fall, 202401).` });
    }
    return { file, ...(mapping ? { mapping } : {}), ...(period !== undefined ? { period } : {}) };
  });
}

function describeImport(text: Text, r: ImportReport): string {
  const lines: string[] = [];
  const periods = r.periods.length > 3 ? `${r.periods[0]} … ${r.periods.at(-1)} (${r.periods.length})` : r.periods.join(', ');
  if (r.status === 'rejected') {
    lines.push(text.t({ es: `✘ ${r.file}: rechazado, no se guardó nada (${r.problem_count} problema(s)).`, en: `✘ ${r.file}: refused, nothing was stored (${r.problem_count} problem(s)).` }));
  } else {
    const verb = r.status === 'already_imported' ? { es: 'ya estaba importado, sin cambios', en: 'already imported, nothing changed' } : { es: 'importado', en: 'imported' };
    const kind = r.granularity === 'student' ? { es: 'filas de alumnos', en: 'student rows' } : { es: 'filas de clases', en: 'class rows' };
    lines.push(text.t({
      es: `✔ ${r.file}: ${verb.es}: ${text.int(r.rows_accepted)} ${kind.es}, ${text.int(r.classes)} clases, periodos ${periods} [${r.encoding}, «${r.delimiter === '\t' ? 'tab' : r.delimiter}»]`,
      en: `✔ ${r.file}: ${verb.en}: ${text.int(r.rows_accepted)} ${kind.en}, ${text.int(r.classes)} classes, periods ${periods} [${r.encoding}, "${r.delimiter === '\t' ? 'tab' : r.delimiter}"]`,
    }));
  }
  for (const p of r.problems) lines.push(`    ${p.severity === 'error' ? '✘' : '!'} ${text.t(p.message)}`);
  if (r.problem_count > r.problems.length) {
    lines.push(`    … ${text.t({ es: `y ${r.problem_count - r.problems.length} más`, en: `and ${r.problem_count - r.problems.length} more` })}`);
  }
  return lines.join('\n');
}

async function runImport(ctx: Context, ws: Workspace, requests: ImportRequest[]): Promise<{ code: number; reports: ImportReport[] }> {
  const outcome = await importFiles(ws.db, requests, {
    key: ws.key,
    onProgress: (p) => ctx.progress.update(ctx.text.t({ es: `Leyendo ${p.file} (${p.index + 1}/${p.files})… ${Math.floor((100 * p.bytes) / Math.max(p.totalBytes, 1))} %`, en: `Reading ${p.file} (${p.index + 1}/${p.files})… ${Math.floor((100 * p.bytes) / Math.max(p.totalBytes, 1))}%` })),
  });
  ctx.progress.done();
  return { code: outcome.committed ? 0 : 2, reports: outcome.reports };
}

function describeTraining(text: Text, r: TrainingReport): string {
  const rows = r.candidates.map((c) => [
    c.candidate + (c.candidate === r.winner ? ' ★' : ''),
    text.pct(c.wape),
    text.one(c.mae),
    c.candidate === 'last_value' ? '—' : text.pct((r.last_value_wape - c.wape) / (r.last_value_wape || 1)),
  ]);
  const head = text.locale === 'es' ? ['Modelo', 'WAPE', 'Error/clase', 'Mejora vs. último valor'] : ['Model', 'WAPE', 'Error/class', 'Gain vs. last value'];
  const periods = [...new Set(r.folds.map((f) => f.period))];
  const foldHead = [text.locale === 'es' ? 'WAPE por periodo' : 'WAPE by period', ...periods];
  const foldRows = r.candidates.map((c) => [c.candidate, ...periods.map((p) => text.pct(r.folds.find((f) => f.candidate === c.candidate && f.period === p)!.wape))]);
  const served = r.serving
    ? text.t({ es: `Modelo en servicio: ${r.serving.model_version} (${r.serving.candidate}).`, en: `Serving model: ${r.serving.model_version} (${r.serving.candidate}).` })
    : text.t({ es: 'Solo se midió (backtest): el modelo en servicio no cambió.', en: 'Measured only (backtest): the serving model did not change.' });
  return [
    table(head, rows, [1, 2, 3]),
    '',
    table(foldHead, foldRows, periods.map((_, i) => i + 1)),
    '',
    text.t(explainTraining(r)),
    served,
    text.t({ es: `Ejecución ${r.run_id}, semilla ${r.seed}, ${text.one(r.duration_ms / 1000)} s; datos ${r.features_version}.`, en: `Run ${r.run_id}, seed ${r.seed}, ${text.one(r.duration_ms / 1000)} s; data ${r.features_version}.` }),
  ].join('\n');
}

async function runTrain(ctx: Context, ws: Workspace, promote: boolean): Promise<TrainingReport> {
  const report = await train(ws.db, {
    promote,
    seed: wholeNumber('seed', ctx.values.seed, 0),
    backtestPeriods: wholeNumber('backtest-periods', ctx.values['backtest-periods'], 1),
    ...(ctx.values.candidates ? { candidates: ctx.values.candidates.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    onProgress: (p) =>
      ctx.progress.update(
        p.period === 'final'
          ? ctx.text.t({ es: `Entrenando ${p.candidate} con toda la historia…`, en: `Training ${p.candidate} on the whole history…` })
          : ctx.text.t({ es: `Backtest ${p.step + 1}/${p.steps}: ${p.candidate} → ${p.period}`, en: `Backtest ${p.step + 1}/${p.steps}: ${p.candidate} → ${p.period}` }),
        true,
      ),
  });
  ctx.progress.done();
  return report;
}

function describeForecast(text: Text, r: ForecastReport): string {
  const lines = [
    text.t({
      es: `Pronóstico ${r.period}: ${text.int(r.rows)} clases, ${text.int(r.total_students)} alumnos (modelo ${r.model_version}, ${r.candidate}).`,
      en: `Forecast ${r.period}: ${text.int(r.rows)} classes, ${text.int(r.total_students)} students (model ${r.model_version}, ${r.candidate}).`,
    }),
  ];
  if (r.closing.length > 0) {
    const students = r.closing.reduce((a, c) => a + c.last_students, 0);
    lines.push(text.t({ es: `Se espera que cierren ${text.int(r.closing.length)} clases del último periodo (${text.int(students)} alumnos).`, en: `${text.int(r.closing.length)} classes of the last period are expected to close (${text.int(students)} students).` }));
  }
  if (r.total_check) lines.push(`${r.total_check.flagged ? '! ' : ''}${text.t(r.total_check.message)}`);
  if (r.out) lines.push(text.t({ es: `Guardado en ${r.out} (y las clases que cierran en ${closingFileFor(r.out)})`, en: `Written to ${r.out} (and the classes that close to ${closingFileFor(r.out)})` }));
  if (r.stale_model) lines.push(text.t({ es: '! Hay datos nuevos desde el último entrenamiento: ejecute «cupo train» para aprovecharlos.', en: '! There is new data since the last training: run "cupo train" to use it.' }));
  return lines.join('\n');
}

async function runForecast(ctx: Context, ws: Workspace, out: string | undefined): Promise<{ report: ForecastReport; csv: string | null }> {
  const delimiter = ctx.values.delimiter === ';' ? ';' : ',';
  if (ctx.values.delimiter !== undefined && ctx.values.delimiter !== ';' && ctx.values.delimiter !== ',') {
    throw new UserError({ es: '--delimiter debe ser «,» o «;».', en: '--delimiter must be "," or ";".' });
  }
  const { report, rows } = await makeForecast(ws.db, ctx.values.period !== undefined ? { period: ctx.values.period } : {});
  if (out) return { report: { ...report, out: writeForecastCsv(out, rows, { delimiter, closing: { period: report.period, classes: report.closing } }) }, csv: null };
  return { report, csv: forecastCsv(rows, { delimiter }).replace(/^\uFEFF/, '') };
}

function describeSnapshotList(text: Text, list: SnapshotInfo[]): string {
  if (list.length === 0) return text.t({ es: 'Todavía no hay importaciones.', en: 'No imports yet.' });
  const span = (p: string[]) => (p.length === 0 ? '—' : p.length > 2 ? `${p[0]} … ${p.at(-1)} (${p.length})` : p.join(', '));
  return table(
    text.locale === 'es' ? ['Id', 'Archivo', 'Importado', 'Filas', 'Periodos', 'En uso'] : ['Id', 'File', 'Imported', 'Rows', 'Periods', 'In use'],
    list.map((s) => [s.id, s.file, s.imported_at.slice(0, 16).replace('T', ' '), text.int(s.rows_accepted), span(s.periods), span(s.periods_in_use)]),
    [3],
  );
}

function describeStatus(text: Text, s: StatusReport): string {
  const lines = [text.t({ es: `Base de datos: ${s.database}`, en: `Database: ${s.database}` })];
  if (!s.data) {
    lines.push(text.t({ es: 'Sin datos todavía: «cupo import archivo.csv» o «cupo demo» para probar.', en: 'No data yet: "cupo import file.csv", or "cupo demo" to try it out.' }));
    return lines.join('\n');
  }
  const d = s.data;
  lines.push(text.t({
    es: `Datos: ${s.snapshots.length} importación(es); ${d.periods} periodos (${d.first_period} a ${d.last_period}), ${d.sites} sedes, ${d.courses} cursos; último periodo ${text.int(d.classes_last_period)} clases y ${text.int(d.students_last_period)} alumnos.`,
    en: `Data: ${s.snapshots.length} import(s); ${d.periods} periods (${d.first_period} to ${d.last_period}), ${d.sites} sites, ${d.courses} courses; last period ${text.int(d.classes_last_period)} classes and ${text.int(d.students_last_period)} students.`,
  }));
  lines.push(s.serving
    ? text.t({
        es: `Modelo en servicio: ${s.serving.model_version} (${s.serving.candidate}), WAPE de backtest ${text.pct(s.serving.wape)}${s.serving.stale ? '; hay datos nuevos, conviene reentrenar' : ''}.`,
        en: `Serving model: ${s.serving.model_version} (${s.serving.candidate}), backtest WAPE ${text.pct(s.serving.wape)}${s.serving.stale ? '; there is new data, retraining is advised' : ''}.`,
      })
    : text.t({ es: 'Sin modelo entrenado: «cupo train».', en: 'No trained model: "cupo train".' }));
  if (s.last_forecast) {
    lines.push(text.t({
      es: `Último pronóstico: ${s.last_forecast.period}, ${text.int(s.last_forecast.rows)} clases, ${text.int(s.last_forecast.students)} alumnos.`,
      en: `Last forecast: ${s.last_forecast.period}, ${text.int(s.last_forecast.rows)} classes, ${text.int(s.last_forecast.students)} students.`,
    }));
  }
  return lines.join('\n');
}

/** Runs one CLI command; returns the exit code. Never throws: failures become one sentence (or a stack with --debug). */
export async function runCli(argv: readonly string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    io.stderr.write(`${bilingual({ es: `Opción no válida: ${(error as Error).message}`, en: `Invalid option: ${(error as Error).message}` })}\n`);
    return 2;
  }
  const text = new Text(cliLocale(values.lang, env));
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const ctx: Context = { values, positionals: rest, io, text, progress: new ProgressLine(io.stderr, !values.json) };
  const out = (human: string, json: unknown) => io.stdout.write(`${values.json ? JSON.stringify(json, null, 2) : human}\n`);

  let ws: Workspace | null = null;
  const open = (file: string): Workspace => {
    const opened = openWorkspace(file);
    if (opened.backup) io.stderr.write(`${text.t({ es: `La base de datos se actualizó a esta versión de Cupo; la copia anterior quedó en ${opened.backup}`, en: `The database was upgraded to this version of Cupo; the previous copy is at ${opened.backup}` })}\n`);
    return opened;
  };
  try {
    const dbFile = command === 'demo' && !values.db && !env.CUPO_DB ? path.join(userDataDir(env), 'demo.sqlite') : resolveDatabasePath(values.db, env);
    switch (command) {
      case 'import': {
        const requests = importRequests(ctx);
        ws = open(dbFile);
        const { code, reports } = await runImport(ctx, ws, requests);
        out(reports.map((r) => describeImport(text, r)).join('\n'), reports);
        return code;
      }
      case 'train':
      case 'backtest': {
        ws = open(dbFile);
        const report = await runTrain(ctx, ws, command === 'train');
        out(describeTraining(text, report), { ...report, explanation: explainTraining(report) });
        return 0;
      }
      case 'forecast': {
        ws = open(dbFile);
        const { report, csv } = await runForecast(ctx, ws, values.out);
        if (csv !== null && !values.json) {
          io.stdout.write(csv);
          io.stderr.write(`${describeForecast(text, report)}\n`);
        } else out(describeForecast(text, report), report);
        return 0;
      }
      case 'status': {
        ws = open(dbFile);
        const report = status(ws.db, ws.file);
        out(describeStatus(text, report), report);
        return 0;
      }
      case 'snapshots': {
        ws = open(dbFile);
        const list = describeSnapshots(ws.db);
        out(describeSnapshotList(text, list), list);
        return 0;
      }
      case 'reopen': {
        const [id] = ctx.positionals;
        if (!id) throw new UserError({ es: 'Indique qué importación volver a usar (su id, de «cupo snapshots»).', en: 'Name the import to use again (its id, from "cupo snapshots").' });
        ws = open(dbFile);
        const db = ws.db;
        const platinum = db.transaction(() => {
          reopenSnapshot(db, id);
          return ensurePlatinum(db);
        })();
        const list = describeSnapshots(ws.db);
        out(`${text.t({ es: `Se volvió a usar ${id}; datos ${platinum?.id}.`, en: `${id} is in use again; data ${platinum?.id}.` })}\n${describeSnapshotList(text, list)}`, { platinum_version: platinum?.id ?? null, snapshots: list });
        return 0;
      }
      case 'demo': {
        const files = demoFiles(env).map((file) => ({ file }));
        ws = open(dbFile);
        const imported = await runImport(ctx, ws, files);
        if (imported.code !== 0) {
          out(imported.reports.map((r) => describeImport(text, r)).join('\n'), imported.reports);
          return imported.code;
        }
        const training = await runTrain(ctx, ws, true);
        const { report } = await runForecast(ctx, ws, values.out ?? 'cupo-demo-forecast.csv');
        out(
          [
            text.t({ es: `Demo: instituto de idiomas de ejemplo en ${ws.file}`, en: `Demo: sample language institute in ${ws.file}` }),
            ...imported.reports.map((r) => describeImport(text, r)),
            '',
            describeTraining(text, training),
            '',
            describeForecast(text, report),
          ].join('\n'),
          { imports: imported.reports, training, forecast: report },
        );
        return 0;
      }
      default:
        io.stderr.write(`${bilingual({ es: `Comando desconocido «${command}»; use --help para ver los comandos.`, en: `Unknown command "${command}"; use --help to list the commands.` })}\n`);
        return 2;
    }
  } catch (error) {
    ctx.progress.done();
    if (error instanceof UserError) {
      io.stderr.write(`${error.message}\n`);
      if (values.debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    io.stderr.write(`${bilingual({ es: `Error inesperado: ${(error as Error).message}`, en: `Unexpected error: ${(error as Error).message}` })}${values.debug ? '' : ' (--debug)'}\n`);
    if (values.debug) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  } finally {
    ws?.close();
  }
}
