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
}

export interface CandidateSummary {
  candidate: string;
  kind: 'baseline' | 'neural';
  wape: number;
  mae: number;
  folds: number;
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

export interface ForecastRow {
  PERIODO: string;
  SEDE: string;
  CURSO_ACTUAL: string;
  HORARIO_ACTUAL: string;
  PREDICT_ALUMNOS: number;
  last_students: number;
  feeder_students: number;
  reason: 'running' | 'progression' | 'seasonal';
  decision: Decision;
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
