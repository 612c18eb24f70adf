import fs from 'node:fs';
import path from 'node:path';
import { spreadsheetCsv } from '../../../shared/csv';
import { FORECAST_COLUMNS, FORECAST_INTERVAL_COLUMNS, closingFileFor } from '../../../shared/fields';
import type { ClosingClass, ForecastRow } from '../../../shared/reports';

export interface CsvExportOptions {
  /** ";" for spreadsheets set to a Spanish locale, where "," is the decimal mark. */
  delimiter?: ',' | ';';
}

/** After the agreed columns and the interval: why, what to do, in how many sections, and the risk of too few students (whole percent). */
export const EXTRA_COLUMNS = ['ALUMNOS_PERIODO_ANTERIOR', 'ALUMNOS_CURSO_PREVIO', 'MOTIVO', 'DECISION', 'SECCIONES', 'PROB_BAJO_MINIMO_PCT'] as const;
export const FORECAST_HEADER = [...FORECAST_COLUMNS, ...FORECAST_INTERVAL_COLUMNS, ...EXTRA_COLUMNS];

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

/** One forecast row as the cells of an export, in the order of FORECAST_HEADER. */
export function exportCells(r: ForecastRow): (string | number)[] {
  return [
    r.PERIODO, r.SEDE, r.CURSO_ACTUAL, r.HORARIO_ACTUAL, r.PREDICT_ALUMNOS, r.p10, r.p90,
    r.last_students, r.feeder_students, REASON_LABELS[r.reason], DECISION_LABELS[r.decision], r.sections, Math.round(100 * r.p_below_min),
  ];
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
  return csv(FORECAST_HEADER, rows.map(exportCells), options);
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
