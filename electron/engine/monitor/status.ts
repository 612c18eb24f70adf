import { listAudit } from '../audit/audit';
import type { InboxStep, StatusReport } from '../../../shared/reports';
import type { ReadableDB } from '../db/types';
import { nextPeriod } from '../domain/periods';
import { listForecasts } from '../forecast/forecast';
import { modelIsStale, championInfo } from '../registry/models';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId, periodTotals } from '../snapshots/platinum';
import { describeSnapshots, periodFormatter } from '../snapshots/raw';
import { findVersion } from '../snapshots/versions';
import { countRuns, runStartedAt } from '../training/runs';

/** The state of things at a glance: what data is loaded, which model serves and how good it is, the last forecast. */
function lastInboxRun(db: ReadableDB): StatusReport['last_run'] {
  const [entry] = listAudit(db, { what: ['inbox_run'], limit: 1 });
  if (!entry) return null;
  const d = entry.details as { imported: number; refused: number; nothing_new: boolean; steps: InboxStep[] };
  return { at: entry.at, imported: d.imported, refused: d.refused, nothing_new: d.nothing_new, steps: d.steps };
}

/** How many periods ahead the forecast screen offers. */
const UPCOMING = 4;

function upcoming(last: string, frequency: PlatinumSummary['frequency'], termSlots: readonly number[]): string[] {
  const periods: string[] = [];
  let period = last;
  for (let i = 0; i < UPCOMING; i++) periods.push((period = nextPeriod(period, frequency, termSlots)));
  return periods;
}

export function status(db: ReadableDB, database: string): StatusReport {
  const snapshots = describeSnapshots(db);
  const platinumId = currentPlatinumId(db);
  const platinum = platinumId ? findVersion<PlatinumSummary>(db, platinumId) : null;
  const show = periodFormatter(db);
  let data: StatusReport['data'] = null;
  if (platinum) {
    const s = platinum.summary;
    const last = s.periods.at(-1)!;
    const lastTotals = periodTotals(db, platinum.id, last);
    data = {
      platinum_version: platinum.id,
      frequency: s.frequency,
      first_period: show(s.periods[0]!),
      last_period: show(last),
      next_period: show(nextPeriod(last, s.frequency, s.term_slots)),
      upcoming_periods: upcoming(last, s.frequency, s.term_slots).map(show),
      periods: s.periods.length,
      sites: s.sites,
      courses: s.courses,
      classes_last_period: lastTotals.classes,
      students_last_period: lastTotals.students,
    };
  }
  const model = championInfo(db);
  const trainedAt = model ? runStartedAt(db, model.run_id) : null;
  const forecast = listForecasts(db, 1)[0];
  return {
    database,
    snapshots,
    data,
    serving: model && trainedAt !== null
      ? { model_version: model.id, candidate: model.candidate, wape: model.backtest_wape, trained_at: trainedAt, stale: modelIsStale(model, platinumId) }
      : null,
    last_forecast: forecast && platinum ? { forecast_id: forecast.id, period: show(forecast.period), rows: forecast.rows, students: forecast.students, created_at: forecast.created_at } : null,
    runs: countRuns(db),
    last_run: lastInboxRun(db),
  };
}
