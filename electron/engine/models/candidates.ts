import { UserError } from '../errors';
import { BASELINES } from './baselines';
import type { BoostedState } from './boosted';
import { boosted, restoreBoosted } from './boosted';
import type { NeuralState } from './neural';
import { neural, restoreNeural } from './neural';
import type { Candidate, FittedModel, ModelArtifact } from './types';

/**
 * The combination of the other candidates, with weights fitted on backtest folds only (backtest/ensemble.ts).
 * It has no fit of its own on rows: the backtest and the final fit build it from its members.
 */
export const combined: Candidate = {
  name: 'combined',
  kind: 'ensemble',
  description: {
    es: 'Combinación de los demás modelos, con pesos elegidos solo con periodos anteriores al que se pronostica.',
    en: 'A weighted mix of the other models, its weights chosen on earlier periods than the one forecast only.',
  },
  fit: async () => {
    throw new Error('the combination is fitted from its members’ backtest predictions, not from rows');
  },
};

/**
 * Every candidate, by name. Baselines first: on a tie the simpler rule serves. The combination comes last: it needs
 * the others' backtests.
 */
export const CANDIDATES: readonly Candidate[] = [...BASELINES, boosted, neural, combined];

/**
 * What `train` backtests unless told otherwise. The network is left out: on two cores a fit costs 3–6 s where the
 * boosted trees take about one and forecast better, and with five forecast periods per backtest plus the final fit
 * it alone would take the training of 1,800 schools over its 30 s budget. It stays available by name.
 */
export const DEFAULT_CANDIDATES: readonly Candidate[] = CANDIDATES.filter((c) => c.name !== 'neural');

export function candidateNamed(name: string): Candidate {
  const found = CANDIDATES.find((c) => c.name === name);
  if (!found) {
    throw new UserError({
      es: `No existe el modelo «${name}»; los modelos son: ${CANDIDATES.map((c) => c.name).join(', ')}.`,
      en: `There is no model "${name}"; the models are: ${CANDIDATES.map((c) => c.name).join(', ')}.`,
    });
  }
  return found;
}

/** A single fitted candidate (one level) back from its artifact. */
export async function restoreModel(artifact: ModelArtifact): Promise<FittedModel> {
  if (artifact.kind === 'neural') return restoreNeural(artifact.state as NeuralState);
  if (artifact.kind === 'boosted') return restoreBoosted(artifact.state as BoostedState);
  return candidateNamed(artifact.candidate).fit({ rows: [], y: new Float64Array() }, 0);
}
