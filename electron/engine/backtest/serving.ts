import type { Dataset } from '../features/build';
import { candidateNamed } from '../models/candidates';
import type { ServedArtifact } from './served-model';
import type { FittedModel, ModelArtifact } from '../models/types';
import type { BacktestResult } from './backtest';
import { candidateForecast, combinationWeights, intervalTable } from './backtest';
import { planFor } from './plan';

/**
 * The backtest's total error per scored period for a candidate, its total counted like a forecast's (with the
 * students expected in courses that have no row): what a forecast total may be off by.
 */
function totalErrors(result: BacktestResult, candidate: string): number[] {
  const share = Math.min(result.unlistedShare, 0.9);
  return result.folds.filter((f) => f.candidate === candidate).map((f) => (f.actual_total > 0 ? (f.predicted_total / (1 - share) - f.actual_total) / f.actual_total : 0));
}

/**
 * The winner fitted on all the history, ready to serve: each level of a single candidate, or the members of the
 * combination with the weights fitted on the last backtest periods. Its intervals come from its own forecasts of
 * every backtest period (each made from the periods before it).
 */
export async function fitServing(dataset: Dataset, result: BacktestResult, winner: string, seed: number, signal?: AbortSignal): Promise<ServedArtifact> {
  const P = dataset.panel.periodCount;
  const run = result.runs.get(winner)!;
  const intervals = intervalTable(run, result.plans, result.actuals, P);
  const errors = totalErrors(result, winner);
  if (run.candidate.kind === 'ensemble') {
    const members = run.members!;
    const last = [...result.plans.keys()].filter((j) => j >= P - result.inner);
    const weights = combinationWeights(result.runs, members, result.plans, result.actuals, last);
    const fittedMembers: ServedArtifact['members'] = [];
    for (const [j, name] of members.entries()) {
      if (weights[j]! <= 0) continue;
      fittedMembers.push({ weight: weights[j]!, artifact: await fitSingle(dataset, name, seed, null, [], signal) });
    }
    return { candidate: winner, kind: 'ensemble', format: 2, members: fittedMembers, intervals, total_errors: errors, unlisted_share: result.unlistedShare };
  }
  return { ...(await fitSingle(dataset, winner, seed, intervals, errors, signal)), unlisted_share: result.unlistedShare };
}

async function fitSingle(dataset: Dataset, name: string, seed: number, intervals: ServedArtifact['intervals'], errors: number[], signal?: AbortSignal): Promise<ServedArtifact> {
  const plan = planFor(dataset, dataset.panel.periodCount);
  const kept: Partial<Record<'class' | 'course', FittedModel>> = {};
  await candidateForecast(candidateNamed(name), dataset, plan, seed, signal, (level, model) => (kept[level] = model));
  const artifact = (m: FittedModel | undefined): ModelArtifact | null => {
    if (!m) return null;
    const a = m.artifact();
    m.dispose();
    return a;
  };
  const classArtifact = artifact(kept.class)!;
  return { ...classArtifact, format: 2, course: artifact(kept.course), intervals, total_errors: errors };
}
