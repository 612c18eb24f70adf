import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { yieldToEventLoop } from '../event-loop';
import type { SourceEncoding } from './encoding';
import { compileHere, startThread, stopThread } from './plain-code';

export const DELIMITERS = [',', ';', '\t', '|'];

/**
 * A record (a row, with any quoted line breaks in it) longer than this many characters is not a row of an
 * enrolment export: 500 columns of 200 characters are 100,000. Stopping there also bounds the work on a quote
 * that is never closed, which would otherwise carry the rest of the file as one growing field.
 */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * The file is read a megabyte first, then a quarter megabyte at a time. What depends on where the pieces end stays on
 * megabyte boundaries: papaparse guesses the delimiter and line endings from the first piece of text, which is the
 * whole first megabyte, and a record is judged too long at the end of each megabyte.
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
  /** SHA-256 of the file's bytes (the snapshot's identity), in hex; empty when the file was not read to its end. */
  sha256: string;
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
  // UTF-8 without a byte-order mark, the usual case, is checked as it is decoded, where the file is read (FileChunks):
  // a file is read once whether or not it turns out to be UTF-8. Other encodings come as bytes and are decoded here.
  const strict = handlers.strictUtf8 === true && encoding === 'utf8';
  const decoder = strict ? null : iconv.getDecoder(encoding, { stripBOM: true });
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
      // A piece of text at a time, not a row at a time: papaparse then makes one result object per piece.
      chunk: (results, parser) => {
        const rows = results.data;
        if (rows.length > 0) recordSinceCheck = true;
        const unclosed = new Set<number>();
        for (const e of results.errors) if (e.code === 'MissingQuotes' && e.row !== undefined) unclosed.add(e.row);
        for (let r = 0; r < rows.length; r++) {
          if (handlers.signal?.aborted || tooLongLine !== null) {
            aborted = handlers.signal?.aborted ?? false;
            stop = true;
            parser.abort();
            return;
          }
          const fields = rows[r]!;
          const startLine = line;
          let inner = 0;
          for (const f of fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) inner++;
          line += 1 + inner;
          if (isBlankRecord(fields)) {
            // An empty line says nothing; a line of separators or blanks is counted, so the report can say so.
            if (fields.length > 1 || fields[0]!.length > 0) {
              if (blankRows++ === 0) firstBlankLine = startLine;
            }
            continue;
          }
          if (header === null) {
            delimiter = results.meta.delimiter;
            header = fields.map((h) => h.trim());
            handlers.onHeader(header, delimiter);
            continue;
          }
          records++;
          handlers.onRecord(fields, startLine, unclosed.has(r));
        }
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });

  const chunks = await FileChunks.open(file, strict);
  let sha256 = '';
  try {
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
      // A small file is read on this thread without waiting for anything: a turn now and then lets a cancel be heard.
      await yieldToEventLoop();
      const chunk = await chunks.next();
      if (chunk.kind === 'not_utf8') {
        notUtf8 = true;
        break;
      }
      if (chunk.kind === 'end') {
        if (checkedAt !== bytesRead) tooLong();
        if (tooLongLine !== null) break;
        const rest = chunk.rest + (decoder?.end() ?? '');
        if (rest) feed.emit('data', rest);
        sha256 = chunk.sha256;
        break;
      }
      bytesRead += chunk.bytesRead;
      handlers.onProgress?.(bytesRead);
      for (const text of chunk.texts ?? [decoder!.write(chunk.bytes!)]) {
        fed += text.length;
        if (text.length > 0) feed.emit('data', text);
      }
      if ((bytesRead % FIRST_CHUNK_BYTES === 0 || chunk.bytesRead < (bytesRead === chunk.bytesRead ? FIRST_CHUNK_BYTES : CHUNK_BYTES)) && tooLong()) break;
    }
  } finally {
    await chunks.close();
  }
  if (notUtf8) return { notUtf8, delimiter, records: 0, aborted: false, blankRows: 0, firstBlankLine: 0, tooLongLine: null, sha256: '' };
  if (!stop) feed.emit('end');
  await parsed;
  return { notUtf8, delimiter, records, aborted, blankRows, firstBlankLine, tooLongLine, sha256 };
}

type Chunk =
  | { kind: 'text'; bytesRead: number; texts: string[] | null; bytes: Buffer | null }
  | { kind: 'end'; rest: string; sha256: string }
  | { kind: 'not_utf8' };

/** Decoded text is handed over in pieces of at most this many bytes' worth (see READER). */
const TEXT_PIECE_BYTES = 1 << 14;

/** How many pieces the reading thread may read ahead of the parser: enough to never wait, few enough to hold a megabyte or two. */
const READ_AHEAD = 4;

/**
 * Plain JavaScript, so that one text runs on the reading thread (a Worker evaluates it) and here, for a small file:
 * reads the file in pieces (a megabyte, then quarter megabytes), hashes every byte, and posts each piece as text
 * (UTF-8, checked as it is decoded) or as bytes, at most READ_AHEAD pieces ahead of what has been taken (`more`).
 */
const FILE_READER = `
function fileReader(fd, utf8, post) {
  const hash = crypto.createHash('sha256');
  const decoder = utf8 ? new TextDecoder('utf-8', { fatal: true }) : null;
  let credit = ${READ_AHEAD};
  let position = 0;
  let done = false;
  // Whether the decoder may hold the first bytes of a character: never after an ASCII byte.
  let pending = false;
  function decoded(bytes, stream) {
    // Most pieces are plain ASCII, which is its own text: copied, not decoded, ten times faster.
    if (stream && !pending && isAscii(bytes)) return bytes.latin1Slice(0, bytes.length);
    try {
      const text = decoder.decode(bytes, { stream });
      pending = stream && bytes.length > 0 && bytes[bytes.length - 1] >= 0x80;
      return text;
    } catch {
      done = true;
      post({ kind: 'not_utf8' });
      return null;
    }
  }
  // Decoded text is a copy, so one buffer serves every read; bytes handed over are moved, so each needs its own.
  const reused = decoder ? Buffer.allocUnsafeSlow(${FIRST_CHUNK_BYTES}) : null;
  function pump() {
    while (credit > 0 && !done) {
      const wanted = position === 0 ? ${FIRST_CHUNK_BYTES} : ${CHUNK_BYTES};
      const buffer = reused || Buffer.allocUnsafeSlow(wanted);
      const n = fs.readSync(fd, buffer, 0, wanted, null);
      if (n === 0) {
        done = true;
        const rest = decoder ? decoded(undefined, false) : '';
        if (rest !== null) post({ kind: 'end', rest, sha256: hash.digest('hex') });
        return;
      }
      position += n;
      credit--;
      hash.update(buffer.subarray(0, n));
      if (!decoder) post({ kind: 'text', bytesRead: n, bytes: buffer.buffer, length: n }, [buffer.buffer]);
      else {
        // Texts of a quarter megabyte would be large objects, which only a full collection frees: after the first
        // megabyte (where papaparse makes its guesses), text is cut in pieces small enough to die young on both
        // threads. Pieces of 64 KB still outlived two young collections often enough to fill the old space now and
        // then (a million rows took a third longer and 340 MB); pieces of 16 KB never did in the runs measured.
        const piece = position === n ? n : ${TEXT_PIECE_BYTES};
        const texts = [];
        for (let at = 0; at < n && !done; at += piece) texts.push(decoded(buffer.subarray(at, Math.min(n, at + piece)), true));
        if (!done) post({ kind: 'text', bytesRead: n, texts });
      }
    }
  }
  return { pump, more() { credit++; pump(); } };
}`;

/** The reading thread: FILE_READER behind a port, each message from this thread taking one piece. */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const { isAscii } = require('node:buffer');
${FILE_READER}
const reader = fileReader(workerData.fd, workerData.utf8, (message, transfer) => parentPort.postMessage(message, transfer));
parentPort.on('message', () => reader.more());
reader.pump();`;

type Posted = { kind: 'text'; bytesRead: number; texts?: string[]; bytes?: ArrayBuffer; length?: number } | Exclude<Chunk, { kind: 'text' }>;

/** FILE_READER on this thread. */
const localFileReader = compileHere<(fd: number, utf8: boolean, post: (message: Posted) => void) => { pump: () => void; more: () => void }>(FILE_READER, 'fileReader', { fs, crypto, isAscii });

/** A file up to this size is read here: a thread takes longer to start (20 ms) than this one takes to read it. */
const READ_HERE_BYTES = 8 << 20;

/**
 * A file's pieces, read, hashed and (for UTF-8) decoded on a thread of their own while this one parses the pieces
 * before (done here, that was a tenth of an import's time); a small file is read here, by the same code.
 */
class FileChunks {
  private readonly thread: Worker | null = null;
  private readonly local: { more: () => void } | null = null;
  private readonly arrived: Chunk[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  static async open(file: string, utf8: boolean): Promise<FileChunks> {
    const handle = await fs.promises.open(file, 'r');
    try {
      return new FileChunks(handle, utf8, (await handle.stat()).size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** `handle` is read by the thread (or here) and closed here, once the thread has stopped. */
  private constructor(
    private readonly handle: fs.promises.FileHandle,
    utf8: boolean,
    byteSize: number,
  ) {
    const take = (message: Posted) => {
      this.arrived.push(
        message.kind === 'text'
          ? { kind: 'text', bytesRead: message.bytesRead, texts: message.texts ?? null, bytes: message.bytes ? Buffer.from(message.bytes, 0, message.length) : null }
          : message,
      );
      this.wake?.();
    };
    if (byteSize <= READ_HERE_BYTES) {
      const reader = localFileReader(handle.fd, utf8, take);
      this.local = reader;
      reader.pump();
      return;
    }
    this.thread = startThread(READER, { fd: handle.fd, utf8 });
    this.thread.on('message', take);
    this.thread.on('error', (error) => this.fail(error));
    this.thread.on('exit', () => this.fail(new Error('the thread reading the file stopped')));
  }

  /** The next piece; taking one lets the reader read another. */
  async next(): Promise<Chunk> {
    while (this.arrived.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    const chunk = this.arrived.shift()!;
    if (chunk.kind === 'text') {
      if (this.thread) this.thread.postMessage(0);
      else this.local!.more();
    }
    return chunk;
  }

  async close(): Promise<void> {
    if (this.thread) await stopThread(this.thread);
    await this.handle.close();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }
}
