import type { FilePreview } from '../../../shared/contract';
import { periodFromFileName } from '../domain/period-from-name';
import { guessMapping, resolveMapping } from './columns';
import { probeFile, scanFile } from './encoding';
import { problems } from './problems';
import { readCsv } from './read-csv';
import { readXlsx } from './read-xlsx';
import { ole2Kind } from './workbook-file';

const PREVIEW_ROWS = 20;

/**
 * The first rows of a file as the import would read them, with the encoding, the delimiter and the guessed
 * mapping: what the import wizard shows before anything is stored. For a workbook: its sheets, the one read
 * (`sheet`, the first shown unless another is asked for) and the row its header is on, below any title block.
 */
export async function previewFile(file: string, name: string, sheet?: string): Promise<Omit<FilePreview, 'fileId'>> {
  const probe = await probeFile(file);
  const empty = { name, encoding: probe.encodingLabel, delimiter: '', headers: [], rows: [], guessedMapping: {}, periodFromName: periodFromFileName(name), sheets: [], sheet: null, headerRow: null };
  if (probe.byteSize === 0) return { ...empty, problems: [problems.emptyFile(name)] };
  if (probe.container === 'ole2') return { ...empty, problems: [(await ole2Kind(file)) === 'encrypted' ? problems.encryptedWorkbook(name) : problems.oldWorkbook(name)] };
  if (probe.container === 'zip') return previewWorkbook(file, name, sheet, empty);
  const scan = await scanFile(file);
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
  return { ...empty, encoding: scan.encodingLabel, delimiter, headers, rows, guessedMapping: guessMapping(headers), problems: headers.length === 0 ? [problems.emptyFile(name)] : [] };
}

async function previewWorkbook(file: string, name: string, sheet: string | undefined, empty: Omit<FilePreview, 'fileId' | 'problems'>): Promise<Omit<FilePreview, 'fileId'>> {
  let headers: string[] = [];
  const rows: string[][] = [];
  const enough = new AbortController();
  const read = await readXlsx(file, {
    ...(sheet !== undefined ? { sheet } : {}),
    headerScore: (cells) => Object.values(resolveMapping(cells, undefined, undefined).readers).length,
    onHeader: (h) => (headers = h),
    onRecord: (fields) => {
      rows.push(fields);
      if (rows.length >= PREVIEW_ROWS) enough.abort();
    },
    signal: enough.signal,
  });
  if (!read.ok) {
    const problem =
      read.reason === 'unknown_sheet'
        ? problems.unknownSheet(name, sheet ?? '', read.sheets)
        : read.reason === 'not_workbook'
          ? problems.notWorkbook(name)
          : read.reason === 'no_sheets'
            ? problems.noSheets(name)
            : problems.corruptWorkbook(name);
    return { ...empty, sheets: read.reason === 'unknown_sheet' ? read.sheets : [], problems: [problem] };
  }
  const where = { file: name, sheet: read.sheet, headerRow: read.headerRow || 1 };
  return {
    ...empty,
    headers,
    rows,
    guessedMapping: guessMapping(headers),
    sheets: read.sheets,
    sheet: read.sheet,
    headerRow: read.headerRow || null,
    problems: headers.length === 0 ? [problems.emptyFile(where)] : [],
  };
}
