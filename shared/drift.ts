import type { Bilingual } from './messages';

/**
 * What the drift report and the alerts say, as every host and screen sees them: the engine computes them
 * (electron/engine/drift, electron/engine/alerts), the CLI and the screens show them.
 */

export type Dimension = 'site' | 'course' | 'schedule' | 'class';

export type ColumnKind = 'numerical' | 'categorical';
export type StatTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon';

export interface TestOutcome {
  test: StatTestName;
  /** A p-value (ks, chisquare, z) or a distance (wasserstein, jensenshannon). */
  value: number;
  threshold: number;
  drifted: boolean;
}

export type PsiBand = 'stable' | 'moderate' | 'significant';

export interface ColumnDrift extends TestOutcome {
  psi: number;
  psi_band: PsiBand;
  reference_size: number;
  current_size: number;
  /** Shares per bin (numerical) or category, reference beside current: what a chart of the column shows. */
  bins: { labels: string[]; reference: number[]; current: number[] };
}

export type TrendPattern = 'stable' | 'sudden' | 'gradual';

export interface TrendVerdict {
  pattern: TrendPattern;
  direction: 'up' | 'down' | null;
  /** The newest value in standard deviations from the baseline. */
  last_z: number;
  cusum: { upper: number; lower: number; threshold: number };
  page_hinkley: { up: number; down: number; threshold: number };
  /** The first period of the slide (gradual) or the jump (sudden). */
  since: string | null;
  /** How far the residual moved: the window's mean minus the baseline's median, in the residual's units. */
  shift: number;
  /** The baseline's median and the window's mean, in the residual's units. */
  baseline_center: number;
  window_mean: number;
  baseline_points: number;
}


export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** How each severity is said: one list for the alerts, the CLI and the reports. */
export const SEVERITY_LABELS: Record<Severity, Bilingual> = {
  critical: { es: 'crítica', en: 'critical' },
  high: { es: 'alta', en: 'high' },
  medium: { es: 'media', en: 'medium' },
  low: { es: 'baja', en: 'low' },
};

export function severityRank(s: Severity | null): number {
  return s === null ? 99 : SEVERITY_ORDER.indexOf(s);
}

export function highestSeverity(list: readonly (Severity | null)[]): Severity | null {
  let best: Severity | null = null;
  for (const s of list) if (s !== null && severityRank(s) < severityRank(best)) best = s;
  return best;
}

export type FindingKind = 'vanished' | 'new' | 'renamed' | 'volume' | 'distribution' | 'dataset' | 'trend';

export interface FindingScope {
  /** What the finding is about: one dimension of the classes, the overall total, a model input, or the scored error. */
  dimension: Dimension | 'total' | 'column' | 'dataset' | 'error';
  site?: string;
  course?: string;
  schedule?: string;
  column?: string;
  /** A probable rename: the label before. */
  previous?: string;
  /** An aggregated finding: how many entities, and the first few. */
  count?: number;
  examples?: string[];
}

export interface Finding {
  kind: FindingKind;
  /** Canonical period the finding is about. */
  period: string;
  scope: FindingScope;
  /**
   * How big it is: a share of the students (vanished, new, renamed), a relative change (volume, trend), the
   * column's PSI (distribution) or the share of columns that drifted (dataset).
   */
  size: number;
  size_unit: 'share' | 'change' | 'psi' | 'columns';
  test: { name: string; value: number; threshold: number };
  severity: Severity;
  message: Bilingual;
  /** The cause, the same every time it is seen again: what alerts are merged on. */
  cause: string;
  /** Numbers behind the message (students before and after, the range, the periods compared…). */
  detail: Record<string, unknown>;
}

export interface ColumnReport extends Omit<ColumnDrift, 'bins'> {
  column: string;
  kind: ColumnKind;
  period: string;
}

export interface ChartSeries {
  labels: string[];
  reference: number[];
  current: number[];
}

export interface DriftCharts {
  period: string | null;
  /** Per model input and target: reference beside current (shares per bin or category). */
  features: (ChartSeries & { column: string; test: string; value: number; drifted: boolean; caption: Bilingual })[];
  /** The sites and courses whose students changed most: reference (mean per period) beside current. */
  movers: { dimension: 'site' | 'course'; items: { name: string; reference: number; current: number; change: number }[]; caption: Bilingual }[];
  /** Students per period up to the one examined, with the gradual-or-sudden verdict. */
  totals: { points: { period: string; students: number }[]; pattern: TrendVerdict['pattern']; caption: Bilingual } | null;
}

export interface DriftReference {
  /** 'champion': the periods the serving model was measured on; 'previous': the periods before; 'none': nothing before. */
  basis: 'champion' | 'previous' | 'none';
  model_version: string | null;
  run_id: string | null;
  platinum_version: string | null;
  periods: string[];
}

export interface DriftReport {
  id: string;
  created_at: string;
  trigger: 'import' | 'on_demand';
  platinum_version: string;
  /** The periods examined (canonical), oldest first. */
  periods: string[];
  /** The same periods as the user's files write them. */
  periods_shown: string[];
  reference: DriftReference;
  snapshot_ids: string[];
  dataset_drift: boolean;
  severity: Severity | null;
  findings: Finding[];
  columns: ColumnReport[];
  charts: DriftCharts;
}

export type AlertCategory = 'drift' | 'accuracy' | 'data' | 'model';
export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  id: number;
  severity: Severity;
  category: AlertCategory;
  message: Bilingual;
  action: Bilingual;
  /** The period as the user's files write it. */
  period: string | null;
  scope: Record<string, string | number | string[]>;
  state: AlertState;
  created_at: string;
  /** Beyond the listed fields: the cause, how often it was raised, the latest change and who acted. */
  kind: string;
  key: string;
  severity_label: Bilingual;
  occurrences: number;
  updated_at: string;
  acknowledged: { by: string; at: string } | null;
  resolved: { by: string; at: string } | null;
  evidence: Record<string, unknown>;
}
