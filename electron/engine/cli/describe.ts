import { closingFileFor } from '../../../shared/fields';
import type { ArrivedActuals, ForecastResult, ImportResult, Results, Settings } from '../../../shared/contract';
import { defaultRegion, regionName } from '../../../shared/regions';
import type { Alert, DriftReport } from '../../../shared/drift';
import { SEVERITY_LABELS } from '../../../shared/drift';
import type { FieldSource } from '../../../shared/mapping';
import type { AuditEntry, BacktestFold, ForecastOverride, ForecastRow, InboxRun, ForecastReport, ImportReport, ModelVersionInfo, SavedMapping, SnapshotInfo, StatusReport } from '../../../shared/reports';
import { DECISION_WORDS } from '../../../shared/reports';
import type { Text } from './text';
import { table } from './text';

/** What each command prints for a person: the contract's results, formatted in the user's language. */

export function describeImport(text: Text, r: ImportReport): string {
  const lines: string[] = [];
  const periods = text.periods(r.periods);
  if (r.status === 'rejected') {
    lines.push(text.say({
      es: '✘ {file}: rechazado, no se guardó nada ({n, plural, one {# problema} other {# problemas}}).',
      en: '✘ {file}: refused, nothing was stored ({n, plural, one {# problem} other {# problems}}).',
    }, { file: r.file, n: r.problem_count }));
  } else {
    const verb = r.status === 'already_imported' ? { es: 'ya estaba importado, sin cambios', en: 'already imported, nothing changed' } : { es: 'importado', en: 'imported' };
    const kind = r.granularity === 'student' ? { es: 'filas de alumnos', en: 'student rows' } : { es: 'filas de clases', en: 'class rows' };
    const delimiter = r.delimiter === '\t' ? 'tab' : r.delimiter;
    // A workbook has no delimiter: its encoding says XLSX.
    const how = { es: delimiter ? `${r.encoding}, «${delimiter}»` : r.encoding, en: delimiter ? `${r.encoding}, "${delimiter}"` : r.encoding };
    lines.push(text.t({
      es: `✔ ${r.file}: ${verb.es}: ${text.int(r.rows_accepted)} ${kind.es}, ${text.int(r.classes)} clases, periodos ${periods} [${how.es}]`,
      en: `✔ ${r.file}: ${verb.en}: ${text.int(r.rows_accepted)} ${kind.en}, ${text.int(r.classes)} classes, periods ${periods} [${how.en}]`,
    }));
  }
  for (const p of r.problems) lines.push(`    ${p.severity === 'error' ? '✘' : '!'} ${text.t(p.message)}`);
  if (r.problem_count > r.problems.length) {
    lines.push(`    … ${text.t({ es: `y ${text.int(r.problem_count - r.problems.length)} más`, en: `and ${text.int(r.problem_count - r.problems.length)} more` })}`);
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

const RANK = ['critical', 'high', 'medium', 'low'] as const;

function alertLine(text: Text, a: Alert): string {
  return `  [${text.t(SEVERITY_LABELS[a.severity])}] #${a.id} ${text.t(a.message)}\n      → ${text.t(a.action)}`;
}

/** What changed, the most serious first, down to `floor`. */
function driftFindings(text: Text, report: DriftReport, floor: (typeof RANK)[number]): string[] {
  const shown = report.findings.filter((f) => RANK.indexOf(f.severity) <= RANK.indexOf(floor)).sort((a, b) => RANK.indexOf(a.severity) - RANK.indexOf(b.severity));
  return shown.map((f) => `  ~ [${text.t(SEVERITY_LABELS[f.severity])}] ${text.t(f.message)}`);
}

export function describeDrift(text: Text, report: DriftReport | null): string {
  if (!report) return text.t({ es: 'Todavía no hay datos que comparar.', en: 'There is no data to compare yet.' });
  const head = text.say({
    es: 'Cambios en {periods} frente a {reference, plural, one {# periodo} other {# periodos}} de referencia: {findings, plural, one {# hallazgo} other {# hallazgos}}{most}.',
    en: 'Changes in {periods} against {reference, plural, one {# reference period} other {# reference periods}}: {findings, plural, one {# finding} other {# findings}}{most}.',
  }, {
    periods: text.periods(report.periods_shown),
    reference: report.reference.periods.length,
    findings: report.findings.length,
    most: report.dataset_drift ? text.t({ es: '; la mayoría de las columnas cambió de distribución', en: '; most columns changed distribution' }) : '',
  });
  const columns = table(
    text.locale === 'es' ? ['Columna', 'Prueba', 'Valor', 'PSI', 'Cambió'] : ['Column', 'Test', 'Value', 'PSI', 'Drifted'],
    report.columns.map((c) => [c.column, c.test, text.f.fixed(c.value, 3), text.f.fixed(c.psi, 3), c.drifted ? '✘' : '']),
    [2, 3],
  );
  return [head, ...driftFindings(text, report, 'low'), '', columns].join('\n');
}

export function describeAlerts(text: Text, alerts: Alert[]): string {
  if (alerts.length === 0) return text.t({ es: 'Nada que atender.', en: 'Nothing needs attention.' });
  return alerts.map((a) => `${alertLine(text, a)}${a.state !== 'open' ? ` (${a.state})` : ''}`).join('\n');
}

/**
 * What a model's backtest promised, period by period: the error per class and per course at each site, the bias
 * and how many classes fell inside their 80 % range (— where the run is older than those figures).
 */
function foldTable(text: Text, folds: readonly Omit<BacktestFold, 'mae' | 'actual_total'>[]): string {
  const maybe = (x: number | null) => (x === null ? '—' : text.pct(x));
  const head = text.locale === 'es'
    ? ['Periodo de prueba', 'WAPE por clase', 'WAPE curso × sede', 'Sesgo', 'Dentro del rango 80 %']
    : ['Test period', 'WAPE per class', 'WAPE course × site', 'Bias', 'Inside the 80 % range'];
  return table(head, folds.map((f) => [text.period(f.period), text.pct(f.wape), maybe(f.course_wape), text.f.signedPct(f.bias), maybe(f.coverage)]), [1, 2, 3, 4]);
}

export function describeTraining(text: Text, r: Results['train']): string {
  const name = (candidate: string) => text.f.model(candidate);
  const rows = r.candidates.map((c) => [
    name(c.candidate) + (c.candidate === r.winner ? ' ★' : ''),
    text.pct(c.wape),
    text.one(c.mae),
    c.candidate === 'last_value' ? '—' : text.pct((r.last_value_wape - c.wape) / (r.last_value_wape || 1)),
  ]);
  const head = text.locale === 'es' ? ['Modelo', 'WAPE', 'Error/clase', 'Mejora vs. repetir'] : ['Model', 'WAPE', 'Error/class', 'Gain vs. repeating'];
  const periods = [...new Set(r.folds.map((f) => f.period))];
  const foldHead = [text.locale === 'es' ? 'WAPE por periodo' : 'WAPE by period', ...periods.map((p) => text.period(p))];
  const foldRows = r.candidates.map((c) => [name(c.candidate), ...periods.map((p) => text.pct(r.folds.find((f) => f.candidate === c.candidate && f.period === p)!.wape))]);
  const served = r.serving
    ? `${text.t(r.decision.reason)}\n${text.t({ es: `Modelo en servicio: ${text.f.model(r.serving.candidate)}.`, en: `Serving model: ${text.f.model(r.serving.candidate)}.` })}`
    : text.t({ es: 'Solo se midió (backtest): el modelo en servicio no cambió.', en: 'Measured only (backtest): the serving model did not change.' });
  const promised = r.serving?.candidate ?? r.winner;
  return [
    table(head, rows, [1, 2, 3]),
    '',
    table(foldHead, foldRows, periods.map((_, i) => i + 1)),
    '',
    text.t({ es: `${text.f.model(promised)}, periodo por periodo:`, en: `${text.f.model(promised)}, period by period:` }),
    foldTable(text, r.folds.filter((f) => f.candidate === promised)),
    '',
    text.t(r.explanation),
    served,
    text.t({ es: `Ejecución ${r.run_id}, semilla ${r.seed}, ${text.one(r.duration_ms / 1000)} s; datos ${r.features_version}.`, en: `Run ${r.run_id}, seed ${r.seed}, ${text.one(r.duration_ms / 1000)} s; data ${r.features_version}.` }),
  ].join('\n');
}

export function describeForecast(text: Text, r: ForecastReport): string {
  const lines = [
    text.say({
      es: 'Pronóstico de {period}: {rows, plural, one {# clase} other {# clases}}, {students, plural, one {# alumno} other {# alumnos}} (modelo «{model}»).',
      en: 'Forecast for {period}: {rows, plural, one {# class} other {# classes}}, {students, plural, one {# student} other {# students}} (model "{model}").',
    }, { period: text.period(r.period), rows: r.rows, students: r.total_students, model: text.f.model(r.candidate) }),
  ];
  const promise = { wape: text.pct(r.promise.wape), bias: text.f.signedPct(r.promise.bias) };
  lines.push(r.promise.coverage === null
    ? text.say({ es: 'En las pruebas se equivocó en {wape} de los alumnos (sesgo {bias}).', en: 'In testing it misplaced {wape} of students (bias {bias}).' }, promise)
    : text.say({
      es: 'En las pruebas se equivocó en {wape} de los alumnos (sesgo {bias}); la matrícula real cayó en su rango del 80 % en {coverage} de las clases.',
      en: 'In testing it misplaced {wape} of students (bias {bias}); real enrolment fell inside its 80 % range for {coverage} of classes.',
    }, { ...promise, coverage: text.pct(r.promise.coverage) }));
  if (r.closing.length > 0) {
    lines.push(text.say({
      es: 'Se espera que {n, plural, one {cierre # clase} other {cierren # clases}} del último periodo ({students, plural, one {# alumno} other {# alumnos}}).',
      en: '{n, plural, one {# class} other {# classes}} of the last period {n, plural, one {is} other {are}} expected to close ({students, plural, one {# student} other {# students}}).',
    }, { n: r.closing.length, students: r.closing.reduce((a, c) => a + c.last_students, 0) }));
  }
  if (r.over_capacity > 0) {
    lines.push(text.say({
      es: '! {n, plural, one {# clase se pronostica} other {# clases se pronostican}} por encima de la capacidad de su aula (columna CAPACIDAD).',
      en: '! {n, plural, one {# class is} other {# classes are}} forecast above the capacity of its room (CAPACIDAD column).',
    }, { n: r.over_capacity }));
  }
  if (r.total_check) lines.push(`${r.total_check.flagged ? '! ' : ''}${text.t(r.total_check.message)}`);
  if (r.out) lines.push(text.t({ es: `Guardado en ${r.out} (las clases que cierran, en ${closingFileFor(r.out)})`, en: `Written to ${r.out} (the classes that close, to ${closingFileFor(r.out)})` }));
  if (r.stale_model) lines.push(text.t({ es: '! Hay datos nuevos desde el último entrenamiento: ejecute «cupo train» para aprovecharlos.', en: '! There is new data since the last training: run "cupo train" to use it.' }));
  return lines.join('\n');
}

export function describeSnapshotList(text: Text, list: SnapshotInfo[]): string {
  if (list.length === 0) return text.t({ es: 'Todavía no hay importaciones.', en: 'No imports yet.' });
  const span = (p: string[]) => (p.length === 0 ? '—' : p.length > 2 ? `${text.period(p[0]!)} … ${text.period(p.at(-1)!)} (${text.int(p.length)})` : p.map((c) => text.period(c)).join(', '));
  return table(
    text.locale === 'es' ? ['Id', 'Archivo', 'Importado', 'Filas', 'Periodos', 'En uso'] : ['Id', 'File', 'Imported', 'Rows', 'Periods', 'In use'],
    list.map((s) => [s.id, s.file, text.f.dateTime(s.imported_at), text.int(s.rows_accepted), span(s.periods), s.set_aside ? text.t({ es: 'apartada', en: 'set aside' }) : span(s.periods_in_use)]),
    [3],
  );
}

/** What `cupo snapshots --set-aside` / `--restore` did, before the list. */
export function describeSnapshotChange(text: Text, act: 'set_aside' | 'restore', snapshot: SnapshotInfo, platinum: string | null): string {
  const data = platinum === null ? text.t({ es: 'no queda ningún dato en uso', en: 'no data is in use any more' }) : text.t({ es: `datos ${platinum}`, en: `data ${platinum}` });
  return act === 'set_aside'
    ? text.t({ es: `Se apartó ${snapshot.id} (${snapshot.file}): ya no aporta periodos; ${data}.`, en: `${snapshot.id} (${snapshot.file}) was set aside: it provides no period now; ${data}.` })
    : text.t({ es: `${snapshot.id} (${snapshot.file}) vuelve a aportar sus periodos; ${data}.`, en: `${snapshot.id} (${snapshot.file}) provides its periods again; ${data}.` });
}

/** One field of a mapping as its JSON says it: a column, columns joined, or a fixed value. */
function sourceWords(text: Text, source: FieldSource): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source)) return source.join(' + ');
  return text.t({ es: `«${source.value}» (valor fijo)`, en: `"${source.value}" (fixed value)` });
}

function mappingLines(text: Text, m: SavedMapping): string[] {
  const { filter, ...fields } = m.mapping;
  const lines = Object.entries(fields).flatMap(([field, source]) => (source === undefined ? [] : [`  ${field} ← ${sourceWords(text, source)}`]));
  if (m.period_from_name) lines.push(`  PERIODO ← ${text.t({ es: 'el nombre de cada archivo', en: "each file's name" })}`);
  if (filter) lines.push(`  ${text.t({ es: 'solo las filas con', en: 'only the rows with' })} ${filter.column} = ${text.f.list(filter.values)}`);
  lines.push(`  ${text.t({ es: 'para archivos con las columnas', en: 'for files with the columns' })}: ${m.headers.join(', ')}`);
  return lines;
}

/** `cupo mappings`: each saved mapping, what it reads, and which files it applies to by itself. */
export function describeMappings(text: Text, list: SavedMapping[]): string {
  if (list.length === 0) return text.t({ es: 'No hay mapeos guardados: «cupo mappings --save NOMBRE --mapping m.json».', en: 'No saved mappings: "cupo mappings --save NAME --mapping m.json".' });
  return list
    .map((m) => [text.t({ es: `${m.name} (guardado el ${text.f.dateTime(m.updated_at)})`, en: `${m.name} (saved ${text.f.dateTime(m.updated_at)})` }), ...mappingLines(text, m)].join('\n'))
    .join('\n\n');
}

export function describeMappingSaved(text: Text, m: SavedMapping): string {
  return [
    text.t({
      es: `Mapeo «${m.name}» guardado: el asistente de importación lo ofrece y «cupo run» lo usa solo para los archivos con esas columnas.`,
      en: `Mapping "${m.name}" saved: the import wizard offers it and "cupo run" uses it by itself for files with those columns.`,
    }),
    ...mappingLines(text, m),
  ].join('\n');
}

/** A class as the forecast names it. */
const classLabel = (r: Pick<ForecastRow, 'SEDE' | 'CURSO_ACTUAL' | 'HORARIO_ACTUAL'>) => `${r.SEDE} · ${r.CURSO_ACTUAL} · ${r.HORARIO_ACTUAL}`;

/** What `cupo override` did to one class: the model's number, the planner's, and the decision that now follows. */
export function describeOwnNumber(text: Text, period: string, row: ForecastRow, own: ForecastOverride | undefined): string {
  const decision = text.t({ es: `Decisión: ${DECISION_WORDS[row.decision].es}`, en: `Decision: ${DECISION_WORDS[row.decision].en}` });
  const model = text.say({ es: 'el modelo pronostica {n, plural, one {# alumno} other {# alumnos}}', en: 'the model forecasts {n, plural, one {# student} other {# students}}' }, { n: row.PREDICT_ALUMNOS });
  const head = `${classLabel(row)}, ${text.period(period)}`;
  if (!own) return text.t({ es: `${head}: vuelve a valer el número del modelo (${model}). ${decision}.`, en: `${head}: the model's number stands again (${model}). ${decision}.` });
  return text.t({
    es: `${head}: ${model}; número propio ${text.int(own.students)} («${own.note}»). ${decision}. El número del modelo no cambia y la precisión se sigue midiendo con él.`,
    en: `${head}: ${model}; own number ${text.int(own.students)} ("${own.note}"). ${decision}. The model's number does not change, and accuracy is still measured on it.`,
  });
}

/** `cupo override` with no class: the planners' numbers in the forecast, and the total with and without them. */
export function describeOwnNumbers(text: Text, forecast: ForecastResult): string {
  const period = text.period(forecast.report.period);
  if (forecast.overrides.length === 0) return text.t({ es: `El pronóstico de ${period} no tiene números propios.`, en: `The forecast for ${period} has no own numbers.` });
  const rowOf = new Map(forecast.rows.map((r) => [classLabel(r), r]));
  const model = forecast.rows.reduce((a, r) => a + r.PREDICT_ALUMNOS, 0);
  const planned = model + forecast.overrides.reduce((a, o) => a + o.students - (rowOf.get(classLabel({ SEDE: o.site, CURSO_ACTUAL: o.course, HORARIO_ACTUAL: o.schedule }))?.PREDICT_ALUMNOS ?? 0), 0);
  const rows = forecast.overrides.map((o) => {
    const r = rowOf.get(classLabel({ SEDE: o.site, CURSO_ACTUAL: o.course, HORARIO_ACTUAL: o.schedule }));
    return [o.site, o.course, o.schedule, r ? text.int(r.PREDICT_ALUMNOS) : '—', text.int(o.students), r ? text.t(DECISION_WORDS[r.decision]) : '—', o.note, o.by];
  });
  return [
    text.say({
      es: 'Números propios en el pronóstico de {period}: {n, plural, one {# clase} other {# clases}}.',
      en: 'Own numbers in the forecast for {period}: {n, plural, one {# class} other {# classes}}.',
    }, { period, n: forecast.overrides.length }),
    table(
      text.locale === 'es' ? ['Sede', 'Curso', 'Horario', 'Modelo', 'Propio', 'Decisión', 'Nota', 'Quién'] : ['Site', 'Course', 'Schedule', 'Model', 'Own', 'Decision', 'Note', 'Who'],
      rows,
      [3, 4],
    ),
    text.say({
      es: 'Total: {model, plural, one {# alumno} other {# alumnos}} según el modelo; {planned, plural, one {# alumno} other {# alumnos}} con los números propios.',
      en: 'Total: {model, plural, one {# student} other {# students}} by the model; {planned, plural, one {# student} other {# students}} with the own numbers.',
    }, { model, planned }),
  ].join('\n');
}

/** `cupo settings`: each setting in words, as the Settings screen says it. */
export function describeSettings(text: Text, s: Settings): string {
  const none = text.t({ es: 'ninguna', en: 'none' });
  const region = s.region ?? defaultRegion(s.locale);
  const sizes = s.classSizes.map((r) => `    ${[r.site, r.course].filter(Boolean).join(' · ')}: ${text.int(r.minClassSize)}–${text.int(r.maxClassSize)}`);
  return [
    text.t({ es: `Idioma: ${s.locale === 'es' ? 'español' : 'inglés'}; región: ${regionName(region, 'es')} (${region})${s.region ? '' : ', la del idioma'}`, en: `Language: ${s.locale === 'es' ? 'Spanish' : 'English'}; region: ${regionName(region, 'en')} (${region})${s.region ? '' : ", the language's"}` }),
    text.t({ es: `Alumnos por clase: mínimo ${text.int(s.minClassSize)}, máximo ${text.int(s.maxClassSize)}`, en: `Students per class: minimum ${text.int(s.minClassSize)}, maximum ${text.int(s.maxClassSize)}` }),
    ...(sizes.length > 0 ? [text.t({ es: '  Tamaños particulares:', en: '  Particular sizes:' }), ...sizes] : []),
    text.t({
      es: `Un modelo nuevo reemplaza al que está en uso si mejora su error en ${text.pct(s.promotionMargin)} o más; se revisa si el error real supera ${text.one(s.rollbackThreshold)} veces lo prometido`,
      en: `A new model replaces the one in use if it improves its error by ${text.pct(s.promotionMargin)} or more; it is reviewed if the real error exceeds ${text.one(s.rollbackThreshold)} times what was promised`,
    }),
    text.t({ es: `Carpeta de entrada: ${s.inboxFolder ?? none}; de salida: ${s.outboxFolder ?? none}`, en: `Inbox folder: ${s.inboxFolder ?? none}; outbox: ${s.outboxFolder ?? none}` }),
    text.t({ es: `Avisos de alertas: ${s.notifications ? 'sí' : 'no'}`, en: `Alert notifications: ${s.notifications ? 'on' : 'off'}` }),
  ].join('\n');
}

export function describeStatus(text: Text, s: StatusReport): string {
  const lines = [text.t({ es: `Base de datos: ${s.database}`, en: `Database: ${s.database}` })];
  if (!s.data) {
    lines.push(text.t({ es: 'Sin datos todavía: «cupo import archivo.csv» o «cupo demo» para probar.', en: 'No data yet: "cupo import file.csv", or "cupo demo" to try it out.' }));
    return lines.join('\n');
  }
  const d = s.data;
  lines.push(text.say({
    es: 'Datos: {imports, plural, one {# importación} other {# importaciones}}; {periods, plural, one {# periodo} other {# periodos}} ({first} a {last}), {sites, plural, one {# sede} other {# sedes}}, {courses, plural, one {# curso} other {# cursos}}; último periodo {classes, plural, one {# clase} other {# clases}} y {students, plural, one {# alumno} other {# alumnos}}.',
    en: 'Data: {imports, plural, one {# import} other {# imports}}; {periods, plural, one {# period} other {# periods}} ({first} to {last}), {sites, plural, one {# site} other {# sites}}, {courses, plural, one {# course} other {# courses}}; last period {classes, plural, one {# class} other {# classes}} and {students, plural, one {# student} other {# students}}.',
  }, {
    imports: s.snapshots.length, periods: d.periods, first: text.period(d.first_period), last: text.period(d.last_period),
    sites: d.sites, courses: d.courses, classes: d.classes_last_period, students: d.students_last_period,
  }));
  if (s.serving) {
    const model = text.f.model(s.serving.candidate);
    lines.push(text.t({
      es: `Modelo en servicio: ${model}, WAPE de backtest ${text.pct(s.serving.wape)}${s.serving.stale ? '; hay datos nuevos, conviene reentrenar' : ''}.`,
      en: `Serving model: ${model}, backtest WAPE ${text.pct(s.serving.wape)}${s.serving.stale ? '; there is new data, retraining is advised' : ''}.`,
    }));
  } else lines.push(text.t({ es: 'Sin modelo entrenado: «cupo train».', en: 'No trained model: "cupo train".' }));
  if (s.last_forecast) {
    lines.push(text.say({
      es: 'Último pronóstico: {period}, {rows, plural, one {# clase} other {# clases}}, {students, plural, one {# alumno} other {# alumnos}}.',
      en: 'Last forecast: {period}, {rows, plural, one {# class} other {# classes}}, {students, plural, one {# student} other {# students}}.',
    }, { period: text.period(s.last_forecast.period), rows: s.last_forecast.rows, students: s.last_forecast.students }));
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
  const when = (iso: string | null) => (iso ? text.f.dateTime(iso) : text.t({ es: 'hoy', en: 'now' }));
  const rows = versions.map((v) => [
    v.id,
    text.f.model(v.candidate),
    text.t(STATUS_WORDS[v.status]),
    text.pct(v.backtest_wape),
    v.served.map((s) => `${when(s.from)} → ${when(s.to)}`).join('; ') || '—',
    v.scored.map((s) => `${text.period(s.period)}: ${text.pct(s.wape)}`).join('; ') || '—',
  ]);
  const head = text.locale === 'es'
    ? ['Id', 'Modelo', 'Estado', 'Error en pruebas', 'En servicio', 'Error real']
    : ['Id', 'Model', 'Status', 'Test error', 'Served', 'Real error'];
  const current = versions.find((v) => v.status === 'champion');
  if (!current || current.backtest.length === 0) return table(head, rows, [3]);
  return [
    table(head, rows, [3]),
    '',
    text.t({ es: `Lo que prometieron las pruebas de ${current.id} (en servicio):`, en: `What testing promised for ${current.id} (in use):` }),
    foldTable(text, current.backtest),
  ].join('\n');
}

export function describeAccuracy(text: Text, report: Results['accuracy']): string {
  const real = report.real;
  if (real.periods.length === 0) return text.t(real.message);
  const rows = real.periods.map((p) => [text.period(p.period), p.model_id, text.f.model(p.candidate), text.pct(p.wape), text.pct(p.expected_wape), text.one(p.mae), text.pct(p.bias)]);
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
  import_set_aside: { es: 'importación apartada', en: 'import set aside' },
  import_restored: { es: 'importación restaurada', en: 'import restored' },
  forecast_override: { es: 'número propio en el pronóstico', en: 'own number in the forecast' },
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
