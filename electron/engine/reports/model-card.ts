/**
 * The model card of the model that serves (or of another kept version): the data it learned from, the candidates
 * it was chosen among and how each did in testing, its error per site, how its forecasts really did, and who made
 * it serve and when. Everything is read, nothing written.
 */
import type { Bilingual } from '../../../shared/messages';
import { INTERVAL_LEVEL } from '../backtest/intervals';
import type { ReadableDB } from '../db/types';
import { UserError } from '../errors';
import { currentScores } from '../monitor/scores';
import { championInfo, findModel, listModelSummaries, modelIsStale, tenures } from '../registry/models';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId } from '../snapshots/platinum';
import { findRawSnapshot } from '../snapshots/raw';
import { findVersion } from '../snapshots/versions';
import { candidateFolds, candidateSummaries, runDetail, siteErrors } from '../training/runs';
import type { ModelCard } from './types';
import { SITE_FLAG_FACTOR } from './types';

/** How many changes of champion the card lists. */
const RECENT_CHANGES = 6;

export function gatherModelCard(db: ReadableDB, options: { modelId?: string } = {}): ModelCard {
  const summaries = listModelSummaries(db);
  const model = options.modelId ? summaries.find((m) => m.id === options.modelId) ?? null : championInfo(db);
  if (!model) {
    throw new UserError(
      options.modelId
        ? { es: `No existe el modelo ${options.modelId}.`, en: `There is no model ${options.modelId}.` }
        : { es: 'Todavía no hay un modelo en uso: entrene primero («cupo train»).', en: 'No model is in use yet: train first ("cupo train").' },
      'failed',
    );
  }
  const run = runDetail(db, model.run_id)!;
  const platinum = findVersion<PlatinumSummary>(db, model.platinum_version);
  const summary = platinum?.summary;
  if (!summary) throw new Error(`model ${model.id} names platinum ${model.platinum_version}, which is not recorded`);

  // The imports its data was made of: platinum names each period's snapshot ("2024-03=raw-…").
  const snapshotIds = [...new Set(platinum.parents.map((p) => p.slice(p.indexOf('=') + 1)))];
  const snapshots = snapshotIds
    .map((id) => findRawSnapshot(db, id))
    .filter((s) => s !== null)
    .sort((a, b) => a.seq - b.seq)
    .map((s) => ({ id: s.id, file: s.file_name, importedAt: s.imported_at }));

  const candidates = candidateSummaries(db, run.id).map((c) => {
    const folds = new Map(candidateFolds(db, run.id, c.candidate).map((f) => [f.period, f.wape]));
    return { ...c, perPeriod: run.backtest_periods.map((p) => folds.get(p) ?? null), chosen: c.candidate === model.candidate };
  });
  const chosen = candidates.find((c) => c.chosen);
  const overall = model.backtest_wape;
  const sites = siteErrors(db, run.id, model.candidate).map((s) => {
    const wape = s.actual > 0 ? s.error / s.actual : s.error > 0 ? 1 : 0;
    return { site: s.site, wape, actual: s.actual, flagged: overall > 0 && wape > SITE_FLAG_FACTOR * overall };
  });

  const seed = findModel(db, model.id)?.params.seed;
  const byId = new Map(summaries.map((m) => [m.id, m]));
  const all = tenures(db);
  const dataTimes = [model.created_at, ...all.map((t) => t.from_at), ...snapshots.map((s) => s.importedAt)];

  return {
    notation: { frequency: summary.frequency, style: summary.period_style },
    dataTime: dataTimes.reduce((a, b) => (b > a ? b : a)),
    model: {
      id: model.id,
      candidate: model.candidate,
      status: model.status,
      createdAt: model.created_at,
      backtestWape: overall,
      seed: typeof seed === 'number' ? seed : null,
      stale: modelIsStale(model, currentPlatinumId(db)),
    },
    data: {
      platinumVersion: model.platinum_version,
      featuresVersion: model.features_version,
      targetVersion: model.target_version,
      periods: summary.periods,
      sites: summary.sites,
      courses: summary.courses,
      classes: summary.classes,
      students: summary.students,
      snapshots,
    },
    run: { id: run.id, startedAt: run.started_at, durationMs: run.duration_ms, backtestPeriods: run.backtest_periods },
    candidates,
    sites,
    coverage: chosen?.coverage != null ? { nominal: INTERVAL_LEVEL, observed: chosen.coverage } : null,
    folds: candidateFolds(db, run.id, model.candidate),
    real: currentScores(db)
      .filter((s) => s.model_id === model.id)
      .map((s) => ({ period: s.period, wape: s.wape, expected: s.expected_wape })),
    tenures: all
      .filter((t) => t.model_id === model.id)
      .map((t) => ({ from: t.from_at, to: t.to_at, how: t.how, reason: JSON.parse(t.reason) as Bilingual, by: t.who })),
    recentChanges: all
      .slice(-RECENT_CHANGES)
      .reverse()
      .map((t) => ({ modelId: t.model_id, candidate: byId.get(t.model_id)?.candidate ?? '?', createdAt: byId.get(t.model_id)?.created_at ?? null, at: t.from_at, how: t.how, by: t.who })),
  };
}
