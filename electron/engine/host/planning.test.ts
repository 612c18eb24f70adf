import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizesFor } from '../../../shared/class-sizes';
import type { Args, CallResult, Method, Results } from '../../../shared/contract';
import { tempWorkspace, writeFile } from '../testing/fixtures';
import { gatherManagementReport } from '../reports/management';
import type { Workspace } from '../workspace';
import type { FileTable } from './call';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
/** Six months of two sites with two courses each: enough to train "repeat the last period" on one test period. */
function months(from: number, to: number, bump = 0): string {
  const lines = [HEADER];
  for (let m = from; m <= to; m++) {
    const p = `2024${String(m).padStart(2, '0')}`;
    lines.push(`${p},NORTE,BAS01,LMV,${20 + m + bump}`, `${p},NORTE,BAS02,LMV,${12 + bump}`, `${p},SUR,BAS01,MJ,${6 + bump}`, `${p},SUR,BAS02,MJ,${27 + bump}`);
  }
  return `${lines.join('\n')}\n`;
}

let ws: Workspace & { dir: string };
let handlers: ReturnType<typeof createHandlers>;
const files: FileTable = {};
const call = { files, onProgress: () => undefined, signal: new AbortController().signal };

async function ok<M extends Method>(method: M, args: Args<M>): Promise<Results[M]> {
  const result = (await dispatch(handlers, method, args, call)) as CallResult<Results[M]>;
  if (!result.ok) throw new Error(`${method}: ${result.error.message.en}`);
  return result.value;
}
async function refused<M extends Method>(method: M, args: Args<M>): Promise<string> {
  const result = await dispatch(handlers, method, args, call);
  expect(result.ok, method).toBe(false);
  return result.ok ? '' : result.error.message.es;
}
function upload(name: string, content: string): string {
  const fileId = `f-${(Object.keys(files).length + 1).toString(16).padStart(16, '0')}`;
  files[fileId] = { path: writeFile(ws.dir, name, content), name };
  return fileId;
}

beforeAll(() => {
  ws = tempWorkspace();
  handlers = createHandlers(ws, path.join(ws.dir, 'exports'));
});
afterAll(() => ws.close());

describe('saved mappings', () => {
  it('are kept by name, replaced under the same name, listed newest first and deleted', async () => {
    const mapping = { SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number', 'Type'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment', filter: { column: 'Type', values: ['Lecture'] } };
    await ok('saveMapping', { name: 'UVA', mapping, periodFromName: true, headers: ['Mnemonic', 'Number', 'Type', 'Days1', 'Enrollment'] });
    await ok('saveMapping', { name: 'Sede Norte', mapping: { SEDE: 'Local' }, headers: ['Local'] });
    const again = await ok('saveMapping', { name: 'uva', mapping: { ...mapping, HORARIO_ACTUAL: 'Days2' }, periodFromName: true, headers: [] });
    expect(again).toMatchObject({ name: 'uva', period_from_name: true, mapping: { HORARIO_ACTUAL: 'Days2', filter: { column: 'Type', values: ['Lecture'] } } });
    const listed = await ok('mappings', {});
    expect(listed.map((m) => m.name)).toEqual(['uva', 'Sede Norte']);
    expect(await ok('deleteMapping', { name: 'UVA' })).toEqual({ deleted: true });
    expect((await ok('mappings', {})).map((m) => m.name)).toEqual(['Sede Norte']);
  });

  it('refuse a mapping the command line could not read', async () => {
    const result = await dispatch(handlers, 'saveMapping', { name: 'x', mapping: { SEDE: 3 }, headers: [] }, call);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });
});

describe('an import set aside and restored', () => {
  let first: string;
  let fix: string;
  it('gives its periods back to the import used before it, and takes them again when restored', async () => {
    const a = await ok('importFiles', { files: [{ fileId: upload('enero-junio.csv', months(1, 6)) }] });
    const b = await ok('importFiles', { files: [{ fileId: upload('junio-corregido.csv', months(6, 6, 1).split('\n').filter((l, i) => i === 0 || l.startsWith('202406')).join('\n')) }] });
    first = a.reports[0]!.snapshot_id!;
    fix = b.reports[0]!.snapshot_id!;
    const juneStudents = async () => (await ok('status', {})).data!.students_last_period;
    expect(await juneStudents()).toBe(27 + 13 + 7 + 28);

    await ok('setAsideSnapshot', { id: fix, reason: 'el archivo corregido tenía un error' });
    expect(await juneStudents()).toBe(26 + 12 + 6 + 27);
    const snapshots = await ok('snapshots', {});
    expect(snapshots.find((s) => s.id === fix)).toMatchObject({ set_aside: true, periods_in_use: [] });
    expect(snapshots.find((s) => s.id === first)).toMatchObject({ set_aside: false });
    expect(await refused('reopenSnapshot', { id: fix })).toBe('La importación de junio-corregido.csv está apartada: restáurela para volver a usarla.');
    expect(await refused('setAsideSnapshot', { id: fix })).toBe('La importación de junio-corregido.csv ya está apartada.');

    await ok('restoreSnapshot', { id: fix });
    expect(await juneStudents()).toBe(27 + 13 + 7 + 28);
    expect(await refused('restoreSnapshot', { id: fix })).toMatch(/no está apartada/);
    const log = await ok('audit', { what: ['import_set_aside', 'import_restored'] });
    expect(log.map((e) => e.what)).toEqual(['import_restored', 'import_set_aside']);
    expect(log[1]).toMatchObject({ to: fix, reason: { es: 'el archivo corregido tenía un error' }, details: { file: 'junio-corregido.csv' } });
  });

  it('an import that alone provides its periods takes them out of the data', async () => {
    await ok('setAsideSnapshot', { id: first });
    expect((await ok('status', {})).data).toMatchObject({ first_period: '202406', last_period: '202406', periods: 1 });
    await ok('restoreSnapshot', { id: first });
    expect((await ok('status', {})).data).toMatchObject({ first_period: '202401', periods: 6 });
  });
});

describe("a planner's own number for a class", () => {
  let forecastId: string;
  beforeAll(async () => {
    await ok('train', { candidates: ['last_value'], backtestPeriods: 1 });
    forecastId = (await ok('forecast', {})).report.forecast_id;
  });

  it('is kept beside the model’s number, changes the decision, and is on the audit log; the model’s forecast is not touched', async () => {
    const before = (await ok('lastForecast', {}))!;
    const row = before.rows.find((r) => r.SEDE === 'NORTE' && r.CURSO_ACTUAL === 'BAS02')!;
    expect(row.decision).toBe('open');
    const saved = await ok('overrideForecast', { forecastId, site: 'NORTE', course: 'BAS02', schedule: 'LMV', students: 4, note: 'se fue la profesora' });
    expect(saved).toMatchObject({ students: 4, note: 'se fue la profesora' });
    const after = (await ok('lastForecast', {}))!;
    expect(after.overrides).toHaveLength(1);
    const changed = after.rows.find((r) => r.SEDE === 'NORTE' && r.CURSO_ACTUAL === 'BAS02')!;
    expect(changed).toMatchObject({ PREDICT_ALUMNOS: row.PREDICT_ALUMNOS, decision: 'do_not_open' });
    expect(ws.db.prepare(`SELECT predicted FROM forecast_row WHERE forecast_id = ? AND site = 'NORTE' AND course = 'BAS02'`).pluck().get(forecastId)).toBe(row.PREDICT_ALUMNOS);
    const [entry] = await ok('audit', { what: ['forecast_override'], limit: 1 });
    expect(entry).toMatchObject({ from: null, to: '4', reason: { es: 'se fue la profesora' }, details: { site: 'NORTE', course: 'BAS02', predicted: row.PREDICT_ALUMNOS } });
  });

  it('needs a note, and a class the forecast has', async () => {
    expect(await refused('overrideForecast', { forecastId, site: 'NORTE', course: 'BAS02', schedule: 'LMV', students: 9, note: ' ' })).toBe('Escriba por qué cambia el número: queda junto al pronóstico y en el registro.');
    expect(await refused('overrideForecast', { forecastId, site: 'NORTE', course: 'BAS09', schedule: 'LMV', students: 9, note: 'x' })).toMatch(/^El pronóstico no tiene la clase NORTE · BAS09 · LMV/);
  });

  it('stays with a new forecast of the same period, and can be removed', async () => {
    const next = await ok('forecast', {});
    expect(next.overrides).toMatchObject([{ site: 'NORTE', course: 'BAS02', students: 4 }]);
    expect(await ok('overrideForecast', { forecastId: next.report.forecast_id, site: 'NORTE', course: 'BAS02', schedule: 'LMV', students: null, note: '' })).toBeNull();
    expect(((await ok('lastForecast', {}))!).overrides).toEqual([]);
    // The earlier forecast keeps its own, and can be reopened by its id.
    expect(((await ok('lastForecast', { forecastId }))!).overrides).toHaveLength(1);
  });
});

describe('exports', () => {
  it('of what the screen shows: the filter’s rows, headers in words, ";" and the planners’ numbers', async () => {
    const { report } = (await ok('lastForecast', {}))!;
    await ok('overrideForecast', { forecastId: report.forecast_id, site: 'SUR', course: 'BAS02', schedule: 'MJ', students: 30, note: 'convenio con una empresa' });
    const file = await ok('exportForecast', { format: 'csv', delimiter: ';', filter: { site: 'SUR' }, headers: 'plain', locale: 'es' });
    expect(file.fileName).toBe('pronostico-202407-filtrado.csv');
    const text = fs.readFileSync(path.join(ws.dir, 'exports', file.exportId, file.fileName), 'utf8').replace(/^\uFEFF/, '');
    const [head, ...rows] = Papa.parse<string[]>(text.trim(), { delimiter: ';' }).data;
    expect(head!.slice(0, 5)).toEqual(['Periodo', 'Sede', 'Curso', 'Horario', 'Alumnos pronosticados']);
    expect(head!.slice(-2)).toEqual(['Alumnos según la coordinación', 'Nota del cambio']);
    expect(rows.map((r) => r[1])).toEqual(['SUR', 'SUR']);
    expect(rows.find((r) => r[2] === 'BAS02')!.slice(-2)).toEqual(['30', 'convenio con una empresa']);
    expect(rows[0]![9]).toBe('Continúa');
  });

  it('of everything as a workbook: a title, the date, totals per site and per course', async () => {
    const file = await ok('exportForecast', { format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path.join(ws.dir, 'exports', file.exportId, file.fileName));
    const main = book.worksheets[0]!;
    expect(main.getRow(1).getCell(1).value).toBe('Pronóstico de jul. 2024');
    expect(String(main.getRow(2).getCell(1).value)).toMatch(/^Exportado el .+: 4 clases y \d+ alumnos\.$/);
    expect(main.getRow(3).getCell(1).value).toBe('Sin filtros: todas las clases.');
    expect((main.getRow(5).values as unknown[]).slice(1, 6)).toEqual(['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS']);
    expect(main.rowCount).toBe(5 + 4);
    const bySite = book.getWorksheet('Por sede')!;
    expect(bySite.getRow(1).values).toEqual([undefined, 'Sede', 'Clases', 'Alumnos pronosticados', 'Alumnos según la coordinación']);
    expect((bySite.getRow(4).values as unknown[])[1]).toBe('Total');
    expect(book.getWorksheet('Por curso')!.rowCount).toBe(1 + 2 + 1);
  });

  it('of an earlier forecast, by its id', async () => {
    const history = await ok('history', {});
    const oldest = history.forecasts.at(-1)!;
    const file = await ok('exportForecast', { format: 'csv', forecastId: oldest.id });
    expect(file.fileName).toBe('pronostico-202407.csv');
    const [entry] = await ok('audit', { what: ['forecast_exported'], limit: 1 });
    expect(entry!.to).toBe(oldest.id);
  });
});

describe('class sizes per site or course', () => {
  it('judge each class by the most specific rule that names it', async () => {
    const settings = { minClassSize: 8, maxClassSize: 25, classSizes: [{ site: 'SUR', minClassSize: 5, maxClassSize: 40 }, { course: 'bas02', minClassSize: 15, maxClassSize: 20 }, { site: 'SUR', course: 'BAS02', minClassSize: 10, maxClassSize: 30 }] };
    expect(sizesFor(settings, 'SUR', 'BAS02')).toEqual({ minClassSize: 10, maxClassSize: 30, scope: 'site_course' });
    expect(sizesFor(settings, 'NORTE', 'BAS02')).toEqual({ minClassSize: 15, maxClassSize: 20, scope: 'course' });
    expect(sizesFor(settings, 'sur ', 'BAS01')).toEqual({ minClassSize: 5, maxClassSize: 40, scope: 'site' });
    expect(sizesFor(settings, 'NORTE', 'BAS01')).toEqual({ minClassSize: 8, maxClassSize: 25, scope: 'school' });
  });

  it('are saved in Settings and decide the forecast, and the report’s classes at risk', async () => {
    const current = await ok('getSettings', {});
    const atRisk = () => gatherManagementReport(ws.reader).risk.classes.map((c) => `${c.site} ${c.course}`);
    expect(atRisk()).toContain('SUR BAS01');
    const plain = ((await ok('lastForecast', {}))!).rows.find((r) => r.SEDE === 'SUR' && r.CURSO_ACTUAL === 'BAS02')!;
    expect(plain.sections).toBe(2);
    await ok('saveSettings', { ...current, classSizes: [{ site: 'SUR', minClassSize: 5, maxClassSize: 40 }] });
    const judged = ((await ok('lastForecast', {}))!).rows.filter((r) => r.SEDE === 'SUR');
    expect(judged.find((r) => r.CURSO_ACTUAL === 'BAS02')!.sections).toBe(1);
    expect(atRisk()).not.toContain('SUR BAS01');
    expect(await refused('saveSettings', { ...current, classSizes: [{ minClassSize: 5, maxClassSize: 40 }] })).toBe('Cada tamaño particular debe indicar una sede, un curso o ambos.');
    expect(await refused('saveSettings', { ...current, classSizes: [{ course: 'X', minClassSize: 50, maxClassSize: 40 }] })).toBe('En un tamaño particular, el mínimo no puede ser mayor que el máximo.');
  });
});

describe('the inbox and outbox folders of Settings', () => {
  it('are refused in words when they do not exist, and saved when they do', async () => {
    const current = await ok('getSettings', {});
    const missing = path.join(ws.dir, 'no-existe');
    expect(await refused('saveSettings', { ...current, inboxFolder: missing })).toBe(`La carpeta de entrada «${missing}» no existe en esta computadora (o no es una carpeta): créela o escriba la ruta de una que exista.`);
    const inbox = path.join(ws.dir, 'entrada');
    fs.mkdirSync(inbox);
    expect(await ok('saveSettings', { ...current, inboxFolder: inbox, outboxFolder: null })).toMatchObject({ inboxFolder: inbox, outboxFolder: null });
  });
});
