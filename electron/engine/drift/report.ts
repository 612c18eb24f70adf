import { foldLabel } from '../domain/class-key';
import type { ColumnReport, DriftCharts, DriftReference, DriftReport, Finding } from '../../../shared/drift';
import { highestSeverity, severityRank } from '../../../shared/drift';
/**
 * The drift report: what changed in the newest data against what the serving model learnt from. Made after every
 * import (and when asked), stored whole, one row per report.
 *
 * Reference: the periods the champion (serving model) was measured on in its training run, read from the very
 * platinum version it was trained on; with no model, the N periods before the ones examined.
 */
import { UserError } from '../errors';
import type { ReadableDB, WritableDB } from '../db/types';
import type { Formatter } from '../../../shared/format';
import { both } from '../../../shared/format';
import { canonicalPeriod, formatPeriod, periodForPeople, readPeriod } from '../domain/periods';
import { champion } from '../registry/models';
import { ensurePlatinum } from '../snapshots/platinum';
import { periodOwners } from '../snapshots/raw';
import { APP_VERSION } from '../version';
import type { PlatinumView as View } from './data';
import { PlatinumView} from './data';
import { columnSpecs, distributionFindings } from './distributions';
import { structureFindings } from './structure';
import { COLUMN_NAMES, TEST_NAMES, capitalise, stat } from './text';
import { totalsTrend, trendFindings } from './trends';
import { volumeFindings } from './volume';

export const DEFAULT_REFERENCE_PERIODS = 3;
/** At most this many periods are examined in one report (the newest of an import that brings more). */
export const DEFAULT_MAX_PERIODS = 3;

export interface DriftOptions {
  trigger?: 'import' | 'on_demand';
  /** The snapshots just imported: the periods they provide now are the ones examined. */
  snapshotIds?: readonly string[];
  /** Periods to examine, canonical ("2026-11") or as the files write them ("202611", "2024_fall"). */
  periods?: readonly string[];
  /** The previous periods used as reference when no model serves. */
  referencePeriods?: number;
  maxPeriods?: number;
  /** A scored-error series (the forecasts' WAPE per period), watched for a slow slide. */
  errors?: readonly { period: string; wape: number }[];
}

function normalisePeriod(view: View, text: string): string {
  if (view.has(text)) return text;
  const reading = readPeriod(text);
  const canonical = reading ? canonicalPeriod(reading) : null;
  if (canonical && view.has(canonical)) return canonical;
  const latest = (f: Formatter) => periodForPeople(view.periods.at(-1)!, view.summary.period_style, f);
  const code = formatPeriod(view.periods.at(-1)!, view.summary.period_style);
  throw new UserError(both((f) =>
    f.lang === 'es'
      ? `El periodo ${text} no está en los datos importados (el último es ${latest(f)}, que sus datos escriben ${code}).`
      : `Period ${text} is not in the imported data (the latest is ${latest(f)}, which your data writes ${code}).`,
  ));
}

function periodsOfSnapshots(db: ReadableDB, ids: readonly string[]): string[] {
  const owners = periodOwners(db);
  const wanted = new Set(ids);
  return [...owners.entries()].filter(([, s]) => wanted.has(s)).map(([p]) => p);
}

function chooseReference(db: ReadableDB, current: View, earliest: string, n: number): { reference: DriftReference; view: View | null } {
  const model = champion(db);
  if (model) {
    const run = db.prepare(`SELECT platinum_version, backtest_periods FROM training_run WHERE id = ?`).get(model.run_id) as { platinum_version: string; backtest_periods: string } | undefined;
    if (run) {
      const view = run.platinum_version === current.id ? current : new PlatinumView(db, run.platinum_version);
      const measured = (JSON.parse(run.backtest_periods) as string[]).filter((p) => view.has(p));
      const periods = (measured.length > 0 ? measured : view.periods.slice(-n)).filter((p) => p < earliest).sort();
      if (periods.length > 0) {
        return { reference: { basis: 'champion', model_version: model.id, run_id: model.run_id, platinum_version: view.id, periods }, view };
      }
    }
  }
  const periods = current.before(earliest).slice(-n);
  if (periods.length === 0) return { reference: { basis: 'none', model_version: null, run_id: null, platinum_version: null, periods: [] }, view: null };
  return { reference: { basis: 'previous', model_version: null, run_id: null, platinum_version: current.id, periods }, view: current };
}

const CHART_CATEGORIES = 12;

/** Keeps the categories that matter most to a chart and folds the rest into one bar. */
function capBins(bins: { labels: string[]; reference: number[]; current: number[] }, numerical: boolean) {
  if (numerical || bins.labels.length <= CHART_CATEGORIES) return bins;
  const order = bins.labels.map((_, k) => k).sort((a, b) => Math.max(bins.reference[b]!, bins.current[b]!) - Math.max(bins.reference[a]!, bins.current[a]!));
  const keep = order.slice(0, CHART_CATEGORIES - 1).sort((a, b) => (bins.labels[a]! < bins.labels[b]! ? -1 : 1));
  const rest = order.slice(CHART_CATEGORIES - 1);
  const sum = (arr: number[]) => rest.reduce((s, k) => s + arr[k]!, 0);
  return {
    labels: [...keep.map((k) => bins.labels[k]!), `(+${rest.length})`],
    reference: [...keep.map((k) => bins.reference[k]!), sum(bins.reference)],
    current: [...keep.map((k) => bins.current[k]!), sum(bins.current)],
  };
}

type Say = (period: string, f: Formatter) => string;

function charts(current: View, reference: View, referencePeriods: readonly string[], period: string, columns: readonly (ColumnReport & { bins: { labels: string[]; reference: number[]; current: number[] } })[], show: (p: string) => string, say: Say): DriftCharts {
  const P = (f: Formatter) => say(period, f);
  const R = (f: Formatter) => (referencePeriods.length === 1 ? say(referencePeriods[0]!, f) : `${say(referencePeriods[0]!, f)}–${say(referencePeriods.at(-1)!, f)}`);
  const features = columns
    .filter((c) => c.period === period)
    .map((c) => {
      const bins = capBins(c.bins, c.kind === 'numerical');
      const name = COLUMN_NAMES[c.column]!;
      const verdict = (f: Formatter) =>
        c.drifted
          ? f.lang === 'es' ? `cambió según la ${TEST_NAMES[c.test]!.es} (${stat(c.value, f, 3)})` : `changed by the ${TEST_NAMES[c.test]!.en} (${stat(c.value, f, 3)})`
          : f.lang === 'es' ? `sin cambio según la ${TEST_NAMES[c.test]!.es} (${stat(c.value, f, 3)})` : `no change by the ${TEST_NAMES[c.test]!.en} (${stat(c.value, f, 3)})`;
      return {
        column: c.column, test: c.test, value: c.value, drifted: c.drifted, ...bins,
        caption: both((f) => (f.lang === 'es' ? `${capitalise(name.es)}: reparto en ${R(f)} (referencia) frente a ${P(f)}; ${verdict(f)}.` : `${capitalise(name.en)}: share in ${R(f)} (reference) beside ${P(f)}; ${verdict(f)}.`)),
      };
    });

  const movers: DriftCharts['movers'] = [];
  const dimensions: ('site' | 'course')[] = current.totals('site', period).students.size > 1 ? ['site', 'course'] : ['course'];
  for (const dimension of dimensions) {
    const mean = new Map<string, number>();
    const shown = new Map<string, string>();
    for (const p of referencePeriods) {
      const t = reference.totals(dimension, p);
      for (const [k, v] of t.students) {
        mean.set(k, (mean.get(k) ?? 0) + v / referencePeriods.length);
        shown.set(k, t.shown.get(k)!);
      }
    }
    const now = current.totals(dimension, period);
    for (const [k, v] of now.shown) shown.set(k, v);
    const items = [...new Set([...mean.keys(), ...now.students.keys()])]
      .map((k) => ({ name: shown.get(k)!, reference: Math.round(mean.get(k) ?? 0), current: now.students.get(k) ?? 0 }))
      .map((i) => ({ ...i, change: i.current - i.reference }))
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || (a.name < b.name ? -1 : 1))
      .slice(0, dimension === 'site' ? 5 : 10);
    movers.push({
      dimension, items,
      caption: both((f) =>
        dimension === 'site'
          ? f.lang === 'es' ? `Las sedes cuyo número de alumnos más cambió en ${P(f)} frente al promedio por periodo de ${R(f)}.` : `The sites whose students changed most in ${P(f)} against the mean per period of ${R(f)}.`
          : f.lang === 'es' ? `Los cursos cuyo número de alumnos más cambió en ${P(f)} frente al promedio por periodo de ${R(f)}.` : `The courses whose students changed most in ${P(f)} against the mean per period of ${R(f)}.`),
    });
  }

  const verdict = totalsTrend(current, period);
  const pattern = verdict?.pattern ?? 'stable';
  const since = (f: Formatter) => (verdict?.since ? say(verdict.since, f) : '');
  const points = current.periods.filter((p) => p <= period).map((p) => ({ period: show(p), students: current.total(p) }));
  const said = (f: Formatter) =>
    pattern === 'gradual'
      ? f.lang === 'es' ? `un cambio gradual desde ${since(f)}` : `a gradual change since ${since(f)}`
      : pattern === 'sudden'
        ? f.lang === 'es' ? `un salto en ${since(f)}` : `a jump in ${since(f)}`
        : f.lang === 'es' ? 'ningún cambio fuera de lo habitual frente al mismo periodo de años anteriores' : 'no change beyond the usual against the same period of earlier years';
  return {
    period,
    features,
    movers,
    totals: { points, pattern, caption: both((f) => (f.lang === 'es' ? `Alumnos por periodo hasta ${P(f)}: ${said(f)}.` : `Students per period up to ${P(f)}: ${said(f)}.`)) },
  };
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.period < b.period ? 1 : a.period > b.period ? -1 : 0) || Math.abs(b.size) - Math.abs(a.size));
}

/**
 * Compares the examined periods with the reference, stores the report and returns it. Called after an import
 * (with the snapshots it stored) and on demand (a period, or the newest one). The same data, reference and
 * periods give the report already stored, not a second one.
 */
export function driftReport(db: WritableDB, options: DriftOptions = {}): DriftReport | null {
  const platinum = ensurePlatinum(db);
  if (!platinum) return null;
  const current = new PlatinumView(db, platinum.id);
  const style = current.summary.period_style;
  const show = (p: string) => formatPeriod(p, style);
  const say: Say = (p, f) => periodForPeople(p, style, f);

  let candidates: string[];
  if (options.periods && options.periods.length > 0) candidates = options.periods.map((p) => normalisePeriod(current, p));
  else if (options.snapshotIds && options.snapshotIds.length > 0) candidates = periodsOfSnapshots(db, options.snapshotIds);
  else candidates = [];
  if (candidates.length === 0) candidates = [current.periods.at(-1)!];
  const periods = [...new Set(candidates)].sort().slice(-(options.maxPeriods ?? DEFAULT_MAX_PERIODS));

  const { reference, view: referenceView } = chooseReference(db, current, periods[0]!, options.referencePeriods ?? DEFAULT_REFERENCE_PERIODS);
  const trigger = options.trigger ?? (options.snapshotIds ? 'import' : 'on_demand');
  const snapshotIds = [...(options.snapshotIds ?? [])];

  if (!options.errors) {
    const last = db.prepare(`SELECT id, platinum_version, periods, reference FROM drift_report ORDER BY seq DESC LIMIT 1`).get() as { id: string; platinum_version: string; periods: string; reference: string } | undefined;
    if (last && last.platinum_version === current.id && last.periods === JSON.stringify(periods) && last.reference === JSON.stringify(reference)) return readReport(db, last.id);
  }

  const findings: Finding[] = [];
  const columns: (ColumnReport & { bins: { labels: string[]; reference: number[]; current: number[] } })[] = [];
  let datasetDrift = false;
  if (referenceView) {
    const specs = columnSpecs(db);
    for (const period of periods) {
      const structure = structureFindings({ current, reference: referenceView, referenceLast: reference.periods.at(-1)!, say }, period);
      findings.push(...structure.findings);
      const skip = new Map([...structure.touched].map(([d, keys]) => [d, new Set([...keys].map(foldLabel))]));
      findings.push(...volumeFindings({ current, say }, period, skip));
      const distributions = distributionFindings({ db, current, reference: referenceView, referencePeriods: reference.periods, say }, period, specs);
      findings.push(...distributions.findings);
      columns.push(...distributions.columns);
      datasetDrift ||= distributions.drifted;
    }
  }
  const newest = periods.at(-1)!;
  findings.push(...trendFindings(current, newest, say, options.errors ?? []));
  const chartData: DriftCharts = referenceView
    ? charts(current, referenceView, reference.periods, newest, columns, show, say)
    : { period: newest, features: [], movers: [], totals: null };

  const seq = ((db.prepare(`SELECT MAX(seq) AS m FROM drift_report`).get() as { m: number | null }).m ?? 0) + 1;
  const id = `drift-${String(seq).padStart(4, '0')}`;
  const report: DriftReport = {
    id,
    created_at: new Date().toISOString(),
    trigger,
    platinum_version: current.id,
    periods,
    periods_shown: periods.map(show),
    reference,
    snapshot_ids: snapshotIds,
    dataset_drift: datasetDrift,
    severity: highestSeverity(findings.map((f) => f.severity)),
    findings: sortFindings(findings),
    columns: columns.map(({ bins: _bins, ...c }) => c),
    charts: chartData,
  };
  db.prepare(
    `INSERT INTO drift_report (id, seq, created_at, trigger, platinum_version, periods, reference, snapshot_ids, dataset_drift, severity, findings, columns, charts, app_version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, seq, report.created_at, trigger, current.id, JSON.stringify(periods), JSON.stringify(reference), JSON.stringify(snapshotIds), datasetDrift ? 1 : 0,
    report.severity, JSON.stringify(report.findings), JSON.stringify(report.columns), JSON.stringify(report.charts), APP_VERSION);
  return report;
}

interface ReportRow {
  id: string;
  created_at: string;
  trigger: 'import' | 'on_demand';
  platinum_version: string;
  periods: string;
  reference: string;
  snapshot_ids: string;
  dataset_drift: number;
  severity: DriftReport['severity'];
  findings: string;
  columns: string;
  charts: string;
}

function readReport(db: ReadableDB, id: string): DriftReport | null {
  const row = db.prepare(`SELECT * FROM drift_report WHERE id = ?`).get(id) as ReportRow | undefined;
  if (!row) return null;
  const style = (db.prepare(`SELECT summary FROM dataset_version WHERE id = ?`).pluck().get(row.platinum_version) as string | undefined) ?? '{}';
  const periodStyle = (JSON.parse(style) as { period_style?: Parameters<typeof formatPeriod>[1] }).period_style;
  const periods = JSON.parse(row.periods) as string[];
  return {
    id: row.id,
    created_at: row.created_at,
    trigger: row.trigger,
    platinum_version: row.platinum_version,
    periods,
    periods_shown: periodStyle ? periods.map((p) => formatPeriod(p, periodStyle)) : periods,
    reference: JSON.parse(row.reference) as DriftReference,
    snapshot_ids: JSON.parse(row.snapshot_ids) as string[],
    dataset_drift: row.dataset_drift === 1,
    severity: row.severity,
    findings: JSON.parse(row.findings) as Finding[],
    columns: JSON.parse(row.columns) as ColumnReport[],
    charts: JSON.parse(row.charts) as DriftCharts,
  };
}

/** The newest drift report, or null before the first one. */
export function latestDrift(db: ReadableDB): DriftReport | null {
  const id = db.prepare(`SELECT id FROM drift_report ORDER BY seq DESC LIMIT 1`).pluck().get() as string | undefined;
  return id ? readReport(db, id) : null;
}
