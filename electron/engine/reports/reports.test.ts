import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/contract';
import { listAudit } from '../audit/audit';
import { runCli } from '../cli/run';
import { dispatch } from '../host/dispatch';
import type { CallContext } from '../host/call';
import { createHandlers } from '../host/handlers';
import { accuracyHistory } from '../monitor/scores';
import { demoFiles, tempWorkspace } from '../testing/fixtures';
import { reportWords } from './format';
import { gatherManagementReport } from './management';
import { gatherModelCard } from './model-card';
import { winAnsi } from './pdf';
import { managementSentences, renderManagementReport } from './render-management';
import { modelCardSentences } from './render-model-card';
import type { ManagementReport } from './types';

/** How the demo's reports write (monthly data written 202611; Settings leave the region to the language). */
const words = (lang: 'es' | 'en') => reportWords(lang, null, { frequency: 'month', style: 'yyyymm' }).f;

/** poppler's pdftotext, when installed (`npm test` installs it on Debian as root: test/ensure-poppler.ts). */
const pdftotext = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((f) => fs.existsSync(f)) ?? null;
const NO_POPPLER = 'pdftotext (poppler-utils) is not installed: the PDF text is not read back';
if (!pdftotext) console.warn(`${NO_POPPLER}; run "apt-get install poppler-utils".`);

/** The text of a PDF, as a person copying it would get it (whitespace folded, lines joined). */
function textOf(file: string): string {
  return execFileSync(pdftotext!, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** Spaces as pdftotext gives them back (Intl writes "17,7 %" with a no-break space). */
const folded = (s: string) => s.replace(/\s+/g, ' ');

/** Pages of a PDF, counted from its page objects (no tool needed). */
function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

const FAST = ['last_value', 'moving_average', 'cohort_progression'] as const;
const ws = tempWorkspace();
const exportsDir = path.join(ws.dir, 'exports');
const handlers = createHandlers(ws, exportsDir);
const [older, newer] = demoFiles();
const files = { 'f-00000000000000a1': { path: older!, name: path.basename(older!) }, 'f-00000000000000a2': { path: newer!, name: path.basename(newer!) } };

function context(overrides: Partial<CallContext> = {}): CallContext {
  return { files, onProgress: () => undefined, signal: new AbortController().signal, ...overrides };
}

async function call(method: string, args: unknown, ctx: CallContext = context()) {
  const result = await dispatch(handlers, method, args, ctx);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.value as never;
}

function exported(download: { exportId: string; fileName: string }): string {
  return path.join(exportsDir, download.exportId, download.fileName);
}

// The year the demo institute was made in: a forecast of 202501 is scored by the newer file, then 202611 is planned.
beforeAll(async () => {
  await call('importFiles', { files: [{ fileId: 'f-00000000000000a1' }] });
  await call('train', { candidates: [...FAST] });
  await call('forecast', {});
  await call('exportForecast', { format: 'csv' });
  const imported = (await call('importFiles', { files: [{ fileId: 'f-00000000000000a2' }] })) as { scoring: { scored: unknown[] } };
  expect(imported.scoring.scored).toHaveLength(1);
  await call('forecast', {});
});
afterAll(() => ws.close());

describe('the management report on the demo institute', () => {
  it('gathers the coming period: totals per site against the same month a year before, risks, closures, accuracy', () => {
    const r = gatherManagementReport(ws.reader);
    expect(r.period).toBe('2026-11');
    expect(r.lastYear?.period).toBe('2025-11');
    expect(r.totals.students).toBe(r.sites.reduce((a, s) => a + s.students, 0));
    expect(r.totals.classes).toBe(r.sites.reduce((a, s) => a + s.classes, 0));
    expect(r.lastYear!.students).toBe(r.sites.reduce((a, s) => a + (s.lastYear?.students ?? 0), 0));
    // The forecast carries its 80 % interval: the risk is judged on its low end.
    expect(r.risk.basis).toBe('p10');
    expect(r.risk.classes.every((c) => (c.low ?? c.students) < r.classSizes.min)).toBe(true);
    expect(r.totals.atRisk).toBe(r.risk.classes.length);
    expect(r.closing.lastPeriod).toBe('2026-10');
    expect(r.accuracy.periods.map((p) => p.period)).toEqual(['2025-01']);
    expect(r.alerts).toEqual([]);
    // Same data, same report: the PDF's date is the data's.
    expect(gatherManagementReport(ws.reader)).toEqual(r);
  });

  it('writes one or two pages through the contract, with progress, and logs it', async () => {
    const progress: ProgressEvent[] = [];
    const download = (await call('report', {}, context({ onProgress: (e) => progress.push(e) }))) as { exportId: string; fileName: string };
    expect(download.fileName).toBe('informe-202611.pdf');
    const file = exported(download);
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(1);
    expect(pageCount(pdf)).toBeLessThanOrEqual(2);
    expect(progress.map((e) => e.done)).toEqual([0, 1, 2, 3]);
    expect(progress.every((e) => e.stage === 'report' && e.total === 3)).toBe(true);
    expect(listAudit(ws.reader, { what: ['report_written'] })[0]).toMatchObject({ what: 'report_written', to: 'informe-202611.pdf', details: { kind: 'management', period: '202611' } });
    expect(fs.readdirSync(path.dirname(file))).toEqual([download.fileName]);
  });

  it.skipIf(!pdftotext)('reads in Spanish: the period, the totals, the risk, the accuracy sentence', async () => {
    const r = gatherManagementReport(ws.reader);
    const text = textOf(exported((await call('report', { locale: 'es' })) as { exportId: string; fileName: string }));
    const last = accuracyHistory(ws.reader).periods.at(-1)!;
    expect(text).toContain(folded('Informe de matrícula — nov. 2026'));
    expect(text).toContain(folded(`Se esperan ${words('es').int(r.totals.students)} alumnos en ${words('es').int(r.totals.classes)} clases (nov. 2025: ${words('es').int(r.lastYear!.students)} alumnos`));
    expect(text).toContain(folded(`${words('es').int(r.totals.atRisk)} clases podrían no llegar al mínimo de ${r.classSizes.min}`));
    expect(text).toContain(folded(`el de ene. 2025, se equivocó en ${words('es').pct(last.wape)} de los alumnos; las pruebas prometían ${words('es').pct(last.expected_wape)}`));
    expect(text).toContain(folded('Se compara el escenario bajo de cada clase (p10'));
    expect(text).toContain(folded('Alertas abiertas'));
    expect(text).toContain(folded('Reentrene el modelo'));
    for (const site of r.sites) expect(text).toContain(folded(site.site));
    expect(text).not.toMatch(/[?]{2}|\uFFFD/);
  });

  it.skipIf(!pdftotext)('reads in English when asked', async () => {
    const r = gatherManagementReport(ws.reader);
    const download = (await call('report', { locale: 'en' })) as { exportId: string; fileName: string };
    expect(download.fileName).toBe('report-202611.pdf');
    const text = textOf(exported(download));
    expect(text).toContain(folded('Enrolment report — Nov 2026'));
    expect(text).toContain(folded(`${words('en').int(r.totals.students)} students are expected in ${words('en').int(r.totals.classes)} classes`));
    expect(text).toContain(folded('was off by'));
  });

  it('is the same file for the same data', async () => {
    const r = gatherManagementReport(ws.reader);
    const [a, b] = await Promise.all([renderManagementReport(r, 'es'), renderManagementReport(r, 'es')]);
    expect(a.equals(b)).toBe(true);
  });

  it('stops when cancelled, and leaves no file behind', async () => {
    const before = fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir).length : 0;
    const controller = new AbortController();
    const result = await dispatch(handlers, 'report', {}, context({ signal: controller.signal, onProgress: (e) => e.done === 1 && controller.abort() }));
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const dirs = fs.existsSync(exportsDir) ? fs.readdirSync(exportsDir) : [];
    expect(dirs.length).toBe(before);
  });

  it('says what to do when the period asked for has no forecast', async () => {
    const result = await dispatch(handlers, 'report', { period: '202703' }, context());
    expect(result).toMatchObject({ ok: false, error: { code: 'failed' } });
    if (!result.ok) expect(result.error.message.es).toContain('mar. 2027');
  });
});

describe('the risk section', () => {
  const base = (): ManagementReport => gatherManagementReport(ws.reader);

  it('says it compares the point forecast with the minimum when the rows carry no interval', () => {
    const r = base();
    const s = managementSentences({ ...r, risk: { ...r.risk, basis: 'point' as const } }, 'es');
    expect(s.risk).toContain('Se compara el pronóstico de cada clase con el mínimo');
    expect(s.headline).toMatch(/^Se esperan [\d.,]+ alumnos en [\d.,]+ clases \(nov\. 2025: /);
  });

  it('says it compares the low end (p10) when the rows carry one', () => {
    const r = base();
    const p10 = { ...r, risk: { ...r.risk, basis: 'p10' as const } };
    expect(managementSentences(p10, 'es').risk).toContain('escenario bajo de cada clase (p10');
    expect(managementSentences(p10, 'en').risk).toContain('low scenario (p10');
  });
});

describe('what other steps will feed the report', () => {
  it('draws the low scenario column when the forecast has intervals, and the alerts that matter', async () => {
    const alerts = [
      { severity: 'low' as const, message: { es: 'Detalle menor.', en: 'Minor detail.' }, action: { es: 'Nada.', en: 'Nothing.' } },
      { severity: 'high' as const, message: { es: 'La sede SURCO cayó un 30 %.', en: 'SURCO fell by 30%.' }, action: { es: 'Revise sus datos.', en: 'Check its data.' } },
    ];
    const r = gatherManagementReport(ws.reader, { alerts });
    expect(r.alerts.map((a) => a.severity)).toEqual(['high']);
    const p10: ManagementReport = { ...r, risk: { ...r.risk, basis: 'p10', classes: r.risk.classes.map((c) => ({ ...c, low: Math.max(0, c.students - 2) })) } };
    const pdf = await renderManagementReport(p10, 'es');
    expect(pageCount(pdf)).toBeLessThanOrEqual(2);
    if (!pdftotext) return console.warn(NO_POPPLER);
    const file = path.join(ws.dir, 'p10.pdf');
    fs.writeFileSync(file, pdf);
    const text = textOf(file);
    expect(text).toContain('Escenario bajo');
    expect(text).toContain('Alta: La sede SURCO cayó un 30 %. Revise sus datos.'.replace(/\s+/g, ' '));
    expect(text).not.toContain('Detalle menor');
  });
});

describe('the model card', () => {
  it('gathers the data it learned from, every candidate, the error per site and who made it serve', () => {
    const card = gatherModelCard(ws.reader);
    expect(card.candidates.map((c) => c.candidate).sort()).toEqual([...FAST].sort());
    expect(card.candidates.filter((c) => c.chosen)).toHaveLength(1);
    expect(card.data.snapshots.map((s) => s.file)).toEqual([path.basename(older!)]);
    expect(card.model.stale).toBe(true);
    expect(card.sites.length).toBeGreaterThan(1);
    for (const s of card.sites) expect(s.flagged).toBe(s.wape > 1.5 * card.model.backtestWape);
    expect(card.tenures[0]).toMatchObject({ how: 'train', to: null });
    expect(card.real.map((r) => r.period)).toEqual(['2025-01']);
    expect(card.folds.map((f) => f.period)).toEqual(card.run.backtestPeriods);
    expect(card.coverage?.nominal).toBe(0.8);
    expect(card.coverage?.observed).toBeGreaterThan(0.6);
    const s = modelCardSentences(card, 'es');
    expect(s.limits[0]).toContain('Se entrenó antes de la última importación');
  });

  it.skipIf(!pdftotext)('shows the candidates and the error per site', async () => {
    const card = gatherModelCard(ws.reader);
    const download = (await call('report', { modelCard: true, locale: 'es' })) as { exportId: string; fileName: string };
    expect(download.fileName).toBe(`ficha-modelo-${card.model.id}.pdf`);
    const pdf = fs.readFileSync(exported(download));
    expect(pageCount(pdf)).toBeLessThanOrEqual(2);
    const text = textOf(exported(download));
    for (const name of ['Repetir el periodo anterior', 'Promedio de 3 periodos', 'Avance desde el curso previo']) expect(text).toContain(folded(name));
    expect(text).toContain(folded('Error por sede'));
    for (const site of card.sites) expect(text).toContain(folded(`${site.site} (${words('es').int(site.actual)} alumnos)`));
    for (const site of card.sites) expect(text).toContain(folded(words('es').pct(site.wape)));
    expect(text).toContain(folded('Lo que prometió, periodo por periodo'));
    for (const f of card.folds) expect(text).toContain(folded(words('es').signedPct(f.bias)));
    expect(text).toContain(folded('Límites conocidos'));
    expect(text).toContain(folded(reportWords('es', null, card.notation).P(card.data.periods[0]!)));
  });
});

describe('cupo report', () => {
  it('copies the report where --out says', async () => {
    let stdout = '';
    let stderr = '';
    const out = path.join(ws.dir, 'informe.pdf');
    const code = await runCli(['report', '--db', ws.file, '--lang', 'en', '--out', out], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, {});
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`Report written to ${out}`);
    expect(pageCount(fs.readFileSync(out))).toBeLessThanOrEqual(2);
  });
});

describe("the planners' own numbers", () => {
  it('shows them beside the model, says which total is which, and judges their classes by them', async () => {
    const before = gatherManagementReport(ws.reader);
    expect(before.own).toBeNull();
    const forecast = (await call('lastForecast', {})) as { report: { forecast_id: string }; rows: { SEDE: string; CURSO_ACTUAL: string; HORARIO_ACTUAL: string; PREDICT_ALUMNOS: number; decision: string }[] };
    expect(forecast.report.forecast_id).toBe(before.forecast.id);
    // A class the model would open, not at risk even at its low end; the planner knows its teacher left.
    const risky = new Set(before.risk.classes.map((c) => `${c.site}|${c.course}|${c.schedule}`));
    const row = forecast.rows.find((r) => r.decision === 'open' && !risky.has(`${r.SEDE}|${r.CURSO_ACTUAL}|${r.HORARIO_ACTUAL}`))!;
    const klass = { forecastId: before.forecast.id, site: row.SEDE, course: row.CURSO_ACTUAL, schedule: row.HORARIO_ACTUAL };
    await call('overrideForecast', { ...klass, students: 0, note: 'Se fue la profesora' });
    try {
      const r = gatherManagementReport(ws.reader);
      expect(r.totals.students).toBe(before.totals.students);
      expect(r.own).toEqual({ planned: before.totals.students - row.PREDICT_ALUMNOS, classes: [expect.objectContaining({ site: row.SEDE, course: row.CURSO_ACTUAL, schedule: row.HORARIO_ACTUAL, students: row.PREDICT_ALUMNOS, own: 0, note: 'Se fue la profesora' })] });
      expect(r.sites.find((x) => x.site === row.SEDE)!.planned).toBe(before.sites.find((x) => x.site === row.SEDE)!.students - row.PREDICT_ALUMNOS);
      expect(r.totals.atRisk).toBe(before.totals.atRisk + 1);
      expect(r.risk.classes[0]).toMatchObject({ site: row.SEDE, course: row.CURSO_ACTUAL, schedule: row.HORARIO_ACTUAL, own: 0 });
      expect(r.risk.classes[0]!.low).toBeGreaterThanOrEqual(r.classSizes.min);

      const pdf = (await call('report', { locale: 'es' })) as { exportId: string; fileName: string };
      expect(pageCount(fs.readFileSync(exported(pdf)))).toBeLessThanOrEqual(2);
      if (!pdftotext) return console.warn(NO_POPPLER);
      const es = textOf(exported(pdf));
      const int = words('es').int;
      expect(es).toContain(folded(`Las cifras de alumnos son las del modelo. La coordinación puso su propio número en 1 clase: con él se esperan ${int(r.own!.planned)} alumnos (el modelo pronostica ${int(r.totals.students)}); esas clases se deciden por ese número.`));
      expect(es).toContain(folded('Las clases con número propio de la coordinación se comparan por ese número.'));
      expect(es).toContain(folded('Números propios de la coordinación'));
      expect(es).toContain(folded('Se fue la profesora'));
      expect(es).toContain(folded('Número propio'));
      // The site table: the planners' total beside the model's, under a header that is read whole.
      expect(es).toContain(folded('Coordinación'));
      expect(es).toContain(folded(`Total ${int(r.totals.students)} ${int(r.own!.planned)} ${int(r.totals.classes)}`));
      expect(es).not.toMatch(/[A-Za-zíó]…/);
      const en = textOf(exported((await call('report', { locale: 'en' })) as { exportId: string; fileName: string }));
      expect(en).toContain(folded(`Planners set their own number for 1 class: with it, ${words('en').int(r.own!.planned)} students are expected (the model forecasts ${words('en').int(r.totals.students)})`));
      expect(en).toContain(folded('Planners’ own numbers'));
      expect(en).not.toMatch(/[A-Za-z]…/);
    } finally {
      await call('overrideForecast', { ...klass, students: null, note: '' });
    }
  });
});

describe('text the standard fonts can write', () => {
  it('keeps Spanish and replaces what WinAnsi lacks', () => {
    expect(winAnsi('Año — ¿Sí? «ñandú» 17,7 % …')).toBe('Año — ¿Sí? «ñandú» 17,7 % …');
    expect(winAnsi('a\u202fb → c ≤ d 漢')).toBe('a\u00a0b -> c <= d ?');
  });
});
