import type { ClosingClass, ForecastRow } from '../../../shared/reports';
import type { CsvExportOptions } from './export-csv';
import { CLOSING_HEADER, closingCells, exportCells, exportHeader } from './export-csv';

/** What the screens' workbook adds for people: a title block above the table, and sheets of totals. */
export interface XlsxExportOptions extends CsvExportOptions {
  /** Lines above the table: its title first (in bold), then the date and what it holds. */
  title?: string[];
  /** Sheets with the classes and students per site and per course (and the planners' numbers, when given). */
  totals?: boolean;
}

const SHEETS = {
  es: { forecast: 'Pronóstico', site: 'Por sede', course: 'Por curso', closing: 'Cierran', classes: 'Clases', students: 'Alumnos pronosticados', planned: 'Alumnos según la coordinación', total: 'Total', siteCol: 'Sede', courseCol: 'Curso' },
  en: { forecast: 'Forecast', site: 'By site', course: 'By course', closing: 'Closing', classes: 'Classes', students: 'Students forecast', planned: 'Students per the planner', total: 'Total', siteCol: 'Site', courseCol: 'Course' },
} as const;

/**
 * The forecast as an Excel workbook: the same columns as the CSV, a frozen header and a filter on it; the classes
 * expected to close, when given, on a second sheet ("Cierran"). Labels are written as text cells, so one that
 * looks like a formula stays text.
 */
export async function writeForecastXlsx(file: string, rows: readonly ForecastRow[], closing?: { period: string; classes: readonly ClosingClass[] }, options: XlsxExportOptions = {}): Promise<void> {
  // Loaded on first export: a large library the rest of the app never needs.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Cupo';
  const words = SHEETS[options.locale ?? 'es'];
  const plain = options.headers === 'plain';
  /** A sheet: the title block (on the main sheet, when asked), a bold frozen header with a filter, the rows. */
  const sheet = (name: string, header: readonly string[], data: (string | number)[][], title: readonly string[] = []) => {
    const top = title.length > 0 ? title.length + 1 : 0;
    const s = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: top + 1 }] });
    title.forEach((line, i) => (s.addRow([line]).font = i === 0 ? { bold: true, size: 14 } : { italic: true }));
    if (top > 0) s.addRow([]);
    s.addRow([...header]).font = { bold: true };
    for (const cells of data) s.addRow(cells);
    s.autoFilter = { from: { row: top + 1, column: 1 }, to: { row: top + 1, column: header.length } };
    header.forEach((name, i) => (s.getColumn(i + 1).width = Math.max(12, name.length + 2)));
    return s;
  };
  sheet(plain ? words.forecast : 'Pronóstico', exportHeader(options), rows.map((r) => exportCells(r, options)), options.title);
  if (options.totals) {
    const totals = (key: 'SEDE' | 'CURSO_ACTUAL', name: string, column: string) => {
      const sums = new Map<string, [number, number, number]>();
      for (const r of rows) {
        const [classes, students, planned] = sums.get(r[key]) ?? [0, 0, 0];
        sums.set(r[key], [classes + 1, students + r.PREDICT_ALUMNOS, planned + (options.override?.(r)?.students ?? r.PREDICT_ALUMNOS)]);
      }
      const withPlanned = options.override !== undefined;
      const data = [...sums.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })).map(([k, [c, st, p]]) => (withPlanned ? [k, c, st, p] : [k, c, st]));
      const all = [...sums.values()].reduce((a, [c, st, p]) => [a[0]! + c, a[1]! + st, a[2]! + p], [0, 0, 0]);
      const s = sheet(name, [column, words.classes, words.students, ...(withPlanned ? [words.planned] : [])], [...data, withPlanned ? [words.total, ...all] : [words.total, all[0]!, all[1]!]]);
      s.lastRow!.font = { bold: true };
    };
    totals('SEDE', words.site, words.siteCol);
    totals('CURSO_ACTUAL', words.course, words.courseCol);
  }
  if (closing) sheet(plain ? words.closing : 'Cierran', CLOSING_HEADER, closing.classes.map((c) => closingCells(closing.period, c)));
  await workbook.xlsx.writeFile(file);
}
