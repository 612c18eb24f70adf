/**
 * The management report's figures: for the period being planned, students and classes per site against the same
 * period a year earlier, the classes at risk and those expected to close, how accurate the forecasts have been,
 * the open alerts, and what changed in the data. Everything is read, nothing written.
 */
import { sizesFor } from '../../../shared/class-sizes';
import type { ReadableDB } from '../db/types';
import { foldLabel } from '../domain/class-key';
import { both } from '../../../shared/format';
import { canonicalPeriod, periodForPeople, readPeriod, sameSlotLastYear } from '../domain/periods';
import { UserError } from '../errors';
import { decide, reviewMargin } from '../forecast/decisions';
import { listForecasts, loadForecast } from '../forecast/forecast';
import { listOverrides, overrideIndex } from '../forecast/overrides';
import { servedForecast } from '../forecast/served';
import { accuracyHistory } from '../monitor/scores';
import { listModelSummaries, modelIsStale } from '../registry/models';
import { loadSettings } from '../settings';
import type { PlatinumClass } from '../snapshots/platinum';
import { currentPlatinum, loadPlatinumClasses } from '../snapshots/platinum';
import { listRawSnapshots, periodFormatter } from '../snapshots/raw';
import type { PeriodNotation } from './format';
import type { ClassLine, ManagementReport, ReportAlert, SiteFigures } from './types';

export interface ManagementOptions {
  /** The period to report on, as the data writes it; by default the latest one forecast after the data's last. */
  period?: string;
  /** Open alerts (the alerts step's); low ones are left out. */
  alerts?: readonly ReportAlert[];
}

const SEVERITY_RANK: Record<ReportAlert['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3 };

const classId = (c: { site: string; course: string; schedule: string }) => `${foldLabel(c.site)}\u0001${foldLabel(c.course)}\u0001${foldLabel(c.schedule)}`;
const byLabels = (a: ClassLine, b: ClassLine) => a.site.localeCompare(b.site) || a.course.localeCompare(b.course) || a.schedule.localeCompare(b.schedule);

/** The low end of a forecast row's interval, when the row has one (intervals are being added beside this). */
function p10Of(row: object): number | null {
  const value = (row as { p10?: unknown }).p10;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Labels in `now` and not in `before`, as spelled in `now`; letter case does not make a label new. */
function added(before: readonly string[], now: readonly string[]): string[] {
  const known = new Set(before.map(foldLabel));
  return [...new Set(now)].filter((label) => !known.has(foldLabel(label))).sort((a, b) => a.localeCompare(b));
}

function whichPeriod(db: ReadableDB, requested: string | undefined, notation: PeriodNotation, dataPeriods: readonly string[]): string {
  const show = periodFormatter(db);
  const last = dataPeriods.at(-1)!;
  if (requested !== undefined) {
    const reading = readPeriod(requested);
    if (!reading || reading.frequency !== notation.frequency) {
      throw new UserError({
        es: `«${requested}» no es un periodo como los de sus datos (p. ej. ${show(last)}).`,
        en: `"${requested}" is not a period like those in your data (e.g. ${show(last)}).`,
      });
    }
    return canonicalPeriod(reading);
  }
  const ahead = listForecasts(db).find((f) => f.period > last);
  if (!ahead) {
    throw new UserError(both((f) =>
      f.lang === 'es'
        ? `Todavía no hay un pronóstico para después de ${periodForPeople(last, notation.style, f)}: haga primero el pronóstico («cupo forecast»).`
        : `There is no forecast for after ${periodForPeople(last, notation.style, f)} yet: make the forecast first ("cupo forecast").`,
    ), 'failed');
  }
  return ahead.period;
}

/** Gathers the management report of one period (the coming one by default). Throws a UserError when there is nothing to report on. */
export function gatherManagementReport(db: ReadableDB, options: ManagementOptions = {}): ManagementReport {
  const platinum = currentPlatinum(db);
  if (!platinum) {
    throw new UserError({ es: 'Todavía no hay datos: importe primero sus archivos de matrícula.', en: 'There is no data yet: import your enrolment files first.' }, 'failed');
  }
  const summary = platinum.summary;
  const notation: PeriodNotation = { frequency: summary.frequency, style: summary.period_style };
  const period = whichPeriod(db, options.period, notation, summary.periods);

  // The forecast planners use for the period: the one exported last, else the one made last (forecast/served.ts).
  const served = servedForecast(db, period, null);
  const forecast = served ? loadForecast(db, served.id) : null;
  if (!served || !forecast) {
    throw new UserError(both((f) =>
      f.lang === 'es'
        ? `No hay un pronóstico de ${periodForPeople(period, notation.style, f)}: hágalo primero («cupo forecast --period …»).`
        : `There is no forecast for ${periodForPeople(period, notation.style, f)}: make it first ("cupo forecast --period …").`,
    ), 'failed');
  }
  const settings = loadSettings(db);
  const model = listModelSummaries(db).find((m) => m.id === served.model_version_id);

  // The planners' own numbers decide their classes, as on the forecast screen and in the exports (forecast/overrides.ts).
  const overrides = listOverrides(db, served.id);
  const ownOf = overrideIndex(overrides);
  const plannedOf = (r: (typeof forecast.rows)[number]) => ownOf(r)?.students ?? r.PREDICT_ALUMNOS;

  // Risk: the low end of the interval when the rows carry one, else the forecast itself, against the minimum; a
  // planner's own number is judged alone (the person knows something the interval does not).
  const basis = forecast.rows.length > 0 && forecast.rows.every((r) => p10Of(r) !== null) ? 'p10' : 'point';
  const lowOf = (r: (typeof forecast.rows)[number]) => (basis === 'p10' ? p10Of(r)! : r.PREDICT_ALUMNOS);
  const judged = (c: { low: number; own: number | null }) => c.own ?? c.low;
  const risky = forecast.rows
    .map((r) => ({ site: r.SEDE, course: r.CURSO_ACTUAL, schedule: r.HORARIO_ACTUAL, students: r.PREDICT_ALUMNOS, low: lowOf(r), own: ownOf(r)?.students ?? null }))
    // Each class against its own minimum: its site's or course's where Settings name one (shared/class-sizes.ts).
    .filter((c) => judged(c) < sizesFor(settings, c.site, c.course).minClassSize)
    .sort((a, b) => judged(a) - judged(b) || byLabels(a, b));

  // The same period a year earlier, per site.
  const lastYearPeriod = sameSlotLastYear(period, summary.frequency);
  const lastYearClasses = summary.periods.includes(lastYearPeriod) ? loadPlatinumClasses(db, platinum.id, lastYearPeriod) : null;
  const sites = new Map<string, SiteFigures>();
  const siteOf = (label: string) => {
    const key = foldLabel(label);
    let s = sites.get(key);
    if (!s) sites.set(key, (s = { site: label, students: 0, planned: 0, classes: 0, atRisk: 0, lastYear: null }));
    return s;
  };
  for (const r of forecast.rows) {
    const s = siteOf(r.SEDE);
    s.students += r.PREDICT_ALUMNOS;
    s.planned += plannedOf(r);
    s.classes++;
  }
  for (const r of risky) siteOf(r.site).atRisk++;
  for (const c of lastYearClasses ?? []) {
    const s = siteOf(c.site);
    s.lastYear ??= { students: 0, classes: 0 };
    s.lastYear.students += c.students;
    s.lastYear.classes++;
  }

  // Classes that ran in the last period before the one planned, and are not in the forecast.
  const lastPeriod = summary.periods.filter((p) => p < period).at(-1) ?? null;
  const forecastIds = new Set(forecast.rows.map((r) => classId({ site: r.SEDE, course: r.CURSO_ACTUAL, schedule: r.HORARIO_ACTUAL })));
  const ranLast: PlatinumClass[] = lastPeriod ? loadPlatinumClasses(db, platinum.id, lastPeriod) : [];
  const closing = ranLast
    .filter((c) => c.students > 0 && !forecastIds.has(classId(c)))
    .map((c) => ({ site: c.site, course: c.course, schedule: c.schedule, students: c.students }))
    .sort(byLabels);

  // Accuracy: the monitor's history, its periods taken back to canonical form.
  const show = periodFormatter(db);
  const canonicalOf = new Map(summary.periods.map((p) => [show(p), p]));
  const history = accuracyHistory(db);

  // What changed between the last two periods of the data.
  const [before, after] = summary.periods.slice(-2);
  let changes: ManagementReport['changes'] = null;
  if (before !== undefined && after !== undefined) {
    const a = loadPlatinumClasses(db, platinum.id, before);
    const b = loadPlatinumClasses(db, platinum.id, after);
    const sitesOf = (cs: PlatinumClass[]) => cs.map((c) => c.site);
    const coursesOf = (cs: PlatinumClass[]) => cs.map((c) => c.course);
    changes = {
      from: before,
      to: after,
      newSites: added(sitesOf(a), sitesOf(b)),
      goneSites: added(sitesOf(b), sitesOf(a)),
      newCourses: added(coursesOf(a), coursesOf(b)),
      goneCourses: added(coursesOf(b), coursesOf(a)),
    };
  }

  const lastImport = listRawSnapshots(db).reduce((latest, s) => (s.imported_at > latest ? s.imported_at : latest), '');
  const students = forecast.rows.reduce((n, r) => n + r.PREDICT_ALUMNOS, 0);
  return {
    notation,
    period,
    dataTime: served.created_at > lastImport ? served.created_at : lastImport,
    forecast: {
      id: served.id,
      createdAt: served.created_at,
      modelId: served.model_version_id,
      candidate: model?.candidate ?? forecast.report.candidate,
      staleModel: model ? modelIsStale(model, platinum.id) : false,
    },
    classSizes: { min: settings.minClassSize, max: settings.maxClassSize },
    totals: {
      students,
      classes: forecast.rows.length,
      atRisk: risky.length,
      overMax: forecast.rows.filter((r) => plannedOf(r) > sizesFor(settings, r.SEDE, r.CURSO_ACTUAL).maxClassSize).length,
    },
    own:
      overrides.length === 0
        ? null
        : {
            planned: forecast.rows.reduce((n, r) => n + plannedOf(r), 0),
            classes: forecast.rows
              .flatMap((r) => {
                const o = ownOf(r);
                return o ? [{ site: r.SEDE, course: r.CURSO_ACTUAL, schedule: r.HORARIO_ACTUAL, students: r.PREDICT_ALUMNOS, own: o.students, note: o.note, by: o.by }] : [];
              })
              .sort(byLabels),
          },
    lastYear: lastYearClasses ? { period: lastYearPeriod, students: lastYearClasses.reduce((n, c) => n + c.students, 0), classes: lastYearClasses.length } : null,
    sites: [...sites.values()].sort((x, y) => y.students - x.students || (y.lastYear?.students ?? 0) - (x.lastYear?.students ?? 0) || x.site.localeCompare(y.site)),
    risk: { basis, classes: risky, near: risky.filter((c) => decide(Math.round(judged(c)), sizesFor(settings, c.site, c.course)) === 'review').length, margin: reviewMargin(settings.minClassSize) },
    closing: { lastPeriod, classes: closing },
    accuracy: {
      periods: history.periods.map((p) => ({ period: canonicalOf.get(p.period) ?? p.period, wape: p.wape, expected: p.expected_wape, actual: p.actual_total })),
      trend: history.trend,
      message: history.message,
    },
    alerts: [...(options.alerts ?? [])].filter((a) => a.severity !== 'low').sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]),
    changes,
  };
}
