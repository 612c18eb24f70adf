import type { FeatureRow } from '../features/build';

/** baseline: a fixed rule; boosted/neural: learnt corrections of the cohort estimate; ensemble: a weighted mix of the others. */
export type CandidateKind = 'baseline' | 'boosted' | 'neural' | 'ensemble';

/** What is stored in the registry to predict again later without retraining. */
export interface ModelArtifact {
  candidate: string;
  kind: CandidateKind;
  state?: unknown;
}

export interface FittedModel {
  /** Expected students per row (not yet rounded). */
  predict(rows: readonly FeatureRow[]): Promise<Float64Array>;
  artifact(): ModelArtifact;
  dispose(): void;
}

export interface TrainingExamples {
  rows: readonly FeatureRow[];
  y: Float64Array;
}

export interface Candidate {
  name: string;
  kind: CandidateKind;
  /** One line for people: what the candidate does. */
  description: { es: string; en: string };
  /** The hyperparameters it is fitted with (the network's layers, learning rate, batch, steps), kept with each model. */
  params?: Readonly<Record<string, unknown>>;
  /** `signal`: stop a long fit part-way (it throws the signal's reason); quick ones may ignore it. */
  fit(train: TrainingExamples, seed: number, signal?: AbortSignal): Promise<FittedModel>;
}
