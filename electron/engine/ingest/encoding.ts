import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Container } from './workbook-file';
import { containerOf } from './workbook-file';

/** The encodings a school's export arrives in, named as iconv-lite names them. */
export type SourceEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows1252';

export interface FileScan {
  sha256: string;
  byteSize: number;
  encoding: SourceEncoding;
  /** Shown to the user: "UTF-8 (BOM)", "Windows-1252"… */
  encodingLabel: string;
  looksBinary: boolean;
  /** Where a binary-looking file shows it: the line of its first NUL or control byte (1 otherwise). */
  binaryLine: number;
  /** Text, or by its first bytes an .xlsx (zip) or an old binary Office file (OLE2): read apart from text. */
  container: Container;
}

const CONTROL_SAMPLE = 64 * 1024;

function bomOf(head: Buffer): { encoding: SourceEncoding; label: string } | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', label: 'UTF-8 (BOM)' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', label: 'UTF-16 LE (BOM)' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', label: 'UTF-16 BE (BOM)' };
  return null;
}

/** Text exports have no NUL bytes and almost no control characters; pictures and spreadsheets renamed .csv do. */
function controlRatio(sample: Buffer): { nul: boolean; ratio: number; firstLine: number } {
  let control = 0;
  let nul = false;
  let line = 1;
  let firstLine = 0;
  for (const byte of sample) {
    if (byte === 0x0a) line++;
    if (byte === 0) nul = true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
      control++;
      if (firstLine === 0) firstLine = line;
    }
  }
  return { nul, ratio: sample.length === 0 ? 0 : control / sample.length, firstLine: firstLine || 1 };
}

/**
 * What the first 64 KB say: the size, a byte-order mark, whether it is text at all. The rest (the hash, whether
 * the bytes are valid UTF-8) is learnt while the file is parsed, in the same pass (parse-file.ts): `sha256` is
 * empty here and `encoding` is UTF-8 unless a mark says otherwise.
 */
export async function probeFile(file: string): Promise<FileScan> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const byteSize = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(CONTROL_SAMPLE, byteSize));
    let filled = 0;
    while (filled < head.length) {
      const { bytesRead } = await handle.read(head, filled, head.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const bom = bomOf(head);
    const { nul, ratio, firstLine } = controlRatio(head.subarray(0, filled));
    const isUtf16 = bom?.encoding === 'utf16le' || bom?.encoding === 'utf16be';
    const container = containerOf(head.subarray(0, filled));
    const encodingLabel = container === 'zip' ? 'XLSX' : (bom?.label ?? 'UTF-8');
    return { sha256: '', byteSize, encoding: bom?.encoding ?? 'utf8', encodingLabel, looksBinary: !isUtf16 && (nul || ratio > 0.01), binaryLine: firstLine, container };
  } finally {
    await handle.close();
  }
}

/**
 * One streaming pass over the bytes: their hash (the snapshot's identity), whether they are valid UTF-8
 * (otherwise they are read as Windows-1252, what Excel on Spanish Windows writes), and whether they are text at all.
 */
export async function scanFile(file: string): Promise<FileScan> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  let byteSize = 0;
  let head: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    if (head.length < CONTROL_SAMPLE) head = Buffer.concat([head, bytes.subarray(0, CONTROL_SAMPLE - head.length)]);
    byteSize += bytes.length;
    if (validUtf8) {
      try {
        utf8.decode(bytes, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
  }
  if (validUtf8) {
    try {
      utf8.decode();
    } catch {
      validUtf8 = false;
    }
  }
  const bom = bomOf(head);
  const { nul, ratio, firstLine } = controlRatio(head);
  const isUtf16 = bom?.encoding === 'utf16le' || bom?.encoding === 'utf16be';
  const looksBinary = !isUtf16 && (nul || ratio > 0.01);
  const encoding: SourceEncoding = bom?.encoding ?? (validUtf8 ? 'utf8' : 'windows1252');
  const container = containerOf(head);
  const encodingLabel = container === 'zip' ? 'XLSX' : (bom?.label ?? (validUtf8 ? 'UTF-8' : 'Windows-1252'));
  return { sha256: hash.digest('hex'), byteSize, encoding, encodingLabel, looksBinary, binaryLine: firstLine, container };
}
