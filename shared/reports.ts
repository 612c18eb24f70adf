import type { ColumnMapping } from './mapping';
import type { Bilingual } from './messages';
import type { ImportProblem } from './problems';

export type Granularity = 'class' | 'student';
export type PeriodFrequency = 'year' | 'term' | 'month';

export interface ImportReport {
  file: string;
  status: 'imported' | 'already_imported' | 'rejected';
  snapshot_id: string | null;
  encoding: string | null;
  delimiter: string | null;
  granularity: Granularity | null;
  periods: string[];
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  classes: number;
  /** The first problems found (errors first); `problem_count` says how many there were in all. */
  problems: ImportProblem[];
  problem_count: number;
  platinum_version: string | null;
  /** Periods already loaded that this import would replace (its data speaks for them from now on). */
  replaces_periods: string[];
}

export interface FoldMetric {
  candidate: string;
  period: string;
  wape: number;
  mae: number;
  bias: number;
  actual_total: number;
  predicted_total: number;
  classes: number;
  /** WAPE of the forecast added up per course at each site (all its schedules), and per site. */
  course_wape: number;
  site_wape: number;
  /**
   * Share of the classes forecast above 0 whose actual students fell inside their 80 % interval (intervals fitted
   * on earlier periods only); null where there was no earlier period to fit them on.
   */
  coverage: number | null;
}

export interface CandidateSummary {
  candidate: string;
  kind: 'baseline' | 'boosted' | 'neural' | 'ensemble';
  wape: number;
  mae: number;
  folds: number;
  /** (forecast − actual) / actual over all folds: below 0 the candidate forecasts too few students. */
  bias: number;
  course_wape: number;
  coverage: number | null;
}

export interface TrainingReport {
  run_id: string;
  seed: number;
  backtest_periods: string[];
  candidates: CandidateSummary[];
  folds: FoldMetric[];
  /**
   * The model serving after this run (the new one if it was promoted, else the champion that stays, with its WAPE on
   * this run's folds), or null for a backtest that only measured.
   */
  serving: { model_version: string; candidate: string; wape: number } | null;
  /** The best of the candidates asked for; it serves only if `decision.promoted`. */
  winner: string;
  /** Whether the winner replaced the champion, and why, in words. */
  decision: PromotionDecision;
  last_value_wape: number;
  platinum_version: string;
  features_version: string;
  target_version: string;
  duration_ms: number;
}

/** What planners should do with a forecast class, given the minimum and maximum class sizes in Settings. */
export type Decision = 'open' | 'review' | 'do_not_open';
/** A decision as people say it (the exports' words, the command line). */
export const DECISION_WORDS: Record<Decision, Bilingual> = { open: { es: 'Abrir', en: 'Open' }, review: { es: 'Revisar', en: 'Review' }, do_not_open: { es: 'No abrir', en: 'Do not open' } };

/**
 * Why a class is in the forecast: it runs now, its feeder course runs now, it ran in the same season last year, or
 * (`schedule_split`) its course is forecast at the site as a whole and split across schedules by recent shares,
 * where the course's schedules change from year to year.
 */
export type ForecastReason = 'running' | 'progression' | 'seasonal' | 'schedule_split';

export interface ForecastRow {
  PERIODO: string;
  SEDE: string;
  CURSO_ACTUAL: string;
  HORARIO_ACTUAL: string;
  PREDICT_ALUMNOS: number;
  /** The 80 % interval: 1 class in 10 is expected below p10, 1 in 10 above p90 (from backtest errors). */
  p10: number;
  p90: number;
  last_students: number;
  feeder_students: number;
  reason: ForecastReason;
  /** Probability that the class ends below the minimum class size in Settings. */
  p_below_min: number;
  /** Sections to open: more than one where the forecast is above the maximum class size. */
  sections: number;
  decision: Decision;
  /** The class's capacity in the last period it ran with one (null where no import gave one). */
  capacity: number | null;
}

/** A class of the last period that the forecast expects not to run next period. */
export interface ClosingClass {
  SEDE: string;
  CURSO_ACTUAL: string;
  HORARIO_ACTUAL: string;
  /** Its students in the last period. */
  last_students: number;
  /** too_few: forecast below half a student; schedule_moves: its course continues, in other schedules. */
  why: 'too_few' | 'schedule_moves';
}

/** Whether the forecast's total departs from the last comparable periods by more than the backtest can explain. */
export interface TotalCheck {
  flagged: boolean;
  /** The forecast rows' students, and those expected in courses new to their site (no row can name them). */
  total: number;
  unlisted: number;
  /** The comparable period (same season last time, or the last period) and its students. */
  reference_period: string;
  reference_total: number;
  /** (total + unlisted) / reference_total − 1, and how far that may go: largest change between comparable periods before plus the largest backtest total error. */
  change: number;
  allowed: number;
  message: { es: string; en: string };
}

export interface ForecastReport {
  forecast_id: string;
  period: string;
  model_version: string;
  candidate: string;
  rows: number;
  total_students: number;
  out: string | null;
  stale_model: boolean;
  /** Classes of the last period expected not to run, with their students. */
  closing: ClosingClass[];
  /** null where there is no earlier comparable period. */
  total_check: TotalCheck | null;
  /**
   * What the backtest of the model that made it promised, all its test periods together: WAPE, bias, and the share
   * of classes whose real students fell inside their 80 % range (null for a run from before that was kept).
   */
  promise: { wape: number; bias: number; coverage: number | null };
  /** Classes forecast above their room's capacity (where the data gives one): a bigger room or another section. */
  over_capacity: number;
}

/** One import, as the history shows it: what it held and which of its periods the data uses now. */
export interface SnapshotInfo {
  id: string;
  file: string;
  imported_at: string;
  granularity: Granularity;
  rows_accepted: number;
  periods: string[];
  periods_in_use: string[];
  /** Removed from the data by a person (reversibly): it provides no period until it is restored. */
  set_aside: boolean;
}

/**
 * A planner's own number for a forecast class (a teacher left, a room closed), kept beside the model's: the model's
 * forecast is never changed, and accuracy is always scored on it.
 */
export interface ForecastOverride {
  site: string;
  course: string;
  schedule: string;
  students: number;
  note: string;
  by: string;
  at: string;
}

/** A column mapping kept by name, offered again for files with the same columns. */
export interface SavedMapping {
  name: string;
  /** The same JSON the command line's `--mapping` reads. */
  mapping: ColumnMapping;
  /** Each file's period is taken from its name (2024_fall.csv), as `--period-from-name` does. */
  period_from_name: boolean;
  /** The columns of the files it was made for. */
  headers: string[];
  created_at: string;
  updated_at: string;
}

export interface StatusReport {
  database: string;
  snapshots: SnapshotInfo[];
  data: {
    platinum_version: string;
    frequency: PeriodFrequency;
    first_period: string;
    last_period: string;
    next_period: string;
    /** The next few periods after the data's last (the next one first), as the data writes them: what can be forecast. */
    upcoming_periods: string[];
    periods: number;
    sites: number;
    courses: number;
    classes_last_period: number;
    students_last_period: number;
  } | null;
  serving: { model_version: string; candidate: string; wape: number; trained_at: string; stale: boolean } | null;
  last_forecast: { forecast_id: string; period: string; rows: number; students: number; created_at: string } | null;
  runs: number;
  /** The last scheduled run (`cupo run`, the desktop app's inbox folder), or null when none ran yet. */
  last_run: { at: string; imported: number; refused: number; nothing_new: boolean; steps: InboxStep[] } | null;
}

/** The promotion gate's verdict on a training run. */
export interface PromotionDecision {
  promoted: boolean;
  reason: Bilingual;
  /** Model ids; null when there was none. */
  champion_before: string | null;
  champion_after: string | null;
  /** The model this run kept (champion or challenger), or null for a backtest that only measured. */
  model_version: string | null;
  /** The winner's and the champion's pooled WAPE on this run's folds (the champion's is null when not re-scored). */
  winner_wape: number;
  champion_wape: number | null;
}

export type ModelStatus = 'champion' | 'challenger' | 'retired';
export type ChampionChange = 'train' | 'promote' | 'rollback' | 'auto_rollback' | 'force';

/** One trained model version, as the registry's timeline shows it. */
/** One period a model's method was tested on, as its training run recorded it (period in the data's notation). */
export interface BacktestFold {
  period: string;
  wape: number;
  mae: number;
  /** (forecast − actual) / actual: below 0 it forecast too few students. */
  bias: number;
  actual_total: number;
  /** Null for runs recorded before these were kept. */
  course_wape: number | null;
  site_wape: number | null;
  /** Share of its served classes inside their 80 % interval. */
  coverage: number | null;
}

export interface ModelVersionInfo {
  id: string;
  candidate: string;
  status: ModelStatus;
  created_at: string;
  run_id: string;
  backtest_wape: number;
  /** What its backtest promised, fold by fold, oldest first. */
  backtest: BacktestFold[];
  /** When it was the champion (`to` null: it still is), oldest first. */
  served: { from: string; to: string | null; how: ChampionChange; reason: Bilingual; by: string }[];
  /** The real error of the forecasts it served, per period (in the data's notation), once their actuals arrived. */
  scored: { period: string; wape: number }[];
}

/** A served forecast scored against what happened. */
export interface ForecastScore {
  /** The period as the user's files write it; `period_code` is Cupo's own (canonical) key for it. */
  period: string;
  period_code: string;
  forecast_id: string;
  model_id: string;
  candidate: string;
  wape: number;
  mae: number;
  bias: number;
  /** The model's backtest WAPE: what testing promised. */
  expected_wape: number;
  actual_total: number;
  predicted_total: number;
  /** Classes that opened without a forecast, and forecast classes that did not run. */
  unforecast_classes: number;
  not_run_classes: number;
  message: Bilingual;
}

export interface ScoringReport {
  scored: ForecastScore[];
  /** One sentence per forecast scored now; says so when there was nothing new to score. */
  message: Bilingual;
}

export interface AccuracyHistoryReport {
  periods: {
    period: string;
    forecast_id: string;
    model_id: string;
    candidate: string;
    wape: number;
    expected_wape: number;
    mae: number;
    bias: number;
    actual_total: number;
    sites: { site: string; wape: number; expected_wape: number | null; actual: number }[];
  }[];
  /** How the real error moves over the last periods scored; null with fewer than two. */
  trend: 'improving' | 'worsening' | 'steady' | null;
  message: Bilingual;
}

/** What the rollback policy did after actuals arrived. */
export interface PolicyOutcome {
  action: 'none' | 'no_evidence' | 'rolled_back' | 'recommend_retrain';
  message: Bilingual;
  /** The evidence it judged on, when it judged. */
  period: string | null;
  champion: string | null;
  champion_wape: number | null;
  expected_wape: number | null;
  last_value_wape: number | null;
  previous_champion: string | null;
  previous_wape: number | null;
  /** The champion after the policy ran. */
  champion_after: string | null;
}

export const AUDIT_ACTIONS = [
  'import', 'reopen', 'train', 'promote', 'rollback', 'settings_changed', 'forecast_exported', 'report_written', 'inbox_run', 'backup', 'restore',
  'import_set_aside', 'import_restored', 'forecast_override',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: string;
  /** `user@machine`, or "automático" for what Cupo did by itself. */
  who: string;
  what: AuditAction;
  from: string | null;
  to: string | null;
  reason: Bilingual | null;
  details: Record<string, unknown> | null;
}

/** One step of a scheduled run, as its summary line says it. */
export interface InboxStep {
  step: 'import' | 'train' | 'forecast' | 'outbox';
  status: 'done' | 'skipped' | 'refused' | 'failed';
  message: Bilingual;
  /** An import step's saved mapping, by name, where the file's columns were those it was made for. */
  mapping?: string;
}

/** What a scheduled run (`cupo run`, the desktop app's inbox folder) did. */
export interface InboxRun {
  steps: InboxStep[];
  imported: number;
  refused: number;
  /** Nothing was new: no file to import, no retraining, the forecast still stands. */
  nothing_new: boolean;
  at: string;
}
