import type { ClosingClass, ForecastRow } from '../../../shared/reports';
import { CLOSING_HEADER, FORECAST_HEADER, closingCells, exportCells } from './export-csv';

/**
 * The forecast as an Excel workbook: the same columns as the CSV, a frozen header and a filter on it; the classes
 * expected to close, when given, on a second sheet ("Cierran"). Labels are written as text cells, so one that
 * looks like a formula stays text.
 */
export async function writeForecastXlsx(file: string, rows: readonly ForecastRow[], closing?: { period: string; classes: readonly ClosingClass[] }): Promise<void> {
  // Loaded on first export: a large library the rest of the app never needs.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Cupo';
  const sheet = (name: string, header: readonly string[], data: (string | number)[][]) => {
    const s = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    s.addRow([...header]).font = { bold: true };
    for (const cells of data) s.addRow(cells);
    s.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
    header.forEach((name, i) => (s.getColumn(i + 1).width = Math.max(12, name.length + 2)));
  };
  sheet('Pronóstico', FORECAST_HEADER, rows.map(exportCells));
  if (closing) sheet('Cierran', CLOSING_HEADER, closing.classes.map((c) => closingCells(closing.period, c)));
  await workbook.xlsx.writeFile(file);
}
