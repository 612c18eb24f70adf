import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Args, CallError, CallResult, ForecastResult, ImportResult, Method, Results, Settings } from '../../../shared/contract';
import { SETTING_LIMITS } from '../../../shared/contract';
import type { Alert, Severity } from '../../../shared/drift';
import type { ForecastOverride } from '../../../shared/reports';
import { SEVERITY_ORDER } from '../../../shared/drift';
import { closingFileFor } from '../../../shared/fields';
import type { ColumnMapping } from '../../../shared/mapping';
import { ColumnMappingSchema, columnsOf } from '../../../shared/mapping';
import type { Bilingual } from '../../../shared/messages';
import { bilingual } from '../../../shared/messages';
import type { CandidateId } from '../../../shared/model-names';
import { CANDIDATE_IDS } from '../../../shared/model-names';
import { REGIONS, isRegion } from '../../../shared/regions';
import { resolveDatabasePath, userDataDir } from '../db/location';
import type { InProcessEngine } from '../host/in-process';
import { openInProcessEngine } from '../host/in-process';
import {
  commandHint,
  describeAccuracy,
  describeAlerts,
  describeAudit,
  describeDrift,
  describeForecast,
  describeImportResult,
  describeMappingSaved,
  describeMappings,
  describeModels,
  describeOwnNumber,
  describeOwnNumbers,
  describeRun,
  describeScoring,
  describeSettings,
  describeSnapshotChange,
  describeSnapshotList,
  describeStatus,
  describeTraining,
} from './describe';
import { ProgressLine } from './progress';
import { Text, cliLocale } from './text';

export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { isTTY?: boolean; write(s: string): unknown };
}

const HELP = `Cupo — pronóstico de alumnos por clase / class enrollment forecasting

Uso / Usage: cupo <comando> [opciones]

  import <archivos…>  [--mapping m.json] [--period P | --period-from-name] [--sheet HOJA]
                      CSV o Excel .xlsx (la primera hoja, u --sheet) / CSV or Excel .xlsx (the first sheet, or --sheet)
  train               [--seed N] [--backtest-periods N] [--candidates a,b]
  backtest            [--seed N] [--backtest-periods N] [--candidates a,b]
  forecast            [--period P] [--out f.csv] [--delimiter ";"]
  status
  snapshots           [--set-aside ID [--reason TEXTO] | --restore ID]
                      importaciones y los periodos que aportan; apartar una o volver a usarla
                      imports and the periods they provide; set one aside or bring it back
  reopen <id>         vuelve a usar una importación anterior / use an earlier import again
  mappings            [--save NOMBRE --mapping m.json [--period-from-name] [ejemplo.csv] | --delete NOMBRE]
                      mapeos de columnas guardados: se aplican solos a archivos con esas columnas
                      saved column mappings: applied by themselves to files with those columns
  override            [--site S --course C --schedule H (--students N --note TEXTO | --clear)] [--forecast ID]
                      número propio de la coordinación para una clase del último pronóstico; sin clase, los lista
                      a planner's own number for a class of the last forecast; without a class, lists them
  models              versiones del modelo, quién sirvió cuándo / model versions, who served when
  promote <model-id>  [--reason TEXTO]   pone en servicio un modelo / make a model serve
  rollback            [--reason TEXTO]   vuelve al modelo anterior / back to the previous model
  accuracy            precisión real por periodo / real accuracy per period
  report              [--period P] [--model-card] [--out informe.pdf]
                      informe para la dirección en PDF, o la ficha del modelo / management report as a PDF, or the model card
  audit               [--limit N]        registro de auditoría / audit log
  drift               [--period P]       qué cambió en los datos / what changed in the data
  alerts              [--state open|acknowledged|resolved|all] [--acknowledge ID | --resolve ID]
                      lo que necesita atención / what needs attention
  backup              [--out copia.zip]  copia de seguridad: base de datos y clave en un archivo / backup: database and key in one file
  restore <copia.zip> reemplaza la base por una copia (guarda antes la actual) / replace the database with a backup (the current one is kept first)
  run --inbox DIR     [--outbox DIR] [--mapping m.json] [--period-from-name] [--fail-on high]
                      para una tarea programada: importa lo nuevo, reentrena, pronostica, escribe pronóstico e informe
                      for a scheduled task: imports what is new, retrains, forecasts, writes the forecast and the report
  settings            [--min-class-size N] [--max-class-size N] [--locale es|en] [--region es-AR]
                      [--promotion-margin 0.02] [--rollback-threshold 1.5] [--inbox-folder DIR] [--outbox-folder DIR]
                      los ajustes; con opciones, los cambia / the settings; with options, changes them
  demo                [--out f.csv]

  train --force       pone en servicio al ganador aunque no supere al actual / serve the winner even if it does not beat the current model

Modelos / Models (--candidates): ${CANDIDATE_IDS.join(', ')}

Opciones comunes / Common options:
  --db PATH   base de datos / database (por defecto / default: CUPO_DB o ${path.join(userDataDir(), 'cupo.sqlite')})
  --json      salida para programas / machine-readable output
  --lang es|en
  --debug     muestra la traza de un error / show an error's stack trace

  --fail-on critical|high|medium|low   sale con 3 si hay una alerta abierta de ese nivel o más / exit 3 on an open alert at or above that level

Códigos de salida / Exit codes: 0 ok, 2 entrada rechazada (nada se escribió) / input refused (nothing written),
3 alerta abierta de nivel --fail-on o más / open alert at or above --fail-on, 1 otro error / other failure.
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
  sheet: { type: 'string' },
  seed: { type: 'string' },
  'backtest-periods': { type: 'string' },
  candidates: { type: 'string' },
  out: { type: 'string' },
  delimiter: { type: 'string' },
  force: { type: 'boolean', default: false },
  reason: { type: 'string' },
  limit: { type: 'string' },
  'model-card': { type: 'boolean', default: false },
  state: { type: 'string' },
  acknowledge: { type: 'string' },
  resolve: { type: 'string' },
  'fail-on': { type: 'string' },
  inbox: { type: 'string' },
  outbox: { type: 'string' },
  'set-aside': { type: 'string' },
  restore: { type: 'string' },
  save: { type: 'string' },
  delete: { type: 'string' },
  site: { type: 'string' },
  course: { type: 'string' },
  schedule: { type: 'string' },
  students: { type: 'string' },
  note: { type: 'string' },
  clear: { type: 'boolean', default: false },
  forecast: { type: 'string' },
  'min-class-size': { type: 'string' },
  'max-class-size': { type: 'string' },
  locale: { type: 'string' },
  region: { type: 'string' },
  'promotion-margin': { type: 'string' },
  'rollback-threshold': { type: 'string' },
  'inbox-folder': { type: 'string' },
  'outbox-folder': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** An argument the CLI refuses before anything runs: exit 2, nothing written. */
class Refused extends Error {
  constructor(readonly sentence: Bilingual) {
    super(bilingual(sentence));
  }
}

/** A call that came back failed: its error decides the exit code. */
class CallFailed extends Error {
  constructor(readonly error: CallError) {
    super(bilingual(error.message));
  }
}

/** Exit codes are the CLI's business: the engine says what happened, the CLI says it the way scripts expect. */
function exitCodeOf(error: CallError): number {
  return error.code === 'invalid_arguments' || error.code === 'unknown_method' || error.code === 'refused' ? 2 : 1;
}

function wholeNumber(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new Refused({ es: `--${name} debe ser un número entero mayor o igual que ${min} (se recibió «${raw}»).`, en: `--${name} must be a whole number of at least ${min} (got "${raw}").` });
  }
  return Number(raw);
}

function candidateList(raw: string | undefined): CandidateId[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.find((n) => !(CANDIDATE_IDS as readonly string[]).includes(n));
  if (unknown !== undefined || names.length === 0) {
    throw new Refused({
      es: `No existe el modelo «${unknown ?? raw}»; los modelos son: ${CANDIDATE_IDS.join(', ')}.`,
      en: `There is no model "${unknown ?? raw}"; the models are: ${CANDIDATE_IDS.join(', ')}.`,
    });
  }
  return names as CandidateId[];
}

function readMapping(file: string): ColumnMapping {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Refused({ es: `No se pudo leer el archivo de mapeo ${file}: ${(error as Error).message}.`, en: `Could not read the mapping file ${file}: ${(error as Error).message}.` });
  }
  const parsed = ColumnMappingSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]!.path.join('.') || '(raíz / root)';
    throw new Refused({
      es: `El archivo de mapeo ${file} no es válido en «${where}»: cada campo (PERIODO, SEDE, CURSO_ACTUAL, HORARIO_ACTUAL, ALUMNOS, ID_ALUMNO, CAPACIDAD) es un nombre de columna, una lista de columnas o {"value": "…"}.`,
      en: `The mapping file ${file} is not valid at "${where}": each field (PERIODO, SEDE, CURSO_ACTUAL, HORARIO_ACTUAL, ALUMNOS, ID_ALUMNO, CAPACIDAD) is a column name, a list of columns or {"value": "…"}.`,
    });
  }
  return parsed.data;
}

function existingFiles(files: string[]): string[] {
  if (files.length === 0) throw new Refused({ es: 'Indique al menos un archivo para importar.', en: 'Name at least one file to import.' });
  for (const file of files) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new Refused({ es: `No existe el archivo ${file}.`, en: `There is no file ${file}.` });
  }
  return files;
}

/** `cupo import --json`: the files' reports, then what their actuals said about the forecasts served. */
function importJson(result: ImportResult) {
  return {
    committed: result.committed,
    platinum_version: result.platinum_version,
    reports: result.reports,
    scored: (result.scoring?.scored ?? []).map((s) => ({ period: s.period, model_id: s.model_id, wape: s.wape, mae: s.mae, bias: s.bias, expected_wape: s.expected_wape })),
    policy: result.scoring?.policy ?? null,
  };
}

/** `cupo alerts --json`: the fields a scheduled task reads, snake_case. */
function alertJson(a: Alert) {
  return { id: a.id, severity: a.severity, category: a.category, message: a.message, action: a.action, period: a.period, scope: a.scope, state: a.state, created_at: a.created_at };
}

/**
 * `cupo override --json`: a class's own number beside the model's, and the decision that follows (null `students`:
 * the model's number stands alone).
 */
function ownNumberJson(forecast: ForecastResult, o: ForecastOverride | null, row = forecast.rows.find((r) => o && r.SEDE === o.site && r.CURSO_ACTUAL === o.course && r.HORARIO_ACTUAL === o.schedule)) {
  return {
    forecast_id: forecast.report.forecast_id,
    period: forecast.report.period,
    site: row?.SEDE ?? o?.site,
    course: row?.CURSO_ACTUAL ?? o?.course,
    schedule: row?.HORARIO_ACTUAL ?? o?.schedule,
    predicted: row?.PREDICT_ALUMNOS ?? null,
    students: o?.students ?? null,
    note: o?.note ?? null,
    by: o?.by ?? null,
    at: o?.at ?? null,
    decision: row?.decision ?? null,
    sections: row?.sections ?? null,
  };
}

function severityOf(raw: string | undefined): Severity | null {
  if (raw === undefined) return null;
  if ((SEVERITY_ORDER as readonly string[]).includes(raw)) return raw as Severity;
  throw new Refused({ es: `--fail-on debe ser uno de: ${SEVERITY_ORDER.join(', ')} (se recibió «${raw}»).`, en: `--fail-on must be one of: ${SEVERITY_ORDER.join(', ')} (got "${raw}").` });
}

function alertStateOf(raw: string | undefined): Args<'alerts'>['state'] {
  const states = ['open', 'acknowledged', 'resolved', 'all'] as const;
  if (raw === undefined) return undefined;
  if ((states as readonly string[]).includes(raw)) return raw as (typeof states)[number];
  throw new Refused({ es: `--state debe ser uno de: ${states.join(', ')}.`, en: `--state must be one of: ${states.join(', ')}.` });
}

function defaultReason(command: 'promote' | 'rollback'): string {
  return command === 'promote' ? 'Promovido desde la línea de comandos / promoted from the command line' : 'Vuelta atrás desde la línea de comandos / rolled back from the command line';
}

function delimiterOf(raw: string | undefined): ',' | ';' {
  if (raw === undefined || raw === ',' || raw === ';') return raw ?? ',';
  throw new Refused({ es: '--delimiter debe ser «,» o «;».', en: '--delimiter must be "," or ";".' });
}

/** An import's id as «cupo snapshots» shows it, checked before the database is opened. */
function snapshotIdOf(option: string, raw: string | undefined): string | undefined {
  if (raw === undefined || /^raw-[0-9a-f]{12}$/.test(raw)) return raw;
  throw new Refused({ es: `--${option} espera el id de una importación, como raw-1a2b3c4d5e6f («cupo snapshots» las lista); se recibió «${raw}».`, en: `--${option} takes an import's id, like raw-1a2b3c4d5e6f ("cupo snapshots" lists them); got "${raw}".` });
}

/** `cupo snapshots`: at most one change to the imports, then the list. */
function snapshotChange(values: Values): Parsed['snapshotChange'] {
  const setAside = snapshotIdOf('set-aside', values['set-aside']);
  const restore = snapshotIdOf('restore', values.restore);
  if (setAside !== undefined && restore !== undefined) throw new Refused({ es: 'Use --set-aside o --restore, no los dos a la vez.', en: 'Use --set-aside or --restore, not both at once.' });
  if (setAside !== undefined) return { act: 'set_aside', id: setAside };
  return restore !== undefined ? { act: 'restore', id: restore } : null;
}

/** `cupo mappings`: list, save one (--save with --mapping) or delete one. */
function mappingChange(values: Values): Parsed['mappingChange'] {
  if (values.save !== undefined && values.delete !== undefined) throw new Refused({ es: 'Use --save o --delete, no los dos a la vez.', en: 'Use --save or --delete, not both at once.' });
  if (values.save !== undefined) {
    if (!values.mapping) throw new Refused({ es: 'Indique con --mapping el archivo .json del mapeo que se guarda con --save.', en: 'Name with --mapping the .json file of the mapping to save with --save.' });
    return { act: 'save', name: values.save };
  }
  if (values.mapping) throw new Refused({ es: '--mapping va con --save NOMBRE: «cupo mappings --save NOMBRE --mapping m.json».', en: '--mapping goes with --save NAME: "cupo mappings --save NAME --mapping m.json".' });
  return values.delete !== undefined ? { act: 'delete', name: values.delete } : null;
}

/** `cupo override`: the class and the planner's number (or --clear), or nothing at all to list them. */
function ownNumber(values: Values): Parsed['ownNumber'] {
  const { site, course, schedule, note } = values;
  const students = wholeNumber('students', values.students, 0);
  if ([site, course, schedule, students, note].every((v) => v === undefined) && !values.clear) return null;
  if (site === undefined || course === undefined || schedule === undefined) {
    throw new Refused({ es: 'Indique la clase con --site, --course y --schedule, como aparecen en el pronóstico.', en: 'Name the class with --site, --course and --schedule, as they appear in the forecast.' });
  }
  if ((students === undefined) === !values.clear) {
    throw new Refused({ es: 'Indique el número propio con --students N (y --note), o --clear para volver al número del modelo.', en: "Give the own number with --students N (and --note), or --clear to go back to the model's number." });
  }
  return { site, course, schedule, students: students ?? null, note: note ?? '' };
}

/** A number of Settings' model lifecycle, within the limits the Settings screen checks too. */
function decimal(name: string, raw: string | undefined, limits: { min: number; max: number }): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < limits.min || Number(raw) > limits.max) {
    throw new Refused({
      es: `--${name} debe ser un número entre ${limits.min} y ${limits.max}, con punto decimal (se recibió «${raw}»).`,
      en: `--${name} must be a number from ${limits.min} to ${limits.max}, with a decimal point (got "${raw}").`,
    });
  }
  return Number(raw);
}

/** `cupo settings`: what the options change; the rest stays as saved. */
function settingsChange(values: Values): Partial<Settings> | null {
  const { locale, region } = values;
  if (locale !== undefined && locale !== 'es' && locale !== 'en') throw new Refused({ es: '--locale debe ser «es» o «en».', en: '--locale must be "es" or "en".' });
  if (region !== undefined && !isRegion(region)) throw new Refused({ es: `--region debe ser una de: ${REGIONS.join(', ')}.`, en: `--region must be one of: ${REGIONS.join(', ')}.` });
  const change: Partial<Settings> = {
    ...(locale !== undefined ? { locale } : {}),
    ...(region !== undefined ? { region } : {}),
    minClassSize: wholeNumber('min-class-size', values['min-class-size'], 1),
    maxClassSize: wholeNumber('max-class-size', values['max-class-size'], 1),
    promotionMargin: decimal('promotion-margin', values['promotion-margin'], SETTING_LIMITS.promotionMargin),
    rollbackThreshold: decimal('rollback-threshold', values['rollback-threshold'], SETTING_LIMITS.rollbackThreshold),
    ...(values['inbox-folder'] !== undefined ? { inboxFolder: path.resolve(values['inbox-folder']) } : {}),
    ...(values['outbox-folder'] !== undefined ? { outboxFolder: path.resolve(values['outbox-folder']) } : {}),
  };
  const given = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  return Object.keys(given).length > 0 ? given : null;
}

/** `cupo settings --json`: snake_case, as every other command's. */
function settingsJson(s: Settings) {
  return {
    locale: s.locale,
    region: s.region,
    min_class_size: s.minClassSize,
    max_class_size: s.maxClassSize,
    class_sizes: s.classSizes.map((r) => ({ site: r.site ?? null, course: r.course ?? null, min_class_size: r.minClassSize, max_class_size: r.maxClassSize })),
    notifications: s.notifications,
    promotion_margin: s.promotionMargin,
    rollback_threshold: s.rollbackThreshold,
    inbox_folder: s.inboxFolder,
    outbox_folder: s.outboxFolder,
  };
}

interface Session {
  io: CliIO;
  engine: InProcessEngine;
  values: Values;
  text: Text;
  progress: ProgressLine;
}

/**
 * Numbers the user's region's way (Settings) and periods read with the data's frequency: asked once the database
 * is open, and again after an import, which may bring the first data.
 */
async function tuneText(s: Session): Promise<void> {
  const [settings, state] = await Promise.all([s.engine.call('getSettings', {}), s.engine.call('status', {})]);
  s.text.use(settings.ok ? settings.value.region : null, state.ok ? state.value.data?.frequency : undefined);
}

/** One call through the contract, its progress on the terminal; a failed call stops the command. */
async function call<M extends Method>(s: Session, method: M, args: Args<M>, paths?: readonly string[]): Promise<Results[M]> {
  const result: CallResult<Results[M]> = await s.engine.call(method, args, {
    ...(paths ? { paths } : {}),
    onProgress: (event) => s.progress.update(s.text.t(event.message), event.stage === 'train'),
  });
  s.progress.done();
  if (!result.ok) throw new CallFailed(result.error);
  return result.value;
}

function trainingArgs(values: Values): Args<'train'> {
  const seed = wholeNumber('seed', values.seed, 0);
  const backtestPeriods = wholeNumber('backtest-periods', values['backtest-periods'], 1);
  const candidates = candidateList(values.candidates);
  return {
    ...(seed !== undefined ? { seed } : {}),
    ...(backtestPeriods !== undefined ? { backtestPeriods } : {}),
    ...(candidates ? { candidates } : {}),
    ...(values.force ? { force: true } : {}),
  };
}

/** Makes the forecast, has the engine export it, and copies the file where the user asked (or returns its text). */
async function forecastTo(s: Session, out: string | undefined, period?: string) {
  const delimiter = delimiterOf(s.values.delimiter);
  const { report } = await call(s, 'forecast', period !== undefined ? { period } : {});
  const exported = await call(s, 'exportForecast', { format: 'csv', delimiter });
  const written = s.engine.exportPath(exported.exportId, exported.fileName)!;
  if (out === undefined) return { report, csv: fs.readFileSync(written, 'utf8').replace(/^\uFEFF/, '') };
  const target = path.resolve(out);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(written, target);
  // The classes expected to close travel beside the forecast, named after it.
  const closing = closingFileFor(written);
  if (fs.existsSync(closing)) fs.copyFileSync(closing, closingFileFor(target));
  return { report: { ...report, out: target }, csv: null };
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
  const KNOWN = ['import', 'train', 'backtest', 'forecast', 'status', 'snapshots', 'reopen', 'mappings', 'override', 'settings', 'models', 'promote', 'rollback', 'accuracy', 'audit', 'drift', 'alerts', 'report', 'run', 'demo', 'backup', 'restore'];
  if (!KNOWN.includes(command)) {
    io.stderr.write(`${bilingual({ es: `Comando desconocido «${command}»; use --help para ver los comandos.`, en: `Unknown command "${command}"; use --help to list the commands.` })}\n`);
    return 2;
  }
  const out = (human: string, json: unknown) => io.stdout.write(`${values.json ? JSON.stringify(json, null, 2) : human}\n`);
  const progress = new ProgressLine(io.stderr, !values.json);
  const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-cli-'));
  let engine: InProcessEngine | null = null;
  try {
    const demo = command === 'demo' && !values.db && !env.CUPO_DB;
    const dbFile = demo ? path.join(userDataDir(env), 'demo.sqlite') : resolveDatabasePath(values.db, env);
    // Arguments are checked before the database is opened: a refused command touches nothing.
    if (command === 'restore' && !rest[0]) throw new Refused({ es: 'Indique qué copia de seguridad restaurar (un archivo .zip de «cupo backup»).', en: 'Name the backup to restore (a .zip file made by "cupo backup").' });
    if (command === 'backup' && values.out !== undefined && fs.existsSync(values.out)) {
      throw new Refused({ es: `Ya existe ${path.resolve(values.out)}: una copia nunca se sobrescribe; elija otro nombre con --out.`, en: `${path.resolve(values.out)} already exists: a backup is never overwritten; choose another name with --out.` });
    }
    if (command === 'restore' && /^raw-[0-9a-f]{12}$/.test(rest[0]!) && !fs.existsSync(rest[0]!)) {
      throw new Refused({ es: `«cupo restore» pone una copia de seguridad; para volver a usar la importación ${rest[0]} apartada: «cupo snapshots --restore ${rest[0]}».`, en: `"cupo restore" puts back a backup; to bring back the set-aside import ${rest[0]}: "cupo snapshots --restore ${rest[0]}".` });
    }
    const mappingsChange = command === 'mappings' ? mappingChange(values) : null;
    // A saved mapping is made for the columns of a sample file, when one is named.
    const sample = mappingsChange?.act === 'save' && rest[0] !== undefined;
    const files = command === 'import' ? existingFiles(rest) : command === 'restore' || sample ? existingFiles(rest.slice(0, 1)) : [];
    if (command === 'run' && !values.inbox) throw new Refused({ es: 'Indique la carpeta de entrada con --inbox.', en: 'Name the inbox folder with --inbox.' });
    const mapping = (command === 'import' || command === 'run' || command === 'mappings') && values.mapping ? readMapping(values.mapping) : undefined;
    const training = command === 'train' || command === 'backtest' || command === 'demo' ? trainingArgs(values) : {};
    delimiterOf(values.delimiter);
    if (command === 'promote' && !rest[0]) throw new Refused({ es: 'Indique qué modelo poner en servicio (su id, de «cupo models»).', en: 'Name the model to make serve (its id, from "cupo models").' });
    const reason = values.reason ?? (command === 'promote' || command === 'rollback' ? defaultReason(command) : undefined);
    const limit = wholeNumber('limit', values.limit, 1);
    const failOn = severityOf(values['fail-on']);
    const alertState = alertStateOf(values.state);
    const acknowledge = wholeNumber('acknowledge', values.acknowledge, 1);
    const resolve = wholeNumber('resolve', values.resolve, 1);
    if (command === 'reopen' && !rest[0]) throw new Refused({ es: 'Indique qué importación volver a usar (su id, de «cupo snapshots»).', en: 'Name the import to use again (its id, from "cupo snapshots").' });
    const snapshotsChange = command === 'snapshots' ? snapshotChange(values) : null;
    const own = command === 'override' ? ownNumber(values) : null;
    const newSettings = command === 'settings' ? settingsChange(values) : null;

    const opened = openInProcessEngine(dbFile, exportsDir);
    if (!opened.ok) throw new CallFailed(opened.error);
    engine = opened.value;
    if (engine.backup) io.stderr.write(`${text.t({ es: `La base de datos se actualizó a esta versión de Cupo; la copia anterior quedó en ${engine.backup}`, en: `The database was upgraded to this version of Cupo; the previous copy is at ${engine.backup}` })}\n`);
    const s: Session = { io, engine, values, text, progress };
    await tuneText(s);
    const code = await runCommand(s, command, { rest, files, mapping, training, reason, limit, alertState, acknowledge, resolve, snapshotChange: snapshotsChange, mappingChange: mappingsChange, ownNumber: own, settings: newSettings }, out);
    if (code !== 0 || failOn === null) return code;
    // For a scheduled task: done, but something at or above --fail-on is waiting for a person.
    const open = await call(s, 'alerts', { state: 'open' });
    const serious = open.filter((a) => SEVERITY_ORDER.indexOf(a.severity) <= SEVERITY_ORDER.indexOf(failOn));
    if (serious.length === 0) return 0;
    io.stderr.write(`${text.say({
      es: '{n, plural, one {# alerta abierta} other {# alertas abiertas}} de nivel {level} o más.',
      en: '{n, plural, one {# open alert} other {# open alerts}} at level {level} or above.',
    }, { n: serious.length, level: failOn })}\n`);
    return 3;
  } catch (error) {
    return await failure(error);
  } finally {
    engine?.close();
    fs.rmSync(exportsDir, { recursive: true, force: true });
  }

  async function failure(error: unknown): Promise<number> {
    progress.done();
    if (error instanceof Refused) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof CallFailed) {
      io.stderr.write(`${bilingual(error.error.message)}${error.error.code === 'internal' && !values.debug ? ' (--debug)' : ''}\n`);
      // The engine's sentence says what is missing in words; the CLI adds the command that does it.
      const state = engine && error.error.code !== 'internal' ? await engine.call('status', {}) : null;
      const hint = commandHint(command!, state?.ok ? state.value : null);
      if (hint) io.stderr.write(`${bilingual(hint)}\n`);
      if (values.debug && error.error.stack) io.stderr.write(`${error.error.stack}\n`);
      return exitCodeOf(error.error);
    }
    io.stderr.write(`${bilingual({ es: `Error inesperado: ${(error as Error).message}`, en: `Unexpected error: ${(error as Error).message}` })}${values.debug ? '' : ' (--debug)'}\n`);
    if (values.debug) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}

interface Parsed {
  rest: string[];
  files: string[];
  mapping: ColumnMapping | undefined;
  training: Args<'train'>;
  reason: string | undefined;
  limit: number | undefined;
  alertState: Args<'alerts'>['state'];
  acknowledge: number | undefined;
  resolve: number | undefined;
  snapshotChange: { act: 'set_aside' | 'restore'; id: string } | null;
  mappingChange: { act: 'save' | 'delete'; name: string } | null;
  ownNumber: { site: string; course: string; schedule: string; students: number | null; note: string } | null;
  settings: Partial<Settings> | null;
}

/** One command: its calls of the contract, what it prints, and its exit code. */
async function runCommand(s: Session, command: string, p: Parsed, out: (human: string, json: unknown) => void): Promise<number> {
  const { io, engine, values, text } = s;
  const { rest, files, mapping, training, reason, limit } = p;
  {
    switch (command) {
      case 'import': {
        const fileIds = engine.fileIds(files);
        const result = await call(s, 'importFiles', {
          files: fileIds.map((fileId) => ({
            fileId,
            ...(mapping ? { mapping } : {}),
            ...(values.period !== undefined ? { period: values.period } : {}),
            ...(values['period-from-name'] ? { periodFromName: true } : {}),
            ...(values.sheet !== undefined ? { sheet: values.sheet } : {}),
          })),
        }, files);
        await tuneText(s);
        out(describeImportResult(text, result), importJson(result));
        return result.committed ? 0 : 2;
      }
      case 'train':
      case 'backtest': {
        const report = await call(s, command, training);
        out(describeTraining(text, report), report);
        return 0;
      }
      case 'forecast': {
        const { report, csv } = await forecastTo(s, values.out, values.period);
        if (csv !== null && !values.json) {
          io.stdout.write(csv);
          io.stderr.write(`${describeForecast(text, report)}\n`);
        } else out(describeForecast(text, report), report);
        return 0;
      }
      case 'status': {
        const report = await call(s, 'status', {});
        out(describeStatus(text, report), report);
        return 0;
      }
      case 'snapshots': {
        const change = p.snapshotChange;
        if (!change) {
          const list = await call(s, 'snapshots', {});
          out(describeSnapshotList(text, list), list);
          return 0;
        }
        const { id } = change;
        const { platinum_version, scoring } = change.act === 'set_aside'
          ? await call(s, 'setAsideSnapshot', { id, ...(values.reason !== undefined ? { reason: values.reason } : {}) })
          : await call(s, 'restoreSnapshot', { id });
        const list = await call(s, 'snapshots', {});
        out(
          [describeSnapshotChange(text, change.act, list.find((x) => x.id === id)!, platinum_version), describeSnapshotList(text, list), ...describeScoring(text, scoring)].join('\n'),
          { [change.act]: id, platinum_version, snapshots: list, scored: scoring?.scored ?? [], policy: scoring?.policy ?? null },
        );
        return 0;
      }
      case 'mappings': {
        const change = p.mappingChange;
        if (change?.act === 'save') {
          const headers = files.length > 0 ? (await call(s, 'previewFile', { fileId: engine.fileIds(files)[0]!, ...(values.sheet !== undefined ? { sheet: values.sheet } : {}) }, files)).headers : columnsOf(mapping!);
          const missing = columnsOf(mapping!).filter((c) => !headers.includes(c));
          if (missing.length > 0) {
            throw new Refused({ es: `El archivo ${files[0]} no tiene ${missing.length === 1 ? 'la columna' : 'las columnas'} ${missing.map((c) => `«${c}»`).join(', ')} que lee el mapeo: no se guardó nada.`, en: `The file ${files[0]} has no ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((c) => `"${c}"`).join(', ')}, which the mapping reads: nothing was saved.` });
          }
          if (headers.length === 0) {
            throw new Refused({ es: 'El mapeo no lee ninguna columna: indique un archivo de ejemplo para saber a qué archivos aplicarlo.', en: 'The mapping reads no column: name a sample file so Cupo knows which files it is for.' });
          }
          const saved = await call(s, 'saveMapping', { name: change.name, mapping: mapping!, headers, ...(values['period-from-name'] ? { periodFromName: true } : {}) });
          out(describeMappingSaved(text, saved), saved);
          return 0;
        }
        if (change?.act === 'delete') {
          const { deleted } = await call(s, 'deleteMapping', { name: change.name });
          if (!deleted) throw new Refused({ es: `No hay un mapeo guardado llamado «${change.name}»; «cupo mappings» los lista.`, en: `There is no saved mapping called "${change.name}"; "cupo mappings" lists them.` });
          out(text.t({ es: `Se borró el mapeo «${change.name}».`, en: `The mapping "${change.name}" was deleted.` }), { deleted, name: change.name });
          return 0;
        }
        const list = await call(s, 'mappings', {});
        out(describeMappings(text, list), list);
        return 0;
      }
      case 'settings': {
        const before = await call(s, 'getSettings', {});
        if (!p.settings) {
          out(describeSettings(text, before), settingsJson(before));
          return 0;
        }
        const after = await call(s, 'saveSettings', { ...before, ...p.settings });
        await tuneText(s);
        out(`${text.t({ es: 'Ajustes guardados.', en: 'Settings saved.' })}\n${describeSettings(text, after)}`, settingsJson(after));
        return 0;
      }
      case 'override': {
        const forecast = await call(s, 'lastForecast', values.forecast !== undefined ? { forecastId: values.forecast } : {});
        if (!forecast) throw new CallFailed({ code: 'failed', message: { es: 'Todavía no hay un pronóstico: «cupo forecast».', en: 'There is no forecast yet: "cupo forecast".' } });
        const forecastId = forecast.report.forecast_id;
        const change = p.ownNumber;
        if (!change) {
          out(describeOwnNumbers(text, forecast), forecast.overrides.map((o) => ownNumberJson(forecast, o)));
          return 0;
        }
        await call(s, 'overrideForecast', { forecastId, ...change });
        const after = (await call(s, 'lastForecast', { forecastId }))!;
        const o = after.overrides.find((x) => x.site === change.site && x.course === change.course && x.schedule === change.schedule);
        const row = after.rows.find((r) => r.SEDE === change.site && r.CURSO_ACTUAL === change.course && r.HORARIO_ACTUAL === change.schedule)!;
        out(describeOwnNumber(text, after.report.period, row, o), ownNumberJson(after, o ?? null, row));
        return 0;
      }
      case 'reopen': {
        const id = rest[0]!;
        const { platinum_version, scoring } = await call(s, 'reopenSnapshot', { id });
        const list = await call(s, 'snapshots', {});
        out(
          [text.t({ es: `Se volvió a usar ${id}; datos ${platinum_version}.`, en: `${id} is in use again; data ${platinum_version}.` }), describeSnapshotList(text, list), ...describeScoring(text, scoring)].join('\n'),
          { platinum_version, snapshots: list, scored: scoring?.scored ?? [], policy: scoring?.policy ?? null },
        );
        return 0;
      }
      case 'models': {
        const versions = await call(s, 'models', {});
        out(describeModels(text, versions), versions);
        return 0;
      }
      case 'promote':
      case 'rollback': {
        const switched = command === 'promote' ? await call(s, 'promote', { modelId: rest[0]!, reason: reason! }) : await call(s, 'rollback', { reason: reason! });
        out(text.t(switched.message), switched);
        return 0;
      }
      case 'accuracy': {
        const report = await call(s, 'accuracy', {});
        out(describeAccuracy(text, report), report.real);
        return 0;
      }
      case 'report': {
        const lang = values.lang === undefined ? undefined : text.locale;
        const written = await call(s, 'report', {
          ...(values.period !== undefined ? { period: values.period } : {}),
          ...(values['model-card'] ? { modelCard: true } : {}),
          ...(lang ? { locale: lang } : {}),
        });
        // Where the user asked, else under the engine's own name in the current folder.
        const target = path.resolve(values.out ?? written.fileName);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(s.engine.exportPath(written.exportId, written.fileName)!, target);
        out(text.t({ es: `Informe escrito en ${target}`, en: `Report written to ${target}` }), { file: target, fileName: written.fileName });
        return 0;
      }
      case 'run': {
        const run = await call(s, 'runInbox', {
          inbox: path.resolve(values.inbox!),
          ...(values.outbox ? { outbox: path.resolve(values.outbox) } : {}),
          ...(mapping ? { mapping } : {}),
          ...(values['period-from-name'] ? { periodFromName: true } : {}),
        });
        out(describeRun(text, run), run);
        return run.refused > 0 ? 2 : 0;
      }
      case 'backup': {
        const written = await call(s, 'backup', {});
        // Where the user asked, else under the engine's own name in the current folder.
        const target = path.resolve(values.out ?? written.fileName);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(s.engine.exportPath(written.exportId, written.fileName)!, target, fs.constants.COPYFILE_EXCL);
        const size = written.bytes >= 1e6 ? `${text.one(written.bytes / 1e6)} MB` : `${text.int(Math.max(1, Math.round(written.bytes / 1e3)))} kB`;
        out(
          text.t({
            es: `Copia de seguridad escrita en ${target} (${size}; base de datos${written.with_key ? ' y clave de seudonimización' : ''}, esquema ${written.schema_version}; comprobada: integridad correcta, ${text.int(written.tables)} tablas, ${text.int(written.rows)} filas).`,
            en: `Backup written to ${target} (${size}; database${written.with_key ? ' and pseudonymisation key' : ''}, schema ${written.schema_version}; checked: integrity ok, ${text.int(written.tables)} tables, ${text.int(written.rows)} rows).`,
          }),
          { ...written, file: target },
        );
        return 0;
      }
      case 'restore': {
        const restored = await call(s, 'restore', { fileId: engine.fileIds(files)[0]! }, files);
        out(text.t(restored.message), restored);
        return 0;
      }
      case 'audit': {
        const entries = await call(s, 'audit', limit !== undefined ? { limit } : {});
        out(describeAudit(text, entries), entries);
        return 0;
      }
      case 'drift': {
        const report = values.period !== undefined || !(await call(s, 'drift', {})) ? (await call(s, 'checkDrift', values.period !== undefined ? { period: values.period } : {})).report : await call(s, 'drift', {});
        out(describeDrift(text, report), report);
        return 0;
      }
      case 'alerts': {
        if (p.acknowledge !== undefined) await call(s, 'acknowledgeAlert', { id: p.acknowledge });
        if (p.resolve !== undefined) await call(s, 'resolveAlert', { id: p.resolve });
        const alerts = await call(s, 'alerts', p.alertState ? { state: p.alertState } : {});
        out(describeAlerts(text, alerts), alerts.map(alertJson));
        return 0;
      }
      default: {
        const imported = await call(s, 'loadDemo', {});
        await tuneText(s);
        if (!imported.committed) {
          out(describeImportResult(text, imported), importJson(imported));
          return 2;
        }
        const trained = await call(s, 'train', training);
        // Beside the demo's own database, never into whatever folder the command happened to run from.
        const { report } = await forecastTo(s, values.out ?? path.join(path.dirname(engine.file), 'cupo-demo-forecast.csv'));
        out(
          [
            text.t({ es: `Demo: instituto de idiomas de ejemplo en ${engine.file}`, en: `Demo: sample language institute in ${engine.file}` }),
            describeImportResult(text, imported),
            '',
            describeTraining(text, trained),
            '',
            describeForecast(text, report),
          ].join('\n'),
          { imports: imported.reports, training: trained, forecast: report },
        );
        return 0;
      }
    }
  }
  return 0;
}
