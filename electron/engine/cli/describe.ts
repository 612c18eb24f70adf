import type { ArrivedActuals, ImportResult, Results } from '../../../shared/contract';
import type { Alert, DriftReport } from '../../../shared/drift';
import { modelName } from '../../../shared/model-names';
import type { AuditEntry, InboxRun, ForecastReport, ImportReport, ModelVersionInfo, SnapshotInfo, StatusReport } from '../../../shared/reports';
import type { Text } from './text';
import { table } from './text';

/** What each command prints for a person: the contract's results, formatted in the user's language. */

export function describeImport(text: Text, r: ImportReport): string {
  const lines: string[] = [];
  const periods = r.periods.length > 3 ? `${r.periods[0]} … ${r.periods.at(-1)} (${r.periods.length})` : r.periods.join(', ');
  if (r.status === 'rejected') {
    lines.push(text.t({ es: `✘ ${r.file}: rechazado, no se guardó nada (${r.problem_count} problema(s)).`, en: `✘ ${r.file}: refused, nothing was stored (${r.problem_count} problem(s)).` }));
  } else {
    const verb = r.status === 'already_imported' ? { es: 'ya estaba importado, sin cambios', en: 'already imported, nothing changed' } : { es: 'importado', en: 'imported' };
    const kind = r.granularity === 'student' ? { es: 'filas de alumnos', en: 'student rows' } : { es: 'filas de clases', en: 'class rows' };
    const delimiter = r.delimiter === '\t' ? 'tab' : r.delimiter;
    lines.push(text.t({
      es: `✔ ${r.file}: ${verb.es}: ${text.int(r.rows_accepted)} ${kind.es}, ${text.int(r.classes)} clases, periodos ${periods} [${r.encoding}, «${delimiter}»]`,
      en: `✔ ${r.file}: ${verb.en}: ${text.int(r.rows_accepted)} ${kind.en}, ${text.int(r.classes)} classes, periods ${periods} [${r.encoding}, "${delimiter}"]`,
    }));
  }
  for (const p of r.problems) lines.push(`    ${p.severity === 'error' ? '✘' : '!'} ${text.t(p.message)}`);
  if (r.problem_count > r.problems.length) {
    lines.push(`    … ${text.t({ es: `y ${r.problem_count - r.problems.length} más`, en: `and ${r.problem_count - r.problems.length} more` })}`);
  }
  return lines.join('\n');
}

/** The scores of forecasts whose actuals just arrived, and what the rollback policy did: said, not left in a chart. */
export function describeScoring(text: Text, scoring: ArrivedActuals | null): string[] {
  if (!scoring || scoring.scored.length === 0) return [];
  const lines = scoring.scored.map((s) => `→ ${text.t(s.message)}`);
  if (scoring.policy.action === 'rolled_back' || scoring.policy.action === 'recommend_retrain') lines.push(`! ${text.t(scoring.policy.message)}`);
  return lines;
}

export function describeImportResult(text: Text, result: ImportResult): string {
  const lines = [...result.reports.map((r) => describeImport(text, r)), ...describeScoring(text, result.scoring)];
  if (result.drift) lines.push(...driftFindings(text, result.drift, 'medium'));
  const serious = result.alerts.filter((a) => a.severity === 'critical' || a.severity === 'high');
  if (serious.length > 0) lines.push(text.t({ es: 'Para atender:', en: 'Needs attention:' }), ...serious.map((a) => alertLine(text, a)));
  return lines.join('\n');
}

const SEVERITY_WORDS = {
  critical: { es: 'crítica', en: 'critical' },
  high: { es: 'alta', en: 'high' },
  medium: { es: 'media', en: 'medium' },
  low: { es: 'baja', en: 'low' },
} as const;
const RANK = ['critical', 'high', 'medium', 'low'] as const;

function alertLine(text: Text, a: Alert): string {
  return `  [${text.t(SEVERITY_WORDS[a.severity])}] #${a.id} ${text.t(a.message)}\n      → ${text.t(a.action)}`;
}

/** What changed, the most serious first, down to `floor`. */
function driftFindings(text: Text, report: DriftReport, floor: (typeof RANK)[number]): string[] {
  const shown = report.findings.filter((f) => RANK.indexOf(f.severity) <= RANK.indexOf(floor)).sort((a, b) => RANK.indexOf(a.severity) - RANK.indexOf(b.severity));
  return shown.map((f) => `  ~ [${text.t(SEVERITY_WORDS[f.severity])}] ${text.t(f.message)}`);
}

export function describeDrift(text: Text, report: DriftReport | null): string {
  if (!report) return text.t({ es: 'Todavía no hay datos que comparar.', en: 'There is no data to compare yet.' });
  const head = text.t({
    es: `Cambios en ${report.periods_shown.join(', ')} frente a ${report.reference.periods.length} periodo(s) de referencia: ${report.findings.length} hallazgo(s)${report.dataset_drift ? '; la mayoría de las columnas cambió de distribución' : ''}.`,
    en: `Changes in ${report.periods_shown.join(', ')} against ${report.reference.periods.length} reference period(s): ${report.findings.length} finding(s)${report.dataset_drift ? '; most columns changed distribution' : ''}.`,
  });
  const columns = table(
    text.locale === 'es' ? ['Columna', 'Prueba', 'Valor', 'PSI', 'Cambió'] : ['Column', 'Test', 'Value', 'PSI', 'Drifted'],
    report.columns.map((c) => [c.column, c.test, c.value.toFixed(3), c.psi.toFixed(3), c.drifted ? '✘' : '']),
    [2, 3],
  );
  return [head, ...driftFindings(text, report, 'low'), '', columns].join('\n');
}

export function describeAlerts(text: Text, alerts: Alert[]): string {
  if (alerts.length === 0) return text.t({ es: 'Nada que atender.', en: 'Nothing needs attention.' });
  return alerts.map((a) => `${alertLine(text, a)}${a.state !== 'open' ? ` (${a.state})` : ''}`).join('\n');
}

export function describeTraining(text: Text, r: Results['train']): string {
  const name = (candidate: string) => text.t(modelName(candidate));
  const rows = r.candidates.map((c) => [
    name(c.candidate) + (c.candidate === r.winner ? ' ★' : ''),
    text.pct(c.wape),
    text.one(c.mae),
    c.candidate === 'last_value' ? '—' : text.pct((r.last_value_wape - c.wape) / (r.last_value_wape || 1)),
  ]);
  const head = text.locale === 'es' ? ['Modelo', 'WAPE', 'Error/clase', 'Mejora vs. repetir'] : ['Model', 'WAPE', 'Error/class', 'Gain vs. repeating'];
  const periods = [...new Set(r.folds.map((f) => f.period))];
  const foldHead = [text.locale === 'es' ? 'WAPE por periodo' : 'WAPE by period', ...periods];
  const foldRows = r.candidates.map((c) => [name(c.candidate), ...periods.map((p) => text.pct(r.folds.find((f) => f.candidate === c.candidate && f.period === p)!.wape))]);
  const served = r.serving
    ? `${text.t(r.decision.reason)}\n${text.t({ es: `Modelo en servicio: ${r.serving.model_version} (${modelName(r.serving.candidate).es}).`, en: `Serving model: ${r.serving.model_version} (${modelName(r.serving.candidate).en}).` })}`
    : text.t({ es: 'Solo se midió (backtest): el modelo en servicio no cambió.', en: 'Measured only (backtest): the serving model did not change.' });
  return [
    table(head, rows, [1, 2, 3]),
    '',
    table(foldHead, foldRows, periods.map((_, i) => i + 1)),
    '',
    text.t(r.explanation),
    served,
    text.t({ es: `Ejecución ${r.run_id}, semilla ${r.seed}, ${text.one(r.duration_ms / 1000)} s; datos ${r.features_version}.`, en: `Run ${r.run_id}, seed ${r.seed}, ${text.one(r.duration_ms / 1000)} s; data ${r.features_version}.` }),
  ].join('\n');
}

export function describeForecast(text: Text, r: ForecastReport): string {
  const model = modelName(r.candidate);
  const lines = [
    text.t({
      es: `Pronóstico ${r.period}: ${text.int(r.rows)} clases, ${text.int(r.total_students)} alumnos (modelo ${r.model_version}, ${model.es}).`,
      en: `Forecast ${r.period}: ${text.int(r.rows)} classes, ${text.int(r.total_students)} students (model ${r.model_version}, ${model.en}).`,
    }),
  ];
  if (r.out) lines.push(text.t({ es: `Guardado en ${r.out}`, en: `Written to ${r.out}` }));
  if (r.stale_model) lines.push(text.t({ es: '! Hay datos nuevos desde el último entrenamiento: ejecute «cupo train» para aprovecharlos.', en: '! There is new data since the last training: run "cupo train" to use it.' }));
  return lines.join('\n');
}

export function describeSnapshotList(text: Text, list: SnapshotInfo[]): string {
  if (list.length === 0) return text.t({ es: 'Todavía no hay importaciones.', en: 'No imports yet.' });
  const span = (p: string[]) => (p.length === 0 ? '—' : p.length > 2 ? `${p[0]} … ${p.at(-1)} (${p.length})` : p.join(', '));
  return table(
    text.locale === 'es' ? ['Id', 'Archivo', 'Importado', 'Filas', 'Periodos', 'En uso'] : ['Id', 'File', 'Imported', 'Rows', 'Periods', 'In use'],
    list.map((s) => [s.id, s.file, s.imported_at.slice(0, 16).replace('T', ' '), text.int(s.rows_accepted), span(s.periods), span(s.periods_in_use)]),
    [3],
  );
}

export function describeStatus(text: Text, s: StatusReport): string {
  const lines = [text.t({ es: `Base de datos: ${s.database}`, en: `Database: ${s.database}` })];
  if (!s.data) {
    lines.push(text.t({ es: 'Sin datos todavía: «cupo import archivo.csv» o «cupo demo» para probar.', en: 'No data yet: "cupo import file.csv", or "cupo demo" to try it out.' }));
    return lines.join('\n');
  }
  const d = s.data;
  lines.push(text.t({
    es: `Datos: ${s.snapshots.length} importación(es); ${d.periods} periodos (${d.first_period} a ${d.last_period}), ${d.sites} sedes, ${d.courses} cursos; último periodo ${text.int(d.classes_last_period)} clases y ${text.int(d.students_last_period)} alumnos.`,
    en: `Data: ${s.snapshots.length} import(s); ${d.periods} periods (${d.first_period} to ${d.last_period}), ${d.sites} sites, ${d.courses} courses; last period ${text.int(d.classes_last_period)} classes and ${text.int(d.students_last_period)} students.`,
  }));
  if (s.serving) {
    const model = modelName(s.serving.candidate);
    lines.push(text.t({
      es: `Modelo en servicio: ${s.serving.model_version} (${model.es}), WAPE de backtest ${text.pct(s.serving.wape)}${s.serving.stale ? '; hay datos nuevos, conviene reentrenar' : ''}.`,
      en: `Serving model: ${s.serving.model_version} (${model.en}), backtest WAPE ${text.pct(s.serving.wape)}${s.serving.stale ? '; there is new data, retraining is advised' : ''}.`,
    }));
  } else lines.push(text.t({ es: 'Sin modelo entrenado: «cupo train».', en: 'No trained model: "cupo train".' }));
  if (s.last_forecast) {
    lines.push(text.t({
      es: `Último pronóstico: ${s.last_forecast.period}, ${text.int(s.last_forecast.rows)} clases, ${text.int(s.last_forecast.students)} alumnos.`,
      en: `Last forecast: ${s.last_forecast.period}, ${text.int(s.last_forecast.rows)} classes, ${text.int(s.last_forecast.students)} students.`,
    }));
  }
  return lines.join('\n');
}

const STATUS_WORDS = {
  champion: { es: 'en servicio', en: 'serving' },
  challenger: { es: 'candidato', en: 'challenger' },
  retired: { es: 'retirado', en: 'retired' },
} as const;

/** `cupo models`: every version, what testing promised, when it served and how it really did. */
export function describeModels(text: Text, versions: ModelVersionInfo[]): string {
  if (versions.length === 0) return text.t({ es: 'Todavía no hay modelos: entrene uno.', en: 'No models yet: train one.' });
  const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : text.t({ es: 'hoy', en: 'now' }));
  const rows = versions.map((v) => [
    v.id,
    text.t(modelName(v.candidate)),
    text.t(STATUS_WORDS[v.status]),
    text.pct(v.backtest_wape),
    v.served.map((s) => `${when(s.from)} → ${when(s.to)}`).join('; ') || '—',
    v.scored.map((s) => `${s.period}: ${text.pct(s.wape)}`).join('; ') || '—',
  ]);
  const head = text.locale === 'es'
    ? ['Id', 'Modelo', 'Estado', 'Error en pruebas', 'En servicio', 'Error real']
    : ['Id', 'Model', 'Status', 'Test error', 'Served', 'Real error'];
  return table(head, rows, [3]);
}

export function describeAccuracy(text: Text, report: Results['accuracy']): string {
  const real = report.real;
  if (real.periods.length === 0) return text.t(real.message);
  const rows = real.periods.map((p) => [p.period, p.model_id, text.t(modelName(p.candidate)), text.pct(p.wape), text.pct(p.expected_wape), text.one(p.mae), text.pct(p.bias)]);
  const head = text.locale === 'es'
    ? ['Periodo', 'Modelo', '', 'Error real', 'Prometido', 'Alumnos/clase', 'Sesgo']
    : ['Period', 'Model', '', 'Real error', 'Promised', 'Students/class', 'Bias'];
  return [table(head, rows, [3, 4, 5, 6]), '', text.t(real.message)].join('\n');
}

const ACTS = {
  import: { es: 'importación', en: 'import' },
  reopen: { es: 'volver a usar', en: 'reopen' },
  train: { es: 'entrenamiento', en: 'training' },
  promote: { es: 'poner en servicio', en: 'promote' },
  rollback: { es: 'volver atrás', en: 'rollback' },
  settings_changed: { es: 'ajustes', en: 'settings' },
  forecast_exported: { es: 'pronóstico exportado', en: 'forecast exported' },
  inbox_run: { es: 'ejecución automática', en: 'scheduled run' },
  report_written: { es: 'informe escrito', en: 'report written' },
  backup: { es: 'copia de seguridad', en: 'backup' },
  restore: { es: 'restauración', en: 'restore' },
} as const;

export function describeAudit(text: Text, entries: AuditEntry[]): string {
  if (entries.length === 0) return text.t({ es: 'El registro está vacío.', en: 'The log is empty.' });
  const head = text.locale === 'es' ? ['Fecha', 'Quién', 'Qué', 'De', 'A', 'Motivo'] : ['When', 'Who', 'What', 'From', 'To', 'Reason'];
  const clip = (v: string | null) => (v === null ? '' : v.length > 40 ? `${v.slice(0, 39)}…` : v);
  return table(head, entries.map((e) => [e.at.slice(0, 19).replace('T', ' '), e.who, text.t(ACTS[e.what]), clip(e.from), clip(e.to), e.reason ? text.t(e.reason) : '']));
}

/**
 * The command to run next, after a failure whose sentence (written for the screens too) says what is missing in
 * words: the CLI's own hint, from the state of things. Null when there is nothing to add.
 */
export function commandHint(command: string, s: StatusReport | null): { es: string; en: string } | null {
  if (command === 'reopen') return { es: '«cupo snapshots» lista las importaciones.', en: '"cupo snapshots" lists the imports.' };
  if (!s || !['train', 'backtest', 'forecast'].includes(command)) return null;
  if (!s.data) return { es: '«cupo import archivo.csv», o «cupo demo» para probar.', en: '"cupo import file.csv", or "cupo demo" to try it out.' };
  if (command === 'forecast' && !s.serving) return { es: '«cupo train».', en: '"cupo train".' };
  return null;
}

const STEP_MARKS = { done: '✔', skipped: '·', refused: '✘', failed: '✘' } as const;

/** `cupo run`: one line per step, for the log of a scheduled task. */
export function describeRun(text: Text, run: InboxRun): string {
  const lines = run.steps.map((s) => `${STEP_MARKS[s.status]} ${text.t(s.message)}`);
  if (run.nothing_new) lines.push(text.t({ es: 'Nada nuevo: no se cambió nada.', en: 'Nothing new: nothing was changed.' }));
  return lines.join('\n');
}
