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
 * Many files, one mapping (issue #12): the University of Virginia's sections, one CSV per semester, imported from
 * the wizard with a single mapping for all of them (the site typed once, the course joined from three columns, the
 * period from each file's name, only the lectures kept), saved by name and offered again on the next import; an
 * import set aside and restored from History; the last scheduled run on Home and in History.
 *
 * All 21 semesters (79 MB; about 20 s on the 2-core machine); three with CUPO_E2E_UVA=3 for a quicker look.
 * `npm run test:e2e:uva` runs this spec alone.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uva = path.resolve(repo, '../shared/datasets/uva-sections');
const ALL = process.env.CUPO_E2E_UVA !== '3';
const semesters = fs.readdirSync(uva).filter((f) => f.endsWith('.csv')).sort();
/** The first import: every semester, or three; the second: one more (or, with all 21 taken, two of them again). */
const first = ALL ? semesters : ['2009_spring.csv', '2009_fall.csv', '2010_spring.csv'];
const second = ALL ? ['2024_fall.csv', '2026_spring.csv'] : ['2010_fall.csv'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cupo-e2e-many-'));
const shots = path.join(repo, 'test-results', `screens-${new Date().toISOString().replace(/[:.]/g, '-')}-import-many`);
let server: ChildProcess;
let url = '';

test.beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  const db = path.join(work, 'cupo.sqlite');
  // A scheduled run before anything else (an empty inbox: nothing new), so Home and History have one to show.
  const inbox = path.join(work, 'entrada');
  fs.mkdirSync(inbox);
  execFileSync(process.execPath, ['--import', 'tsx', path.join(repo, 'electron/engine/cli/main.ts'), 'run', '--inbox', inbox, '--db', db], { cwd: repo, stdio: 'ignore' });
  ({ url, server } = await launchBrowserMode(db));
});
test.afterAll(() => {
  server?.kill('SIGTERM');
});

async function open(page: Page, nav: string, heading = nav) {
  await page.getByRole('navigation').getByRole('button', { name: nav, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
}

test(`${first.length} UVA semesters imported with one mapping, saved and offered again`, async ({ page }) => {
  test.setTimeout(ALL ? 600_000 : 240_000);
  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const axe = new Accessibility();
  const main = page.getByRole('main');
  const clicks = { count: 0 };
  /** A person's action: a click, a choice in a list, or a word typed (each counted once). */
  const act = async (what: Promise<unknown>) => {
    clicks.count++;
    await what;
  };
  await page.goto(url);

  // Home: the scheduled run that already happened, with its step in words.
  await expect(main.getByRole('heading', { name: 'Última ejecución programada' })).toBeVisible();
  await expect(main.getByText(/: Nada nuevo: no se cambió nada\.$/)).toBeVisible();
  await shot('30-home-last-run');
  await axe.audit(page, 'home: last scheduled run');

  const started = Date.now();
  // 1. Import, and the files chosen at once (the browser's own "Choose files" control is not shown: the button is).
  await act(open(page, 'Importar', 'Importar matrícula'));
  await expect(main.getByText('Elegir archivos', { exact: true })).toBeVisible();
  await expect(main.locator('input[type=file]')).toHaveClass(/visually-hidden/);
  await shot('31-import-choose');
  await axe.audit(page, 'import: choose (many files)');
  await act(main.locator('input[type=file]').setInputFiles(first.map((f) => path.join(uva, f))));
  // One preview for the files with the same columns.
  await expect(main.getByRole('heading', { name: `${first[0]} y ${first.length - 1} archivos más con estas columnas` })).toBeVisible({ timeout: 120_000 });
  await shot('32-import-preview-many');
  await axe.audit(page, 'import: preview (many files, one card)');
  await act(main.getByRole('button', { name: 'Siguiente' }).click());

  // 2. One mapping card for all of them; the period is already taken from each file's name.
  const card = main.locator('section.card').filter({ has: page.getByRole('heading', { name: `Columnas de ${first.length} archivos` }) });
  await expect(card).toHaveCount(1);
  await expect(card.getByText(`Estos ${first.length} archivos tienen estas columnas`, { exact: false })).toBeVisible();
  await expect(card.getByLabel('Columna del archivo para «Periodo»')).toHaveValue('__from_name__');
  await expect(card.getByText(/^Periodo tomado del nombre: 2009_(spring|fall)\.csv → 2009 — (primavera|otoño)/)).toBeVisible();
  // What is missing is said at this step, beside each field, in words.
  await act(main.getByRole('button', { name: 'Revisar' }).click());
  await expect(card.getByText('Falta indicar la sede: elija una columna o escriba un valor fijo.')).toBeVisible();
  await expect(card.getByText('Falta indicar el curso: elija una columna o escriba un valor fijo.')).toBeVisible();
  await expect(card.getByText('Falta indicar el horario: elija una columna o escriba un valor fijo.')).toBeVisible();
  await expect(main.getByText('Falta completar el mapeo: revise los datos marcados.')).toBeVisible();
  await expect(card.getByLabel('Columna del archivo para «Sede»')).toBeFocused();
  // "Join with" is not offered for the count.
  await expect(card.getByLabel('Unir «Cantidad de alumnos» con otra columna')).toHaveCount(0);
  await shot('33-import-mapping-missing');
  await axe.audit(page, 'import: mapping (missing fields flagged)');

  await act(card.getByLabel('Columna del archivo para «Sede»').selectOption('__constant__'));
  await act(card.getByLabel('Valor fijo de «Sede»').fill('UVA'));
  await act(card.getByLabel('Columna del archivo para «Curso»').selectOption('Mnemonic'));
  await act(card.getByLabel('Unir «Curso» con otra columna').selectOption('Number'));
  await act(card.getByLabel('Unir «Curso» con otra columna').last().selectOption('Type'));
  await act(card.getByLabel('Columna del archivo para «Horario»').selectOption('Days1'));
  await expect(card.getByLabel('Columna del archivo para «Cantidad de alumnos»')).toHaveValue('Enrollment');
  // Only the lectures: the discussion sections are the same students again.
  await act(card.getByLabel('Importar solo las filas con ciertos valores en una columna').check());
  await act(card.getByLabel('Columna del filtro').selectOption('Type'));
  await expect(card.getByText(/^En la vista previa aparecen: .*Lecture/)).toBeVisible();
  await act(card.getByLabel('Valores que se conservan (separados por comas)').fill('Lecture'));
  await act(card.getByLabel('Nombre para guardar este mapeo').fill('UVA'));
  await act(card.getByRole('button', { name: 'Guardar mapeo' }).click());
  await expect(card.getByText('Mapeo «UVA» guardado: se ofrecerá la próxima vez que importe archivos con estas columnas.')).toBeVisible();
  await expect(main.getByText('Falta completar el mapeo')).toHaveCount(0);
  await shot('34-import-mapping-done');
  await axe.audit(page, 'import: mapping (one for all, filter, saved)');
  // The same JSON the command line reads.
  const downloading = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Descargar mapeo (.json)' }).click();
  const json = JSON.parse(fs.readFileSync((await (await downloading).path())!, 'utf8')) as unknown;
  // The capacity is found by its name (EnrollmentLimit) without being asked for.
  expect(json).toEqual({ SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number', 'Type'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment', CAPACIDAD: 'EnrollmentLimit', filter: { column: 'Type', values: ['Lecture'] } });

  // 3. Check, then import.
  await act(main.getByRole('button', { name: 'Revisar' }).click());
  await expect(main.locator('.note.good')).toHaveCount(first.length, { timeout: 300_000 });
  await expect(main.getByRole('cell', { name: /se dejaron fuera \d+ fila\(s\) cuya columna «Type» no es «Lecture» \(filtro del mapeo\)/ }).first()).toBeVisible();
  await shot('35-import-check-many');
  await axe.audit(page, 'import: check (many files, filtered rows said)');
  await act(main.getByRole('button', { name: 'Importar', exact: true }).last().click());
  await expect(main.getByText(new RegExp(`^Importación terminada: ${first.length} archivos,`))).toBeVisible({ timeout: 300_000 });
  const seconds = Math.round((Date.now() - started) / 1000);
  await shot('36-import-done-many');
  await axe.audit(page, 'import: done (many files)');
  fs.writeFileSync(path.join(shots, 'timing.txt'), `${first.length} files: ${clicks.count} actions (clicks, choices, words typed), ${seconds} s from opening Import to the import done\n`);
  console.log(`${first.length} UVA files: ${clicks.count} actions, ${seconds} s`);

  // 4. A second import: the saved mapping is offered and applied at once; nothing to map again.
  await main.getByRole('button', { name: 'Importar otros archivos' }).click();
  await main.locator('input[type=file]').setInputFiles(second.map((f) => path.join(uva, f)));
  await main.getByRole('button', { name: 'Siguiente' }).click({ timeout: 60_000 });
  await expect(main.getByText(/^Se aplicó el mapeo guardado «UVA» \(guardado el /)).toBeVisible();
  await expect(main.getByLabel('Usar un mapeo guardado')).toHaveValue('UVA');
  await expect(main.getByLabel('Valor fijo de «Sede»')).toHaveValue('UVA');
  await shot('37-import-mapping-offered');
  await axe.audit(page, 'import: mapping (saved one offered again)');
  await main.getByRole('button', { name: 'Revisar' }).click();
  await expect(main.locator('.note.good')).toHaveCount(second.length, { timeout: 120_000 });
  await main.getByRole('button', { name: 'Importar', exact: true }).last().click();
  await expect(main.getByText(/^Importación terminada: /)).toBeVisible({ timeout: 120_000 });

  // 5. History: an import set aside (with its reason) and restored; the scheduled run listed.
  await open(page, 'Historial');
  const last = second.at(-1)!;
  await main.getByRole('button', { name: `Apartar ${last}` }).click();
  const dialog = page.getByRole('dialog', { name: `¿Apartar ${last}?` });
  await expect(dialog.getByText(/dejarán de usarse/)).toBeVisible();
  await dialog.getByLabel('Motivo (obligatorio)').fill('el archivo venía incompleto');
  await shot('38-history-set-aside-dialog');
  await axe.audit(page, 'history: set aside (dialog)');
  await dialog.getByRole('button', { name: 'Apartar' }).click();
  await expect(main.getByRole('button', { name: `Restaurar ${last}` })).toBeVisible();
  await expect(main.getByRole('cell', { name: 'Apartada', exact: true })).toBeVisible();
  await expect(main.getByRole('cell', { name: `Apartó ${last}` })).toBeVisible();
  await expect(main.getByRole('heading', { name: 'Ejecuciones programadas' })).toBeVisible();
  await expect(main.getByRole('cell', { name: /^Omitido: Sin datos todavía/ })).toBeVisible();
  await shot('39-history-set-aside');
  await axe.audit(page, 'history: import set aside, scheduled runs');
  await main.getByRole('button', { name: `Restaurar ${last}` }).click();
  await expect(main.getByRole('cell', { name: `Restauró ${last}` })).toBeVisible();
  await expect(main.getByRole('button', { name: `Apartar ${last}` })).toBeVisible();

  const failing = axe.report(shots);
  expect(failing, 'axe-core: serious or critical violations').toEqual([]);
});
