import type { BacktestFold } from '../../../shared/reports';
import type { Alert } from '../../../shared/drift';
/**
 * What the reports show, gathered from the database into plain objects: no sentence and no language yet, so the
 * same gathered report renders in Spanish or English, and a test can check the figures without a PDF.
 * Periods are canonical ("2026-11"); `notation` says how to show them.
 */
import type { Bilingual } from '../../../shared/messages';
import type { ChampionChange } from '../../../shared/reports';
import type { PeriodNotation } from './format';

/** An open alert as the report shows it: how serious, what happened and what to do. */
export type ReportAlert = Pick<Alert, 'severity' | 'message' | 'action'>;

export interface ClassLine {
  site: string;
  course: string;
  schedule: string;
  students: number;
}

export interface SiteFigures {
  site: string;
  /** The model's forecast. */
  students: number;
  /** With the planners' own numbers where they gave one (the model's elsewhere): equal to `students` without them. */
  planned: number;
  classes: number;
  atRisk: number;
  /** The same period a year earlier; null when that period is not in the data (or the site had no class then). */
  lastYear: { students: number; classes: number } | null;
}

export interface ManagementReport {
  notation: PeriodNotation;
  /** The period being planned. */
  period: string;
  /** When the data behind the report last changed (the forecast, the latest import): the PDF's date. */
  dataTime: string;
  forecast: { id: string; createdAt: string; modelId: string; candidate: string; staleModel: boolean };
  classSizes: { min: number; max: number };
  /** The model's students; at risk and over the maximum as planners act on them (their own numbers decide their classes). */
  totals: { students: number; classes: number; atRisk: number; overMax: number };
  /**
   * The planners' own numbers for classes of this forecast (forecast/overrides.ts), beside the model's (`students`),
   * and the total with them (`planned`, as the exports' "students per the planner"); null when there are none.
   */
  own: { planned: number; classes: (ClassLine & { own: number; note: string; by: string })[] } | null;
  /** The same period a year earlier, overall; null when the data does not reach back that far. */
  lastYear: { period: string; students: number; classes: number } | null;
  sites: SiteFigures[];
  /**
   * Classes that may not reach the minimum, lowest first. `basis` says what was compared with the minimum: the
   * low end of the interval (p10: one time in ten there are fewer) when the forecast rows carry it, else the
   * forecast itself (`low` is that figure); a class with a planner's own number (`own`) is judged on it instead. `near`: how many are within `margin` students of the minimum (the
   * forecast's "review" band), where a few more enrolments would save them.
   */
  risk: { basis: 'p10' | 'point'; classes: (ClassLine & { low: number; own: number | null })[]; near: number; margin: number };
  /** Classes that ran in the last period of the data and are not in the forecast: expected to close. */
  closing: { lastPeriod: string | null; classes: ClassLine[] };
  /** How the forecasts served so far did against what happened (monitor/scores.ts accuracyHistory). */
  accuracy: {
    periods: { period: string; wape: number; expected: number; actual: number }[];
    trend: 'improving' | 'worsening' | 'steady' | null;
    message: Bilingual;
  };
  alerts: ReportAlert[];
  /** Sites and courses that appeared or vanished between the last two periods of the data. */
  changes: { from: string; to: string; newSites: string[]; goneSites: string[]; newCourses: string[]; goneCourses: string[] } | null;
}

export interface ModelCard {
  notation: PeriodNotation;
  dataTime: string;
  model: { id: string; candidate: string; status: string; createdAt: string; backtestWape: number; seed: number | null; stale: boolean };
  /** The data it learned from. */
  data: {
    platinumVersion: string;
    featuresVersion: string;
    targetVersion: string;
    periods: string[];
    sites: number;
    courses: number;
    classes: number;
    students: number;
    snapshots: { id: string; file: string; importedAt: string }[];
  };
  run: { id: string; startedAt: string; durationMs: number; backtestPeriods: string[] };
  /** Every candidate of its run, best first; `perPeriod` in the order of `run.backtestPeriods`. */
  candidates: { candidate: string; wape: number; mae: number; bias: number; perPeriod: (number | null)[]; chosen: boolean }[];
  /** Its backtest error per site; `flagged` when more than `SITE_FLAG_FACTOR` times the overall error. */
  sites: { site: string; wape: number; actual: number; flagged: boolean }[];
  /** How often actuals fell inside the forecast interval in its backtest (null for runs from before it was kept). */
  coverage: { nominal: number; observed: number } | null;
  /** Its own backtest, fold by fold (periods canonical): the error at each level, the bias and the coverage. */
  folds: BacktestFold[];
  /** Its forecasts that met their actuals. */
  real: { period: string; wape: number; expected: number }[];
  /** Its times as the champion, oldest first. */
  tenures: { from: string; to: string | null; how: ChampionChange; reason: Bilingual; by: string }[];
  /** The latest changes of champion of any model, newest first (who promoted what, when); `createdAt` tells versions apart. */
  recentChanges: { modelId: string; candidate: string; createdAt: string | null; at: string; how: ChampionChange; by: string }[];
}

/** A site whose backtest error is more than this many times the overall error is served much worse. */
export const SITE_FLAG_FACTOR = 1.5;
