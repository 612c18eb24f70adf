import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoFiles, sharedDir, tempDir } from '../testing/fixtures';
import { runCli } from './run';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, { LANG: 'es_PE.UTF-8' });
  return { code, stdout, stderr };
}

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
});
