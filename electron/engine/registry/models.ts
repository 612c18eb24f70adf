/**
 * Owns the table model_version: every model that served, the one serving now and the ones retired before it.
 * Training registers models here; forecasts and reports ask here which one serves and whether it is stale.
 */
import type { ReadableDB, WritableDB } from '../db/types';
import { featuresVersionOf } from '../features/build';
import type { ModelArtifact } from '../models/types';

export interface ModelVersion {
  id: string;
  run_id: string;
  candidate: string;
  backtest_wape: number;
  features_version: string;
  artifact: ModelArtifact;
  status: 'serving' | 'retired';
  created_at: string;
}

type ModelRow = Omit<ModelVersion, 'artifact'> & { artifact: string };

function fromRow(row: ModelRow): ModelVersion {
  return { ...row, artifact: JSON.parse(row.artifact) as ModelArtifact };
}

/** Registers a model and makes it the one that serves; the one before is kept, retired, for rollback. */
export function registerServingModel(db: WritableDB, model: Omit<ModelVersion, 'id' | 'status' | 'created_at'>): string {
  const count = (db.prepare(`SELECT COUNT(*) AS n FROM model_version`).get() as { n: number }).n;
  const id = `model-${String(count + 1).padStart(4, '0')}`;
  db.prepare(`UPDATE model_version SET status = 'retired' WHERE status = 'serving'`).run();
  db.prepare(
    `INSERT INTO model_version (id, run_id, candidate, backtest_wape, features_version, artifact, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'serving', ?)`,
  ).run(id, model.run_id, model.candidate, model.backtest_wape, model.features_version, JSON.stringify(model.artifact), new Date().toISOString());
  return id;
}

export function servingModel(db: ReadableDB): ModelVersion | null {
  const row = db.prepare(`SELECT * FROM model_version WHERE status = 'serving'`).get() as ModelRow | undefined;
  return row ? fromRow(row) : null;
}

const WITHOUT_ARTIFACT = `id, run_id, candidate, backtest_wape, features_version, status, created_at`;

/** The model that serves, without its artifact (which can be large): what reports say about it. */
export function servingModelInfo(db: ReadableDB): Omit<ModelVersion, 'artifact'> | null {
  return (db.prepare(`SELECT ${WITHOUT_ARTIFACT} FROM model_version WHERE status = 'serving'`).get() as Omit<ModelVersion, 'artifact'> | undefined) ?? null;
}

/** A model version, serving or retired, without its artifact. */
export function findModel(db: ReadableDB, id: string): Omit<ModelVersion, 'artifact'> | null {
  return (db.prepare(`SELECT ${WITHOUT_ARTIFACT} FROM model_version WHERE id = ?`).get(id) as Omit<ModelVersion, 'artifact'> | undefined) ?? null;
}

/**
 * A model is stale when it was trained on other features than the current platinum version calls for: data was
 * imported (or reopened) since, or the features' logic changed. `platinumId` null (no data) makes every model stale.
 */
export function modelIsStale(model: Pick<ModelVersion, 'features_version'>, platinumId: string | null): boolean {
  return model.features_version !== (platinumId ? featuresVersionOf(platinumId) : null);
}
