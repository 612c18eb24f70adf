import type { Alert, DriftReport, Finding, Severity } from '../../../shared/drift';
import { severityRank } from '../../../shared/drift';
import type { Bilingual } from '../../../shared/messages';
/**
 * Where alerts come from, and what each one asks the user to do:
 * - drift findings of medium severity or more (a drift report);
 * - a forecast scored much worse than its model promised (fed by whoever scores forecasts);
 * - the model: none trained yet, not retrained since new periods arrived, no forecast served for the next period;
 * - the data: a site missing a period it used to have, periods missing from the sequence, an import with warnings.
 */
import type { ReadableDB, WritableDB } from '../db/types';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import { lowerFirst, sharePct } from '../drift/text';
import type { PeriodStyle } from '../domain/periods';
import { nextPeriod, parseCanonical, periodForPeople } from '../domain/periods';
import { champion } from '../registry/models';
import type { PlatinumSummary } from '../snapshots/platinum';
import { currentPlatinumId } from '../snapshots/platinum';
import { findVersion } from '../snapshots/versions';
import type { AlertInput, RaiseOutcome } from './alerts';
import { raiseAlerts } from './alerts';

/** "Reentrene el modelo: la sede SURCO no aparece en nov. 2026 y tenía 12% de los alumnos." */
function because(verb: Bilingual, message: Bilingual, after?: Bilingual): Bilingual {
  return both(({ lang }) => `${verb[lang]}: ${lowerFirst(message[lang])}${after ? ` ${after[lang]}` : ''}`);
}

/** A canonical period in a sentence ("nov. 2026"), given how the data writes periods. */
type Say = (period: string, f: Formatter) => string;

function sayIn(style: PeriodStyle | null): Say {
  return (p, f) => periodForPeople(p, style, f);
}

const RETRAIN = { es: 'Reentrene el modelo', en: 'Retrain the model' };

function actionFor(f: Finding): Bilingual {
  switch (f.kind) {
    case 'vanished':
      return f.scope.dimension === 'site'
        ? because(RETRAIN, f.message, { es: 'Si la sede sigue abierta, falta su archivo: impórtelo.', en: 'If the site is still open, its file is missing: import it.' })
        : because(RETRAIN, f.message);
    case 'renamed':
      return because(
        { es: 'Si es el mismo nombre escrito de otra forma, corríjalo en el archivo o en el mapeo y vuelva a importar; si no, reentrene el modelo', en: 'If it is the same name spelled another way, correct it in the file or the mapping and import again; if not, retrain the model' },
        f.message,
      );
    case 'new':
      return because(RETRAIN, f.message);
    case 'volume':
      return because({ es: 'Revise que el archivo esté completo y reentrene el modelo', en: 'Check that the file is complete and retrain the model' }, f.message);
    case 'distribution':
    case 'dataset':
      return because({ es: 'Reentrene el modelo y vigile la precisión del próximo periodo', en: 'Retrain the model and watch the next period’s accuracy' }, f.message);
    case 'trend':
      return because({ es: 'Reentrene el modelo con los periodos recientes', en: 'Retrain the model on the recent periods' }, f.message);
  }
}

/** Changes that stay changed: told once, they wait for a person (or for a model retrained on the new state). */
const LASTING = new Set(['vanished', 'renamed', 'new', 'volume']);

/** One alert per drift finding of medium severity or more; low findings stay in the report. */
export function driftAlerts(report: DriftReport): AlertInput[] {
  return report.findings
    .filter((f) => severityRank(f.severity) <= severityRank('medium'))
    .map((f) => ({
      key: f.cause,
      category: f.kind === 'trend' && f.scope.dimension === 'error' ? 'accuracy' : 'drift',
      kind: f.kind,
      severity: f.severity,
      message: f.message,
      action: actionFor(f),
      period: f.period,
      scope: Object.fromEntries(Object.entries(f.scope).filter(([, v]) => v !== undefined)) as AlertInput['scope'],
      evidence: { test: f.test, size: f.size, size_unit: f.size_unit, detail: f.detail, reference_basis: report.reference.basis, reference_run_id: report.reference.run_id, report: report.id },
      source: report.id,
    }));
}

/**
 * Drift alerts from a report. The drift alerts it no longer shows are resolved when they were conditions
 * (a distribution, a trend); changes that last (a site that vanished or halved, a rename) stay until a person
 * resolves them, or until the report's reference is a model trained after them.
 */
export function raiseDriftAlerts(db: WritableDB, report: DriftReport): RaiseOutcome {
  const keep = (a: Alert) => LASTING.has(a.kind) && !(report.reference.basis === 'champion' && a.evidence.reference_run_id !== report.reference.run_id);
  return raiseAlerts(db, driftAlerts(report), { settle: { prefixes: ['drift:'], keep } });
}

// ------------------------------------------------------------------------------------------- accuracy

export const ACCURACY_THRESHOLDS = {
  /** WAPE over promised: medium from 1.25×, high from 1.5×, critical from 2×… */
  mediumRatio: 1.25,
  highRatio: 1.5,
  criticalRatio: 2,
  /** …and only when the difference is at least this many points (3, 5, 10). */
  mediumPoints: 0.03,
  highPoints: 0.05,
  criticalPoints: 0.1,
} as const;

export interface ForecastScore {
  /** Canonical period the forecast was for. */
  period: string;
  /** Students misplaced over students enrolled, when the period's data arrived. */
  wape: number;
  /** What the serving model promised (its backtest WAPE). */
  expected_wape: number;
  /** The forecast or model scored, kept as evidence. */
  forecast_id?: string;
  model_version?: string;
}

/** An alert when a forecast scored much worse than its model promised; null when it did about as well. */
export function accuracyAlert(score: ForecastScore, say: Say = sayIn(null)): AlertInput | null {
  const T = ACCURACY_THRESHOLDS;
  const diff = score.wape - score.expected_wape;
  const ratio = score.expected_wape > 0 ? score.wape / score.expected_wape : Infinity;
  let severity: Severity | null = null;
  if (ratio >= T.criticalRatio && diff >= T.criticalPoints) severity = 'critical';
  else if (ratio >= T.highRatio && diff >= T.highPoints) severity = 'high';
  else if (ratio >= T.mediumRatio && diff >= T.mediumPoints) severity = 'medium';
  if (!severity) return null;
  const message = both((f) =>
    f.lang === 'es'
      ? `El pronóstico de ${say(score.period, f)} se equivocó en ${sharePct(score.wape, f)} de los alumnos (WAPE), ${Number.isFinite(ratio) ? `${f.one(ratio)} veces` : 'muy por encima de'} el ${sharePct(score.expected_wape, f)} que prometía el modelo.`
      : `The forecast for ${say(score.period, f)} misplaced ${sharePct(score.wape, f)} of the students (WAPE), ${Number.isFinite(ratio) ? `${f.one(ratio)} times` : 'far above'} the ${sharePct(score.expected_wape, f)} the model promised.`,
  );
  return {
    key: `accuracy:wape:${score.period}`,
    category: 'accuracy',
    kind: 'worse_than_promised',
    severity,
    message,
    action: because({ es: 'Reentrene el modelo y revise los datos de ese periodo', en: 'Retrain the model and check that period’s data' }, message),
    period: score.period,
    scope: {},
    evidence: { ...score, ratio: Number.isFinite(ratio) ? ratio : null },
    source: score.forecast_id ?? null,
  };
}

/** Raises (or merges) the alert for a scored forecast; nothing when it did about as promised. */
export function raiseAccuracyAlert(db: WritableDB, score: ForecastScore): RaiseOutcome {
  const alert = accuracyAlert(score, sayIn(currentPlatinum(db)?.summary.period_style ?? null));
  return raiseAlerts(db, alert ? [alert] : []);
}

// ---------------------------------------------------------------------------------------------- model

function currentPlatinum(db: ReadableDB): { id: string; summary: PlatinumSummary } | null {
  const id = currentPlatinumId(db);
  const version = id ? findVersion<PlatinumSummary>(db, id) : null;
  return version ? { id: version.id, summary: version.summary } : null;
}

/** No model yet; a model that has not seen the newest periods; no forecast served for the next period. */
export function modelAlerts(db: ReadableDB): AlertInput[] {
  const platinum = currentPlatinum(db);
  if (!platinum) return [];
  const s = platinum.summary;
  const say = sayIn(s.period_style);
  const model = champion(db);
  const out: AlertInput[] = [];
  if (!model) {
    if (s.periods.length >= 3) {
      const message = both((f) => (f.lang === 'es' ? `Hay ${f.int(s.periods.length)} periodos de datos y todavía no hay un modelo entrenado: no se puede pronosticar.` : `There are ${f.int(s.periods.length)} periods of data and no trained model yet: nothing can be forecast.`));
      out.push({ key: 'model:none', category: 'model', kind: 'no_model', severity: 'low', message, action: because({ es: 'Entrene un modelo', en: 'Train a model' }, message), period: null, scope: {} });
    }
    return out;
  }
  const run = db.prepare(`SELECT platinum_version, started_at FROM training_run WHERE id = ?`).get(model.run_id) as { platinum_version: string; started_at: string } | undefined;
  const trainedOn = run ? findVersion<PlatinumSummary>(db, run.platinum_version) : null;
  const lastTrained = trainedOn?.summary.periods.at(-1);
  const newer = lastTrained ? s.periods.filter((p) => p > lastTrained) : [];
  if (lastTrained && newer.length > 0) {
    const severity: Severity = newer.length >= 3 ? 'high' : 'medium';
    const message = both((f) =>
      f.message(
        f.lang === 'es'
          ? 'El modelo que pronostica se entrenó con datos hasta {until}; desde entonces {n, plural, one {llegó # periodo nuevo} other {llegaron # periodos nuevos}} ({periods}).'
          : 'The serving model was trained on data up to {until}; {n, plural, one {# new period has} other {# new periods have}} arrived since ({periods}).',
        { until: say(lastTrained, f), n: newer.length, periods: f.list(newer.map((p) => say(p, f)), 3) },
      ),
    );
    out.push({
      key: 'model:stale', category: 'model', kind: 'not_retrained', severity, message, action: because(RETRAIN, message), period: newer.at(-1)!,
      scope: {}, evidence: { model_version: model.id, run_id: model.run_id, trained_until: lastTrained, new_periods: newer },
    });
  }
  const next = nextPeriod(s.periods.at(-1)!, s.frequency, s.term_slots);
  const served = db.prepare(`SELECT 1 FROM forecast WHERE period = ? AND model_version_id = ? LIMIT 1`).get(next, model.id);
  if (!served) {
    const message = both((f) => (f.lang === 'es' ? `No hay un pronóstico servido para ${say(next, f)}, el próximo periodo.` : `There is no served forecast for ${say(next, f)}, the next period.`));
    out.push({
      key: `model:forecast:${next}`, category: 'model', kind: 'no_forecast', severity: 'medium', message,
      action: because(both((f) => (f.lang === 'es' ? `Genere el pronóstico de ${say(next, f)}` : `Make the forecast for ${say(next, f)}`)), message), period: next, scope: {}, evidence: { model_version: model.id },
    });
  }
  return out;
}

// ----------------------------------------------------------------------------------------------- data

/** Every period a dataset should have between its first and last (months, terms of the slots it uses, years). */
function expectedPeriods(s: PlatinumSummary): string[] {
  const out: string[] = [];
  let p = s.periods[0]!;
  const last = s.periods.at(-1)!;
  for (let guard = 0; p <= last && guard < 10_000; guard++) {
    out.push(p);
    p = nextPeriod(p, s.frequency, s.term_slots);
  }
  return out;
}

/**
 * Gaps: periods missing from the sequence (one low alert listing them), and each site missing a period it used
 * to have — absent between two periods it was present in, though it had the same season the year before.
 */
export function dataGapAlerts(db: ReadableDB): AlertInput[] {
  const platinum = currentPlatinum(db);
  if (!platinum) return [];
  const s = platinum.summary;
  const say = sayIn(s.period_style);
  const out: AlertInput[] = [];
  const have = new Set(s.periods);
  const missing = expectedPeriods(s).filter((p) => !have.has(p));
  if (missing.length > 0) {
    const message = both((f) =>
      f.message(
        f.lang === 'es'
          ? '{n, plural, one {Falta # periodo} other {Faltan # periodos}} entre {first} y {last}: {periods}.'
          : '{n, plural, one {# period is} other {# periods are}} missing between {first} and {last}: {periods}.',
        { n: missing.length, first: say(s.periods[0]!, f), last: say(s.periods.at(-1)!, f), periods: f.list(missing.map((p) => say(p, f)), 6) },
      ),
    );
    out.push({
      key: 'data:gap:periods', category: 'data', kind: 'missing_periods', severity: 'low', message,
      action: because({ es: 'Importe esos periodos si tiene sus archivos', en: 'Import those periods if you have their files' }, message), period: missing.at(-1)!, scope: { count: missing.length }, evidence: { missing },
    });
  }
  const rows = db.prepare(`SELECT site, period, SUM(students) AS students FROM platinum_class WHERE version_id = ? AND students > 0 GROUP BY site, period`).all(platinum.id) as { site: string; period: string; students: number }[];
  const bySite = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = r.site.toUpperCase();
    let set = bySite.get(key);
    if (!set) bySite.set(key, (set = new Set()));
    set.add(r.period);
  }
  const shownSite = new Map(rows.map((r) => [r.site.toUpperCase(), r.site]));
  for (const [key, present] of bySite) {
    const periods = s.periods.filter((p) => present.has(p));
    const first = periods[0]!;
    const last = periods.at(-1)!;
    const holes = s.periods.filter((p) => p > first && p < last && !present.has(p)).filter((p) => {
      const { year, slot } = parseCanonical(p);
      const sameSeason = s.periods.filter((q) => q < p && parseCanonical(q).slot === slot && parseCanonical(q).year === year - 1);
      return sameSeason.length === 0 || sameSeason.some((q) => present.has(q));
    });
    if (holes.length === 0) continue;
    const site = shownSite.get(key)!;
    const message = both((f) =>
      f.lang === 'es'
        ? `La sede ${site} no tiene datos de ${f.list(holes.map((p) => say(p, f)), 4)}, aunque sí antes y después: probablemente falta su archivo.`
        : `Site ${site} has no data for ${f.list(holes.map((p) => say(p, f)), 4)}, though it has before and after: its file is probably missing.`,
    );
    out.push({
      key: `data:gap:site:${key}`, category: 'data', kind: 'site_gap', severity: 'medium', message,
      action: because({ es: 'Importe el archivo de ese periodo', en: 'Import that period’s file' }, message), period: holes.at(-1)!, scope: { site }, evidence: { holes },
    });
  }
  return out;
}

interface SnapshotWarnings {
  id: string;
  file_name: string;
  rows_read: number;
  rows_rejected: number;
  warnings: string;
}

/** An import that stored data but warned (duplicates summed, rows skipped…): low, medium past 1 % of rows rejected. */
export function importAlerts(db: ReadableDB, snapshotIds: readonly string[]): AlertInput[] {
  const select = db.prepare(`SELECT id, file_name, rows_read, rows_rejected, warnings FROM raw_snapshot WHERE id = ?`);
  const out: AlertInput[] = [];
  for (const id of snapshotIds) {
    const row = select.get(id) as SnapshotWarnings | undefined;
    if (!row) continue;
    const warnings = JSON.parse(row.warnings) as { message?: Bilingual; count?: number }[];
    if (warnings.length === 0 && row.rows_rejected === 0) continue;
    const rejectedShare = row.rows_read > 0 ? row.rows_rejected / row.rows_read : 0;
    const first = warnings.find((w) => w.message)?.message;
    const message = both((f) =>
      f.message(
        f.lang === 'es'
          ? 'La importación de {file} tuvo {warnings, plural, one {# advertencia} other {# advertencias}} y {rejected, plural, one {# fila rechazada} other {# filas rechazadas}}{first}.'
          : 'The import of {file} had {warnings, plural, one {# warning} other {# warnings}} and {rejected, plural, one {# rejected row} other {# rejected rows}}{first}.',
        { file: row.file_name, warnings: warnings.length, rejected: row.rows_rejected, first: first ? ` (${lowerFirst(first[f.lang]).replace(/\.$/, '')})` : '' },
      ),
    );
    out.push({
      key: `data:import:${row.id}`, category: 'data', kind: 'import_warnings', severity: rejectedShare >= 0.01 ? 'medium' : 'low', message,
      action: because({ es: 'Revise el archivo y, si hace falta, corríjalo y vuelva a importarlo', en: 'Check the file and, if needed, correct it and import it again' }, message),
      period: null, scope: { file: row.file_name }, evidence: { snapshot_id: row.id, warnings: warnings.length, rows_rejected: row.rows_rejected, rows_read: row.rows_read }, source: row.id,
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------ together

/** The model and data-gap alerts as things stand now; the ones whose cause is gone are resolved. */
export function refreshStateAlerts(db: WritableDB): RaiseOutcome {
  return raiseAlerts(db, [...modelAlerts(db), ...dataGapAlerts(db)], { settle: { prefixes: ['model:', 'data:gap:'] } });
}

/**
 * Everything an import calls for: its drift report's alerts, its warnings, and the model and data state after it.
 * Returns the ids raised, merged and resolved.
 */
export function alertsAfterImport(db: WritableDB, input: { snapshotIds: readonly string[]; drift: DriftReport | null }): RaiseOutcome {
  const outcome: RaiseOutcome = { raised: [], merged: [], resolved: [] };
  const add = (o: RaiseOutcome) => {
    outcome.raised.push(...o.raised);
    outcome.merged.push(...o.merged);
    outcome.resolved.push(...o.resolved);
  };
  if (input.drift) add(raiseDriftAlerts(db, input.drift));
  add(raiseAlerts(db, importAlerts(db, input.snapshotIds)));
  add(refreshStateAlerts(db));
  return outcome;
}
