import { UserError } from '../errors';
import { BASELINES } from './baselines';
import type { NeuralState } from './neural';
import { neural, restoreNeural } from './neural';
import type { Candidate, FittedModel, ModelArtifact } from './types';

/** Baselines first: on a tie the simpler rule serves. */
export const CANDIDATES: readonly Candidate[] = [...BASELINES, neural];

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

export async function restoreModel(artifact: ModelArtifact): Promise<FittedModel> {
  if (artifact.kind === 'neural') return restoreNeural(artifact.state as NeuralState);
  return candidateNamed(artifact.candidate).fit({ rows: [], y: new Float64Array() }, 0);
}
