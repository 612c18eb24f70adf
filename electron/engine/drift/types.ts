import type { Dimension } from './data';
import type { ColumnDrift, ColumnKind } from './stats';
import type { Bilingual } from './text';
import type { TrendVerdict } from './trend';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

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
