import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alertsAfterImport } from '../alerts/sources';
import { listAlerts } from '../alerts/alerts';
import { importFiles } from '../snapshots/import-files';
import { crown, registerModel } from '../registry/models';
import { demoFiles, tempWorkspace, writeFile } from '../testing/fixtures';
import type { Workspace } from '../workspace';
import { driftReport, latestDrift } from './report';

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
const COURSES = ['BAS01', 'BAS02', 'BAS03', 'BAS04', 'BAS05', 'BAS06'];
const SCHEDULES = ['LMV 07:00', 'LMV 19:00', 'SAB 08:00'];
const SITES = { NORTE: 1.5, SUR: 1.0, CENTRO: 1.2, ESTE: 0.8 } as Record<string, number>;

let ws: (Workspace & { dir: string }) | undefined;
afterEach(() => {
  ws?.close();
  ws = undefined;
});

/** A steady institute: every class around 12 × the site's size, ±15 %, from a fixed seed. */
function rows(period: string, sites: Record<string, { size: number; as?: string }>, seed: number): string[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: string[] = [];
  for (const [site, { size, as }] of Object.entries(sites)) {
    for (const course of COURSES) for (const schedule of SCHEDULES) out.push(`${period},${as ?? site},${course},${schedule},${Math.round(12 * size * (0.85 + 0.3 * random()))}`);
  }
  return out;
}

function months(from: string, count: number): string[] {
  const [y, m] = from.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => `${y + Math.floor((m - 1 + i) / 12)}${String(((m - 1 + i) % 12) + 1).padStart(2, '0')}`);
}

const steady = Object.fromEntries(Object.entries(SITES).map(([s, size]) => [s, { size }]));

async function importHistory(w: Workspace & { dir: string }) {
  const lines = months('2025-01', 14).flatMap((p, i) => rows(p, steady, 1000 + i));
  await importFiles(w.db, [{ file: writeFile(w.dir, 'historia.csv', `${HEADER}\n${lines.join('\n')}\n`) }], { key: w.key });
}

async function importMonth(w: Workspace & { dir: string }, sites: Record<string, { size: number; as?: string }>) {
  const file = writeFile(w.dir, 'marzo.csv', `${HEADER}\n${rows('202603', sites, 2026).join('\n')}\n`);
  const outcome = await importFiles(w.db, [{ file }], { key: w.key });
  const snapshotIds = outcome.reports.map((r) => r.snapshot_id!).filter(Boolean);
  const report = driftReport(w.db, { trigger: 'import', snapshotIds });
  alertsAfterImport(w.db, { snapshotIds, drift: report });
  return report!;
}

describe('drift report after an import', () => {
  it('raises high alerts naming a site that vanished, one renamed and one halved, each with its action', async () => {
    ws = tempWorkspace();
    await importHistory(ws);
    const report = await importMonth(ws, { NORTE: { size: 1.5 }, SUR: { size: 0.5 }, CENTRO: { size: 1.2, as: 'CENTRO HISTORICO' } });

    expect(report.periods).toEqual(['2026-03']);
    expect(report.reference).toMatchObject({ basis: 'previous', periods: ['2025-12', '2026-01', '2026-02'] });
    const vanished = report.findings.find((f) => f.kind === 'vanished' && f.scope.site === 'ESTE')!;
    expect(vanished.severity).toBe('high');
    expect(vanished.size).toBeGreaterThan(0.15);
    expect(vanished.message.es).toMatch(/^La sede ESTE no aparece en mar\. 2026 y tenía 1\d% de los alumnos/);
    const renamed = report.findings.find((f) => f.kind === 'renamed')!;
    expect(renamed.scope).toMatchObject({ dimension: 'site', site: 'CENTRO HISTORICO', previous: 'CENTRO' });
    expect(report.findings.some((f) => f.kind === 'vanished' && f.scope.site === 'CENTRO')).toBe(false);
    const halved = report.findings.find((f) => f.kind === 'volume' && f.scope.site === 'SUR')!;
    expect(halved.severity).toBe('high');
    expect(halved.size).toBeLessThan(-0.4);

    const high = listAlerts(ws.db, { state: 'open' }).filter((a) => a.severity === 'high' || a.severity === 'critical');
    const about = (re: RegExp) => high.find((a) => re.test(a.message.es))!;
    expect(about(/sede ESTE no aparece/).action.es).toMatch(/^Reentrene el modelo: la sede ESTE no aparece en mar\. 2026 y tenía \d+% de los alumnos/);
    expect(about(/sede CENTRO no aparece.*CENTRO HISTORICO/).action.es).toMatch(/corríjalo en el archivo o en el mapeo/);
    expect(about(/sede SUR tiene/).action.en).toMatch(/^Check that the file is complete and retrain the model: site SUR has \d+ students in Mar 2026, \d+% fewer/);
    expect(high.every((a) => a.category === 'drift' && a.period === '202603')).toBe(true);

    expect(latestDrift(ws.db)!.id).toBe(report.id);
    expect(report.charts.movers.find((m) => m.dimension === 'site')!.items.map((i) => i.name)).toContain('ESTE');
    expect(report.charts.features.map((f) => f.column)).toEqual(expect.arrayContaining(['class_size', 'site_mix', 'course_mix', 'schedule_mix']));
    expect(report.charts.features.every((f) => f.caption.es.length > 0 && f.caption.en.length > 0)).toBe(true);
  });

  it('keeps the alerts of lasting changes open the month after, and compares with the champion once a model serves', async () => {
    ws = tempWorkspace();
    await importHistory(ws);
    const platinum = ws.db.prepare(`SELECT id FROM dataset_version WHERE kind = 'platinum'`).pluck().get() as string;
    ws.db.prepare(`INSERT INTO training_run VALUES ('run-1', 'now', 1, '0', 42, '{}', ?, ?, ?, '["2025-12","2026-01","2026-02"]', 'last_value')`).run(platinum, platinum, platinum);
    crown(ws.db, registerModel(ws.db, { run_id: 'run-1', candidate: 'last_value', backtest_wape: 0.1, platinum_version: platinum, features_version: platinum, target_version: platinum, params: {}, artifact: { kind: 'last_value' } as never }), { how: 'train', reason: 'test' });
    const march = await importMonth(ws, { NORTE: { size: 1.5 }, SUR: { size: 0.5 }, CENTRO: { size: 1.2 } });
    expect(march.reference).toMatchObject({ basis: 'champion', run_id: 'run-1', platinum_version: platinum, periods: ['2025-12', '2026-01', '2026-02'] });
    const file = writeFile(ws.dir, 'abril.csv', `${HEADER}\n${rows('202604', { NORTE: { size: 1.5 }, SUR: { size: 0.5 }, CENTRO: { size: 1.2 } }, 2027).join('\n')}\n`);
    const outcome = await importFiles(ws.db, [{ file }], { key: ws.key });
    const snapshotIds = outcome.reports.map((r) => r.snapshot_id!);
    const april = driftReport(ws.db, { snapshotIds })!;
    alertsAfterImport(ws.db, { snapshotIds, drift: april });
    // Still against the champion's months: ESTE is still missing, said again, merged into the same alert.
    const este = listAlerts(ws.db, { state: 'open' }).find((a) => a.key === 'drift:vanished:site:ESTE')!;
    expect(este).toMatchObject({ occurrences: 2, period: '202604' });
    expect(este.message.es).toMatch(/^La sede ESTE no aparece desde mar\. 2026/);
    expect(listAlerts(ws.db, { state: 'open' }).some((a) => a.key === 'drift:volume:site:SUR:down')).toBe(true);
  });

  it('raises no high alert when the same period arrives unchanged', async () => {
    ws = tempWorkspace();
    await importHistory(ws);
    const report = await importMonth(ws, steady);
    expect(report.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([]);
    expect(listAlerts(ws.db).filter((a) => a.severity === 'high' || a.severity === 'critical')).toEqual([]);
  });

  it('gives the stored report again for the same data, and examines a period asked for by name', async () => {
    ws = tempWorkspace();
    await importHistory(ws);
    const first = driftReport(ws.db)!;
    expect(driftReport(ws.db)!.id).toBe(first.id);
    const asked = driftReport(ws.db, { periods: ['202510'] })!;
    expect(asked.periods).toEqual(['2025-10']);
    expect(asked.trigger).toBe('on_demand');
    expect(() => driftReport(ws!.db, { periods: ['203001'] })).toThrow(/not in the imported data/);
  });

  it('tells a slow slide from a one-period jump in the totals', async () => {
    ws = tempWorkspace();
    // Two steady years, then a year in which every month is 3 % smaller than the month before.
    const lines = months('2023-01', 36).flatMap((p, i) => {
      const size = i < 24 ? 1 : 0.97 ** (i - 23);
      return rows(p, { NORTE: { size }, SUR: { size } }, 7 + i);
    });
    await importFiles(ws.db, [{ file: writeFile(ws.dir, 'slide.csv', `${HEADER}\n${lines.join('\n')}\n`) }], { key: ws.key });
    const slide = driftReport(ws.db)!.findings.find((f) => f.kind === 'trend' && f.scope.dimension === 'total')!;
    expect(slide.detail.pattern).toBe('gradual');
    expect(slide.message.en).toMatch(/gradually/);
  });
});

describe('no crying wolf on the demo institute', () => {
  it('raises high drift only where the demo really changes (a schedule closes in 2025-04)', async () => {
    ws = tempWorkspace();
    await importFiles(ws.db, demoFiles().map((file) => ({ file })), { key: ws.key });
    const periods = (ws.db.prepare(`SELECT DISTINCT period FROM platinum_class ORDER BY period`).pluck().all() as string[]).slice(1);
    const high: string[] = [];
    for (const period of periods) {
      for (const f of driftReport(ws.db, { periods: [period] })!.findings) if (f.severity === 'high' || f.severity === 'critical') high.push(`${period} ${f.message.en}`);
    }
    expect(high).toHaveLength(1);
    expect(high[0]).toMatch(/^2025-04 Schedule LMV 15:00-17:00 does not appear in Apr 2025/);
  }, 60_000);
});

// Keeps the fixtures honest: the demo files exist where the test expects them.
it('finds the demo files', () => {
  expect(demoFiles().every((f) => fs.existsSync(f) && path.extname(f) === '.csv')).toBe(true);
});
