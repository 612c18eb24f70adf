import type { Bilingual } from '../../../shared/messages';
import type { ModelVersionInfo } from '../../../shared/reports';
import type { ReadableDB } from '../db/types';
import { listModelSummaries, tenures } from '../registry/models';
import { periodFormatter } from '../snapshots/raw';
import { candidateFolds } from '../training/runs';
import { currentScores } from './scores';

/** Every model version, newest first: when each served and how its served forecasts really did. */
export function listModelVersions(db: ReadableDB): ModelVersionInfo[] {
  const models = listModelSummaries(db);
  const served = new Map<string, ModelVersionInfo['served']>();
  for (const t of tenures(db)) {
    const list = served.get(t.model_id) ?? [];
    list.push({ from: t.from_at, to: t.to_at, how: t.how, reason: JSON.parse(t.reason) as Bilingual, by: t.who });
    served.set(t.model_id, list);
  }
  const show = periodFormatter(db);
  const scored = new Map<string, ModelVersionInfo['scored']>();
  for (const s of currentScores(db)) {
    const list = scored.get(s.model_id) ?? [];
    list.push({ period: show(s.period), wape: s.wape });
    scored.set(s.model_id, list);
  }
  return models.map((m) => ({
    id: m.id,
    candidate: m.candidate,
    status: m.status,
    created_at: m.created_at,
    run_id: m.run_id,
    backtest_wape: m.backtest_wape,
    backtest: candidateFolds(db, m.run_id, m.candidate).map((f) => ({ ...f, period: show(f.period) })),
    served: served.get(m.id) ?? [],
    scored: scored.get(m.id) ?? [],
  }));
}
