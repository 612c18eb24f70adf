import type { HistoryReport } from '../../../shared/contract';
import type { ReadableDB } from '../db/types';
import { listForecasts } from '../forecast/forecast';
import { championInfo } from '../registry/models';
import { describeSnapshots, periodFormatter } from '../snapshots/raw';
import { listRuns } from '../training/runs';

/** Imports, training runs and forecasts, newest first, with what each produced. */
export function history(db: ReadableDB): HistoryReport {
  const show = periodFormatter(db);
  const servingRun = championInfo(db)?.run_id;
  return {
    snapshots: describeSnapshots(db).reverse(),
    runs: listRuns(db).map((r) => ({ ...r, serving: r.id === servingRun })),
    forecasts: listForecasts(db).map((f) => ({ ...f, period: show(f.period) })),
  };
}
