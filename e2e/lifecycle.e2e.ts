import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { launchBrowserMode } from '../electron/web/launch';
import { Accessibility } from './axe';

/**
 * The model's life after the first forecast, as a coordinator lives it: the institute's history imported in three
 * steps through the wizard (until Dec 2024, then January 2025, then the rest), a forecast exported before each
 * new month arrives so it can be scored, two trainings, a change of model by hand with its reason, the real
 * accuracy next to the promise, the alerts on Home, the changes in the data, the change log and the report for
 * management as a PDF.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = path.join(repo, 'data', 'demo');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-e2e-lifecycle-'));
const shots = path.join(repo, 'test-results', `screens-${new Date().toISOString().replace(/[:.]/g, '-')}-lifecycle`);
let server: ChildProcess;
let url = '';

/** January 2025 alone, as its own file: the month whose forecast gets scored first. */
const january = path.join(work, 'matriculas-2025-01.csv');

test.beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  const [head, ...rows] = fs.readFileSync(path.join(demo, 'matriculas-2025-2026.csv'), 'utf8').split('\n');
  fs.writeFileSync(january, [head, ...rows.filter((r) => r.startsWith('202501,'))].join('\n') + '\n');
  ({ url, server } = await launchBrowserMode(path.join(work, 'cupo.sqlite')));
});
test.afterAll(() => {
  server?.kill('SIGTERM');
});

async function open(page: Page, nav: string, heading = nav) {
  await page.getByRole('navigation').getByRole('button', { name: nav, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
}

/** A file through the whole wizard: preview, columns as guessed, check, import. */
async function importFile(page: Page, file: string) {
  await open(page, 'Importar', 'Importar matrícula');
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByRole('button', { name: 'Siguiente' }).click();
  await page.getByRole('button', { name: 'Revisar' }).click();
  await expect(page.getByText(/filas aceptadas/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('main').getByRole('button', { name: 'Importar', exact: true }).click();
  await expect(page.getByText(/^Importación terminada: 1 archivo/)).toBeVisible({ timeout: 90_000 });
}

/** A training on one test period (the quickest honest one), to its decision in words. */
async function train(page: Page, advanced?: () => Promise<void>) {
  await open(page, 'Entrenar');
  const main = page.getByRole('main');
  await main.getByText('Opciones avanzadas').click();
  await main.getByLabel('Periodos de prueba').fill('1');
  await advanced?.();
  await main.getByRole('button', { name: 'Entrenar', exact: true }).click();
  await expect(main.getByText(/^(Se usa el modelo nuevo\.|Se mantiene el modelo en uso\.)/)).toBeVisible({ timeout: 180_000 });
}

/** The forecast of the coming period, exported: what planners act on, and what is scored when its month arrives. */
async function forecastAndExport(page: Page, period: RegExp) {
  await open(page, 'Pronóstico');
  await page.getByRole('button', { name: 'Calcular pronóstico' }).click();
  await expect(page.getByText(period)).toBeVisible({ timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportar CSV' }).click();
  await downloading;
}

test('models, real accuracy, alerts and changes in the data, from three imports and two trainings', async ({ page }) => {
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const axe = new Accessibility();
  const main = page.getByRole('main');
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Todavía no hay datos' })).toBeVisible();

  // 2023–2024, a first model and the forecast of January 2025, exported.
  await importFile(page, path.join(demo, 'matriculas-2023-2024.csv'));
  await train(page);
  await expect(main.getByText('No había un modelo en uso; pasa a usarse el nuevo', { exact: false })).toBeVisible();
  await forecastAndExport(page, /^ene\. 2025: /);

  // January arrives: the forecast is scored in a sentence and the policy says what it did.
  await importFile(page, january);
  await expect(main.getByRole('heading', { name: 'Pronósticos comparados con lo que pasó' })).toBeVisible();
  await expect(main.locator('ul.sentences').getByText(/^El pronóstico de ene\. 2025 .*se equivocó en/)).toBeVisible();
  await expect(main.getByText('Qué hizo Cupo:')).toBeVisible();

  // A second training: the decision in words, and "in use" only for a model that is.
  await train(page, async () => {
    const force = main.getByLabel('Usar el modelo ganador aunque no mejore al que se usa');
    await force.check();
    await expect(main.getByText(/^Cuidado: el ganador de este entrenamiento reemplazará al modelo en uso/)).toBeVisible();
    await axe.audit(page, 'train: force warning');
    await force.uncheck();
  });
  await expect(main.locator('.decision')).toContainText(/(mejora|no mejora) al actual|sigue siendo el método del modelo actual/);
  await shot('22-training-decision');
  await axe.audit(page, 'train: decision');
  await forecastAndExport(page, /^feb\. 2025: /);

  // The rest of 2025–2026: February is scored too, and the data has moved since the model learnt.
  await importFile(page, path.join(demo, 'matriculas-2025-2026.csv'));
  await expect(main.locator('ul.sentences').getByText(/^El pronóstico de feb\. 2025 .*se equivocó en/)).toBeVisible();
  await expect(main.getByRole('heading', { name: 'Cambios en los datos' })).toBeVisible();
  // Twenty-one months the model never saw: a new high alert, told in browser mode in a banner until dismissed.
  const banner = page.getByRole('region', { name: 'Avisos' });
  await expect(banner.getByRole('alert').first()).toContainText('Alerta nueva:');
  await shot('21-import-outcome');
  await axe.audit(page, 'import: outcome (scores, policy, alerts, banner)');
  while ((await banner.getByRole('alert').count()) > 0) await banner.getByRole('button', { name: 'Cerrar el aviso' }).first().click();

  // Models: every version by its name for people, the timeline, and a change by hand that needs a reason.
  await open(page, 'Modelos');
  await expect(main.getByRole('heading', { name: 'Qué modelo se usó y cuándo' })).toBeVisible();
  const versions = main.getByRole('table').filter({ hasText: 'Error real por periodo' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await expect(versions.getByText(/^ene\. 2025: \d+\.\d%$/)).toBeVisible();
  const use = main.getByRole('button', { name: /^Usar este modelo: / });
  await expect(use).toHaveCount(1);
  const other = ((await use.getAttribute('aria-label')) ?? '').replace('Usar este modelo: ', '');
  await use.click();
  const dialog = page.getByRole('dialog', { name: '¿Cambiar el modelo en uso?' });
  // A name that ends in an abbreviation («… 5:17 a. m.») ends the sentence with its own period, not a second one.
  const ending = other.endsWith('.') ? other : `${other}.`;
  await expect(dialog.getByText(new RegExp(`^Se dejará de usar .+ y se usará ${ending.replace(/[.()]/g, '\\$&')}$`))).toBeVisible();
  await dialog.getByRole('button', { name: 'Cambiar de modelo' }).click();
  await expect(dialog.getByText('Escriba el motivo: sin él no se puede cambiar el modelo.')).toBeVisible();
  await expect(dialog.getByLabel('Motivo (obligatorio)')).toBeFocused();
  await axe.audit(page, 'models: change dialog');
  await dialog.getByLabel('Motivo (obligatorio)').fill('La red neuronal acertó mejor en las sedes grandes');
  await dialog.getByRole('button', { name: 'Cambiar de modelo' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(main.getByRole('status').filter({ hasText: `Listo: ahora se usa ${other}` })).toBeVisible();
  await expect(main.locator('ol.timeline > li')).toHaveCount(3);
  await expect(main.getByText('Motivo: La red neuronal acertó mejor en las sedes grandes')).toBeVisible();
  await expect(main.getByRole('button', { name: /^Volver al modelo anterior/ })).toBeVisible();
  expect(await main.innerText()).not.toMatch(/model-\d|run-\d/);
  await shot('23-models');
  await axe.audit(page, 'models');

  // Accuracy: the real error of January and February next to what testing promised, overall and per site.
  await open(page, 'Precisión');
  await expect(main.getByRole('heading', { name: 'Precisión real' })).toBeVisible();
  await expect(main.getByText(/^En los últimos 2 periodos con datos reales el error fue/)).toBeVisible();
  await expect(main.getByRole('img', { name: /^Por periodo, el porcentaje de alumnos mal ubicados/ })).toBeVisible();
  await main.getByRole('heading', { name: 'Error real frente a lo prometido' }).locator('..').getByText('Ver los datos en una tabla').click();
  await expect(main.getByRole('table', { name: 'Error real frente a lo prometido' }).getByRole('row')).toHaveCount(3);
  await shot('24-accuracy-real');
  await axe.audit(page, 'accuracy: real');

  // The report for management of the coming month, as a PDF: its first page kept as a picture.
  await forecastAndExport(page, /^nov\. 2026: /);
  const reporting = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Informe para la dirección (PDF)' }).click();
  const report = await reporting;
  expect(report.suggestedFilename()).toMatch(/^informe-.*\.pdf$/);
  const pdf = path.join(shots, '26-report.pdf');
  await report.saveAs(pdf);
  expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(shots, '26-report-page1')]);

  // Home: the open alerts first, most serious first, in colour and in words, each with what to do.
  await open(page, 'Inicio');
  const open_ = main.getByRole('list', { name: 'Alertas abiertas, la más grave primero' });
  await expect(open_.getByRole('listitem').first()).toBeVisible();
  const levels = await open_.locator('.sev').allInnerTexts();
  const rank = ['Crítica', 'Alta', 'Media', 'Baja'];
  expect(levels.map((l) => rank.indexOf(l))).toEqual([...levels.map((l) => rank.indexOf(l))].sort((a, b) => a - b));
  expect(levels.every((l) => rank.includes(l))).toBe(true);
  await expect(open_.getByText(/^Qué hacer: /).first()).toBeVisible();
  await expect(main.getByText('Todo al día.')).toHaveCount(0);
  const before = await open_.getByRole('listitem').count();
  await open_.getByRole('button', { name: 'Marcar como vista' }).first().click();
  await expect(open_.getByRole('listitem')).toHaveCount(before - 1);
  await expect(main.getByRole('heading', { name: 'Vista, sin resolver' })).toBeVisible();
  await expect(main.getByText(/^Vista por .+ el /)).toBeVisible();
  await main.getByRole('list', { name: 'Vista, sin resolver' }).getByRole('button', { name: 'Marcar como resuelta' }).click();
  await expect(main.getByRole('heading', { name: 'Vista, sin resolver' })).toHaveCount(0);
  // An alert seen is told no more: its banner goes with it.
  await expect(banner.getByRole('alert')).toHaveCount(0);
  await expect(main.getByRole('button', { name: 'Informe para la dirección (PDF)' })).toBeVisible();
  await shot('25-home-alerts');
  await axe.audit(page, 'home: alerts');

  // Changes in the data: findings by severity in words, each chart with its sentence and its table; check again.
  await open(page, 'Cambios en los datos');
  await expect(main.getByRole('heading', { name: 'Qué cambió' })).toBeVisible();
  await expect(main.getByText(/^Se comparó .+ con lo que aprendió el modelo en uso/)).toBeVisible();
  await expect(main.getByRole('heading', { name: /^Media \(\d+\)$/ })).toBeVisible();
  await expect(main.getByText('Ver los datos en una tabla')).toHaveCount(await main.locator('canvas').count());
  await expect(main.getByRole('heading', { name: 'Sedes que más cambiaron' })).toBeVisible();
  await shot('27-drift');
  await axe.audit(page, 'drift');
  await main.getByRole('button', { name: 'Revisar de nuevo' }).click();
  await expect(main.getByText(/^Revisión terminada: /)).toBeVisible({ timeout: 60_000 });

  // History: the change log in words — who, what, from which model to which, and why.
  await open(page, 'Historial');
  const log = main.getByRole('table').filter({ hasText: 'De → a' });
  const change = log.getByRole('row').filter({ hasText: 'Cambió el modelo en uso' });
  await expect(change).toContainText('La red neuronal acertó mejor en las sedes grandes');
  await expect(change).toContainText(`→ ${other}`);
  await expect(log.getByRole('row').filter({ hasText: /^.*Escribió el informe para la dirección/ })).toHaveCount(1);
  expect(await main.innerText()).not.toMatch(/model-\d|run-\d|raw-[0-9a-f]/);
  await shot('28-history-audit');
  await axe.audit(page, 'history: change log');

  // Settings: the lifecycle's limits said next to the field; notifications can be turned off.
  await open(page, 'Ajustes');
  const margin = main.getByLabel('Mejora mínima para usar un modelo nuevo (%)');
  await expect(margin).toHaveValue('2');
  await margin.fill('80');
  await main.getByRole('button', { name: 'Guardar' }).click();
  await expect(main.getByText('Escriba un número de 0 a 50 (puede llevar decimales).')).toBeVisible();
  await expect(margin).toBeFocused();
  await shot('29-settings-lifecycle');
  await axe.audit(page, 'settings: lifecycle (invalid)');
  await margin.fill('2,5');
  await main.getByLabel('Avisar de cada alerta crítica o alta nueva').uncheck();
  await main.getByRole('button', { name: 'Guardar' }).click();
  await expect(main.getByText('Guardado.')).toBeVisible();
  await open(page, 'Inicio');
  await open(page, 'Ajustes');
  await expect(main.getByLabel('Mejora mínima para usar un modelo nuevo (%)')).toHaveValue('2.5');
  await expect(main.getByLabel('Avisar de cada alerta crítica o alta nueva')).not.toBeChecked();

  const failing = axe.report(shots);
  expect(failing, 'axe-core: serious or critical violations').toEqual([]);
});
