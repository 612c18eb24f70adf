import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closingFileFor } from '../../../shared/fields';
import type { ColumnMapping } from '../../../shared/mapping';
import { mappingMadeFor } from '../../../shared/mapping';
import type { InboxRun, InboxStep, SavedMapping } from '../../../shared/reports';
import { both } from '../../../shared/format';
import type { Bilingual } from '../../../shared/messages';
import { AUTOMATIC, recordAudit } from '../audit/audit';
import type { WritableDB } from '../db/types';
import { processAlive } from '../db/writer-lock';
import { UserError } from '../errors';
import { contentImported } from '../snapshots/raw';
import { trainedOn } from '../training/runs';
import type { CallContext, Handlers, ValidArgs } from './call';
import { exportedFile } from './exports';

/** What a scheduled run picks up: the files Cupo can import. */
const IMPORTABLE = /\.(csv|tsv|txt|xlsx)$/i;

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}


/**
 * One run at a time per database, across processes (the desktop app's hourly check and a cron job): a lock file
 * beside the database, created exclusively. A run that crashed leaves its file behind, but its process is gone,
 * so the next run on the same machine takes the lock over instead of waiting for ever.
 */
export function takeRunLock(databaseFile: string): () => void {
  const lock = `${databaseFile}.run.lock`;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, JSON.stringify(me), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: LockOwner | null;
      try {
        owner = JSON.parse(fs.readFileSync(lock, 'utf8')) as LockOwner;
      } catch {
        // Half-written by a run that died as it started: nobody holds it.
        owner = null;
      }
      const stale = owner === null || (owner.host === me.host && !processAlive(owner.pid));
      if (!stale) {
        const { pid, host: where, started } = owner!;
        throw new UserError(
          both((f) =>
            f.lang === 'es'
              ? `Ya hay una ejecución automática en curso sobre esta base de datos (proceso ${pid} en ${where}, desde el ${f.dateTime(started)}): esta no hizo nada.`
              : `A scheduled run is already working on this database (process ${pid} on ${where}, since ${f.dateTime(started)}): this one did nothing.`,
          ),
          'failed',
        );
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new UserError({ es: `No se pudo tomar el turno de ejecución (${lock}).`, en: `Could not take the run lock (${lock}).` }, 'failed');
}

function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function step(name: InboxStep['step'], status: InboxStep['status'], message: Bilingual): InboxStep {
  return { step: name, status, message };
}

/**
 * The loop a small team would otherwise run by hand, for a scheduled task: import what is new in the inbox (each
 * file on its own, so one refused file does not hold the others back; scoring, drift and alerts follow every
 * import), retrain when the data changed (the promotion gate decides whether the new model serves), forecast the
 * next period, and write the forecast and the report to the outbox. Every step is a contract operation; with
 * nothing new it does nothing and says so.
 */
export async function runInbox(db: WritableDB, databaseFile: string, exportsDir: string, handlers: Handlers, args: ValidArgs<'runInbox'>, call: CallContext): Promise<InboxRun> {
  const release = takeRunLock(databaseFile);
  try {
    return await runSteps(db, exportsDir, handlers, args, call);
  } finally {
    release();
  }
}

async function runSteps(db: WritableDB, exportsDir: string, handlers: Handlers, args: ValidArgs<'runInbox'>, call: CallContext): Promise<InboxRun> {
  const steps: InboxStep[] = [];
  const inbox = args.inbox;
  if (!fs.existsSync(inbox) || !fs.statSync(inbox).isDirectory()) {
    throw new UserError({ es: `No existe la carpeta de entrada ${inbox}.`, en: `There is no inbox folder ${inbox}.` });
  }
  const files = fs.readdirSync(inbox).filter((f) => IMPORTABLE.test(f) && fs.statSync(path.join(inbox, f)).isFile()).sort();
  let imported = 0;
  let refused = 0;
  const known: string[] = [];
  // Asked once, and only when the run names no mapping of its own: a --mapping is for every file of the inbox.
  let saved: SavedMapping[] | undefined;
  for (const name of files) {
    call.signal.throwIfAborted();
    const file = path.join(inbox, name);
    if (contentImported(db, sha256Of(file))) {
      known.push(name);
      continue;
    }
    const fileId = `f-${randomBytes(8).toString('hex')}`;
    const context = { ...call, files: { [fileId]: { path: file, name } } };
    let how: { mapping?: ColumnMapping; periodFromName?: true; saved?: string } = {
      ...(args.mapping ? { mapping: args.mapping } : {}),
      ...(args.periodFromName ? { periodFromName: true } : {}),
    };
    if (!args.mapping) {
      saved ??= await handlers.mappings({}, call);
      const preview = saved.length > 0 ? await handlers.previewFile({ fileId }, context) : null;
      // The mapping the import wizard would start from for these columns, as a person saved it.
      const chosen = preview ? mappingMadeFor(saved, preview.headers) : undefined;
      if (chosen && preview) {
        how = { mapping: chosen.mapping, saved: chosen.name, ...(args.periodFromName || (chosen.period_from_name && preview.periodFromName !== null) ? { periodFromName: true } : {}) };
      }
    }
    const result = await handlers.importFiles(
      { files: [{ fileId, ...(how.mapping ? { mapping: how.mapping } : {}), ...(how.periodFromName ? { periodFromName: true } : {}) }] },
      context,
    );
    const report = result.reports[0]!;
    const usedSaved = how.saved;
    const withMapping = (f: { lang: 'es' | 'en' }) => (usedSaved === undefined ? '' : f.lang === 'es' ? ` con el mapeo guardado «${usedSaved}»` : ` with the saved mapping "${usedSaved}"`);
    const about = usedSaved !== undefined ? { mapping: usedSaved } : {};
    if (result.committed) {
      imported++;
      const scored = result.scoring?.scored.map((s) => s.message) ?? [];
      steps.push({ ...step('import', 'done', both((f) =>
        [
          f.message(
            f.lang === 'es'
              ? '{name}: importado{how} ({rows, plural, one {# fila} other {# filas}}, {classes, plural, one {# clase} other {# clases}}).'
              : '{name}: imported{how} ({rows, plural, one {# row} other {# rows}}, {classes, plural, one {# class} other {# classes}}).',
            { name, how: withMapping(f), rows: report.rows_accepted, classes: report.classes },
          ),
          ...scored.map((m) => m[f.lang]),
        ].join(' '),
      )), ...about });
    } else {
      refused++;
      const first = report.problems[0]?.message;
      steps.push({ ...step('import', 'refused', {
        es: `${name}: rechazado${withMapping({ lang: 'es' })}, no se guardó nada${first ? ` — ${first.es}` : ''}`,
        en: `${name}: refused${withMapping({ lang: 'en' })}, nothing was stored${first ? ` — ${first.en}` : ''}`,
      }), ...about });
    }
  }
  if (known.length > 0) {
    steps.push(step('import', 'skipped', both((f) =>
      f.message(
        f.lang === 'es'
          ? '{n, plural, one {# archivo ya importado antes, sin tocar} other {# archivos ya importados antes, sin tocar}}: {files}.'
          : '{n, plural, one {# file already imported before, left alone} other {# files already imported before, left alone}}: {files}.',
        { n: known.length, files: f.list(known) },
      ),
    )));
  }

  const status = await handlers.status({}, call);
  if (!status.data) {
    steps.push(step('train', 'skipped', { es: 'Sin datos todavía: nada que entrenar ni pronosticar.', en: 'No data yet: nothing to train or forecast.' }));
    return finish(db, steps, imported, refused, true);
  }
  let trained = false;
  // Retrain when the data changed since the last training, not merely when the champion is older than the data: a
  // champion the promotion gate kept must not be challenged again, run after run, on the same data.
  if (!status.serving || !trainedOn(db, status.data.platinum_version)) {
    try {
      const report = await handlers.train({}, call);
      trained = true;
      steps.push(step('train', 'done', report.decision.reason));
    } catch (error) {
      // Too little data to train is the state of things, not a failure of the run: it says why and stops here.
      if (!(error instanceof UserError) || call.signal.aborted) throw error;
      steps.push(step('train', 'skipped', error.bilingualMessage));
      return finish(db, steps, imported, refused, false);
    }
  } else {
    steps.push(step('train', 'skipped', { es: 'El modelo en uso ya conoce todos los datos: no se reentrenó.', en: 'The model in use already knows all the data: no retraining.' }));
  }

  const current = await handlers.status({}, call);
  const upToDate = imported === 0 && !trained && current.last_forecast?.period === current.data?.next_period;
  const frequency = current.data?.frequency;
  if (upToDate) {
    const period = current.last_forecast!.period;
    steps.push(step('forecast', 'skipped', both((f) =>
      f.lang === 'es' ? `Nada nuevo: el pronóstico de ${f.period(period, frequency)} sigue vigente.` : `Nothing new: the forecast for ${f.period(period, frequency)} still stands.`,
    )));
    return finish(db, steps, imported, refused, true);
  }
  const { report: forecast } = await handlers.forecast({}, call);
  steps.push(step('forecast', 'done', both((f) =>
    f.message(
      f.lang === 'es'
        ? 'Pronóstico de {period}: {rows, plural, one {# clase} other {# clases}}, {students, plural, one {# alumno} other {# alumnos}}.'
        : 'Forecast for {period}: {rows, plural, one {# class} other {# classes}}, {students, plural, one {# student} other {# students}}.',
      { period: f.period(forecast.period, frequency), rows: forecast.rows, students: forecast.total_students },
    ),
  )));
  if (args.outbox) {
    fs.mkdirSync(args.outbox, { recursive: true });
    const deliver = (exportId: string, fileName: string) => {
      const source = exportedFile(exportsDir, exportId, fileName)!;
      const target = path.join(args.outbox!, fileName);
      fs.copyFileSync(source, target);
      // The classes expected to close travel beside the forecast they belong to.
      if (fs.existsSync(closingFileFor(source))) fs.copyFileSync(closingFileFor(source), closingFileFor(target));
      return target;
    };
    const csv = await handlers.exportForecast({ format: 'csv' }, call);
    const report = await handlers.report({}, call);
    const written = [deliver(csv.exportId, csv.fileName), deliver(report.exportId, report.fileName)];
    steps.push(step('outbox', 'done', { es: `Escrito en la carpeta de salida: ${written.join(', ')}.`, en: `Written to the outbox: ${written.join(', ')}.` }));
  }
  return finish(db, steps, imported, refused, false);
}

function finish(db: WritableDB, steps: InboxStep[], imported: number, refused: number, nothingNew: boolean): InboxRun {
  const run: InboxRun = { steps, imported, refused, nothing_new: nothingNew && imported === 0 && refused === 0, at: new Date().toISOString() };
  // What ran by itself is on the record, and Home and History show the last run from here.
  recordAudit(db, { what: 'inbox_run', who: AUTOMATIC, details: { imported, refused, nothing_new: run.nothing_new, steps: steps.map((s) => ({ step: s.step, status: s.status, message: s.message, ...(s.mapping !== undefined ? { mapping: s.mapping } : {}) })) } });
  return run;
}
