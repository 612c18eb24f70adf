import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
const COURSES = ['BAS01', 'BAS02', 'BAS03', 'BAS04', 'BAS05', 'BAS06'];
const SCHEDULES = ['LMV 07:00', 'LMV 19:00', 'SAB 08:00'];

/** Every class around 12 × the site's size, ±15 %, from a fixed seed. */
function rows(period: string, sites: Record<string, number>, seed: number): string[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Object.entries(sites).flatMap(([site, size]) =>
    COURSES.flatMap((course) => SCHEDULES.map((schedule) => `${period},${site},${course},${schedule},${Math.round(12 * size * (0.85 + 0.3 * random()))}`)),
  );
}

const months = Array.from({ length: 14 }, (_, i) => `${2025 + Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, '0')}`);
const steady = { NORTE: 1.5, SUR: 1.0, CENTRO: 1.2, ESTE: 0.8 };

describe('cupo alerts for a scheduled task', () => {
  it('says what changed when an import loses a site, renames one and halves another, and exits 3 with --fail-on high', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cupo.sqlite');
    const history = writeFile(dir, 'historia.csv', `${HEADER}\n${months.flatMap((p, i) => rows(p, steady, 1000 + i)).join('\n')}\n`);
    expect((await cli(['import', history, '--db', db, '--fail-on', 'high'])).code).toBe(0);

    const march = writeFile(dir, 'marzo.csv', `${HEADER}\n${rows('202603', { NORTE: 1.5, SUR: 0.5, 'CENTRO HISTORICO': 1.2 }, 2026).join('\n')}\n`);
    const imported = await cli(['import', march, '--db', db, '--json']);
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result.reports[0].status).toBe('imported');

    const alerts = await cli(['alerts', '--db', db, '--json', '--fail-on', 'high']);
    expect(alerts.code).toBe(3);
    const list = JSON.parse(alerts.stdout) as { id: number; severity: string; category: string; message: { es: string }; action: { es: string }; state: string }[];
    const high = list.filter((a) => a.severity === 'high' || a.severity === 'critical');
    const said = high.map((a) => a.message.es).join('\n');
    expect(said).toMatch(/ESTE/);
    expect(said).toMatch(/CENTRO/);
    expect(said).toMatch(/SUR/);
    for (const a of high) expect(a.action.es.length).toBeGreaterThan(10);
    expect(list[0]).toMatchObject({ state: 'open', category: expect.stringMatching(/drift|data|accuracy|model/) });

    // Once a person has seen them, they no longer fail the scheduled task.
    for (const a of high) expect((await cli(['alerts', '--db', db, '--acknowledge', String(a.id)])).code).toBe(0);
    expect((await cli(['alerts', '--db', db, '--fail-on', 'high'])).code).toBe(0);

    const human = await cli(['drift', '--db', db]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/ESTE/);
    expect((await cli(['alerts', '--db', db, '--fail-on', 'severe'])).code).toBe(2);
  }, 60_000);
});
