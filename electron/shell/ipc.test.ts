import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelOf } from '../../shared/bridge';
import type { CallResult } from '../../shared/contract';
import { METHODS } from '../../shared/contract';
import { newSeriousAlerts } from '../../shared/notices';
import type { EngineClient } from '../engine/host/client';
import { RecordingNotifier } from '../engine/host/notices';
import { startEngineWorker } from '../engine/host/worker-client';
import { largeEnrolmentFile, tempDir } from '../engine/testing/fixtures';
import { serveWindow } from './ipc';

/**
 * The IPC wrapper with the real engine behind it. Electron cannot start on this machine, so its three main-process
 * objects are stand-ins that record what the wrapper registers and sends; everything else is the app's own code.
 */
const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<CallResult<unknown>>>(),
  saveTo: '',
}));
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => Promise<CallResult<unknown>>) => electron.handlers.set(channel, listener) },
  app: { getPath: () => tempDir() },
  dialog: { showSaveDialog: async () => ({ canceled: false, filePath: electron.saveTo }) },
}));

const mainFrame = { url: 'app://cupo/index.html' };
const sent: unknown[][] = [];
const webContents = { mainFrame, send: (...args: unknown[]) => sent.push(args) };
const window = { webContents, isDestroyed: () => false } as unknown as BrowserWindow;
const fromApp = { sender: webContents, senderFrame: mainFrame };

function ask(channel: string, event: unknown, ...args: unknown[]): Promise<CallResult<unknown>> {
  return electron.handlers.get(channel)!(event, ...args);
}

describe('the desktop IPC wrapper', () => {
  const dir = tempDir();
  let engine: EngineClient;
  const notifier = new RecordingNotifier();
  beforeAll(async () => {
    engine = startEngineWorker({ databaseFile: path.join(dir, 'cupo.sqlite'), exportsDir: path.join(dir, 'exports') });
    await engine.ready;
    serveWindow({ window, engine: () => engine, exportsDir: path.join(dir, 'exports'), notifier });
  });
  afterAll(() => engine.close());

  it('registers one channel per operation, plus cancel, addFile and saveExport', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(([...METHODS, 'cancel', 'addFile', 'saveExport'] as const).map((name) => channelOf(name)).sort());
  });

  it('answers malformed arguments on every channel with a validation error', async () => {
    for (const method of METHODS) {
      expect(await ask(channelOf(method), fromApp, { notAnArgument: true }, 1), method).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
      expect(await ask(channelOf(method), fromApp, {}, -1), `${method} with a bad call id`).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    }
    expect(await ask(channelOf('cancel'), fromApp, 'one')).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(await ask(channelOf('addFile'), fromApp, 'relative/file.csv')).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(await ask(channelOf('saveExport'), fromApp, 'x-0000000000000000', '../../etc/passwd')).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });

  it('refuses valid calls from another window, a sub-frame or a page that is not the app', async () => {
    const strangers = [
      { sender: { mainFrame: {} }, senderFrame: mainFrame },
      { sender: webContents, senderFrame: { url: 'app://cupo/index.html' } },
      { sender: webContents, senderFrame: null },
    ];
    for (const event of strangers) expect(await ask(channelOf('status'), event, {}, 1)).toMatchObject({ ok: false, error: { message: { en: /does not come from the Cupo window/ } } });
    mainFrame.url = 'https://example.com/';
    expect(await ask(channelOf('status'), fromApp, {}, 1)).toMatchObject({ ok: false, error: { message: { en: /does not come from the Cupo window/ } } });
    mainFrame.url = 'app://cupo/index.html';
  });

  it('passes valid calls to the engine and the progress back to the window, by call id', async () => {
    const loaded = await ask(channelOf('loadDemo'), fromApp, {}, 7);
    expect(loaded).toMatchObject({ ok: true, value: { committed: true } });
    expect(sent.some(([channel, callId]) => channel === channelOf('progress') && callId === 7)).toBe(true);
    // The new critical and high alerts the result carries are told as notifications, one each.
    await vi.waitFor(() => expect(notifier.notices).toHaveLength(newSeriousAlerts('loadDemo', loaded.ok ? loaded.value : null).length));
  });

  it('takes a file the user picked by path and hands out an id the engine can preview', async () => {
    const csv = path.resolve('data/demo/matriculas-2025-2026.csv');
    const added = await ask(channelOf('addFile'), fromApp, csv);
    expect(added).toMatchObject({ ok: true, value: { name: 'matriculas-2025-2026.csv', size: fs.statSync(csv).size } });
    const fileId = (added as { value: { fileId: string } }).value.fileId;
    expect(await ask(channelOf('previewFile'), fromApp, { fileId }, 8)).toMatchObject({ ok: true, value: { encoding: 'UTF-8' } });
    expect(await ask(channelOf('addFile'), fromApp, path.dirname(csv))).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('cancels a running call by its call id, leaving the database as it was', async () => {
    const before = await ask(channelOf('history'), fromApp, {}, 20);
    const added = (await ask(channelOf('addFile'), fromApp, largeEnrolmentFile())) as { value: { fileId: string } };
    const running = ask(channelOf('importFiles'), fromApp, { files: [{ fileId: added.value.fileId }] }, 21);
    await vi.waitFor(() => expect(sent.some(([channel, callId]) => channel === channelOf('progress') && callId === 21)).toBe(true));
    expect(await ask(channelOf('cancel'), fromApp, 21)).toEqual({ ok: true, value: null });
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await ask(channelOf('history'), fromApp, {}, 22)).toEqual(before);
  });

  it('saves an export where the save dialog says, and nothing it did not write', async () => {
    expect(await ask(channelOf('train'), fromApp, { backtestPeriods: 1 }, 9)).toMatchObject({ ok: true });
    expect(await ask(channelOf('forecast'), fromApp, {}, 10)).toMatchObject({ ok: true });
    const exported = (await ask(channelOf('exportForecast'), fromApp, { format: 'csv' }, 11)) as { ok: true; value: { exportId: string; fileName: string } };
    electron.saveTo = path.join(dir, 'chosen.csv');
    expect(await ask(channelOf('saveExport'), fromApp, exported.value.exportId, exported.value.fileName)).toEqual({ ok: true, value: true });
    expect(fs.readFileSync(electron.saveTo, 'utf8')).toMatch(/^\uFEFFPERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,PREDICT_ALUMNOS/);
    expect(await ask(channelOf('saveExport'), fromApp, 'x-00000000000000ff', exported.value.fileName)).toMatchObject({ ok: false, error: { code: 'refused' } });
  });
});
