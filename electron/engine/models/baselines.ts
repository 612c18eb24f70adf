import type { FeatureRow } from '../features/build';
import { F } from '../features/build';
import type { Candidate, FittedModel } from './types';

/** A baseline is a fixed rule over the features: nothing to learn, so fitting returns the rule itself. */
function rule(name: string, description: Candidate['description'], predictOne: (x: number[]) => number): Candidate {
  const model: FittedModel = {
    predict: async (rows: readonly FeatureRow[]) => Float64Array.from(rows, (r) => Math.max(0, predictOne(r.x))),
    artifact: () => ({ candidate: name, kind: 'baseline' }),
    dispose: () => undefined,
  };
  return { name, kind: 'baseline', description, fit: async () => model };
}

export const lastValue = rule(
  'last_value',
  { es: 'Repite los alumnos del periodo anterior.', en: 'Repeats last period’s students.' },
  (x) => x[F.lag1]!,
);

export const seasonalNaive = rule(
  'seasonal_naive',
  { es: 'Repite los alumnos del mismo mes o ciclo del año anterior (o del último periodo si no lo hay).', en: 'Repeats the same month or term of last year (or the last period when there is none).' },
  (x) => (x[F.has_same_season] ? x[F.same_season]! : x[F.lag1]!),
);

export const movingAverage = rule(
  'moving_average',
  { es: 'Promedio de los últimos tres periodos.', en: 'Average of the last three periods.' },
  (x) => x[F.ma3]!,
);

/** The NCES grade-progression method: last period's feeder class times the site's recent progression ratio. */
export const cohortProgression = rule(
  'cohort_progression',
  { es: 'Alumnos del curso previo por la tasa de avance reciente de la sede.', en: 'Previous course’s students times the site’s recent progression rate.' },
  (x) => x[F.cohort_estimate]!,
);

export const BASELINES: readonly Candidate[] = [lastValue, seasonalNaive, movingAverage, cohortProgression];
