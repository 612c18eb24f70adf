import fs from 'node:fs';
import path from 'node:path';
import { spreadsheetCsv } from '../../../shared/csv';
import { FORECAST_COLUMNS, FORECAST_INTERVAL_COLUMNS, closingFileFor } from '../../../shared/fields';
import type { ClosingClass, ForecastOverride, ForecastRow } from '../../../shared/reports';
import { DECISION_WORDS } from '../../../shared/reports';

export interface CsvExportOptions {
  /** ";" for spreadsheets set to a Spanish locale, where "," is the decimal mark. */
  delimiter?: ',' | ';';
  /** The agreed column codes (PREDICT_ALUMNOS), or headers and values in words, in `locale` ("Alumnos pronosticados"). */
  headers?: 'codes' | 'plain';
  locale?: 'es' | 'en';
  /**
   * The planners' own numbers, by class: given, two columns follow the others (their number and their note, empty
   * where the model's stands), so every export from the screens has the same columns.
   */
  override?: (r: ForecastRow) => ForecastOverride | undefined;
}

/**
 * After the agreed columns and the interval: why, what to do, in how many sections, the risk of too few students
 * (whole percent), and the class's capacity (empty where unknown).
 */
export const EXTRA_COLUMNS = ['ALUMNOS_PERIODO_ANTERIOR', 'ALUMNOS_CURSO_PREVIO', 'MOTIVO', 'DECISION', 'SECCIONES', 'PROB_BAJO_MINIMO_PCT', 'CAPACIDAD'] as const;
export const FORECAST_HEADER = [...FORECAST_COLUMNS, ...FORECAST_INTERVAL_COLUMNS, ...EXTRA_COLUMNS];
/** A planner's own number beside the model's, and why (forecast/overrides.ts). */
export const OVERRIDE_COLUMNS = ['ALUMNOS_AJUSTADOS', 'NOTA_AJUSTE'] as const;

type Words = { es: string; en: string };
/** Each column in words, for people who open the file rather than a program that reads it. */
const PLAIN_HEADERS: Record<(typeof FORECAST_HEADER)[number] | (typeof OVERRIDE_COLUMNS)[number], Words> = {
  PERIODO: { es: 'Periodo', en: 'Period' },
  SEDE: { es: 'Sede', en: 'Site' },
  CURSO_ACTUAL: { es: 'Curso', en: 'Course' },
  HORARIO_ACTUAL: { es: 'Horario', en: 'Schedule' },
  PREDICT_ALUMNOS: { es: 'Alumnos pronosticados', en: 'Students forecast' },
  PREDICT_P10: { es: 'Alumnos, extremo bajo (p10)', en: 'Students, low end (p10)' },
  PREDICT_P90: { es: 'Alumnos, extremo alto (p90)', en: 'Students, high end (p90)' },
  ALUMNOS_PERIODO_ANTERIOR: { es: 'Alumnos el periodo anterior', en: 'Students last period' },
  ALUMNOS_CURSO_PREVIO: { es: 'Alumnos del curso previo', en: 'Students of the previous course' },
  MOTIVO: { es: 'Motivo', en: 'Reason' },
  DECISION: { es: 'Decisión', en: 'Decision' },
  SECCIONES: { es: 'Secciones', en: 'Sections' },
  PROB_BAJO_MINIMO_PCT: { es: 'Probabilidad de no llegar al mínimo (%)', en: 'Chance of falling short of the minimum (%)' },
  CAPACIDAD: { es: 'Capacidad del aula', en: 'Room capacity' },
  ALUMNOS_AJUSTADOS: { es: 'Alumnos según la coordinación', en: 'Students per the planner' },
  NOTA_AJUSTE: { es: 'Nota del cambio', en: 'Note on the change' },
};
const PLAIN_REASONS: Record<ForecastRow['reason'], Words> = {
  running: { es: 'Continúa', en: 'Runs now' },
  progression: { es: 'Abre por avance del curso previo', en: 'Opens as the previous course moves up' },
  seasonal: { es: 'Mismo periodo del año anterior', en: 'Same period last year' },
  schedule_split: { es: 'Reparto entre horarios', en: 'Split across schedules' },
};

/** The header of an export with these options. */
export function exportHeader(options: CsvExportOptions = {}): string[] {
  const codes = [...FORECAST_HEADER, ...(options.override ? OVERRIDE_COLUMNS : [])];
  return options.headers === 'plain' ? codes.map((c) => PLAIN_HEADERS[c][options.locale ?? 'es']) : codes;
}

/** The classes expected to close, in their own file or sheet: the class, its students now, and why. */
export const CLOSING_HEADER = ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS_PERIODO_ANTERIOR', 'MOTIVO_CIERRE'] as const;

/** Why the class is in the forecast, in the planners' language (the file's columns are Spanish too). */
const REASON_LABELS: Record<ForecastRow['reason'], string> = {
  running: 'CONTINUA',
  progression: 'ABRE_POR_AVANCE',
  seasonal: 'MISMO_PERIODO_ANO_ANTERIOR',
  schedule_split: 'REPARTO_POR_HORARIO',
};

const DECISION_LABELS: Record<ForecastRow['decision'], string> = { open: 'ABRIR', review: 'REVISAR', do_not_open: 'NO_ABRIR' };

const CLOSING_LABELS: Record<ClosingClass['why'], string> = { too_few: 'PRONOSTICO_CERO', schedule_moves: 'HORARIO_NO_SE_REPITE' };

/** One forecast row as the cells of an export, in the order of FORECAST_HEADER (and `exportHeader(options)`). */
export function exportCells(r: ForecastRow, options: CsvExportOptions = {}): (string | number)[] {
  const plain = options.headers === 'plain';
  const lang = options.locale ?? 'es';
  const cells: (string | number)[] = [
    r.PERIODO, r.SEDE, r.CURSO_ACTUAL, r.HORARIO_ACTUAL, r.PREDICT_ALUMNOS, r.p10, r.p90,
    r.last_students, r.feeder_students,
    plain ? PLAIN_REASONS[r.reason][lang] : REASON_LABELS[r.reason],
    plain ? DECISION_WORDS[r.decision][lang] : DECISION_LABELS[r.decision],
    r.sections, Math.round(100 * r.p_below_min), r.capacity ?? '',
  ];
  if (options.override) {
    const o = options.override(r);
    cells.push(o ? o.students : '', o ? o.note : '');
  }
  return cells;
}

export function closingCells(period: string, c: ClosingClass): (string | number)[] {
  return [period, c.SEDE, c.CURSO_ACTUAL, c.HORARIO_ACTUAL, c.last_students, CLOSING_LABELS[c.why]];
}

function csv(fields: readonly string[], data: (string | number)[][], options: CsvExportOptions): string {
  return spreadsheetCsv(fields, data, options.delimiter);
}

/**
 * The forecast as planners open it: the five agreed columns first, the 80 % interval next, explanations after;
 * UTF-8 with a BOM so Excel shows accents right; a cell that starts like a formula (=, +, -, @) is escaped so
 * opening the file runs nothing.
 */
export function forecastCsv(rows: readonly ForecastRow[], options: CsvExportOptions = {}): string {
  return csv(exportHeader(options), rows.map((r) => exportCells(r, options)), options);
}

export function closingCsv(period: string, closing: readonly ClosingClass[], options: CsvExportOptions = {}): string {
  return csv(CLOSING_HEADER, closing.map((c) => closingCells(period, c)), options);
}

/** Where the closing classes of a forecast file go: beside it, `pronostico.csv` → `pronostico-cierres.csv`. */


function writeAtomically(target: string, text: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written beside and renamed, so an interrupted export never leaves half a file where a good one was.
  const partial = `${target}.partial`;
  fs.writeFileSync(partial, text, 'utf8');
  fs.renameSync(partial, target);
}

/**
 * Writes the forecast; given the closing classes (`closing`), also writes them to the file beside it
 * (`closingFileFor`), header only when none close, so a stale list from an earlier export never remains.
 */
export function writeForecastCsv(file: string, rows: readonly ForecastRow[], options: CsvExportOptions & { closing?: { period: string; classes: readonly ClosingClass[] } } = {}): string {
  const target = path.resolve(file);
  writeAtomically(target, forecastCsv(rows, options));
  if (options.closing) writeAtomically(closingFileFor(target), closingCsv(options.closing.period, options.closing.classes, options));
  return target;
}
