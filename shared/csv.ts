import Papa from 'papaparse';

/**
 * The one way Cupo writes a CSV a person opens in a spreadsheet, whoever writes it (the forecast export, the list of
 * import problems): UTF-8 with a BOM so Excel shows accents, CRLF lines, and every cell that starts like a formula
 * (=, +, -, @, tab, CR) escaped, because these files carry values typed by users and opening one must run nothing.
 */
export function spreadsheetCsv(headers: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[], delimiter: ',' | ';' = ','): string {
  const data = rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : v)));
  return `\uFEFF${Papa.unparse({ fields: [...headers], data }, { delimiter, newline: '\r\n', escapeFormulae: true })}\r\n`;
}
