import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoFiles, sharedDir, tempDir } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

describe('cupo run, the scheduled task', () => {
  it('imports what is new, retrains, forecasts and writes the outbox; does nothing the second time; scores and retrains on new actuals', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cupo.sqlite');
    const inbox = path.join(dir, 'entrada');
    const outbox = path.join(dir, 'salida');
    fs.mkdirSync(inbox);
    const [older, newer] = demoFiles();
    const run = (...more: string[]) => cli(['run', '--inbox', inbox, '--outbox', outbox, '--db', db, ...more]);

    // 1. The older file: imported, a first model trained, the next period forecast, the CSV and the report written.
    fs.copyFileSync(older!, path.join(inbox, path.basename(older!)));
    const first = await run('--json');
    expect(first.code).toBe(0);
    const one = JSON.parse(first.stdout);
    expect(one).toMatchObject({ imported: 1, refused: 0, nothing_new: false });
    expect(one.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual(['import:done', 'train:done', 'forecast:done', 'outbox:done']);
    expect(fs.readdirSync(outbox).sort()).toEqual(['informe-202501.pdf', 'pronostico-202501-cierres.csv', 'pronostico-202501.csv']);

    // 2. Nothing new: nothing changes, and the run says so in one line per step.
    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/ya importados? antes, sin tocar: matriculas-2023-2024\.csv/);
    expect(second.stdout).toMatch(/Nada nuevo/);
    const audit = JSON.parse((await cli(['audit', '--db', db, '--json'])).stdout) as { what: string }[];
    expect(audit.filter((e) => e.what === 'train')).toHaveLength(1);

    // 3. The newer file brings 202501's actuals: the served forecast is scored, the model retrained, 202611 forecast.
    fs.copyFileSync(newer!, path.join(inbox, path.basename(newer!)));
    const third = await run('--json');
    expect(third.code).toBe(0);
    const three = JSON.parse(third.stdout);
    expect(three.steps[0].message.es).toMatch(/El pronóstico de .*2025.* se equivocó en/);
    expect(three.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual(['import:done', 'import:skipped', 'train:done', 'forecast:done', 'outbox:done']);
    expect(fs.readdirSync(outbox)).toEqual(expect.arrayContaining(['informe-202611.pdf', 'pronostico-202611.csv']));
    const history = JSON.parse((await cli(['audit', '--db', db, '--json'])).stdout) as { what: string; who: string }[];
    expect(history.filter((e) => e.what === 'inbox_run')).toHaveLength(3);
    expect(history.find((e) => e.what === 'inbox_run')!.who).toBe('automático');
  }, 180_000);

  it('processes the good files when one is refused (exit 2), refuses a second run while one holds the lock, and takes over a crashed run\'s lock', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cupo.sqlite');
    const inbox = path.join(dir, 'entrada');
    fs.mkdirSync(inbox);
    const corpus = path.join(sharedDir(), 'corpus');
    fs.copyFileSync(path.join(corpus, 'err-negative.csv'), path.join(inbox, 'a-malo.csv'));
    fs.copyFileSync(path.join(corpus, 'ok-utf8-bom-semicolon.csv'), path.join(inbox, 'b-bueno.csv'));

    // A lock left by a live process (this one) is respected…
    const lock = `${db}.run.lock`;
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString() }));
    const busy = await cli(['run', '--inbox', inbox, '--db', db]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/Ya hay una ejecución automática en curso/);

    // …one left by a process that no longer exists is taken over.
    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), started: '2026-01-01T00:00:00Z' }));
    const result = await cli(['run', '--inbox', inbox, '--db', db, '--json']);
    expect(result.code).toBe(2);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ imported: 1, refused: 1 });
    expect(run.steps[0]).toMatchObject({ step: 'import', status: 'refused', message: { es: expect.stringMatching(/^a-malo\.csv: rechazado, no se guardó nada — .*línea/) } });
    expect(fs.existsSync(lock)).toBe(false);
  }, 60_000);

  it("imports a file with the saved mapping made for its columns, and the run's record names it", async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cupo.sqlite');
    const inbox = path.join(dir, 'entrada');
    fs.mkdirSync(inbox);
    // UVA's columns: none of them says site, course or schedule, so without the mapping the file is refused.
    const header = 'Mnemonic,Number,Type,Days1,Enrollment,Instructor';
    const sample = path.join(dir, '2024_spring.csv');
    fs.writeFileSync(sample, `${header}\nCS,2150,Lecture,TuTh 9:30am,120,Ada Lovelace\n`);
    const mapping = path.join(dir, 'uva.json');
    fs.writeFileSync(mapping, JSON.stringify({ SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment', filter: { column: 'Type', values: ['Lecture'] } }));
    expect((await cli(['mappings', '--save', 'UVA', '--mapping', mapping, '--period-from-name', sample, '--db', db])).code).toBe(0);

    fs.writeFileSync(path.join(inbox, '2024_fall.csv'), `${header}\nCS,2150,Lecture,TuTh 9:30am,118,Ada Lovelace\nCS,2150,Discussion,M 1:00pm,30,Ada Lovelace\nMATH,1310,Lecture,MWF 10:00am,85,Emmy Noether\n`);
    fs.writeFileSync(path.join(inbox, 'otro-formato.csv'), 'Curso,Alumnos\nBAS01,12\n');
    const result = await cli(['run', '--inbox', inbox, '--db', db, '--json']);
    expect(result.code).toBe(2);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ imported: 1, refused: 1 });
    expect(run.steps[0]).toMatchObject({ step: 'import', status: 'done', mapping: 'UVA', message: { es: expect.stringMatching(/^2024_fall\.csv: importado con el mapeo guardado «UVA» \(2 filas, 2 clases\)\./) } });
    // A file of other columns is not forced through it.
    expect(run.steps[1]).toMatchObject({ step: 'import', status: 'refused' });
    expect(run.steps[1].mapping).toBeUndefined();

    const snapshots = JSON.parse((await cli(['snapshots', '--db', db, '--json'])).stdout);
    expect(snapshots[0]).toMatchObject({ file: '2024_fall.csv', periods: ['2024_fall'] });
    const status = JSON.parse((await cli(['status', '--db', db, '--json'])).stdout);
    expect(status.last_run.steps[0]).toMatchObject({ mapping: 'UVA' });
    const words = await cli(['run', '--inbox', inbox, '--db', db]);
    expect(words.stdout).not.toContain('mapeo guardado');
  }, 60_000);
});
