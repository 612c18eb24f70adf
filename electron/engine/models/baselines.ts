import type { FeatureRow } from '../features/build';
import { F } from '../features/build';
import type { Candidate, FittedModel } from './types';

/** A baseline is a fixed rule over the features: nothing to learn, so fitting returns the rule itself. */
function rule(name: string, description: Candidate['description'], predictOne: (x: Float64Array) => number): Candidate {
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

/**
 * The cohort (NCES grade-progression) method done well: the feeder class's students times the site's recent
 * progression ratio (shrunk towards all sites' where the site has little data; two steps across a missing
 * period); entry courses from their own trend.
 */
export const cohortProgression = rule(
  'cohort_progression',
  {
    es: 'Alumnos del curso previo por la tasa de avance reciente de la sede (acercada a la de todas las sedes si hay pocos datos); los cursos de entrada, por su tendencia.',
    en: 'Previous course’s students times the site’s recent progression rate (pulled towards all sites’ where data is thin); entry courses by their own trend.',
  },
  (x) => x[F.cohort_estimate]!,
);

export const BASELINES: readonly Candidate[] = [lastValue, seasonalNaive, movingAverage, cohortProgression];
