import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Uploaded } from '../../shared/bridge';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { CallError, CallResult } from '../../shared/contract';
import type { Bilingual } from '../../shared/messages';
import { startEngineWorker } from '../engine/host/worker-client';
import { exportedFile } from '../engine/host/exports';
import { staticFile } from '../engine/host/static-files';
import type { FileTable } from '../engine/host/call';

export interface WebServerOptions {
  databaseFile: string;
  /** The built renderer (vite build output). */
  staticDir: string;
  port?: number;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const MAX_JSON_BYTES = 8 * 1024 ** 2;

/** Every JSON answer is the contract's `CallResult`, failures included: the page shows their sentence as it is. */
function answer(res: http.ServerResponse, status: number, result: CallResult<unknown>): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(result));
}

function refuse(res: http.ServerResponse, status: number, message: Bilingual, code: CallError['code'] = 'refused'): void {
  answer(res, status, { ok: false, error: { code, message } });
}

/** A request the server cannot take as sent (too large, not JSON): refused with one sentence, nothing run. */
class BadRequest extends Error {
  constructor(readonly sentence: Bilingual) {
    super(sentence.en);
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new BadRequest({ es: 'La solicitud es demasiado grande.', en: 'The request is too large.' });
    chunks.push(chunk as Buffer);
  }
  try {
    return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest({ es: 'La solicitud no es JSON válido.', en: 'The request is not valid JSON.' });
  }
}

/**
 * Browser mode: the same screens and the same engine as the desktop app, served on 127.0.0.1 only.
 * Every API call needs the session token printed with the URL; a request whose Host is not this loopback
 * address is refused (a web page cannot reach the engine by rebinding a domain name to 127.0.0.1).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = randomBytes(24).toString('hex');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-web-'));
  const uploads = path.join(work, 'uploads');
  fs.mkdirSync(uploads);
  const exportsDir = path.join(work, 'exports');
  const engine = startEngineWorker({ databaseFile: options.databaseFile, exportsDir });
  await engine.ready;
  const files: FileTable = {};
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const authorised = (req: http.IncomingMessage) => {
    const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const serveStatic = (res: http.ServerResponse, pathname: string) => {
    const found = staticFile(options.staticDir, pathname);
    if (!found) {
      refuse(res, 404, { es: 'La interfaz no está compilada: ejecute «npm run web».', en: 'The interface is not built: run "npm run web".' }, 'failed');
      return;
    }
    res.writeHead(200, {
      'Content-Type': found.type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    fs.createReadStream(found.file).pipe(res);
  };

  const server = http.createServer(async (req, res) => {
    try {
      if (!allowedHosts().has(req.headers.host ?? '')) {
        refuse(res, 403, { es: 'Solo se atiende a 127.0.0.1 o localhost.', en: 'Only 127.0.0.1 or localhost is served.' });
        return;
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (!url.pathname.startsWith('/api/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, { es: 'Método no permitido.', en: 'Method not allowed.' });
        return serveStatic(res, url.pathname);
      }
      if (!authorised(req)) return refuse(res, 401, { es: 'Falta el token de la sesión: abra la dirección que mostró «npm run web».', en: 'The session token is missing: open the address "npm run web" printed.' });
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
        return refuse(res, 403, { es: 'Origen no permitido.', en: 'Origin not allowed.' });
      }
      const [, , action, ...rest] = url.pathname.split('/');
      if (req.method === 'POST' && action === 'upload') {
        const name = path.basename(url.searchParams.get('name') ?? 'archivo.csv');
        const fileId = `f-${randomBytes(8).toString('hex')}`;
        const target = path.join(uploads, fileId);
        const tooLarge = () => {
          // The rest of the body is never read: the connection ends with this answer rather than wait for it.
          res.setHeader('Connection', 'close');
          refuse(res, 413, { es: `${name} pesa más de 2 GB: Cupo no lo acepta.`, en: `${name} is larger than 2 GB: Cupo does not take it.` });
        };
        if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) return tooLarge();
        let size = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            done(size > MAX_UPLOAD_BYTES ? new Error('too large') : null, chunk);
          },
        });
        try {
          await pipeline(req, counter, fs.createWriteStream(target));
        } catch (error) {
          fs.rmSync(target, { force: true });
          if (size > MAX_UPLOAD_BYTES) return tooLarge();
          return refuse(res, 500, { es: `No se pudo guardar ${name}: ${(error as Error).message}.`, en: `Could not store ${name}: ${(error as Error).message}.` }, 'failed');
        }
        files[fileId] = { path: target, name };
        return answer(res, 200, { ok: true, value: { fileId, name, size } satisfies Uploaded });
      }
      if (req.method === 'POST' && action === 'call' && rest.length === 1) {
        const body = (await readJson(req)) as { args?: unknown };
        res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
        const event = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        const { id, result } = engine.send(rest[0]!, body.args, { files: { ...files }, onProgress: (e) => event('progress', e) });
        event('call', { id });
        res.on('close', () => {
          if (!res.writableFinished) engine.cancel(id);
        });
        event('result', await result);
        res.end();
        return;
      }
      if (req.method === 'POST' && action === 'cancel' && rest.length === 1 && /^\d+$/.test(rest[0]!)) {
        engine.cancel(Number(rest[0]));
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && action === 'download' && rest.length === 2) {
        let fileName: string;
        try {
          fileName = decodeURIComponent(rest[1]!);
        } catch {
          fileName = '';
        }
        const file = fileName && exportedFile(exportsDir, rest[0]!, fileName);
        if (!file) return refuse(res, 404, { es: 'Esa exportación ya no existe: vuelva a exportar.', en: 'That export no longer exists: export again.' });
        res.writeHead(200, {
          'Content-Type': file.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : file.endsWith('.pdf') ? 'application/pdf' : 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${path.basename(file)}"`,
        });
        fs.createReadStream(file).pipe(res);
        return;
      }
      refuse(res, 404, { es: 'No existe esa dirección.', en: 'No such address.' });
    } catch (error) {
      if (res.headersSent) res.end();
      else if (error instanceof BadRequest) refuse(res, 400, error.sentence, 'invalid_arguments');
      else refuse(res, 500, { es: `Error inesperado: ${(error as Error).message}`, en: `Unexpected error: ${(error as Error).message}` }, 'internal');
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
