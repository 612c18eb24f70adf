import { z } from 'zod';
import type { Alert, DriftReport } from './drift';
import { REGIONS } from './regions';
import type { Region } from './regions';
import { ClassSizeRuleSchema } from './class-sizes';
import type { ClassSizeRule } from './class-sizes';
import { ForecastFilterSchema } from './forecast-view';
import { ColumnMappingSchema } from './mapping';
import type { Bilingual } from './messages';
import type { ColumnMapping } from './mapping';
import { CANDIDATE_IDS } from './model-names';
import { AUDIT_ACTIONS } from './reports';
import type {
  AccuracyHistoryReport,
  AuditEntry,
  ForecastOverride,
  ForecastReport,
  InboxRun,
  ForecastRow,
  ImportReport,
  ModelVersionInfo,
  PolicyOutcome,
  SavedMapping,
  ScoringReport,
  SnapshotInfo,
  StatusReport,
  TrainingReport,
} from './reports';

/**
 * The one contract between the interface and the engine: every operation the renderer may ask for, the schema its
 * arguments must pass (checked by every host before the engine sees them), and what it returns.
 * Files are named by an id the host gave out (an upload in the browser, a file chosen in the desktop app),
 * never by a path the renderer made up.
 */
const FileId = z.string().regex(/^f-[0-9a-f]{16}$/, 'a file id given by the host');
const Period = z.string().trim().min(1).max(40);
/** A workbook's sheet, by its name (Excel allows 31 characters; other programs a few more). */
const SheetName = z.string().min(1).max(100);
const Nothing = z.object({}).strict();
const TrainingArgs = z
  .object({
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    backtestPeriods: z.number().int().min(1).max(12).optional(),
    /** Which models to try; all of them by default ("repeat the previous period" is always among them). */
    candidates: z.array(z.enum(CANDIDATE_IDS)).min(1).max(CANDIDATE_IDS.length).optional(),
    /** Make the winner serve even if it does not beat the champion by the margin (recorded as forced). */
    force: z.boolean().optional(),
  })
  .strict();
/** A folder on this computer, named by the host (the command line, the desktop app's settings), never made up by a page. */
const AbsolutePath = z.string().min(1).max(4096).regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path');
const Reason = z.string().trim().min(1).max(500);
const ForecastId = z.string().regex(/^forecast-[0-9a-z-]{4,40}$/, 'a forecast id');
const SnapshotId = z.string().regex(/^raw-[0-9a-f]{12}$/);
/** A saved mapping's name, as a person types it ("UVA", "Sede Norte 2024"). */
const MappingName = z.string().trim().min(1).max(80);
const Label = z.string().min(1).max(400);
/**
 * The model lifecycle's settings, within what makes sense: a margin of 0–50 % (above it no model would ever be
 * replaced), a rollback threshold of 1–5 times the promised error. The Settings screen checks the same limits.
 */
export const SETTING_LIMITS = {
  promotionMargin: { min: 0, max: 0.5 },
  rollbackThreshold: { min: 1, max: 5 },
} as const;

export const CONTRACT = {
  status: { args: Nothing, progress: false },
  previewFile: { args: z.object({ fileId: FileId, sheet: SheetName.optional() }).strict(), progress: false },
  importFiles: {
    args: z
      .object({
        files: z
          .array(
            z
              .object({
                fileId: FileId,
                mapping: ColumnMappingSchema.optional(),
                period: Period.optional(),
                /** Take each file's period from its name (2024_fall.csv, matriculas-202401.csv). */
                periodFromName: z.boolean().optional(),
                /** For an .xlsx workbook, the sheet to import (the first one shown by default). */
                sheet: SheetName.optional(),
              })
              .strict()
              .refine((f) => !(f.period !== undefined && f.periodFromName), { message: 'period and periodFromName exclude each other' }),
          )
          .min(1)
          .max(500),
        /** Check everything and report, but write nothing. */
        dryRun: z.boolean().optional(),
      })
      .strict(),
    progress: true,
  },
  loadDemo: { args: Nothing, progress: true },
  train: { args: TrainingArgs, progress: true },
  /** The same experiment as `train`, measured only: nothing starts serving. */
  backtest: { args: TrainingArgs, progress: true },
  forecast: { args: z.object({ period: Period.optional() }).strict(), progress: false },
  /** The latest forecast, or an earlier one by its id (from History), with the planners' own numbers beside it. */
  lastForecast: { args: z.object({ forecastId: ForecastId.optional() }).strict(), progress: false },
  /**
   * A forecast as a file: the latest or an earlier one (`forecastId`), all its classes or only those a filter keeps
   * (what the screen shows), with the agreed column codes or headers in words (`headers: 'plain'`, in `locale`).
   */
  exportForecast: {
    args: z
      .object({
        format: z.enum(['csv', 'xlsx']),
        delimiter: z.enum([',', ';']).optional(),
        forecastId: ForecastId.optional(),
        filter: ForecastFilterSchema.optional(),
        headers: z.enum(['codes', 'plain']).optional(),
        locale: z.enum(['es', 'en']).optional(),
      })
      .strict(),
    progress: false,
  },
  /**
   * A planner's own number for one class of a forecast, with a note saying why (a teacher left); `students: null`
   * removes it. The model's number stays as it was, and accuracy is scored on it.
   */
  overrideForecast: {
    args: z
      .object({
        forecastId: ForecastId,
        site: Label,
        course: Label,
        schedule: Label,
        students: z.number().int().min(0).max(100000).nullable(),
        note: z.string().trim().max(500),
      })
      .strict()
      .refine((o) => o.students === null || o.note.length > 0, {
        path: ['note'],
        message: 'an override needs a note',
        params: { sentence: { es: 'Escriba por qué cambia el número: queda junto al pronóstico y en el registro.', en: 'Write why the number changes: it stays beside the forecast and on the log.' } },
      }),
    progress: false,
  },
  accuracy: { args: Nothing, progress: false },
  /**
   * The management report of a period (the coming one by default), or the model card of the model in use, as a
   * PDF in the exports folder. `locale` is the report's language (Settings' by default).
   */
  report: {
    args: z.object({ period: Period.optional(), modelCard: z.boolean().optional(), locale: z.enum(['es', 'en']).optional() }).strict(),
    progress: true,
  },
  history: { args: Nothing, progress: false },
  snapshots: { args: Nothing, progress: false },
  /** Every model version kept, with when it served and how its forecasts really did. */
  models: { args: Nothing, progress: false },
  /** A person makes a kept model the champion. */
  promote: { args: z.object({ modelId: z.string().regex(/^model-\d{4,}$/), reason: Reason }).strict(), progress: true },
  /** Back to the champion before the current one. */
  rollback: { args: z.object({ reason: Reason }).strict(), progress: true },
  /** The drift report of the newest import (or of the last check made on demand). */
  drift: { args: Nothing, progress: false },
  /** Compares a period (the newest by default) with what the champion learned from, and raises alerts. */
  checkDrift: { args: z.object({ period: Period.optional() }).strict(), progress: false },
  /** What needs attention, highest severity first; open and acknowledged ones by default. */
  alerts: { args: z.object({ state: z.enum(['open', 'acknowledged', 'resolved', 'all']).optional() }).strict(), progress: false },
  acknowledgeAlert: { args: z.object({ id: z.number().int().min(1) }).strict(), progress: false },
  resolveAlert: { args: z.object({ id: z.number().int().min(1) }).strict(), progress: false },
  /**
   * A scheduled run: import what is new in the inbox folder, retrain when the data changed, forecast the next
   * period and write the forecast and the report to the outbox. One at a time per database.
   */
  runInbox: {
    args: z
      .object({ inbox: AbsolutePath, outbox: AbsolutePath.optional(), mapping: ColumnMappingSchema.optional(), periodFromName: z.boolean().optional() })
      .strict(),
    progress: true,
  },
  /** The audit log, newest first. */
  audit: { args: z.object({ limit: z.number().int().min(1).max(10000).optional(), what: z.array(z.enum(AUDIT_ACTIONS)).min(1).optional() }).strict(), progress: false },
  /**
   * A backup: the database and its pseudonymisation key in one file (a zip), checked after writing, handed over like
   * an export (`saveExport` / a download).
   */
  backup: { args: Nothing, progress: true },
  /**
   * Replaces the database with a backup (a file the host gave an id, as for an import), after an automatic backup of
   * what it replaces. Refuses a file that is not a Cupo backup, or one from a newer Cupo, changing nothing.
   */
  restore: { args: z.object({ fileId: FileId }).strict(), progress: true },
  reopenSnapshot: { args: z.object({ id: SnapshotId }).strict(), progress: false },
  /**
   * Removes an import from the data, reversibly: it provides no period until restored (an older import of its
   * periods, if any, speaks for them again). Nothing is deleted; both acts are on the audit log.
   */
  setAsideSnapshot: { args: z.object({ id: SnapshotId, reason: z.string().trim().max(500).optional() }).strict(), progress: false },
  /** Undoes `setAsideSnapshot`: the import provides its periods again, as before it was set aside. */
  restoreSnapshot: { args: z.object({ id: SnapshotId }).strict(), progress: false },
  /** The column mappings kept by name, most recently saved first. */
  mappings: { args: Nothing, progress: false },
  /** Keeps a mapping by name (replacing one of the same name), to be offered again for files with the same columns. */
  saveMapping: {
    args: z.object({ name: MappingName, mapping: ColumnMappingSchema, periodFromName: z.boolean().optional(), headers: z.array(z.string().max(400)).max(500) }).strict(),
    progress: false,
  },
  deleteMapping: { args: z.object({ name: MappingName }).strict(), progress: false },
  getSettings: { args: Nothing, progress: false },
  saveSettings: {
    args: z
      .object({
        locale: z.enum(['es', 'en']),
        /** How numbers and dates are written (es-AR: 1.532); null or absent: the language's default region. */
        region: z.enum(REGIONS).nullable().optional(),
        minClassSize: z.number().int().min(1).max(500),
        maxClassSize: z.number().int().min(1).max(1000),
        /** The desktop app's system notification for new critical and high alerts (and browser mode's banner). */
        notifications: z.boolean().optional(),
        /** Relative improvement a new model needs over the champion to replace it: 0.02 is 2 %. */
        promotionMargin: z.number().min(SETTING_LIMITS.promotionMargin.min).max(SETTING_LIMITS.promotionMargin.max).optional(),
        /** Times the real error may exceed what testing promised before the champion is reviewed for rollback. */
        rollbackThreshold: z.number().min(SETTING_LIMITS.rollbackThreshold.min).max(SETTING_LIMITS.rollbackThreshold.max).optional(),
        /** A folder the app checks when it opens and every hour, as `cupo run --inbox` does; null: none. */
        inboxFolder: AbsolutePath.nullable().optional(),
        /** Where those runs write the forecast and the report; null: nowhere. */
        outboxFolder: AbsolutePath.nullable().optional(),
        /** Class sizes for particular sites or courses; a class is judged by the most specific one that names it. */
        classSizes: z.array(ClassSizeRuleSchema).max(500).optional(),
      })
      .strict()
      .refine((s) => s.minClassSize <= s.maxClassSize, {
        path: ['minClassSize'],
        message: 'minClassSize must not exceed maxClassSize',
        params: { sentence: { es: 'El mínimo de alumnos para abrir una clase no puede ser mayor que el máximo por clase.', en: 'The minimum number of students to open a class cannot be above the maximum per class.' } },
      }),
    progress: false,
  },
} as const;

export type Method = keyof typeof CONTRACT;
export const METHODS = Object.keys(CONTRACT) as Method[];

/**
 * The operations that never write the database. Every host runs them on a read-only connection and at once, beside
 * whatever write is under way (a training, an import); the others write and take turns. A handler of one of these
 * uses only the workspace's reader (reads.test.ts runs them with the writing connection out of reach).
 */
export const READ_METHODS: ReadonlySet<Method> = new Set<Method>(['status', 'previewFile', 'lastForecast', 'accuracy', 'history', 'snapshots', 'models', 'audit', 'drift', 'alerts', 'getSettings', 'mappings']);
export type Args<M extends Method> = z.input<(typeof CONTRACT)[M]['args']>;

export function isMethod(name: string): name is Method {
  return Object.hasOwn(CONTRACT, name);
}

/**
 * Checks a call against the contract — the method exists, its arguments pass its schema — and says what is
 * wrong in one sentence. Every host runs it before anything else (IPC wrapper, engine dispatcher).
 */
export function checkCall(method: string, args: unknown): { ok: true; method: Method; args: unknown } | { ok: false; error: CallError } {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'unknown_method', message: { es: `Cupo no tiene la operación «${method}».`, en: `Cupo has no operation "${method}".` } } };
  }
  const parsed = CONTRACT[method].args.safeParse(args);
  return parsed.success ? { ok: true, method, args: parsed.data } : { ok: false, error: invalidArguments(method, parsed.error) };
}

/** One sentence for the first thing wrong with a call's arguments. */
export function invalidArguments(operation: string, error: z.ZodError): CallError {
  const issue = error.issues[0]!;
  // A rule that says itself in both languages (a refinement's `params.sentence`) is shown as it is.
  const sentence = issue.code === 'custom' ? (issue.params as { sentence?: Bilingual } | undefined)?.sentence : undefined;
  if (sentence) return { code: 'invalid_arguments', message: sentence };
  const where = issue.path.length > 0 ? issue.path.join('.') : '(argumentos / arguments)';
  return {
    code: 'invalid_arguments',
    message: { es: `Datos no válidos para «${operation}» en ${where}: ${issue.message}.`, en: `Invalid arguments for "${operation}" at ${where}: ${issue.message}.` },
  };
}

export interface Settings {
  locale: 'es' | 'en';
  /** How numbers and dates are written; null: the language's default (es → es-PE, en → en-US). */
  region: Region | null;
  minClassSize: number;
  maxClassSize: number;
  /** A system notification (desktop) or a banner (browser) for each new critical or high alert; on by default. */
  notifications: boolean;
  /** How much better (relative) a new model's test error must be than the champion's to replace it: 0.02 = 2 %. */
  promotionMargin: number;
  /** A champion whose real error exceeds its test error by more than this factor is reviewed for rollback. */
  rollbackThreshold: number;
  /** The folder a scheduled run imports from, checked when the app opens and every hour; null: none. */
  inboxFolder: string | null;
  /** Where the scheduled run writes the forecast CSV and the report; null: nowhere. */
  outboxFolder: string | null;
  /** Sizes for particular sites or courses (none by default): the most specific one that names a class judges it. */
  classSizes: ClassSizeRule[];
}

export interface FilePreview {
  fileId: string;
  name: string;
  encoding: string;
  delimiter: string;
  headers: string[];
  rows: string[][];
  guessedMapping: ColumnMapping;
  periodFromName: string | null;
  problems: ImportReport['problems'];
  /** A workbook's sheets in tab order (none for a text file), the one previewed, and the row of its header (rows above it, a title block, are skipped). */
  sheets: string[];
  sheet: string | null;
  headerRow: number | null;
}

export interface ForecastResult {
  report: ForecastReport;
  /** Each class with the model's number; where a planner gave their own (`overrides`), its decision follows theirs. */
  rows: ForecastRow[];
  settings: Settings;
  overrides: ForecastOverride[];
}

export interface AccuracyReport {
  run_id: string | null;
  candidate: string | null;
  /** Backtest WAPE per period for every candidate of the serving model's run. */
  backtest: { period: string; candidate: string; wape: number }[];
  /** Stored forecasts whose period has actuals now: what was forecast against what happened. */
  forecastVsActual: { period: string; forecast_id: string; predicted: number; actual: number; wape: number }[];
  /** The serving candidate's backtest error per site, all folds together. */
  bySite: { site: string; wape: number; actual: number }[];
  /** Real accuracy of every served forecast whose actuals arrived, next to what the backtest promised. */
  real: AccuracyHistoryReport;
}

export interface HistoryReport {
  snapshots: SnapshotInfo[];
  runs: { id: string; started_at: string; winner: string; wape: number; seed: number; duration_ms: number; platinum_version: string; serving: boolean }[];
  forecasts: { id: string; period: string; model_version: string; rows: number; students: number; created_at: string }[];
}

/**
 * What happened after an import (or reopen) brought periods' actuals: the served forecasts scored against them,
 * and what the rollback policy then did.
 */
export type ArrivedActuals = ScoringReport & { policy: PolicyOutcome };

export interface ImportResult {
  reports: ImportReport[];
  committed: boolean;
  platinum_version: string | null;
  /** Null for a dry run or a refused import. */
  scoring: ArrivedActuals | null;
  /** The new periods compared with what the champion learned from; null for a dry run or a refused import. */
  drift: DriftReport | null;
  /** The alerts this import raised or raised again, highest severity first. */
  alerts: Alert[];
}

/** A change of champion a person asked for: from which model to which, and what the policy said. */
export interface ChampionSwitch {
  from: string | null;
  to: string;
  message: Bilingual;
}

export interface Download {
  exportId: string;
  fileName: string;
}

/** A backup written by the engine, to hand over as a download, with what it holds. */
export interface BackupDownload extends Download {
  bytes: number;
  created_at: string;
  /** The newest migration of the database copied. */
  schema_version: number;
  tables: number;
  rows: number;
  /** The pseudonymisation key is inside (always, when the database has one). */
  with_key: boolean;
}

/** What a restore did: the backup it put in place, the migrations it applied to it, where what it replaced went. */
export interface RestoreResult {
  restored: { fileName: string; created_at: string; app_version: string; schema_version: number };
  /** Migrations applied to a backup of an earlier Cupo on its way in; empty otherwise. */
  migrated: number[];
  /** The automatic backup of the database as it was before the restore. */
  safety_backup: string;
  message: Bilingual;
}

export interface Results {
  status: StatusReport;
  previewFile: FilePreview;
  importFiles: ImportResult;
  loadDemo: ImportResult;
  train: TrainingReport & { explanation: Bilingual };
  backtest: TrainingReport & { explanation: Bilingual };
  forecast: ForecastResult;
  lastForecast: ForecastResult | null;
  exportForecast: Download;
  report: Download;
  accuracy: AccuracyReport;
  history: HistoryReport;
  snapshots: SnapshotInfo[];
  models: ModelVersionInfo[];
  promote: ChampionSwitch;
  rollback: ChampionSwitch;
  audit: AuditEntry[];
  backup: BackupDownload;
  restore: RestoreResult;
  runInbox: InboxRun;
  drift: DriftReport | null;
  checkDrift: { report: DriftReport | null; alerts: Alert[] };
  alerts: Alert[];
  acknowledgeAlert: Alert;
  resolveAlert: Alert;
  reopenSnapshot: { platinum_version: string | null; scoring: ArrivedActuals | null };
  setAsideSnapshot: { platinum_version: string | null; scoring: ArrivedActuals | null };
  restoreSnapshot: { platinum_version: string | null; scoring: ArrivedActuals | null };
  mappings: SavedMapping[];
  saveMapping: SavedMapping;
  deleteMapping: { deleted: boolean };
  overrideForecast: ForecastOverride | null;
  getSettings: Settings;
  saveSettings: Settings;
}

/**
 * What went wrong, by what the caller can do about it: `invalid_arguments`, `unknown_method` and `refused` mean the
 * input was refused and nothing was written; `failed` means the operation could not be done as things are (no
 * data yet, no model); `cancelled` that the user stopped it and nothing changed; `internal` is a bug.
 */
export type CallError = { code: 'invalid_arguments' | 'unknown_method' | 'refused' | 'failed' | 'cancelled' | 'internal'; message: Bilingual; /** A bug's stack trace, for `--debug`. */ stack?: string };
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: CallError };

/** Streamed while a long operation runs; `done` of `total` steps. */
export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
  message: Bilingual;
}
