import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../engine/host/client';
import { tempDir } from '../engine/testing/fixtures';
import { buildDesktop, DESKTOP_OUT } from './build';

/**
 * The desktop app's engine is a bundle run by Electron's utility process, which this machine cannot start. Its
 * Node is the same runtime as a worker thread's, so the bundle is started here behind a stand-in for
 * `process.parentPort` and must serve the contract from its bundled location (demo data, package.json, TF.js).
 */
const PARENT_PORT_SHIM = `
const { parentPort, workerData } = require('node:worker_threads');
process.parentPort = {
  postMessage: (message) => parentPort.postMessage(message),
  on: (_event, listener) => parentPort.on('message', (data) => listener({ data })),
  once: (_event, listener) => parentPort.once('message', (data) => listener({ data })),
};
import(workerData.entry);
`;

describe('the desktop engine bundle', () => {
  const dir = tempDir();
  let engine: EngineClient;
  beforeAll(async () => {
    await buildDesktop();
    const worker = new Worker(PARENT_PORT_SHIM, { eval: true, workerData: { entry: pathToFileURL(path.join(DESKTOP_OUT, 'engine.mjs')).href } });
    engine = new EngineClient({
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on('message', listener),
      onExit: (listener) => worker.once('exit', (code) => listener(`exit ${code}`)),
      terminate: async () => void (await worker.terminate()),
    });
    worker.postMessage({ databaseFile: path.join(dir, 'cupo.sqlite'), exportsDir: path.join(dir, 'exports') });
    await engine.ready;
  });
  afterAll(() => engine.close());

  it('loads the demo data, trains and forecasts as the utility process will', async () => {
    expect(await engine.call('loadDemo', {})).toMatchObject({ ok: true, value: { committed: true } });
    const trained = await engine.call('train', { backtestPeriods: 1 });
    expect(trained).toMatchObject({ ok: true });
    const forecast = await engine.call('forecast', {});
    expect(forecast.ok && forecast.value.rows.length).toBeGreaterThan(50);
  });

  it('refuses malformed arguments before the engine sees them', async () => {
    expect(await engine.send('exportForecast', { format: 'pdf' }).result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });
});
