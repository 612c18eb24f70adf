import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { launchBrowserMode } from '../electron/web/launch';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-e2e-cancel-'));
let server: ChildProcess;
let url = '';

test.beforeAll(async () => {
  ({ url, server } = await launchBrowserMode(path.join(work, 'cupo.sqlite')));
});
test.afterAll(() => {
  server?.kill('SIGTERM');
});

/** A screen's whole text once it has loaded: what the user sees of the champion, the runs and the forecasts. */
async function screenText(page: Page, nav: string, heading: string): Promise<string> {
  await page.getByRole('navigation').getByRole('button', { name: nav, exact: true }).click();
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expect(main.getByText(/^(Trabajando…|Working…)$/)).toHaveCount(0);
  return main.innerText();
}

const LABELS = {
  es: { train: 'Entrenar', advanced: 'Opciones avanzadas', folds: 'Periodos de prueba', network: /Probando «/, cancel: 'Cancelar', cancelled: 'Entrenamiento cancelado: no se guardó nada' },
  en: { train: 'Train', advanced: 'Advanced options', folds: 'Test periods', network: /Testing "/, cancel: 'Cancel', cancelled: 'Training cancelled: nothing was stored' },
};

/** Starts a training long enough to be caught half-way: six test periods of every model. */
async function startTraining(page: Page, l = LABELS.es) {
  await page.getByRole('navigation').getByRole('button', { name: l.train, exact: true }).click();
  const main = page.getByRole('main');
  await main.getByText(l.advanced).click();
  await main.getByLabel(l.folds).fill('6');
  await main.getByRole('button', { name: l.train, exact: true }).click();
}

/** Starts a training, cancels it while the models are being tested, and returns how long the screen took to say so. */
async function cancelTraining(page: Page, l = LABELS.es): Promise<number> {
  await startTraining(page, l);
  await expect(page.getByText(l.network)).toBeVisible({ timeout: 60_000 });
  const clicked = Date.now();
  await page.getByRole('button', { name: l.cancel }).click();
  await expect(page.getByText(l.cancelled)).toBeVisible({ timeout: 5_000 });
  const took = Date.now() - clicked;
  await expect(page.getByRole('main').getByRole('button', { name: l.train, exact: true })).toBeEnabled();
  return took;
}

test('a cancelled training changes nothing: the same champion, runs and forecasts', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('button', { name: 'Probar con datos de ejemplo' }).click();
  await expect(page.getByRole('heading', { name: 'Datos cargados' })).toBeVisible({ timeout: 60_000 });

  // A champion and a forecast made with it.
  await startTraining(page);
  await expect(page.getByText(/en promedio el pronóstico se equivocó en/)).toBeVisible({ timeout: 120_000 });
  await page.getByRole('navigation').getByRole('button', { name: 'Pronóstico', exact: true }).click();
  await page.getByRole('button', { name: 'Calcular pronóstico' }).click();
  await expect(page.getByText(/^nov\. 2026: /)).toBeVisible({ timeout: 60_000 });
  const home = await screenText(page, 'Inicio', 'Inicio');
  const history = await screenText(page, 'Historial', 'Historial');
  expect(history).toContain('en servicio');

  // A second training, cancelled while the network learns: said in one sentence, within a second or so.
  const took = await cancelTraining(page);
  console.log(`cancel answered on screen in ${took} ms`);
  expect(took).toBeLessThan(2_000);

  // Nothing moved: the champion, the runs and the forecasts are as they were, and stay so (no late write).
  await page.waitForTimeout(1_000);
  expect(await screenText(page, 'Inicio', 'Inicio')).toBe(home);
  expect(await screenText(page, 'Historial', 'Historial')).toBe(history);

  // The same in English. Switching the language is itself on the change log, so the log is left out here.
  await page.getByRole('button', { name: 'English' }).click();
  expect(await cancelTraining(page, LABELS.en)).toBeLessThan(2_000);
  await page.getByRole('button', { name: 'Español' }).click();
  const beforeLog = (text: string) => text.slice(0, text.indexOf('Registro de cambios'));
  expect(beforeLog(await screenText(page, 'Historial', 'Historial'))).toBe(beforeLog(history));
});
