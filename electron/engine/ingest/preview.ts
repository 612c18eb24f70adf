import type { FilePreview } from '../../../shared/contract';
import { periodFromFileName } from '../domain/period-from-name';
import { guessMapping } from './columns';
import { scanFile } from './encoding';
import { problems } from './problems';
import { readCsv } from './read-csv';

const PREVIEW_ROWS = 20;

/**
 * The first rows of a file as the import would read them, with the encoding, the delimiter and the guessed
 * mapping: what the import wizard shows before anything is stored.
 */
export async function previewFile(file: string, name: string): Promise<Omit<FilePreview, 'fileId'>> {
  const scan = await scanFile(file);
  const empty = { name, encoding: scan.encodingLabel, delimiter: '', headers: [], rows: [], guessedMapping: {}, periodFromName: periodFromFileName(name) };
  if (scan.byteSize === 0) return { ...empty, problems: [problems.emptyFile(name)] };
  if (scan.looksBinary) return { ...empty, problems: [problems.binaryFile(name, scan.binaryLine)] };
  let headers: string[] = [];
  let delimiter = ',';
  const rows: string[][] = [];
  const enough = new AbortController();
  await readCsv(file, scan.encoding, {
    onHeader: (h, d) => ((headers = h), (delimiter = d)),
    onRecord: (fields) => {
      rows.push(fields);
      if (rows.length >= PREVIEW_ROWS) enough.abort();
    },
    signal: enough.signal,
  });
  return { ...empty, delimiter, headers, rows, guessedMapping: guessMapping(headers), problems: headers.length === 0 ? [problems.emptyFile(name)] : [] };
}
