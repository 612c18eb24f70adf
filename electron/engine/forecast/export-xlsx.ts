import { FORECAST_COLUMNS } from '../../../shared/fields';
import type { ForecastRow } from '../../../shared/reports';
import { EXTRA_COLUMNS, exportCells } from './export-csv';

/**
 * The forecast as an Excel workbook: the same columns as the CSV, a frozen header and a filter on it. Labels are
 * written as text cells, so one that looks like a formula stays text.
 */
export async function writeForecastXlsx(file: string, rows: readonly ForecastRow[]): Promise<void> {
  // Loaded on first export: a large library the rest of the app never needs.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Cupo';
  const sheet = workbook.addWorksheet('Pronóstico', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = [...FORECAST_COLUMNS, ...EXTRA_COLUMNS];
  sheet.addRow(header).font = { bold: true };
  for (const r of rows) sheet.addRow(exportCells(r));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
  header.forEach((name, i) => (sheet.getColumn(i + 1).width = Math.max(12, name.length + 2)));
  await workbook.xlsx.writeFile(file);
}
