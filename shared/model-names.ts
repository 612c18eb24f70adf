import type { Bilingual } from './messages';

/**
 * The models Cupo can train, by the id the engine and `--json` use, with the name a person reads. One list for
 * the CLI, the screens and the reports, so a model is never "neural" in one place and "Red neuronal" in another.
 */
export const MODEL_NAMES = {
  last_value: { es: 'Repetir el periodo anterior', en: 'Repeat last period' },
  seasonal_naive: { es: 'Mismo periodo del año anterior', en: 'Same period last year' },
  moving_average: { es: 'Promedio de 3 periodos', en: '3-period average' },
  cohort_progression: { es: 'Avance desde el curso previo', en: 'Progression from the previous course' },
  neural: { es: 'Red neuronal', en: 'Neural network' },
  boosted: { es: 'Avance corregido con árboles de decisión', en: 'Progression corrected by decision trees' },
  combined: { es: 'Combinación de modelos', en: 'Combination of models' },
} as const satisfies Record<string, Bilingual>;

export type CandidateId = keyof typeof MODEL_NAMES;
export const CANDIDATE_IDS = Object.keys(MODEL_NAMES) as [CandidateId, ...CandidateId[]];

/** A model's name for people; its id where it has none (a model from a newer version of Cupo). */
export function modelName(candidate: string): Bilingual {
  return Object.hasOwn(MODEL_NAMES, candidate) ? MODEL_NAMES[candidate as CandidateId] : { es: candidate, en: candidate };
}
