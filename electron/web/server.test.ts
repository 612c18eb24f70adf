import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir, tempDir } from '../engine/testing/fixtures';
import type { WebServer } from './server';
import type { CallError } from '../../shared/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { startWebServer } from './server';

let server: WebServer;

function request(options: { method?: string; path: string; host?: string; token?: string | null; origin?: string; body?: string | Buffer; headers?: Record<string, string> }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const headers: Record<string, string> = { Host: options.host ?? `127.0.0.1:${server.port}`, ...options.headers };
    if (options.token !== null) headers.Authorization = `Bearer ${options.token ?? server.token}`;
    if (options.origin) headers.Origin = options.origin;
    const req = http.request({ host: '127.0.0.1', port: server.port, method: options.method ?? 'GET', path: options.path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `result` event of a server-sent-events response. */
function resultOf(body: string): { ok: boolean; value?: unknown; error?: { code: string } } {
  const block = body.split('\n\n').find((b) => b.startsWith('event: result'))!;
  return JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
}

beforeAll(async () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'static'));
  fs.writeFileSync(path.join(dir, 'static', 'index.html'), '<!doctype html><title>Cupo</title>');
  server = await startWebServer({ databaseFile: path.join(dir, 'cupo.sqlite'), staticDir: path.join(dir, 'static') });
});
afterAll(() => server.close());

describe('browser mode on 127.0.0.1', () => {
  it('prints a loopback URL carrying a random session token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
  });

  it('refuses an API call without the token, or with a wrong one', async () => {
    const missing = await request({ method: 'POST', path: '/api/call/status', token: null, body: '{"args":{}}' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'refused', message: { es: /token/, en: /token/ } } });
    expect((await request({ method: 'POST', path: '/api/call/status', token: 'f'.repeat(48), body: '{"args":{}}' })).status).toBe(401);
  });

  it('answers every refusal as the contract does: a CallResult whose code is one of CallError’s, with both languages', async () => {
    const codes: CallError['code'][] = ['invalid_arguments', 'unknown_method', 'refused', 'failed', 'cancelled', 'internal'];
    const answers = [
      await request({ method: 'POST', path: '/api/call/status', token: null }),
      await request({ method: 'POST', path: '/api/call/status', origin: 'http://evil.example' }),
      await request({ method: 'POST', path: '/api/call/status', body: '{not json' }),
      await request({ method: 'DELETE', path: '/' }),
      await request({ path: '/api/nowhere' }),
      await request({ path: '/api/download/x-00000000000000ff/pronostico.csv' }),
      await request({ path: '/api/download/x-00000000000000ff/%E0%A4%A' }),
      await request({ method: 'POST', path: '/api/upload?name=huge.csv', headers: { 'Content-Length': String(3 * 1024 ** 3) } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 403, 400, 405, 404, 404, 404, 413]);
    for (const a of answers) {
      const body = JSON.parse(a.body) as { ok: boolean; error: { code: CallError['code']; message: { es: string; en: string } } };
      expect(body.ok).toBe(false);
      expect(codes).toContain(body.error.code);
      expect(body.error.message.es.length).toBeGreaterThan(0);
      expect(body.error.message.en.length).toBeGreaterThan(0);
    }
  });

  it('refuses requests whose Host is not the loopback address (DNS rebinding), even with the token', async () => {
    expect((await request({ method: 'POST', path: '/api/call/status', host: `evil.example:${server.port}`, body: '{"args":{}}' })).status).toBe(403);
    expect((await request({ path: '/', host: 'evil.example' })).status).toBe(403);
  });

  it('refuses a call sent by another origin', async () => {
    expect((await request({ method: 'POST', path: '/api/call/status', origin: 'http://evil.example', body: '{"args":{}}' })).status).toBe(403);
  });

  it('answers a call with the token, streaming the result as server-sent events', async () => {
    const res = await request({ method: 'POST', path: '/api/call/status', origin: `http://localhost:${server.port}`, body: '{"args":{}}' });
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    expect(resultOf(res.body)).toMatchObject({ ok: true, value: { data: null } });
  });

  it('validates arguments over HTTP too', async () => {
    const res = await request({ method: 'POST', path: '/api/call/forecast', body: '{"args":{"period":42}}' });
    expect(resultOf(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });

  it('serves the page with a strict content security policy, and never a file outside its folder', async () => {
    const page = await request({ path: '/', token: null });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const escape = await request({ path: '/..%2F..%2F..%2Fetc%2Fpasswd', token: null });
    expect(escape.body).not.toContain('root:');
  });

  it('takes an upload as an opaque file id the engine can then read', async () => {
    const upload = await request({ method: 'POST', path: '/api/upload?name=../../ok-tab.tsv', body: fs.readFileSync(path.join(sharedDir(), 'corpus', 'ok-tab.tsv')) });
    const { ok, value: { fileId, name } } = JSON.parse(upload.body);
    expect(ok).toBe(true);
    expect(name).toBe('ok-tab.tsv');
    const preview = resultOf((await request({ method: 'POST', path: '/api/call/previewFile', body: JSON.stringify({ args: { fileId } }) })).body);
    expect(preview).toMatchObject({ ok: true, value: { delimiter: '\t', headers: ['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'ALUMNOS'] } });
  });
});

describe('an uploaded file keeps its own name', () => {
  it('in the import report and the history', async () => {
    const upload = await request({ method: 'POST', path: '/api/upload?name=matricula-enero.csv', body: 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS\n202401,N,BAS01,LMV,12\n' });
    const { fileId } = JSON.parse(upload.body).value;
    const imported = resultOf((await request({ method: 'POST', path: '/api/call/importFiles', body: JSON.stringify({ args: { files: [{ fileId }] } }) })).body);
    expect(imported).toMatchObject({ ok: true, value: { committed: true, reports: [{ file: 'matricula-enero.csv' }] } });
    const history = resultOf((await request({ method: 'POST', path: '/api/call/history', body: '{"args":{}}' })).body) as { value: { snapshots: { file: string }[] } };
    expect(history.value.snapshots.map((s) => s.file)).toEqual(['matricula-enero.csv']);
  });
});
