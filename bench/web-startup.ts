/**
 * Cold start of browser mode: from starting `electron/web/main.ts` (interface already built) to an interactive
 * home screen in Chromium, on a fresh database. Goal ≤ 1.5 s. Run `npm run build:renderer` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { launchBrowserMode } from '../electron/web/launch';

const browser = await chromium.launch({ executablePath: process.env.CUPO_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const times: number[] = [];
for (let run = 0; run < 3; run++) {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-start-')), 'cupo.sqlite');
  const started = performance.now();
  const { url, server } = await launchBrowserMode(db);
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Probar con datos de ejemplo' }).waitFor();
  times.push(performance.now() - started);
  await page.close();
  server.kill('SIGTERM');
}
await browser.close();
console.log(`Browser mode cold start to an interactive home screen: ${times.map((t) => `${Math.round(t)} ms`).join(', ')} (goal ≤ 1500 ms)`);
