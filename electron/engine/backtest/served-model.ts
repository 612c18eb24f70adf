import type { IntervalTable } from './intervals';
import type { PeriodPlan } from './plan';
import { mergeLevels } from './plan';
import { combine } from './ensemble';
import { restoreModel } from '../models/candidates';
import type { FittedModel, ModelArtifact } from '../models/types';

/**
 * What serves: the winning candidate fitted on all the history, per level (classes; courses where schedules
 * churn), or for the combination its members and their weights; with the interval quantiles from its backtest
 * errors and the backtest's total errors (to judge a forecast total).
 */
export interface ServedArtifact extends ModelArtifact {
  format: 2;
  course?: ModelArtifact | null;
  members?: { weight: number; artifact: ServedArtifact }[];
  intervals: IntervalTable | null;
  /** Per backtest period: (forecast total − actual total) / actual total of this candidate. */
  total_errors: number[];
  /** Share of the backtest's students in courses with no forecast row (BacktestResult.unlistedShare). */
  unlisted_share?: number;
}

export interface ServedModel {
  /** One expected value per key of the plan. */
  forecast(plan: PeriodPlan): Promise<Float64Array>;
  intervals: IntervalTable | null;
  totalErrors: number[];
  dispose(): void;
}

export function isServedArtifact(artifact: ModelArtifact): artifact is ServedArtifact {
  return (artifact as Partial<ServedArtifact>).format === 2;
}

/** Restores what serves; an artifact from before intervals and levels serves its class model alone. */
export async function restoreServing(artifact: ModelArtifact): Promise<ServedModel> {
  if (!isServedArtifact(artifact)) {
    const model = await restoreModel(artifact);
    return {
      forecast: async (plan) => mergeLevels(plan, await model.predict(plan.classRows), null),
      intervals: null,
      totalErrors: [],
      dispose: () => model.dispose(),
    };
  }
  if (artifact.members) {
    const members = await Promise.all(artifact.members.map((m) => restoreServing(m.artifact)));
    const weights = artifact.members.map((m) => m.weight);
    return {
      forecast: async (plan) => combine(await Promise.all(members.map((m) => m.forecast(plan))), weights, plan.keys.length),
      intervals: artifact.intervals,
      totalErrors: artifact.total_errors,
      dispose: () => members.forEach((m) => m.dispose()),
    };
  }
  const classModel = await restoreModel(artifact);
  const courseModel: FittedModel | null = artifact.course ? await restoreModel(artifact.course) : null;
  return {
    forecast: async (plan) => {
      const classPredictions = await classModel.predict(plan.classRows);
      const coursePredictions = courseModel && plan.courseRows.length > 0 ? await courseModel.predict(plan.courseRows) : null;
      return mergeLevels(plan, classPredictions, coursePredictions);
    },
    intervals: artifact.intervals,
    totalErrors: artifact.total_errors,
    dispose: () => {
      classModel.dispose();
      courseModel?.dispose();
    },
  };
}
