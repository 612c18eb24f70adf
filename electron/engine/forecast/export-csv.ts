import fs from 'node:fs';
import path from 'node:path';
import { spreadsheetCsv } from '../../../shared/csv';
import { FORECAST_COLUMNS } from '../../../shared/fields';
import type { ForecastRow } from '../../../shared/reports';

export interface CsvExportOptions {
  /** ";" for spreadsheets set to a Spanish locale, where "," is the decimal mark. */
  delimiter?: ',' | ';';
}

export const EXTRA_COLUMNS = ['ALUMNOS_PERIODO_ANTERIOR', 'ALUMNOS_CURSO_PREVIO', 'MOTIVO', 'DECISION'] as const;

/** Why the class is in the forecast, in the planners' language (the file's columns are Spanish too). */
const REASON_LABELS: Record<ForecastRow['reason'], string> = {
  running: 'CONTINUA',
  progression: 'ABRE_POR_AVANCE',
  seasonal: 'MISMO_PERIODO_ANO_ANTERIOR',
};

const DECISION_LABELS: Record<ForecastRow['decision'], string> = { open: 'ABRIR', review: 'REVISAR', do_not_open: 'NO_ABRIR' };

/** One forecast row as the cells of an export, in the order of FORECAST_COLUMNS then EXTRA_COLUMNS. */
export function exportCells(r: ForecastRow): (string | number)[] {
  return [r.PERIODO, r.SEDE, r.CURSO_ACTUAL, r.HORARIO_ACTUAL, r.PREDICT_ALUMNOS, r.last_students, r.feeder_students, REASON_LABELS[r.reason], DECISION_LABELS[r.decision]];
}

/**
 * The forecast as planners open it: the five agreed columns first, explanations after; UTF-8 with a BOM so Excel
 * shows accents right; a cell that starts like a formula (=, +, -, @) is escaped so opening the file runs nothing.
 */
export function forecastCsv(rows: readonly ForecastRow[], options: CsvExportOptions = {}): string {
  return spreadsheetCsv([...FORECAST_COLUMNS, ...EXTRA_COLUMNS], rows.map(exportCells), options.delimiter);
}

export function writeForecastCsv(file: string, rows: readonly ForecastRow[], options: CsvExportOptions = {}): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written beside and renamed, so an interrupted export never leaves half a file where a good one was.
  const partial = `${target}.partial`;
  fs.writeFileSync(partial, forecastCsv(rows, options), 'utf8');
  fs.renameSync(partial, target);
  return target;
}
