import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { launchBrowserMode } from '../electron/web/launch';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(repo, '../shared/corpus');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-e2e-'));
const shots = path.join(repo, 'test-results', `screens-${new Date().toISOString().replace(/[:.]/g, '-')}`);
let server: ChildProcess;
let url = '';

test.beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  ({ url, server } = await launchBrowserMode(path.join(work, 'cupo.sqlite')));
});
test.afterAll(() => {
  server?.kill('SIGTERM');
});

test('a new coordinator goes from sample data to an exported forecast', async ({ page }) => {
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  await page.goto(url);

  // First run: an empty state offering the sample institute, loaded through the import path.
  await expect(page.getByRole('heading', { name: 'Todavía no hay datos' })).toBeVisible();
  await shot('01-home-empty');
  await page.getByRole('button', { name: 'Probar con datos de ejemplo' }).click();
  await expect(page.getByRole('heading', { name: 'Datos cargados' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('46 periodos')).toBeVisible();
  await shot('02-home-with-data');

  // A file with a bad row: the wizard names the row and stores nothing.
  await page.getByRole('button', { name: 'Importar', exact: true }).click();
  await page.locator('input[type=file]').setInputFiles(path.join(corpus, 'err-negative.csv'));
  await expect(page.getByText('Codificación UTF-8')).toBeVisible();
  await shot('03-import-preview');
  await page.getByRole('button', { name: 'Siguiente' }).click();
  await shot('04-import-mapping');
  await page.getByRole('button', { name: 'Revisar' }).click();
  await expect(page.getByText('rechazado')).toBeVisible();
  await expect(page.getByRole('cell', { name: /"-3" no es una cantidad de alumnos válida/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Importar', exact: true }).last()).toBeDisabled();
  await shot('05-import-problems');

  // A good file: a Spanish-locale export (semicolons, decimal comma) correcting two months already loaded.
  await page.getByRole('button', { name: 'Importar', exact: true }).first().click();
  await page.getByRole('button', { name: 'Atrás' }).click();
  await page.getByRole('button', { name: 'Atrás' }).click();
  await page.getByRole('button', { name: 'Atrás' }).click();
  await page.locator('input[type=file]').setInputFiles(path.join(corpus, 'ok-decimal-comma.csv'));
  await page.getByRole('button', { name: 'Siguiente' }).click();
  await page.getByRole('button', { name: 'Revisar' }).click();
  await expect(page.getByText('2 filas aceptadas')).toBeVisible();
  await expect(page.getByText('Reemplazará los datos ya cargados de 202401, 202402.')).toBeVisible();
  await page.getByRole('button', { name: 'Importar', exact: true }).last().click();
  await expect(page.getByText('Importación terminada')).toBeVisible();
  await shot('06-import-done');

  // Training, explained in plain words.
  await page.getByRole('button', { name: 'Entrenar', exact: true }).first().click();
  await page.getByRole('main').getByRole('button', { name: 'Entrenar', exact: true }).click();
  await expect(page.getByText(/en promedio el pronóstico se equivocó en/)).toBeVisible({ timeout: 180_000 });
  await expect(page.getByRole('cell', { name: 'Repetir el periodo anterior', exact: true })).toBeVisible();
  await shot('07-training');

  // The forecast table, filtered, and its CSV export.
  await page.getByRole('button', { name: 'Pronóstico', exact: true }).click();
  await page.getByRole('button', { name: 'Calcular pronóstico' }).click();
  await expect(page.getByText(/^202611: /)).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Sede').selectOption('SURCO');
  await expect(page.getByRole('row').filter({ hasText: 'MIRAFLORES' })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: 'SURCO' }).first()).toBeVisible();
  await shot('08-forecast');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportar CSV' }).click();
  const download = await downloading;
  const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  expect(csv[0]!.startsWith('PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,PREDICT_ALUMNOS')).toBe(true);
  expect(csv[1]).toMatch(/^202611,[^,]+,[^,]+,[^,]+,\d+,/);
  const downloadingXlsx = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportar Excel' }).click();
  const xlsx = await downloadingXlsx;
  expect(xlsx.suggestedFilename()).toBe('pronostico-202611.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await xlsx.path())!);
  const sheet = book.worksheets[0]!;
  expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS']));
  expect(sheet.rowCount).toBe(csv.filter((line) => line !== '').length);

  // Accuracy charts, each with its sentence.
  await page.getByRole('button', { name: 'Precisión', exact: true }).click();
  await expect(page.getByText('Error de prueba por periodo')).toBeVisible();
  await expect(page.locator('canvas').first()).toBeVisible();
  await shot('09-accuracy');

  await page.getByRole('button', { name: 'Historial', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'ok-decimal-comma.csv' })).toBeVisible();
  await shot('10-history');
  await page.getByRole('button', { name: 'Ajustes', exact: true }).click();
  await shot('11-settings');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
});
