/**
 * Reads one sheet of an .xlsx workbook row by row, streaming: exceljs's WorkbookReader parses the XML as it is
 * inflated, so a workbook is never whole in memory (exceljs keeps each worksheet's XML in a temporary file until
 * the shared strings, which Excel writes after the sheets, have been read). The archive is checked whole first
 * (workbook-file.ts), so exceljs meets only a zip that is known to be sound.
 *
 * Cells become the text a CSV export of the same sheet would hold: numbers without exponent or float noise (15
 * significant digits, as Excel shows them), whole numbers without ".0", zero-padded when their format pads them
 * (a code "00012345"), dates as YYYY-MM-DD (the caller may turn a date into a period), formulas as their cached
 * result. A title block above the header row is skipped: the header is the first row that looks like one.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Row } from 'exceljs';
import type { SheetInfo } from './workbook-file';
import { scanWorkbook } from './workbook-file';

/** The rows a title block may take before the header (non-empty rows looked at). */
export const HEADER_SEARCH_ROWS = 30;

export interface CellDate {
  year: number;
  month: number;
  day: number;
  /** "2025-03-01", or "2025-03-01 08:30" when the cell holds a time too. */
  text: string;
}

export interface XlsxHandlers {
  /** The sheet to read, by name; the first visible one when absent. */
  sheet?: string;
  /**
   * How many of the fields Cupo needs a row's cells would give (by the column guesser or the mapping): a header
   * names at least two.
   */
  headerScore: (cells: readonly string[]) => number;
  /** The sheet chosen, before any row is read. */
  onSheet?: (sheet: string) => void;
  /** `row` is the header's row number in the sheet (1 when there is no title block). */
  onHeader: (headers: string[], row: number) => void;
  /** A data row's cells, as many as the header has; `row` is its row number in the sheet. */
  onRecord: (fields: string[], row: number) => void;
  /** The text a date cell of a data row becomes (its index among the header's columns); null: `date.text`. */
  dateText?: (column: number, date: CellDate, row: number) => string | null;
  /** Progress, in bytes of the file (a made-up but monotone share: checking first, then the sheet's rows). */
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
}

export type XlsxResult =
  | {
      ok: true;
      sha256: string;
      sheets: string[];
      sheet: string;
      /** 0 when the sheet has no non-empty row. */
      headerRow: number;
      records: number;
      aborted: boolean;
      /** Formula cells with no cached result (read as empty), and the row of the first one. */
      formulasWithoutValue: number;
      firstFormulaRow: number;
    }
  | { ok: false; reason: 'corrupt' | 'not_workbook' | 'no_sheets'; sha256: string }
  | { ok: false; reason: 'unknown_sheet'; sha256: string; sheets: string[] };

/**
 * The workbook's shared strings, packed: one buffer of UTF-8 and where each ends. A column of a million distinct
 * names costs its bytes, not a million string objects, and a string no read cell uses is never decoded.
 */
class SharedStrings {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private ends = new Float64Array(1 << 10);
  private count = 0;
  add(text: string): void {
    const length = Buffer.byteLength(text);
    if (this.used + length > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.used + length, Math.ceil(this.bytes.length * 1.5)));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    this.used += this.bytes.write(text, this.used);
    if (this.count === this.ends.length) {
      const bigger = new Float64Array(this.ends.length * 2);
      bigger.set(this.ends);
      this.ends = bigger;
    }
    this.ends[this.count++] = this.used;
  }
  get(index: number): string {
    if (!(index >= 0 && index < this.count)) return '';
    return this.bytes.toString('utf8', index === 0 ? 0 : this.ends[index - 1]!, this.ends[index]!);
  }
}

type RichText = { richText: { text?: string | null }[] };
const richTextOf = (value: RichText) => value.richText.map((r) => r.text ?? '').join('');

/** exceljs's test for a date format: date and time letters outside quoted text and brackets. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhsb]/i.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, ''));
}

/** A number as Excel shows it in General format: 15 significant digits, no exponent, no trailing ".0". */
export function numberText(n: number, format?: string): string {
  if (!Number.isFinite(n)) return '#NUM!';
  let value = Number.isInteger(n) ? n : Number(n.toPrecision(15));
  if (Object.is(value, -0)) value = 0;
  if (Number.isInteger(value)) {
    let text = Math.abs(value) < 1e21 ? value.toFixed(0) : BigInt(value).toString();
    // A code kept as a number and shown with leading zeros ("00000000") is read as it is shown.
    if (format && /^0+$/.test(format) && value >= 0 && text.length < format.length) text = text.padStart(format.length, '0');
    return text;
  }
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** exceljs's dates are the serial number read as UTC. */
function cellDate(date: Date): CellDate | null {
  if (!Number.isFinite(date.getTime())) return null;
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  if (year < 0 || year > 9999) return null;
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  let text = `${year}-${two(month)}-${two(day)}`;
  const [h, m, s] = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  if (h + m + s > 0) text += ` ${two(h)}:${two(m)}${s > 0 ? `:${two(s)}` : ''}`;
  return { year, month, day, text };
}

function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - (date1904 ? 24107 : 25569)) * 86_400_000));
}

/** One cell as read: text, or a date still to be turned into text once the header is known. */
type Cell = string | CellDate;

interface ReadRow {
  row: number;
  cells: Cell[];
  nonEmpty: number;
  texts: number;
}

class HandlerError extends Error {
  constructor(readonly inner: unknown) {
    super('handler failed');
  }
}

/** The sheet the caller asked for, or the first one shown (the first of all when every one is hidden). */
function chooseSheet(sheets: SheetInfo[], wanted: string | undefined): SheetInfo | null {
  if (wanted === undefined) return sheets.find((s) => !s.hidden) ?? sheets[0] ?? null;
  const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('es');
  return sheets.find((s) => s.name === wanted) ?? sheets.find((s) => fold(s.name) === fold(wanted)) ?? null;
}

/** What a data row's cells count as for telling a header from a title or from data. */
function looksLikeHeader(r: ReadRow, score: (cells: readonly string[]) => number): boolean {
  if (r.nonEmpty < 2 || r.texts < 0.8 * r.nonEmpty) return false;
  return score(r.cells.map((c) => (typeof c === 'string' ? c.trim() : c.text))) >= 2;
}

/**
 * Closes the stream exceljs opened on a worksheet's temporary file, and waits until it is closed: exceljs removes
 * the file as soon as the loop goes on, and a stream left alone would then fail to open a file already gone (an
 * error no one listens to), or, on Windows, keep the file from being removed.
 */
async function closeSheetStream(worksheet: unknown): Promise<void> {
  const stream = (worksheet as { iterator?: unknown }).iterator;
  if (!(stream instanceof Readable) || stream.closed) return;
  stream.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  stream.destroy();
  await closed;
}

/**
 * Streams one sheet's rows to `handlers`: the sheet is chosen, the title block skipped, the header handed over,
 * then every non-empty row below it.
 */
export async function readXlsx(file: string, handlers: XlsxHandlers): Promise<XlsxResult> {
  const byteSize = (await fs.promises.stat(file)).size;
  const checkedShare = 0.3;
  const scan = await scanWorkbook(file, {
    signal: handlers.signal,
    onProgress: handlers.onProgress && ((done, total) => handlers.onProgress!(Math.floor((checkedShare * byteSize * done) / Math.max(total, 1)))),
  });
  if (!scan.ok) return { ok: false, reason: scan.reason, sha256: scan.sha256 };
  const readable = scan.sheets.filter((s) => scan.sheetEntries.includes(s.path));
  if (readable.length === 0) return { ok: false, reason: 'no_sheets', sha256: scan.sha256 };
  const chosen = chooseSheet(readable, handlers.sheet);
  const sheets = readable.map((s) => s.name);
  if (!chosen) return { ok: false, reason: 'unknown_sheet', sha256: scan.sha256, sheets };
  const call = <T>(f: () => T): T => {
    try {
      return f();
    } catch (error) {
      throw new HandlerError(error);
    }
  };
  call(() => handlers.onSheet?.(chosen.name));

  // Loaded on first use: a large library the rest of the engine rarely needs.
  const { default: ExcelJS } = await import('exceljs');
  const input = fs.createReadStream(file);
  // exceljs pipes the file into its unzipper, which hears no error of the file's: one is kept for the end instead.
  let inputError: Error | null = null;
  input.on('error', (error) => (inputError = error));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    // Emitted, and kept packed here: exceljs's cache would hold every one as a string object.
    sharedStrings: 'emit',
    // Styles say which numbers are dates, and how a code is padded.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const strings = new SharedStrings();
  const sheetSize = scan.sizes.get(chosen.path) ?? 0;
  let headerRow = 0;
  let headerWidth = 0;
  let records = 0;
  let aborted = false;
  let formulasWithoutValue = 0;
  let firstFormulaRow = 0;
  let date1904 = false;

  const valueOf = (value: unknown, format: string | undefined, row: number): Cell => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return numberText(value, format);
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (value instanceof Date) return cellDate(value) ?? '#####';
    if (typeof value !== 'object') return String(value);
    const v = value as Record<string, unknown>;
    if (typeof v.sharedString === 'number') return strings.get(v.sharedString);
    if (Array.isArray(v.richText)) return richTextOf(v as RichText);
    if (typeof v.error === 'string') return v.error;
    if ('formula' in v || 'sharedFormula' in v) {
      const result = v.result;
      if (result === undefined || result === null || result === '') {
        if (formulasWithoutValue++ === 0) firstFormulaRow = row;
        return '';
      }
      if (typeof result === 'number') {
        // exceljs reads every formula's number as a number; its format says when it is a date.
        if (Number.isNaN(result)) return '#VALUE!';
        if (isDateFormat(format)) return cellDate(excelSerialToDate(result, date1904)) ?? '#####';
        return numberText(result, format);
      }
      return valueOf(result, format, row);
    }
    if (typeof v.text === 'string') return v.text;
    return '';
  };

  const readRow = (row: Row): ReadRow => {
    const cells: Cell[] = [];
    let nonEmpty = 0;
    let texts = 0;
    row.eachCell((cell, column) => {
      const value = cell.value as unknown;
      const typed = value !== null && typeof value === 'object' && !(value instanceof Date);
      // Only numbers (and formulas' numbers) need their format: whether they are dates, how a code is padded.
      const format = typeof value === 'number' || (typed && ('formula' in value || 'sharedFormula' in value)) ? cell.numFmt : undefined;
      const read = valueOf(value, format, row.number);
      if (typeof read === 'string' && read.trim() === '') return;
      while (cells.length < column - 1) cells.push('');
      cells[column - 1] = read;
      nonEmpty++;
      if (typeof value === 'string' || (typed && ('sharedString' in value || 'richText' in value))) texts++;
    });
    return { row: row.number, cells, nonEmpty, texts };
  };

  const emit = (r: ReadRow) => {
    const fields = new Array<string>(headerWidth);
    for (let i = 0; i < headerWidth; i++) {
      const c = r.cells[i];
      if (c === undefined) fields[i] = '';
      else if (typeof c === 'string') fields[i] = c;
      else fields[i] = (handlers.dateText ? call(() => handlers.dateText!(i, c, r.row)) : null) ?? c.text;
    }
    // Cells right of the header (a note beside the table) are not the table's.
    if (!fields.some((f) => f.trim() !== '')) return;
    records++;
    call(() => handlers.onRecord(fields, r.row));
  };

  const startHeader = (r: ReadRow) => {
    headerRow = r.row;
    const headers = r.cells.map((c) => (typeof c === 'string' ? c.trim() : c.text));
    headerWidth = headers.length;
    call(() => handlers.onHeader(headers, r.row));
  };

  let index = 0;
  try {
    for await (const item of reader.parse() as unknown as AsyncIterable<{ eventType?: string; value?: unknown; index?: number; text?: unknown }>) {
      if (item.eventType === undefined && typeof item.index === 'number') {
        // A shared string: plain, rich text, or empty.
        const t = item.text;
        strings.add(typeof t === 'string' ? t : t && typeof t === 'object' && Array.isArray((t as RichText).richText) ? richTextOf(t as RichText) : '');
        continue;
      }
      if (item.eventType !== 'worksheet') continue;
      // exceljs hands the worksheets over in the archive's order, the order scanWorkbook listed them in.
      const path = scan.sheetEntries[index++];
      if (path !== chosen.path || aborted) {
        await closeSheetStream(item.value);
        continue;
      }
      const props = (reader as unknown as { properties?: { model?: { date1904?: boolean } } }).properties;
      date1904 = props?.model?.date1904 === true;
      const worksheet = item.value as AsyncIterable<Row> & { iterator?: { bytesRead?: number } };
      const pending: ReadRow[] = [];
      let looked = 0;
      let lastProgress = 0;
      for await (const row of worksheet) {
        if (handlers.signal?.aborted) {
          aborted = true;
          break;
        }
        if (handlers.onProgress && sheetSize > 0) {
          const read = worksheet.iterator?.bytesRead ?? 0;
          if (read - lastProgress > 1 << 20) {
            lastProgress = read;
            handlers.onProgress(Math.floor(byteSize * (checkedShare + ((1 - checkedShare) * Math.min(read, sheetSize)) / sheetSize)));
          }
        }
        const r = readRow(row);
        if (r.nonEmpty === 0) continue;
        if (headerRow !== 0) {
          emit(r);
          continue;
        }
        // Still above the header: a title block, or the header itself.
        if (looksLikeHeader(r, handlers.headerScore)) {
          startHeader(r);
          continue;
        }
        pending.push(r);
        if (++looked >= HEADER_SEARCH_ROWS) {
          // No row looked like a header: the first one is taken for it, and its columns are named to the user.
          startHeader(pending[0]!);
          for (const p of pending.slice(1)) emit(p);
        }
      }
      if (headerRow === 0 && pending.length > 0 && !aborted) {
        startHeader(pending[0]!);
        for (const p of pending.slice(1)) emit(p);
      }
      await closeSheetStream(worksheet);
      // Later sheets are not read: the loop goes on only so exceljs removes their temporary files.
    }
  } catch (error) {
    if (error instanceof HandlerError) throw error.inner;
    if ((error as Error).name === 'AbortError') throw error;
    // The archive is whole, so what fails here is its XML: a file no spreadsheet program wrote this way.
    return { ok: false, reason: 'corrupt', sha256: scan.sha256 };
  }
  if (inputError) throw inputError;
  handlers.onProgress?.(byteSize);
  return { ok: true, sha256: scan.sha256, sheets, sheet: chosen.name, headerRow, records, aborted, formulasWithoutValue, firstFormulaRow };
}
