import fs from 'node:fs';
import type { ForecastResult, ImportResult } from '../../../shared/contract';
import type { ForecastFilter } from '../../../shared/forecast-view';
import { filterRows, isEmptyFilter } from '../../../shared/forecast-view';
import type { Formatter, Region } from '../../../shared/format';
import { both, formatter } from '../../../shared/format';
import type { Locale } from '../../../shared/messages';
import type { ForecastReport, ForecastRow } from '../../../shared/reports';
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
import { carryOverrides, listOverrides, overrideIndex, previousForecastOf, setOverride, withOverrides } from '../forecast/overrides';
import { markForecastExported } from '../forecast/served';
import type { ImportRequest } from '../snapshots/import-files';
import { importFiles } from '../snapshots/import-files';
import { periodFromFileName } from '../domain/period-from-name';
import type { PeriodStyle } from '../domain/periods';
import { periodForPeople } from '../domain/periods';
import { previewFile } from '../ingest/preview';
import { deleteMapping, listMappings, saveMapping } from '../ingest/saved-mappings';
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
import { describeSnapshots, periodStyleInUse, reopenSnapshot, restoreSnapshot, setAsideSnapshot } from '../snapshots/raw';
import { explainTraining } from '../training/explain';
import { train } from '../training/train';
import type { Workspace } from '../workspace';
import { backupToExport, restoreFrom, withBackupBefore } from './backups';
import { newExportFile } from './exports';
import type { CallContext, FileTable, Handlers, ValidArgs } from './call';
import { runInbox } from './inbox';
import { oneWriterAtATime } from './writer-turn';


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

/** A forecast's rows as planners act on them (their own numbers beside the model's), with the settings that judged them. */
function withPlannersNumbers(db: ReadableDB, forecast: { report: ForecastReport; rows: ForecastRow[] }): ForecastResult {
  const settings = loadSettings(db);
  const overrides = listOverrides(db, forecast.report.forecast_id);
  return { report: forecast.report, rows: withOverrides(forecast.rows, overrides, settings), settings, overrides };
}

function periodOfForecast(db: ReadableDB, forecastId: string): string | null {
  return (db.prepare(`SELECT period FROM forecast WHERE id = ?`).pluck().get(forecastId) as string | undefined) ?? null;
}

/** The lines above an exported workbook's table: what it is, when it was exported, and which classes it holds. */
function exportTitle(db: ReadableDB, forecastId: string, rows: readonly ForecastRow[], filter: ForecastFilter | undefined, lang: Locale, region: Region | null): string[] {
  const f = formatter(lang, region);
  const canonical = periodOfForecast(db, forecastId);
  const period = canonical ? periodForPeople(canonical, periodStyleInUse(db), f) : '';
  const students = rows.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0);
  const es = lang === 'es';
  const decisions = { open: es ? 'Abrir' : 'Open', review: es ? 'Revisar' : 'Review', do_not_open: es ? 'No abrir' : 'Do not open' };
  const chosen = filter
    ? [
        filter.site && `${es ? 'Sede' : 'Site'}: ${filter.site}`,
        filter.course && `${es ? 'Curso' : 'Course'}: ${filter.course}`,
        filter.schedule && `${es ? 'Horario' : 'Schedule'}: ${filter.schedule}`,
        filter.decision && `${es ? 'Decisión' : 'Decision'}: ${decisions[filter.decision]}`,
        filter.search?.trim() && (es ? `búsqueda «${filter.search.trim()}»` : `search "${filter.search.trim()}"`),
      ].filter(Boolean)
    : [];
  return [
    es ? `Pronóstico de ${period}` : `Forecast for ${period}`,
    f.message(es ? 'Exportado el {date}: {classes, plural, one {# clase} other {# clases}} y {students, plural, one {# alumno} other {# alumnos}}.' : 'Exported on {date}: {classes, plural, one {# class} other {# classes}} and {students, plural, one {# student} other {# students}}.', { date: f.date(new Date()), classes: rows.length, students }),
    chosen.length > 0 ? `${es ? 'Filtros aplicados' : 'Filters applied'}: ${chosen.join(' · ')}.` : es ? 'Sin filtros: todas las clases.' : 'No filters: every class.',
  ];
}

/** The inbox and outbox folders of Settings must be folders that exist: said in words before anything is saved. */
function checkFolders(settings: { inboxFolder?: string | null | undefined; outboxFolder?: string | null | undefined }): void {
  for (const [key, es, en] of [
    ['inboxFolder', 'de entrada', 'inbox'],
    ['outboxFolder', 'de salida', 'outbox'],
  ] as const) {
    const folder = settings[key];
    if (!folder) continue;
    let isFolder: boolean;
    try {
      isFolder = fs.statSync(folder).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder) {
      throw new UserError({
        es: `La carpeta ${es} «${folder}» no existe en esta computadora (o no es una carpeta): créela o escriba la ruta de una que exista.`,
        en: `The ${en} folder "${folder}" does not exist on this computer (or is not a folder): create it or type the path of one that does.`,
      });
    }
  }
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
      // What planners said of this period's classes in the forecast before stays with the new one.
      const previous = previousForecastOf(db, report.forecast_id);
      if (previous) carryOverrides(db, previous, report.forecast_id);
      return refreshed(withPlannersNumbers(db, { report, rows }));
    },
    lastForecast: async ({ forecastId }) => {
      const last = loadForecast(ws.reader, forecastId);
      if (!last && forecastId) throw new UserError({ es: 'Ese pronóstico ya no existe.', en: 'That forecast no longer exists.' });
      return last && withPlannersNumbers(ws.reader, last);
    },
    exportForecast: async ({ format, delimiter, forecastId, filter, headers, locale }) => {
      const forecast = loadForecast(db, forecastId);
      if (!forecast) throw new UserError({ es: 'Todavía no hay un pronóstico que exportar.', en: 'There is no forecast to export yet.' });
      const { rows: all, overrides, settings } = withPlannersNumbers(db, forecast);
      const filtered = filter !== undefined && !isEmptyFilter(filter);
      const rows = filtered ? filterRows(all, filter) : all;
      const lang = locale ?? settings.locale;
      const options = { headers: headers ?? 'codes', locale: lang, override: overrideIndex(overrides) } as const;
      const fileName = `pronostico-${forecast.report.period}${filtered ? '-filtrado' : ''}.${format}`;
      const { exportId, file } = newExportFile(exportsDir, fileName);
      const closing = { period: forecast.report.period, classes: forecast.report.closing };
      if (format === 'xlsx') await writeForecastXlsx(file, rows, filtered ? undefined : closing, { ...options, totals: true, title: exportTitle(db, forecast.report.forecast_id, rows, filtered ? filter : undefined, lang, settings.region) });
      else writeForecastCsv(file, rows, { ...options, delimiter: delimiter ?? ',', ...(filtered ? {} : { closing }) });
      // What is exported is what planners act on: it becomes the forecast this period is later scored by.
      markForecastExported(db, forecast.report.forecast_id, { format, file: fileName });
      return { exportId, fileName };
    },
    overrideForecast: async ({ forecastId, site, course, schedule, students, note }) =>
      db.transaction(() => {
        const { before, after, predicted } = setOverride(db, { forecastId, site, course, schedule, students, note }, currentUser());
        recordAudit(db, {
          what: 'forecast_override',
          from: before ? String(before.students) : null,
          to: after ? String(after.students) : null,
          reason: after ? after.note : note || null,
          details: { forecast_id: forecastId, period: periodOfForecast(db, forecastId), site, course, schedule, predicted },
        });
        return after;
      })(),
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
    setAsideSnapshot: async ({ id, reason }, call) => {
      const platinum = await withBackupBefore(ws, 'before-reopen', call, () => {
        const before = currentPlatinumId(db);
        const snapshot = setAsideSnapshot(db, id, currentUser());
        const after = ensurePlatinum(db);
        recordAudit(db, { what: 'import_set_aside', from: before, to: id, reason: reason || null, details: { file: snapshot.file_name, platinum_version: after?.id ?? null } });
        return after;
      });
      return refreshed({ platinum_version: platinum?.id ?? null, scoring: await onActualsArrived(db) });
    },
    restoreSnapshot: async ({ id }, call) => {
      const platinum = await withBackupBefore(ws, 'before-reopen', call, () => {
        const before = currentPlatinumId(db);
        const snapshot = restoreSnapshot(db, id, currentUser());
        const after = ensurePlatinum(db);
        recordAudit(db, { what: 'import_restored', from: before, to: id, details: { file: snapshot.file_name, platinum_version: after?.id ?? null } });
        return after;
      });
      return refreshed({ platinum_version: platinum?.id ?? null, scoring: await onActualsArrived(db) });
    },
    mappings: async () => listMappings(ws.reader),
    saveMapping: async ({ name, mapping, periodFromName, headers }) => saveMapping(db, { name, mapping, headers, ...(periodFromName !== undefined ? { periodFromName } : {}) }),
    deleteMapping: async ({ name }) => ({ deleted: deleteMapping(db, name) }),
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
    resolveAlert: async ({ id }) => resolveAlert(db, id, currentUser()),
    runInbox: async (args, call) => runInbox(db, ws.file, exportsDir, handlers, args, call),
    audit: async ({ limit, what }) => listAudit(ws.reader, { ...(limit !== undefined ? { limit } : {}), ...(what ? { what } : {}) }),
    backup: async (_args, call) => backupToExport(ws, exportsDir, call),
    restore: async ({ fileId }, call) => refreshed(await restoreFrom(ws, fileOf(call.files, fileId), call)),
    getSettings: async () => loadSettings(ws.reader),
    saveSettings: async (settings) => {
      checkFolders(settings);
      return db.transaction(() => {
        const before = loadSettings(db);
        const after = saveSettings(db, { ...settings, region: settings.region ?? null });
        if (JSON.stringify(before) !== JSON.stringify(after)) recordAudit(db, { what: 'settings_changed', from: JSON.stringify(before), to: JSON.stringify(after) });
        return after;
      })();
    },
  };
  return oneWriterAtATime(ws, handlers);
}

