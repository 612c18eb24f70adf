import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../../../shared/contract';
import type { ProgressEvent } from '../../../shared/contract';
import { largeEnrolmentFile, tempDir, tempWorkspace } from '../testing/fixtures';
import { EngineClient } from './client';
import { startEngineWorker } from './worker-client';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';

const call = { files: {}, onProgress: () => undefined, signal: new AbortController().signal };

describe('the contract is the only door into the engine', () => {
  const ws = tempWorkspace();
  const handlers = createHandlers(ws, path.join(ws.dir, 'exports'));
  afterAll(() => ws.close());

  for (const method of METHODS) {
    it(`refuses malformed arguments to ${method}`, async () => {
      for (const bad of [undefined, null, 42, 'x', [], { unexpected: true }]) {
        const result = await dispatch(handlers, method, bad, call);
        expect(result.ok, `${method}(${JSON.stringify(bad)})`).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('invalid_arguments');
          expect(result.error.message.es).toContain(method);
        }
      }
    });
  }

  it('refuses a method that is not in the contract', async () => {
    expect(await dispatch(handlers, '__proto__', {}, call)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await dispatch(handlers, 'constructor', {}, call)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('refuses a file id the host never gave out, and a path posing as one', async () => {
    expect(await dispatch(handlers, 'previewFile', { fileId: 'f-0123456789abcdef' }, call)).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await dispatch(handlers, 'previewFile', { fileId: '/etc/passwd' }, call)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });

  it('refuses settings whose minimum class size exceeds the maximum', async () => {
    expect(await dispatch(handlers, 'saveSettings', { locale: 'es', minClassSize: 30, maxClassSize: 20 }, call)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });
});

describe('the engine in a worker thread', () => {
  const dir = tempDir();
  const databaseFile = path.join(dir, 'cupo.sqlite');
  let engine: EngineClient;
  beforeAll(async () => {
    engine = startEngineWorker({ databaseFile, exportsDir: path.join(dir, 'exports') });
    await engine.ready;
  });
  afterAll(() => engine.close());

  it('loads the demo data through the import path, reporting progress', async () => {
    const progress: ProgressEvent[] = [];
    const result = await engine.call('loadDemo', {}, { onProgress: (e) => progress.push(e) });
    expect(result).toMatchObject({ ok: true, value: { committed: true } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.message.es).toMatch(/Leyendo matriculas-2025-2026.csv/);
    const status = await engine.call('status', {});
    expect(status).toMatchObject({ ok: true, value: { data: { sites: 4, courses: 18 } } });
  });

  it('cancels a running import and leaves the database exactly as it was', async () => {
    const before = await engine.call('history', {});
    const { id, result } = engine.send('importFiles', { files: [{ fileId: 'f-00000000000000aa' }] }, {
      files: { 'f-00000000000000aa': { path: largeEnrolmentFile(), name: 'matricula-grande.csv' } },
      onProgress: () => engine.cancel(id),
    });
    expect(await result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await engine.call('history', {})).toEqual(before);
  });

  it('answers with a validation error, not a crash, for malformed arguments', async () => {
    expect(await engine.send('train', { seed: -1 }).result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });
});

describe('a host whose engine dies', () => {
  it('answers every waiting call, and every later one, with one sentence instead of hanging', async () => {
    let die: (reason: string) => void = () => undefined;
    const client = new EngineClient({ post: () => undefined, onMessage: () => undefined, onExit: (listener) => (die = listener), terminate: async () => undefined });
    const waiting = client.call('status', {});
    die('exit 9');
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'internal', message: { en: "Cupo's engine stopped (exit 9): nothing of this operation was stored." } } });
    expect(client.alive).toBe(false);
    expect(await client.call('history', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
