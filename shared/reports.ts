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
  /** The model now serving, or null for a backtest that only measured. */
  serving: { model_version: string; candidate: string; wape: number } | null;
  winner: string;
  last_value_wape: number;
  platinum_version: string;
  features_version: string;
  target_version: string;
  duration_ms: number;
}

/** What planners should do with a forecast class, given the minimum and maximum class sizes in Settings. */
export type Decision = 'open' | 'review' | 'do_not_open';

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
    periods: number;
    sites: number;
    courses: number;
    classes_last_period: number;
    students_last_period: number;
  } | null;
  serving: { model_version: string; candidate: string; wape: number; trained_at: string; stale: boolean } | null;
  last_forecast: { forecast_id: string; period: string; rows: number; students: number; created_at: string } | null;
  runs: number;
}
