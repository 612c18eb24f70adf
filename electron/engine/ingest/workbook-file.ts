/**
 * What a spreadsheet file is before any cell is read: a text export, an .xlsx workbook (a zip archive), or an old
 * binary Office file (OLE2: an .xls, or an .xlsx protected with a password, which Excel stores as OLE2 too).
 *
 * An .xlsx is checked whole before its sheet is read (`scanWorkbook`): the zip's central directory, then every
 * entry inflated and compared with its CRC, in one streaming pass that also hashes the bytes. The streaming reader
 * (read-xlsx.ts) meets only an archive that is known to be whole, so a damaged or cut file is one sentence, never
 * a reader waiting for bytes that will not come.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

export type Container = 'text' | 'zip' | 'ole2';

/** The first bytes of a zip archive (a local file header, or the end record of an empty archive) or of OLE2. */
export function containerOf(head: Uint8Array): Container {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip';
  if (head.length >= 8 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0 && head[4] === 0xa1 && head[5] === 0xb1 && head[6] === 0x1a && head[7] === 0xe1) return 'ole2';
  return 'text';
}

/**
 * An OLE2 file is an encrypted .xlsx when it holds an "EncryptedPackage" stream (its directory names it, in
 * UTF-16); otherwise it is taken for an old .xls (or another old Office file: the advice is the same).
 */
export async function ole2Kind(file: string): Promise<'encrypted' | 'xls'> {
  const needle = Buffer.from('EncryptedPackage', 'utf16le');
  let carry = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const window = Buffer.concat([carry, chunk as Buffer]);
    if (window.includes(needle)) return 'encrypted';
    carry = window.subarray(Math.max(0, window.length - needle.length + 1));
  }
  return 'xls';
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

export interface SheetInfo {
  name: string;
  /** The entry of its cells, "xl/worksheets/sheet1.xml". */
  path: string;
  hidden: boolean;
}

export type WorkbookScan =
  | {
      ok: true;
      sha256: string;
      byteSize: number;
      /** In the workbook's tab order. */
      sheets: SheetInfo[];
      /** Every worksheet entry in the archive's order: the order the streaming reader hands them over in. */
      sheetEntries: string[];
      /** The uncompressed size of each entry, by name. */
      sizes: Map<string, number>;
    }
  | { ok: false; reason: 'corrupt' | 'not_workbook'; sha256: string; byteSize: number };

/** Entries read whole while checking, to learn the sheets' names: small XML. */
const KEPT_ENTRIES = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);
const MAX_KEPT_BYTES = 16 << 20;
const MAX_DIRECTORY_BYTES = 16 << 20;
/** Excel allows 16,384 columns and 1,048,576 rows: no sheet's XML comes near this. */
const MAX_ENTRY_BYTES = 2 ** 33;

class Corrupt extends Error {}

const u16 = (b: Buffer, at: number) => b.readUInt16LE(at);
const u32 = (b: Buffer, at: number) => b.readUInt32LE(at);
const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at));

async function readAt(handle: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new Corrupt('short read');
    filled += bytesRead;
  }
  return buffer;
}

/** The central directory: where each entry's header is, its sizes and CRC. */
async function centralDirectory(handle: fs.promises.FileHandle, size: number): Promise<{ entries: ZipEntry[]; directoryOffset: number }> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === 0x06054b50 && i + 22 + u16(tail, i + 20) === tail.length) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Corrupt('no end of central directory');
  const endAt = size - tailLength + end;
  if (u16(tail, end + 4) !== 0 || u16(tail, end + 6) !== 0) throw new Corrupt('spanned archive');
  let count = u16(tail, end + 10);
  let directorySize = u32(tail, end + 12);
  let directoryOffset = u32(tail, end + 16);
  let directoryEnd = endAt;
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    if (endAt < 20) throw new Corrupt('no zip64 locator');
    const locator = await readAt(handle, endAt - 20, 20);
    if (u32(locator, 0) !== 0x07064b50) throw new Corrupt('no zip64 locator');
    const at = u64(locator, 8);
    if (at + 56 > endAt - 20) throw new Corrupt('zip64 end out of place');
    const record = await readAt(handle, at, 56);
    if (u32(record, 0) !== 0x06064b50) throw new Corrupt('no zip64 end');
    count = u64(record, 32);
    directorySize = u64(record, 40);
    directoryOffset = u64(record, 48);
    directoryEnd = at;
  }
  if (directoryOffset + directorySize > directoryEnd || directorySize > MAX_DIRECTORY_BYTES) throw new Corrupt('central directory out of place');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directory.length || u32(directory, p) !== 0x02014b50) throw new Corrupt('bad central directory record');
    const nameLength = u16(directory, p + 28);
    const extraLength = u16(directory, p + 30);
    const commentLength = u16(directory, p + 32);
    if (p + 46 + nameLength + extraLength + commentLength > directory.length) throw new Corrupt('central directory record too long');
    const entry: ZipEntry = {
      flags: u16(directory, p + 8),
      method: u16(directory, p + 10),
      crc: u32(directory, p + 16),
      compressedSize: u32(directory, p + 20),
      size: u32(directory, p + 24),
      headerOffset: u32(directory, p + 42),
      name: directory.toString('utf8', p + 46, p + 46 + nameLength),
    };
    // Sizes too large for 32 bits are in the zip64 extra field, in this order, each only when its field is full.
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = u16(directory, x);
      const length = u16(directory, x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const next = () => {
          if (q + 8 > x + 4 + length) throw new Corrupt('short zip64 field');
          const value = u64(directory, q);
          q += 8;
          return value;
        };
        if (entry.size === 0xffffffff) entry.size = next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.headerOffset === 0xffffffff) entry.headerOffset = next();
      }
      x += 4 + length;
    }
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, directoryOffset };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e.toLowerCase()]!,
  );
}

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) found[m[1]!] = xmlText(m[3] ?? m[4] ?? '');
  return found;
}

/** The sheets of xl/workbook.xml in tab order, with the entries their relationships point to. */
function sheetsOf(workbookXml: string, relsXml: string): SheetInfo[] {
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const a = attributes(m[0]);
    if (a.Id && a.Target) targets.set(a.Id, a.Target);
  }
  const sheets: SheetInfo[] = [];
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const a = attributes(m[0]);
    const rid = Object.entries(a).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
    const target = rid ? targets.get(rid) : undefined;
    if (a.name === undefined || !target) continue;
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/');
    sheets.push({ name: a.name, path, hidden: a.state === 'hidden' || a.state === 'veryHidden' });
  }
  return sheets;
}

/** The entries the streaming reader takes for worksheets (exceljs reads only these names). */
export const WORKSHEET_ENTRY = /^xl\/worksheets\/sheet\d+\.xml$/;

const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/**
 * Checks an .xlsx whole, streaming: the central directory, each entry's local header where the directory says,
 * nothing between entries, every entry inflating to its size and CRC; and hashes the bytes. `onProgress` gets the
 * bytes gone through (hashing, then checking: twice the file's size in all).
 */
export async function scanWorkbook(file: string, options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<WorkbookScan> {
  const byteSize = (await fs.promises.stat(file)).size;
  const total = byteSize * 2;
  const hash = createHash('sha256');
  let done = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    options.onProgress?.(done, total);
  }
  const sha256 = hash.digest('hex');
  const handle = await fs.promises.open(file, 'r');
  try {
    const { entries, directoryOffset } = await centralDirectory(handle, byteSize);
    const names = new Set<string>();
    for (const e of entries) {
      if (names.has(e.name)) throw new Corrupt('an entry twice');
      names.add(e.name);
      // Encrypted entries, methods other than stored and deflated: not what Excel writes.
      if (e.flags & 0x1 || (e.method !== 0 && e.method !== 8) || e.size > MAX_ENTRY_BYTES) throw new Corrupt('unsupported entry');
    }
    if (!names.has('xl/workbook.xml')) return { ok: false, reason: 'not_workbook', sha256, byteSize };
    const ordered = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
    if (ordered.length > 0 && ordered[0]!.headerOffset !== 0) throw new Corrupt('data before the first entry');
    const kept = new Map<string, Buffer>();
    for (const [i, e] of ordered.entries()) {
      options.signal?.throwIfAborted();
      const header = await readAt(handle, e.headerOffset, 30);
      if (u32(header, 0) !== 0x04034b50) throw new Corrupt('no local header');
      const localName = await readAt(handle, e.headerOffset + 30, u16(header, 26));
      if (localName.toString('utf8') !== e.name) throw new Corrupt('local name differs');
      const dataStart = e.headerOffset + 30 + u16(header, 26) + u16(header, 28);
      const dataEnd = dataStart + e.compressedSize;
      const next = i + 1 < ordered.length ? ordered[i + 1]!.headerOffset : directoryOffset;
      // A data descriptor (12 to 24 bytes, with or without its signature) may follow the data; nothing else may.
      const gap = next - dataEnd;
      if (e.flags & 0x8 ? ![0, 12, 16, 20, 24].includes(gap) : gap !== 0) throw new Corrupt('bytes between entries');
      const sizeUnknown = (e.flags & 0x8) !== 0 && u32(header, 18) === 0;
      // Without sizes in its header, a streaming reader finds the data's end by the descriptor's signature: it
      // must be there, and nowhere inside the data.
      if (sizeUnknown && (gap < 16 || !(await readAt(handle, dataEnd, 4)).equals(DESCRIPTOR))) throw new Corrupt('no descriptor signature');
      const keep = KEPT_ENTRIES.has(e.name) && e.size <= MAX_KEPT_BYTES ? ([] as Buffer[]) : null;
      let crc = 0;
      let size = 0;
      let tail = Buffer.alloc(0);
      const raw = e.compressedSize === 0 ? Readable.from([]) : fs.createReadStream(file, { start: dataStart, end: dataEnd - 1, highWaterMark: 1 << 20 });
      await pipeline(
        raw,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const bytes of chunks) {
            if (sizeUnknown) {
              const seen = Buffer.concat([tail, bytes]);
              if (seen.includes(DESCRIPTOR)) throw new Corrupt('descriptor signature inside the data');
              tail = seen.subarray(Math.max(0, seen.length - 3));
            }
            done += bytes.length;
            options.onProgress?.(done, total);
            yield bytes;
          }
        },
        e.method === 8 ? zlib.createInflateRaw() : new PassThrough(),
        async (pieces: AsyncIterable<Buffer>) => {
          for await (const piece of pieces) {
            crc = zlib.crc32(piece, crc);
            size += piece.length;
            if (size > e.size) throw new Corrupt('entry larger than said');
            keep?.push(piece);
          }
        },
      );
      if (size !== e.size || crc !== e.crc) throw new Corrupt('size or CRC differs');
      if (keep) kept.set(e.name, Buffer.concat(keep));
    }
    const sheets = sheetsOf(kept.get('xl/workbook.xml')?.toString('utf8') ?? '', kept.get('xl/_rels/workbook.xml.rels')?.toString('utf8') ?? '');
    const sheetEntries = ordered.map((e) => e.name).filter((n) => WORKSHEET_ENTRY.test(n));
    return { ok: true, sha256, byteSize, sheets, sheetEntries, sizes: new Map(entries.map((e) => [e.name, e.size])) };
  } catch (error) {
    // An entry's stages are torn down together when one fails: the error that reaches here may be the AbortError
    // of the stage that was stopped, not the inflate or size error that stopped it. Only a cancel is a cancel.
    const torn = (error as Error).name === 'AbortError' && !options.signal?.aborted;
    if (error instanceof Corrupt || torn || (error as NodeJS.ErrnoException).code?.startsWith('Z_') || (error as Error).name === 'RangeError') return { ok: false, reason: 'corrupt', sha256, byteSize };
    throw error;
  } finally {
    await handle.close();
  }
}
