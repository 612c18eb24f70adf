import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { launchBrowserMode } from '../electron/web/launch';
import { Accessibility } from './axe';

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

/** The page printed to PDF (A4, print styles), its first page kept as a PNG beside the screenshots. */
async function printToPng(page: Page, name: string) {
  await page.emulateMedia({ media: 'print' });
  const pdf = path.join(shots, `${name}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(shots, name)]);
  await page.emulateMedia({ media: 'screen' });
}

/** Moves to a screen from the side navigation; focus lands on its heading. */
async function open(page: Page, nav: string, heading = nav) {
  await page.getByRole('navigation').getByRole('button', { name: nav, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
}

test('a new coordinator goes from sample data to an exported forecast', async ({ page }) => {
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const axe = new Accessibility();
  await page.goto(url);

  // First run: an empty state offering the sample institute, loaded through the import path.
  await expect(page.getByRole('heading', { name: 'Todavía no hay datos' })).toBeVisible();
  // The first Tab reaches the skip link, which takes the keyboard past the navigation.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Saltar al contenido' })).toBeFocused();
  await shot('01-home-empty');
  await axe.audit(page, 'home (empty)');
  await page.getByRole('button', { name: 'Probar con datos de ejemplo' }).click();
  await expect(page.getByRole('heading', { name: 'Datos cargados' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/^46 periodos, de ene\. 2023 a oct\. 2026;/)).toBeVisible();
  await shot('02-home-with-data');
  await axe.audit(page, 'home');

  // A file with a bad row: the wizard names the row and stores nothing.
  await page.getByRole('button', { name: 'Importar', exact: true }).click();
  await page.locator('input[type=file]').setInputFiles(path.join(corpus, 'err-negative.csv'));
  await expect(page.getByText('Codificación UTF-8')).toBeVisible();
  await shot('03-import-preview');
  await axe.audit(page, 'import: preview');
  await page.getByRole('button', { name: 'Siguiente' }).click();
  await shot('04-import-mapping');
  await axe.audit(page, 'import: columns');
  await page.getByRole('button', { name: 'Revisar' }).click();
  await expect(page.getByText('rechazado')).toBeVisible();
  await expect(page.getByRole('cell', { name: /"-3" no es una cantidad de alumnos válida/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Importar', exact: true }).last()).toBeDisabled();
  await shot('05-import-problems');
  await axe.audit(page, 'import: check');

  // A good file: a Spanish-locale export (semicolons, decimal comma) correcting two months already loaded.
  await page.getByRole('button', { name: 'Importar', exact: true }).first().click();
  await page.getByRole('button', { name: 'Atrás' }).click();
  await page.getByRole('button', { name: 'Atrás' }).click();
  await page.getByRole('button', { name: 'Atrás' }).click();
  await page.locator('input[type=file]').setInputFiles(path.join(corpus, 'ok-decimal-comma.csv'));
  await page.getByRole('button', { name: 'Siguiente' }).click();
  await page.getByRole('button', { name: 'Revisar' }).click();
  await expect(page.getByText('2 filas aceptadas')).toBeVisible();
  await expect(page.getByText('Reemplazará los datos ya cargados de ene. 2024 y feb. 2024.')).toBeVisible();
  await page.getByRole('button', { name: 'Importar', exact: true }).last().click();
  await expect(page.getByText('Importación terminada: 1 archivo, 2 filas.')).toBeVisible();
  await shot('06-import-done');
  await axe.audit(page, 'import: done');

  // Training: what it is doing from the first second, then the result in plain words.
  await open(page, 'Entrenar');
  await page.getByRole('main').getByRole('button', { name: 'Entrenar', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /Preparando los datos…|Probando «/ })).toBeVisible({ timeout: 1_000 });
  await expect(page.getByText(/en promedio el pronóstico se equivocó en/)).toBeVisible({ timeout: 180_000 });
  await expect(page.getByText(/^Probado en ago\. 2026, set\. 2026 y oct\. 2026:/)).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Repetir el periodo anterior', exact: true })).toBeVisible();
  expect(await page.getByRole('main').innerText()).not.toMatch(/WAPE|Semilla|model-\d/);
  await shot('07-training');
  await axe.audit(page, 'train');

  // The forecast table, filtered, and its CSV export.
  await open(page, 'Pronóstico');
  await page.getByRole('button', { name: 'Calcular pronóstico' }).click();
  await expect(page.getByText(/^nov\. 2026: [\d,]+ clases y [\d,]+ alumnos\.$/)).toBeVisible({ timeout: 60_000 });
  expect(await page.getByRole('main').innerText()).not.toMatch(/model-\d|PREDICT_ALUMNOS|202611/);
  await page.getByLabel('Sede').selectOption('SURCO');
  await expect(page.getByRole('row').filter({ hasText: 'MIRAFLORES' })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: 'SURCO' }).first()).toBeVisible();
  await shot('08-forecast');
  await axe.audit(page, 'forecast');

  // Printed: the whole filtered table (not only the rows in view), with its title, filters and date, and no
  // navigation or buttons. The PDF's first page is kept as a picture.
  const shown = Number((await page.getByText(/ de [\d,]+ clases · /).innerText()).split(' ')[0]!.replace(/,/g, ''));
  await page.emulateMedia({ media: 'print' });
  const printed = page.locator('.print-only');
  await expect(printed.getByRole('heading', { name: 'Pronóstico de nov. 2026' })).toBeAttached();
  await expect(printed.getByText('Filtros aplicados: Sede: SURCO.')).toBeAttached();
  await expect(printed.locator('tbody tr')).toHaveCount(shown);
  await expect(page.getByRole('navigation')).toBeHidden();
  await printToPng(page, '12-forecast-printed');
  await expect(page.locator('.print-only')).toHaveCount(0);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportar CSV' }).click();
  const download = await downloading;
  const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  expect(csv[0]!.startsWith('PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,PREDICT_ALUMNOS')).toBe(true);
  expect(csv[1]).toMatch(/^202611,[^,]+,[^,]+,[^,]+,\d+,/);
  // What is on screen (the site filter) is what is exported, by default; the workbook has a title, the date, the
  // filter, and totals per site and per course.
  expect(csv.filter((line) => line !== '').slice(1).every((line) => line.split(',')[1] === 'SURCO')).toBe(true);
  const downloadingXlsx = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportar Excel' }).click();
  const xlsx = await downloadingXlsx;
  expect(xlsx.suggestedFilename()).toBe('pronostico-202611-filtrado.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await xlsx.path())!);
  const sheet = book.worksheets[0]!;
  expect(sheet.getRow(1).getCell(1).value).toBe('Pronóstico de nov. 2026');
  expect(String(sheet.getRow(2).getCell(1).value)).toMatch(/^Exportado el .+: [\d,]+ clases y [\d,]+ alumnos\.$/);
  expect(sheet.getRow(3).getCell(1).value).toBe('Filtros aplicados: Sede: SURCO.');
  expect(sheet.getRow(5).values).toEqual(expect.arrayContaining(['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS', 'ALUMNOS_AJUSTADOS']));
  expect(sheet.rowCount).toBe(4 + csv.filter((line) => line !== '').length);
  expect(book.worksheets.map((w) => w.name)).toEqual(['Pronóstico', 'Por sede', 'Por curso']);

  // Deciding: the classes per decision at the top, shown by decision, with the rule behind each "Revisar".
  await page.getByLabel('Sede').selectOption('');
  const decisions = page.getByRole('group', { name: 'Mostrar por decisión' });
  const review = decisions.getByRole('button', { name: /^Revisar: [\d,]+$/ });
  await review.click();
  await expect(review).toHaveAttribute('aria-pressed', 'true');
  const reviewing = Number((await review.innerText()).replace(/\D/g, ''));
  await expect(page.getByText(new RegExp(`^${reviewing} de [\\d,]+ clases · `))).toBeVisible();
  if (reviewing > 0) {
    await expect(page.locator('.grid-body .badge.review').first()).toBeVisible();
    await expect(page.locator('.grid-body .cell.rule').first()).toHaveText(/(de no llegar al mínimo \(\d+\)|más que el máximo de \d+|menos que el mínimo \(\d+\))/);
  }
  await shot('08b-forecast-review');
  await axe.audit(page, 'forecast: by decision, with the rule');
  await decisions.getByRole('button', { name: /^Todas / }).click();

  // A planner's own number for a class, with why: beside the model's, marked as changed, exported.
  await page.getByRole('button', { name: /^Cambiar el número propio de / }).first().click();
  const own = page.getByRole('dialog', { name: /^Número propio para / });
  await expect(own.getByText(/^El modelo pronostica \d+ alumnos/)).toBeVisible();
  await own.getByLabel('Alumnos que usted espera').fill('3');
  await own.getByRole('button', { name: 'Guardar número propio' }).click();
  await expect(own.getByText('Escriba por qué cambia el número.')).toBeVisible();
  await own.getByLabel('Por qué (obligatorio)').fill('se fue la profesora');
  await shot('08c-forecast-own-number');
  await axe.audit(page, 'forecast: own number (dialog)');
  await own.getByRole('button', { name: 'Guardar número propio' }).click();
  await expect(own).toHaveCount(0);
  await expect(page.getByText(/1 clase con número propio\./)).toBeVisible();
  await expect(page.locator('.grid-body .badge.changed')).toHaveCount(1);
  await page.getByLabel(/^Todo \(/).check();
  await page.getByLabel('Encabezados').selectOption('plain');
  const downloadingPlain = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exportar CSV' }).click();
  const plain = fs.readFileSync((await (await downloadingPlain).path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  expect(plain[0]!.startsWith('Periodo,Sede,Curso,Horario,Alumnos pronosticados,')).toBe(true);
  expect(plain[0]!.endsWith(',Alumnos según la coordinación,Nota del cambio')).toBe(true);
  expect(plain.filter((line) => line.endsWith(',3,se fue la profesora'))).toHaveLength(1);
  await shot('08d-forecast-own-export');
  await axe.audit(page, 'forecast: own number, export options');
  await page.getByLabel('Sede').selectOption('SURCO');

  // Accuracy charts, each with its sentence and its numbers as a table.
  await open(page, 'Precisión');
  await expect(page.getByRole('heading', { name: 'Error de prueba por periodo' })).toBeVisible();
  await expect(page.locator('canvas').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /Cada barra es el porcentaje de alumnos mal ubicados/ })).toBeVisible();
  const tables = page.getByText('Ver los datos en una tabla');
  await expect(tables).toHaveCount(await page.locator('canvas').count());
  await tables.first().click();
  await expect(page.getByRole('table', { name: 'Error de prueba por periodo' }).getByRole('row')).toHaveCount(4);
  await shot('09-accuracy');
  await axe.audit(page, 'accuracy');
  await printToPng(page, '09-accuracy-printed');

  await open(page, 'Historial');
  await expect(page.getByRole('cell', { name: 'ok-decimal-comma.csv', exact: true })).toBeVisible();
  // Every forecast made can be opened again and downloaded again.
  await expect(page.getByRole('button', { name: /^Abrir el pronóstico de nov\. 2026 del / })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Descargar en Excel el pronóstico de nov\. 2026 del / })).toBeVisible();
  expect(await page.getByRole('main').innerText()).not.toMatch(/model-\d|run-\d|raw-[0-9a-f]|Semilla|202611/);
  await shot('10-history');
  await axe.audit(page, 'history');

  // Settings say what is wrong next to the field, and save nothing until it is right.
  await open(page, 'Ajustes');
  await shot('11-settings');
  await axe.audit(page, 'settings');
  const min = page.getByLabel('Alumnos mínimos para abrir una clase').first();
  const max = page.getByLabel('Alumnos máximos por clase').first();
  await min.fill('');
  await max.fill('');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByText('Escriba un número: no puede quedar vacío.')).toHaveCount(2);
  await expect(page.getByText('No se guardó: revise los campos marcados.')).toBeVisible();
  await expect(min).toBeFocused();
  await min.fill('30');
  await max.fill('20');
  await expect(page.getByText('El mínimo no puede ser mayor que el máximo (20).')).toBeVisible();
  await expect(page.getByText('Guardado.')).toHaveCount(0);
  await shot('11-settings-invalid');
  await axe.audit(page, 'settings (invalid)');

  // Argentina: 1.532 is a thousand and more there, in every sentence, table and chart axis.
  // The inbox folder, checked in words before anything is saved; a class size for one site.
  const inbox = page.getByLabel('Carpeta de entrada');
  await inbox.fill('entrada');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByText('Escriba la ruta completa de la carpeta, desde el principio (p. ej. C:\\Datos\\Entrada o /datos/entrada).')).toBeVisible();
  await inbox.fill('');
  await page.getByRole('button', { name: 'Agregar un tamaño por sede o curso' }).click();
  const rule = page.getByRole('group', { name: 'Tamaño particular 1' });
  await rule.getByLabel('Sede').fill('SURCO');
  await rule.getByLabel('Alumnos mínimos para abrir una clase').fill('10');
  await rule.getByLabel('Alumnos máximos por clase').fill('30');
  await min.fill('8');
  await max.fill('25');
  await shot('11-settings-folders-sizes');
  await axe.audit(page, 'settings: folders, sizes per site');
  await page.getByLabel('Formato de números y fechas').selectOption('es-AR');
  await expect(page.getByText(/^Así se verá: 1\.532 alumnos · 12,5\s?% · /)).toBeVisible();
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByText('Guardado.')).toBeVisible();
  await open(page, 'Pronóstico');
  await expect(page.getByText(/^nov 2026: \d{1,3}(\.\d{3})* clases y \d{1,3}\.\d{3} alumnos\.$/)).toBeVisible();
  // Decimals take a comma in Argentina: the semicolon is offered first for CSV.
  await expect(page.getByLabel('Separador')).toHaveValue(';');
  await shot('13-forecast-es-AR');
  await open(page, 'Precisión');
  await expect(page.locator('canvas').first()).toBeVisible();
  await shot('14-accuracy-es-AR');
  await open(page, 'Inicio');
  await expect(page.getByText(/\d\.\d{3} alumnos\./).first()).toBeVisible();
  await shot('15-home-es-AR');

  await open(page, 'Ajustes');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await open(page, 'Forecast');
  await expect(page.getByText(/^Nov 2026: /)).toBeVisible();
  await shot('16-forecast-en');
  await axe.audit(page, 'forecast (English, es-AR numbers)');

  const failing = axe.report(shots);
  expect(failing, 'axe-core: serious or critical violations').toEqual([]);
});
