/**
 * Owns the tables model_version and champion_history: every model kept for serving (the champion, challengers that
 * were not promoted, champions retired), and which one served from when to when, how and why. Training registers
 * models here; promotion, rollback, forecasts and reports ask here.
 */
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import type { Bilingual } from '../../../shared/messages';
import type { ChampionChange, ModelStatus } from '../../../shared/reports';
import { asBilingual, currentUser, recordAudit } from '../audit/audit';
import type { ReadableDB, WritableDB } from '../db/types';
import { UserError } from '../errors';
import type { ModelArtifact } from '../models/types';
import { featuresVersionOf } from '../features/build';

export interface ModelVersion {
  id: string;
  run_id: string;
  candidate: string;
  backtest_wape: number;
  platinum_version: string;
  features_version: string;
  target_version: string;
  /** Seed and hyperparameters the model was fitted with. */
  params: Record<string, unknown>;
  artifact: ModelArtifact;
  status: ModelStatus;
  created_at: string;
}

type ModelRow = Omit<ModelVersion, 'artifact' | 'params'> & { artifact: string; params: string };

function fromRow(row: ModelRow): ModelVersion {
  return { ...row, params: JSON.parse(row.params) as Record<string, unknown>, artifact: JSON.parse(row.artifact) as ModelArtifact };
}

/** How a model came to serve, by whom and why; `at` is now by default. */
export interface ChampionChangeInput {
  how: ChampionChange;
  reason: string | Bilingual;
  by?: string;
  at?: string;
}

/** Keeps a trained model as a challenger: it serves only once it is made champion. Returns its id. */
export function registerModel(db: WritableDB, model: Omit<ModelVersion, 'id' | 'status' | 'created_at'>, createdAt: string = new Date().toISOString()): string {
  const count = (db.prepare(`SELECT COUNT(*) AS n FROM model_version`).get() as { n: number }).n;
  const id = `model-${String(count + 1).padStart(4, '0')}`;
  db.prepare(
    `INSERT INTO model_version (id, run_id, candidate, backtest_wape, platinum_version, features_version, target_version, params, artifact, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'challenger', ?)`,
  ).run(id, model.run_id, model.candidate, model.backtest_wape, model.platinum_version, model.features_version, model.target_version,
    JSON.stringify(model.params), JSON.stringify(model.artifact), createdAt);
  return id;
}

/**
 * Makes a model the champion: the one before is retired and its time in service closed, the new one's opened.
 * Records no audit entry: the act that called it (a training run, a promotion, a rollback) records its own.
 */
export function crown(db: WritableDB, modelId: string, change: ChampionChangeInput): void {
  const at = change.at ?? new Date().toISOString();
  db.transaction(() => {
    db.prepare(`UPDATE model_version SET status = 'retired' WHERE status = 'champion'`).run();
    db.prepare(`UPDATE champion_history SET to_at = ? WHERE to_at IS NULL`).run(at);
    db.prepare(`UPDATE model_version SET status = 'champion' WHERE id = ?`).run(modelId);
    db.prepare(`INSERT INTO champion_history (model_id, from_at, to_at, how, reason, who) VALUES (?, ?, NULL, ?, ?, ?)`)
      .run(modelId, at, change.how, JSON.stringify(asBilingual(change.reason)), change.by ?? currentUser());
  })();
}

/** The model that serves, or null before the first training. */
export function champion(db: ReadableDB): ModelVersion | null {
  const row = db.prepare(`SELECT * FROM model_version WHERE status = 'champion'`).get() as ModelRow | undefined;
  return row ? fromRow(row) : null;
}

const WITHOUT_ARTIFACT = `id, run_id, candidate, backtest_wape, platinum_version, features_version, target_version, status, created_at`;
export type ModelSummary = Omit<ModelVersion, 'artifact' | 'params'>;

/** The champion without its artifact (which can be large): what status and reports say about it. */
export function championInfo(db: ReadableDB): ModelSummary | null {
  return (db.prepare(`SELECT ${WITHOUT_ARTIFACT} FROM model_version WHERE status = 'champion'`).get() as ModelSummary | undefined) ?? null;
}

/** Every model version, newest first, without artifacts. */
export function listModelSummaries(db: ReadableDB): ModelSummary[] {
  return db.prepare(`SELECT ${WITHOUT_ARTIFACT} FROM model_version ORDER BY created_at DESC, id DESC`).all() as ModelSummary[];
}

/**
 * A model is stale when it was trained on other features than the current platinum version calls for: data was
 * imported (or reopened) since, or the features' logic changed. `platinumId` null (no data) makes every model stale.
 */
export function modelIsStale(model: Pick<ModelVersion, 'features_version'>, platinumId: string | null): boolean {
  return model.features_version !== (platinumId ? featuresVersionOf(platinumId) : null);
}

export function findModel(db: ReadableDB, id: string): ModelVersion | null {
  const row = db.prepare(`SELECT * FROM model_version WHERE id = ?`).get(id) as ModelRow | undefined;
  return row ? fromRow(row) : null;
}


export interface TenureRow {
  id: number;
  model_id: string;
  from_at: string;
  to_at: string | null;
  how: ChampionChange;
  reason: string;
  who: string;
}

export function tenures(db: ReadableDB): TenureRow[] {
  return db.prepare(`SELECT * FROM champion_history ORDER BY id`).all() as TenureRow[];
}

/**
 * The champions in the order they would be rolled back to, the current one last. A rollback undoes the change
 * that made the current champion serve, so rolling back twice goes two steps back, never back and forth.
 */
function championStack(db: ReadableDB): string[] {
  const stack: string[] = [];
  for (const t of tenures(db)) {
    if (t.how === 'rollback' || t.how === 'auto_rollback') {
      stack.pop();
      if (stack.at(-1) !== t.model_id) stack.push(t.model_id);
    } else {
      stack.push(t.model_id);
    }
  }
  return stack;
}

/** The model a rollback would bring back, or null when there is none. */
export function previousChampion(db: ReadableDB): ModelVersion | null {
  const stack = championStack(db);
  const id = stack.length >= 2 ? stack.at(-2)! : null;
  return id ? findModel(db, id) : null;
}

/** When the current champion started serving (its current time in service), or null when nothing serves. */
export function championSince(db: ReadableDB): string | null {
  const row = db.prepare(`SELECT from_at FROM champion_history WHERE to_at IS NULL`).get() as { from_at: string } | undefined;
  return row?.from_at ?? null;
}

export interface PromoteOptions {
  reason: string | Bilingual;
  /** `user@machine` of whoever asked; the current OS user by default. */
  by?: string;
  /** 'force' when a person overrides the promotion gate's verdict. */
  how?: Extract<ChampionChange, 'promote' | 'force'>;
}

/** A person makes a kept model (a challenger, or one retired) the champion. */
export function promote(db: WritableDB, modelId: string, options: PromoteOptions): { from: string | null; to: string } {
  const model = findModel(db, modelId);
  if (!model) {
    throw new UserError({ es: `No existe el modelo ${modelId}; la lista de modelos muestra los que hay.`, en: `There is no model ${modelId}; the list of models shows the ones there are.` });
  }
  if (model.status === 'champion') {
    const named = (f: Formatter) => f.model(model.candidate, model.created_at);
    throw new UserError(both((f) => (f.lang === 'es' ? `El modelo ${named(f)} ya es el que se usa.` : `The model ${named(f)} is already the one in use.`)));
  }
  const by = options.by ?? currentUser();
  return db.transaction(() => {
    const before = champion(db)?.id ?? null;
    const at = new Date().toISOString();
    crown(db, modelId, { how: options.how ?? 'promote', reason: options.reason, by, at });
    recordAudit(db, { what: 'promote', who: by, from: before, to: modelId, reason: options.reason, details: { how: options.how ?? 'promote' } }, at);
    return { from: before, to: modelId };
  })();
}

/** Brings back the champion before the current one (a person's rollback, or the policy's with how 'auto_rollback'). */
export function rollback(db: WritableDB, options: { reason: string | Bilingual; by?: string; how?: Extract<ChampionChange, 'rollback' | 'auto_rollback'> }): { from: string; to: string } {
  const current = champion(db);
  const previous = previousChampion(db);
  if (!current || !previous) {
    throw new UserError(
      current
        ? both((f) =>
            f.lang === 'es'
              ? `No hay un modelo anterior al que volver: el que se usa (${f.model(current.candidate)}) es el primero que se usó.`
              : `There is no earlier model to go back to: the one in use (${f.model(current.candidate)}) is the first one that served.`)
        : { es: 'Todavía no hay un modelo en uso, así que no hay a cuál volver.', en: 'No model is in use yet, so there is none to go back to.' },
      'failed',
    );
  }
  const by = options.by ?? currentUser();
  const how = options.how ?? 'rollback';
  db.transaction(() => {
    const at = new Date().toISOString();
    crown(db, previous.id, { how, reason: options.reason, by, at });
    recordAudit(db, { what: 'rollback', who: by, from: current.id, to: previous.id, reason: options.reason, details: { how } }, at);
  })();
  return { from: current.id, to: previous.id };
}
