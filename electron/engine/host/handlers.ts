import fs from 'node:fs';
import type { z } from 'zod';
import type { CONTRACT, ImportResult, Method, ProgressEvent, Results } from '../../../shared/contract';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import type { Bilingual } from '../../../shared/messages';
import { acknowledgeAlert, listAlerts, resolveAlert } from '../alerts/alerts';
import { alertsAfterImport, raiseAccuracyAlert, raiseDriftAlerts, refreshStateAlerts } from '../alerts/sources';
import { currentUser, listAudit, recordAudit } from '../audit/audit';
import type { ReadableDB } from '../db/types';
import { driftReport, latestDrift } from '../drift/report';
import { styleFrequency } from '../../../shared/periods';
import { demoFiles } from '../demo';
import { UserError } from '../errors';
import { writeForecastCsv } from '../forecast/export-csv';
import { writeForecastXlsx } from '../forecast/export-xlsx';
import { loadForecast, makeForecast } from '../forecast/forecast';
import { markForecastExported } from '../forecast/served';
import type { ImportRequest } from '../snapshots/import-files';
import { importFiles } from '../snapshots/import-files';
import { periodFromFileName } from '../domain/period-from-name';
import type { PeriodStyle } from '../domain/periods';
import { periodForPeople } from '../domain/periods';
import { previewFile } from '../ingest/preview';
import { accuracy } from '../monitor/accuracy';
import { history } from '../monitor/history';
import { listModelVersions } from '../monitor/model-versions';
import { onActualsArrived } from '../monitor/policy';
import { scoredErrors } from '../monitor/scores';
import { status } from '../monitor/status';
import { makeReport } from '../reports/make';
import { loadSettings, saveSettings } from '../settings';
import { listModelSummaries, promote, rollback } from '../registry/models';
import { currentPlatinumId, ensurePlatinum } from '../snapshots/platinum';
import { describeSnapshots, periodStyleInUse, reopenSnapshot } from '../snapshots/raw';
import { explainTraining } from '../training/explain';
import { train } from '../training/train';
import { backupToExport, restoreFrom, withBackupBefore } from './backups';
import type { Workspace } from '../workspace';
import { newExportFile } from './exports';
import { runInbox } from './inbox';
import { oneWriterAtATime } from './writer-turn';

/** Files the host let the user pick (an upload, a file chosen in a dialog), by the id the renderer knows them by. */
export type FileTable = Record<string, { path: string; name: string }>;

export interface CallContext {
  files: FileTable;
  onProgress: (event: ProgressEvent) => void;
  signal: AbortSignal;
}

export type ValidArgs<M extends Method> = z.output<(typeof CONTRACT)[M]['args']>;
export type Handlers = { [M in Method]: (args: ValidArgs<M>, call: CallContext) => Promise<Results[M]> };

function fileOf(files: FileTable, fileId: string): { path: string; name: string } {
  const file = files[fileId];
  if (!file) throw new UserError({ es: 'Ese archivo ya no está disponible: vuelva a elegirlo.', en: 'That file is no longer available: choose it again.' });
  return file;
}

function importProgress(call: CallContext) {
  return (p: { file: string; index: number; files: number; bytes: number; totalBytes: number }) =>
    call.onProgress({
      stage: 'import',
      done: p.index * 1000 + Math.floor((1000 * p.bytes) / Math.max(p.totalBytes, 1)),
      total: p.files * 1000,
      message: { es: `Leyendo ${p.file} (${p.index + 1} de ${p.files})`, en: `Reading ${p.file} (${p.index + 1} of ${p.files})` },
    });
}

/** The period a file's name holds, for exports that put one period per file and leave it out of the rows. */
function periodNamedIn(name: string): string {
  const period = periodFromFileName(name);
  if (!period) {
    throw new UserError({
      es: `El nombre ${name} no contiene un periodo reconocible (p. ej. 2024_fall, 202401).`,
      en: `The name ${name} holds no period Cupo can read (e.g. 2024_fall, 202401).`,
    });
  }
  return period;
}

/** Which model serves now, by name; by name and date when the two are versions of one method. */
function championSwitched(db: ReadableDB, from: string | null, to: string): Bilingual {
  const models = new Map(listModelSummaries(db).map((m) => [m.id, m]));
  const [before, now] = [from ? models.get(from) : undefined, models.get(to)];
  const twins = before !== undefined && before.candidate === now?.candidate;
  const named = (f: Formatter, m: typeof now, id: string) => (m ? f.model(m.candidate, twins ? m.created_at : undefined) : id);
  return both((f) =>
    from
      ? f.lang === 'es' ? `Ahora se usa el modelo ${named(f, now, to)} en lugar de ${named(f, before, from)}.` : `The model ${named(f, now, to)} is now used instead of ${named(f, before, from)}.`
      : f.lang === 'es' ? `Ahora se usa el modelo ${named(f, now, to)}.` : `The model ${named(f, now, to)} is now used.`,
  );
}

/** A step of a training, in words: the model by name, the period as people say it ("nov. 2026", "2024 — otoño"). */
function trainingStep(candidate: string, period: string, style: PeriodStyle | null): Bilingual {
  return both((f) => {
    const name = f.model(candidate);
    if (period === 'final') return f.lang === 'es' ? `Entrenando «${name}» con toda la historia` : `Training "${name}" on the whole history`;
    return f.lang === 'es' ? `Probando «${name}» en ${periodForPeople(period, style, f)}` : `Testing "${name}" on ${periodForPeople(period, style, f)}`;
  });
}

/** What each operation of the contract does, on one workspace. Arguments arrive already validated. */
export function createHandlers(ws: Workspace, exportsDir: string): Handlers {
  const { db } = ws;
  /**
   * An import, then what its actuals mean: each file taken is on the audit log, and the forecasts served for the
   * periods it brings are scored (and the champion reviewed) at once, so nobody has to open a chart to learn how
   * far off the last forecast was.
   */
  const runImport = async (requests: ImportRequest[], call: CallContext, dryRun = false): Promise<ImportResult> => {
    const outcome = await importFiles(db, requests, {
      key: ws.key,
      dryRun,
      onProgress: importProgress(call),
      signal: call.signal,
      // In the import's own transaction: an import is never stored without its entry on the log, nor the reverse.
      withinCommit: (reports) => {
        for (const r of reports.filter((r) => r.status === 'imported')) {
          recordAudit(db, { what: 'import', to: r.snapshot_id, details: { file: r.file, periods: r.periods, rows: r.rows_accepted } });
        }
      },
    });
    if (!outcome.committed || dryRun) return { ...outcome, scoring: null, drift: null, alerts: [] };
    const scoring = await onActualsArrived(db);
    const raised = new Set<number>();
    for (const score of scoring.scored) {
      raiseAccuracyAlert(db, { period: score.period_code, wape: score.wape, expected_wape: score.expected_wape, forecast_id: score.forecast_id, model_version: score.model_id }).raised.forEach((id) => raised.add(id));
    }
    const snapshotIds = outcome.reports.flatMap((r) => (r.snapshot_id ? [r.snapshot_id] : []));
    const drift = driftReport(db, { trigger: 'import', snapshotIds, errors: scoredErrors(db) });
    const after = alertsAfterImport(db, { snapshotIds, drift });
    [...after.raised, ...after.merged].forEach((id) => raised.add(id));
    return { ...outcome, scoring, drift, alerts: listAlerts(db).filter((a) => raised.has(a.id)) };
  };
  /** After what changes the model, the data in use or the forecasts, alerts about that state are brought up to date. */
  const refreshed = <T>(value: T): T => {
    refreshStateAlerts(db);
    return value;
  };
  const runTraining = async ({ seed, backtestPeriods, candidates, force }: ValidArgs<'train'>, call: CallContext, promote: boolean) => {
    // Said before the dataset is prepared (seconds on a big one), so the screen never waits in silence.
    call.onProgress({ stage: 'train', done: 0, total: 0, message: { es: 'Preparando los datos…', en: 'Preparing the data…' } });
    const style = periodStyleInUse(ws.reader);
    const report = await train(db, {
      promote,
      ...(force ? { force } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(backtestPeriods !== undefined ? { backtestPeriods } : {}),
      ...(candidates !== undefined ? { candidates } : {}),
      signal: call.signal,
      onProgress: (p) =>
        call.onProgress({
          stage: 'train',
          done: p.step,
          total: p.steps,
          message: trainingStep(p.candidate, p.period, style),
        }),
    });
    return { ...report, explanation: explainTraining(report, style ? styleFrequency(style) : undefined) };
  };
  const handlers: Handlers = {
    status: async () => status(ws.reader, ws.file),
    previewFile: async ({ fileId, sheet }, call) => {
      const file = fileOf(call.files, fileId);
      return { fileId, ...(await previewFile(file.path, file.name, sheet)) };
    },
    importFiles: async ({ files, dryRun }, call) =>
      runImport(
        files.map((f) => {
          const { path: file, name } = fileOf(call.files, f.fileId);
          const period = f.periodFromName ? periodNamedIn(name) : f.period;
          return { file, name, ...(f.mapping ? { mapping: f.mapping } : {}), ...(period ? { period } : {}), ...(f.sheet !== undefined ? { sheet: f.sheet } : {}) };
        }),
        call,
        dryRun ?? false,
      ),
    loadDemo: async (_args, call) => runImport(demoFiles().map((file) => ({ file })), call),
    train: async (args, call) => refreshed(await runTraining(args, call, true)),
    backtest: async (args, call) => runTraining(args, call, false),
    forecast: async ({ period }) => {
      const { report, rows } = await makeForecast(db, period !== undefined ? { period } : {});
      return refreshed({ report, rows, settings: loadSettings(db) });
    },
    lastForecast: async () => {
      const last = loadForecast(ws.reader);
      return last && { ...last, settings: loadSettings(ws.reader) };
    },
    exportForecast: async ({ format, delimiter }) => {
      const forecast = loadForecast(db);
      if (!forecast) throw new UserError({ es: 'Todavía no hay un pronóstico que exportar.', en: 'There is no forecast to export yet.' });
      const fileName = `pronostico-${forecast.report.period}.${format}`;
      const { exportId, file } = newExportFile(exportsDir, fileName);
      if (format === 'xlsx') await writeForecastXlsx(file, forecast.rows, { period: forecast.report.period, classes: forecast.report.closing });
      else writeForecastCsv(file, forecast.rows, { delimiter: delimiter ?? ',', closing: { period: forecast.report.period, classes: forecast.report.closing } });
      // What is exported is what planners act on: it becomes the forecast this period is later scored by.
      markForecastExported(db, forecast.report.forecast_id, { format });
      return { exportId, fileName };
    },
    accuracy: async () => accuracy(ws.reader),
    report: async ({ period, modelCard, locale }, call) => {
      const made = await makeReport(
        db,
        {
          ...(period !== undefined ? { period } : {}),
          modelCard: modelCard ?? false,
          locale: locale ?? loadSettings(db).locale,
          // What a director should know: the open alerts of medium severity and above, most serious first.
          alerts: listAlerts(db, { state: 'open' }).filter((a) => a.severity !== 'low').map((a) => ({ severity: a.severity, message: a.message, action: a.action })),
        },
        { onProgress: call.onProgress, signal: call.signal },
      );
      call.onProgress({ stage: 'report', done: 2, total: 3, message: { es: 'Guardando el PDF', en: 'Saving the PDF' } });
      const { exportId, file } = newExportFile(exportsDir, made.fileName);
      // Written whole beside its name and then renamed: a report cancelled or failed halfway leaves no file.
      const part = `${file}.part`;
      try {
        fs.writeFileSync(part, made.pdf);
        call.signal.throwIfAborted();
        fs.renameSync(part, file);
      } finally {
        fs.rmSync(part, { force: true });
      }
      // A report leaves Cupo for management, as an export does: who wrote which one, of what, is on the log.
      recordAudit(db, { what: 'report_written', to: made.fileName, details: { ...made.about, locale: locale ?? null, bytes: made.pdf.length } });
      call.onProgress({ stage: 'report', done: 3, total: 3, message: { es: 'Informe listo', en: 'Report ready' } });
      return { exportId, fileName: made.fileName };
    },
    history: async () => history(ws.reader),
    snapshots: async () => describeSnapshots(ws.reader),
    reopenSnapshot: async ({ id }, call) => {
      const platinum = await withBackupBefore(ws, 'before-reopen', call, () => {
        const before = currentPlatinumId(db);
        reopenSnapshot(db, id);
        const after = ensurePlatinum(db);
        recordAudit(db, { what: 'reopen', from: before, to: id, details: { platinum_version: after?.id ?? null } });
        return after;
      });
      return refreshed({ platinum_version: platinum?.id ?? null, scoring: await onActualsArrived(db) });
    },
    models: async () => listModelVersions(ws.reader),
    promote: async ({ modelId, reason }, call) => {
      const { from, to } = await withBackupBefore(ws, 'before-promote', call, () => promote(db, modelId, { reason }));
      return refreshed({ from, to, message: championSwitched(db, from, to) });
    },
    rollback: async ({ reason }, call) => {
      const { from, to } = await withBackupBefore(ws, 'before-rollback', call, () => rollback(db, { reason }));
      return refreshed({ from, to, message: championSwitched(db, from, to) });
    },
    drift: async () => latestDrift(ws.reader),
    checkDrift: async ({ period }) => {
      const report = driftReport(db, { trigger: 'on_demand', errors: scoredErrors(db), ...(period !== undefined ? { periods: [period] } : {}) });
      const outcome = report ? raiseDriftAlerts(db, report) : { raised: [], merged: [] };
      const touched = new Set([...outcome.raised, ...outcome.merged]);
      return { report, alerts: listAlerts(db).filter((a) => touched.has(a.id)) };
    },
    alerts: async ({ state }) => listAlerts(ws.reader, { state: state === 'all' ? ['open', 'acknowledged', 'resolved'] : state ? [state] : ['open', 'acknowledged'] }),
    acknowledgeAlert: async ({ id }) => acknowledgeAlert(db, id, currentUser()),
    backup: async (_args, call) => backupToExport(ws, exportsDir, call),
    restore: async ({ fileId }, call) => refreshed(await restoreFrom(ws, fileOf(call.files, fileId), call)),
    resolveAlert: async ({ id }) => resolveAlert(db, id, currentUser()),
    runInbox: async (args, call) => runInbox(db, ws.file, exportsDir, handlers, args, call),
    audit: async ({ limit }) => listAudit(ws.reader, limit !== undefined ? { limit } : {}),
    getSettings: async () => loadSettings(ws.reader),
    saveSettings: async (settings) =>
      db.transaction(() => {
        const before = loadSettings(db);
        const after = saveSettings(db, { ...settings, region: settings.region ?? null });
        if (JSON.stringify(before) !== JSON.stringify(after)) recordAudit(db, { what: 'settings_changed', from: JSON.stringify(before), to: JSON.stringify(after) });
        return after;
      })(),
  };
  return oneWriterAtATime(ws, handlers);
}

