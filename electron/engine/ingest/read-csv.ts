import fs from 'node:fs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { SourceEncoding } from './encoding';

export const DELIMITERS = [',', ';', '\t', '|'];

export interface CsvHandlers {
  onHeader: (headers: string[], delimiter: string) => void;
  /** `line` is the physical line the record starts on (the header is line 1), so quoted newlines do not shift it. */
  onRecord: (fields: string[], line: number) => void;
  onProgress?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

/**
 * Streams a delimited text file record by record: decoded as it is read, never whole in memory.
 * Resolves with the delimiter and the number of data records (blank lines are not records).
 */
export function readCsv(file: string, encoding: SourceEncoding, handlers: CsvHandlers): Promise<{ delimiter: string; records: number; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const bytes = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    let bytesRead = 0;
    bytes.on('data', (chunk) => {
      bytesRead += chunk.length;
      handlers.onProgress?.(bytesRead);
    });
    const text = bytes.pipe(iconv.decodeStream(encoding, { stripBOM: true }));
    bytes.on('error', reject);
    text.on('error', reject);

    let line = 1;
    let records = 0;
    let header: string[] | null = null;
    let delimiter = ',';
    let aborted = false;

    Papa.parse<string[]>(text as unknown as NodeJS.ReadableStream, {
      delimitersToGuess: DELIMITERS,
      skipEmptyLines: false,
      step: (results, parser) => {
        if (handlers.signal?.aborted) {
          aborted = true;
          parser.abort();
          return;
        }
        const fields = results.data;
        const startLine = line;
        let inner = 0;
        for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) inner++;
        line += 1 + inner;
        if (fields.length === 1 && fields[0]!.trim() === '') return;
        if (header === null) {
          delimiter = results.meta.delimiter;
          header = fields.map((h) => h.trim());
          handlers.onHeader(header, delimiter);
          return;
        }
        records++;
        handlers.onRecord(fields, startLine);
      },
      complete: () => resolve({ delimiter, records, aborted }),
      error: (error: Error) => reject(error),
    });
  });
}
