import type { Hash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { SourceEncoding } from './encoding';

export const DELIMITERS = [',', ';', '\t', '|'];

/**
 * A record (a row, with any quoted line breaks in it) longer than this many characters is not a row of an
 * enrolment export: 500 columns of 200 characters are 100,000. Stopping there also bounds the work on a quote
 * that is never closed, which would otherwise carry the rest of the file as one growing field.
 */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * Each cell papaparse hands over is a slice of the piece of text it came from and keeps it alive: pieces of a
 * quarter megabyte die young where megabyte ones were promoted (a million rows peak 40-50 MB lower). What depends on
 * where the pieces end stays on megabyte boundaries: papaparse guesses the delimiter and line endings from the
 * first piece, and a record is judged too long at the end of each megabyte.
 */
const FIRST_CHUNK_BYTES = 1 << 20;
const CHUNK_BYTES = 1 << 18;

export interface CsvHandlers {
  onHeader: (headers: string[], delimiter: string) => void;
  /**
   * `line` is the physical line the record starts on (the header is line 1), so quoted newlines do not shift it.
   * `unclosedQuote`: a quote opened in this record is never closed (the record runs to the end of the file).
   */
  onRecord: (fields: string[], line: number, unclosedQuote: boolean) => void;
  onProgress?: (bytesRead: number) => void;
  signal?: AbortSignal;
  /** Fed every byte as it is read (the snapshot's identity is the hash of the bytes). */
  hash?: Hash;
  /** With encoding utf8: stop at the first byte that is not UTF-8 and say so (`notUtf8`), instead of replacing it. */
  strictUtf8?: boolean;
}

export interface CsvResult {
  /** Set (and nothing else is) when `strictUtf8` met a byte that is not UTF-8: the file must be read another way. */
  notUtf8: boolean;
  delimiter: string;
  /** Data records handed to onRecord (empty lines and lines of separators are not records). */
  records: number;
  aborted: boolean;
  /** Lines holding nothing but separators and blanks (",,,," or ";;;" or tabs), skipped; and the first one. */
  blankRows: number;
  firstBlankLine: number;
  /** Set when a record grew past MAX_RECORD_CHARS: the line it starts on (nothing after it was read). */
  tooLongLine: number | null;
}

/** Characters that carry nothing in a record of their own: blanks and the delimiters Cupo reads. */
const BLANK = /^[\s,;|]*$/;

function isBlankRecord(fields: readonly string[]): boolean {
  // Nearly every record starts with a printable ASCII character that is no delimiter: said without a regular expression.
  const c = fields[0]!.charCodeAt(0);
  if (c > 32 && c < 127 && c !== 44 && c !== 59 && c !== 124) return false;
  for (const f of fields) if (f.length > 0 && !BLANK.test(f)) return false;
  return true;
}

/** What papaparse reads from: it takes any object that looks like a Node stream, and this one is fed by hand. */
class Feed extends EventEmitter {
  readonly readable = true;
  read(): void {}
  pause(): void {}
  resume(): void {}
}

/**
 * Reads a delimited text file record by record: decoded as it is read, never whole in memory, with papaparse doing
 * the splitting. Resolves with the delimiter, the number of data records and the lines it skipped.
 */
export async function readCsv(file: string, encoding: SourceEncoding, handlers: CsvHandlers): Promise<CsvResult> {
  // TextDecoder (fatal) checks UTF-8 as it decodes, so a file is read once whether or not it turns out to be UTF-8.
  const strict = handlers.strictUtf8 && encoding === 'utf8' ? new TextDecoder('utf-8', { fatal: true }) : null;
  const decoder = strict
    ? { write: (bytes: Buffer) => strict.decode(bytes, { stream: true }), end: () => strict.decode() }
    : iconv.getDecoder(encoding, { stripBOM: true });
  let notUtf8 = false;
  const feed = new Feed();
  let line = 1;
  let records = 0;
  let header: string[] | null = null;
  let delimiter = ',';
  let aborted = false;
  let blankRows = 0;
  let firstBlankLine = 0;
  let tooLongLine: number | null = null;
  /** Characters handed to papaparse, and how many had been at the last megabyte's end after it finished a record. */
  let fed = 0;
  let fedAtRecord = 0;
  let recordSinceCheck = false;
  let stop = false;

  const parsed = new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(feed as unknown as NodeJS.ReadableStream, {
      delimitersToGuess: DELIMITERS,
      skipEmptyLines: false,
      step: (results, parser) => {
        recordSinceCheck = true;
        if (handlers.signal?.aborted || tooLongLine !== null) {
          aborted = handlers.signal?.aborted ?? false;
          stop = true;
          parser.abort();
          return;
        }
        const fields = results.data;
        const startLine = line;
        let inner = 0;
        for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) inner++;
        line += 1 + inner;
        if (isBlankRecord(fields)) {
          // An empty line says nothing; a line of separators or blanks is counted, so the report can say so.
          if (fields.length > 1 || fields[0]!.length > 0) {
            if (blankRows++ === 0) firstBlankLine = startLine;
          }
          return;
        }
        if (header === null) {
          delimiter = results.meta.delimiter;
          header = fields.map((h) => h.trim());
          handlers.onHeader(header, delimiter);
          return;
        }
        records++;
        const unclosedQuote = results.errors.length > 0 && results.errors.some((e) => e.code === 'MissingQuotes');
        handlers.onRecord(fields, startLine, unclosedQuote);
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });

  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(FIRST_CHUNK_BYTES);
    let bytesRead = 0;
    let checkedAt = 0;
    // What papaparse holds back is the record it has not finished: past the limit, it is not a row.
    const tooLong = () => {
      checkedAt = bytesRead;
      if (recordSinceCheck) fedAtRecord = fed;
      recordSinceCheck = false;
      if (fed - fedAtRecord > MAX_RECORD_CHARS) tooLongLine = line;
      return tooLongLine !== null;
    };
    while (!stop) {
      const wanted = bytesRead === 0 ? FIRST_CHUNK_BYTES : CHUNK_BYTES;
      const { bytesRead: n } = await handle.read(buffer, 0, wanted, null);
      if (n === 0) {
        if (checkedAt !== bytesRead) tooLong();
        break;
      }
      bytesRead += n;
      handlers.onProgress?.(bytesRead);
      handlers.hash?.update(buffer.subarray(0, n));
      let text: string;
      try {
        text = decoder.write(buffer.subarray(0, n));
      } catch {
        notUtf8 = true;
        break;
      }
      fed += text.length;
      if (text.length > 0) feed.emit('data', text);
      if ((bytesRead % FIRST_CHUNK_BYTES === 0 || n < wanted) && tooLong()) break;
    }
    if (!stop && !notUtf8 && tooLongLine === null) {
      let rest = '';
      try {
        rest = decoder.end() ?? '';
      } catch {
        notUtf8 = true;
      }
      if (rest) feed.emit('data', rest);
    }
  } finally {
    await handle.close();
  }
  if (notUtf8) return { notUtf8, delimiter, records: 0, aborted: false, blankRows: 0, firstBlankLine: 0, tooLongLine: null };
  if (!stop) feed.emit('end');
  await parsed;
  return { notUtf8, delimiter, records, aborted, blankRows, firstBlankLine, tooLongLine };
}
