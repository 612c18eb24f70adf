import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDir, tempDir } from '../testing/fixtures';
import { startEngineWorker } from './worker-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the inbox folder of Settings', () => {
  it('is checked as soon as the engine starts: its new files are imported and the run shows in status', async () => {
    const dir = tempDir();
    const databaseFile = path.join(dir, 'cupo.sqlite');
    const inbox = path.join(dir, 'entrada');
    fs.mkdirSync(inbox);
    fs.copyFileSync(path.join(sharedDir(), 'corpus', 'ok-utf8-bom-semicolon.csv'), path.join(inbox, 'matricula.csv'));

    // The folder is chosen in Settings (here by a first engine), then the app is opened again.
    const setup = startEngineWorker({ databaseFile, exportsDir: path.join(dir, 'exports') });
    await setup.ready;
    const settings = await setup.call('getSettings', {});
    if (!settings.ok) throw new Error('settings');
    expect(await setup.call('saveSettings', { ...settings.value, inboxFolder: inbox })).toMatchObject({ ok: true, value: { inboxFolder: inbox } });
    await setup.close();

    const engine = startEngineWorker({ databaseFile, exportsDir: path.join(dir, 'exports') });
    await engine.ready;
    let lastRun = null;
    for (let i = 0; i < 100 && !lastRun; i++) {
      await sleep(100);
      const status = await engine.call('status', {});
      lastRun = status.ok ? status.value.last_run : null;
    }
    expect(lastRun).toMatchObject({ imported: 1, refused: 0 });
    const status = await engine.call('status', {});
    expect(status.ok && status.value.snapshots.map((s) => s.file)).toEqual(['matricula.csv']);
    await engine.close();
  }, 30_000);
});
