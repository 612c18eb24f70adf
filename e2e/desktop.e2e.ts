import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { METHODS } from '../shared/contract';
import { buildDesktop, REPO } from '../electron/tooling/build';
import { ELECTRON_VERSION, installedElectron } from '../electron/tooling/electron-binary';
import { sqliteForElectron } from '../electron/tooling/native';

/**
 * The desktop app's first steps, in Electron itself. Where npm could not fetch Electron's binary (a machine whose
 * network only reaches the npm registry) there is nothing to launch: the test is reported as skipped with that
 * reason, and the browser journey covers the same screens on the same engine.
 */
const binary = installedElectron();
const NO_BINARY = `no Electron ${ELECTRON_VERSION} binary on this machine (node_modules/electron/dist is missing and its download is blocked), so the desktop app cannot start here`;

test.skip(binary === null, NO_BINARY);

test('the desktop app opens sandboxed and loads the sample institute', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-desktop-'));
  await buildDesktop();
  const binding = await sqliteForElectron(ELECTRON_VERSION);
  // Chromium will not start its sandbox as root (CI containers); everywhere else the OS sandbox stays on.
  const rootOnly = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await electron.launch({
    executablePath: binary!,
    args: [...rootOnly, REPO],
    env: { ...process.env, CUPO_DB: path.join(work, 'cupo.sqlite'), CUPO_SQLITE_BINDING: binding },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Todavía no hay datos' })).toBeVisible();

    // No Node, no Electron in the page: only the preload's operations.
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
    const exposed = await page.evaluate(() => Object.keys((window as unknown as { cupo: object }).cupo).sort());
    expect(exposed).toEqual([...METHODS, 'addFile', 'cancel', 'onProgress', 'saveExport'].sort());
    expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true);
    await page.evaluate(() => (window.location.href = 'https://example.com'));
    await expect(page.getByRole('heading', { name: 'Todavía no hay datos' })).toBeVisible();
    expect(app.windows()).toHaveLength(1);

    await page.getByRole('button', { name: 'Probar con datos de ejemplo' }).click();
    await expect(page.getByRole('heading', { name: 'Datos cargados' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('46 periodos')).toBeVisible();
  } finally {
    await app.close();
  }
});
