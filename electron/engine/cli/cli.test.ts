import { MODEL_NAMES } from '../../../shared/model-names';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { sharedDir, tempDir, writeFile } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

const corpus = () => path.join(sharedDir(), 'corpus');

describe('cupo import', () => {
  it('reports rows accepted and rejected, the snapshot and the problems as JSON', async () => {
    const db = path.join(tempDir(), 'c.sqlite');
    const { code, stdout } = await cli(['import', path.join(corpus(), 'ok-utf8-bom-semicolon.csv'), '--db', db, '--json']);
    expect(code).toBe(0);
    const [report] = JSON.parse(stdout).reports;
    expect(report).toMatchObject({ status: 'imported', rows_accepted: 6, rows_rejected: 0, encoding: 'UTF-8 (BOM)', delimiter: ';', problems: [] });
    expect(report.snapshot_id).toMatch(/^raw-[0-9a-f]{12}$/);
  });

  it('exits 2 on a bad file, prints the first problems, and writes nothing', async () => {
    const db = path.join(tempDir(), 'c.sqlite');
    const { code, stdout } = await cli(['import', path.join(corpus(), 'err-ragged.csv'), '--db', db]);
    expect(code).toBe(2);
    expect(stdout).toContain('err-ragged.csv, línea 2: la fila tiene 3 campos y el encabezado 5.');
    const status = await cli(['status', '--db', db, '--json']);
    expect(JSON.parse(status.stdout).snapshots).toEqual([]);
  });

  it('takes a mapping file and a period per file from its name', async () => {
    const dir = tempDir();
    const file = writeFile(dir, '2024_fall.csv', 'Mnemonic,Number,Days1,Enrollment,Instructor\nCS,2150,TuTh 9:30am,120,Ada Lovelace\n');
    const mapping = writeFile(dir, 'm.json', JSON.stringify({ SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment' }));
    const { code, stdout } = await cli(['import', file, '--mapping', mapping, '--period-from-name', '--db', path.join(dir, 'c.sqlite'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).reports[0]).toMatchObject({ periods: ['2024_fall'], classes: 1 });
  });

  it('explains an invalid mapping file in one sentence, in both languages', async () => {
    const dir = tempDir();
    const mapping = writeFile(dir, 'm.json', JSON.stringify({ CURSO: 'Course' }));
    const { code, stderr } = await cli(['import', path.join(corpus(), 'ok-tab.tsv'), '--mapping', mapping, '--db', path.join(dir, 'c.sqlite')]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/no es válido.* \/ The mapping file .* is not valid/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('says what is wrong with unknown commands and options', async () => {
    expect((await cli(['entrenar'])).code).toBe(2);
    expect((await cli(['train', '--sed', '3'])).stderr).toMatch(/Opción no válida/);
    expect((await cli(['train', '--seed', 'x', '--db', path.join(tempDir(), 'c.sqlite')])).code).toBe(2);
    // The CLI accepts what the app accepts, no more: the contract caps the backtest at 12 periods.
    const tooMany = await cli(['train', '--backtest-periods', '13', '--db', path.join(tempDir(), 'c.sqlite')]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/backtestPeriods/);
    const unknown = await cli(['backtest', '--candidates', 'last_value,oracle', '--db', path.join(tempDir(), 'c.sqlite')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No existe el modelo «oracle»/);
  });

  it('asks for data before training, and for a model before forecasting', async () => {
    const db = path.join(tempDir(), 'c.sqlite');
    const train = await cli(['train', '--db', db]);
    expect(train.code).toBe(1);
    expect(train.stderr).toMatch(/import/);
    await cli(['import', path.join(corpus(), 'ok-tab.tsv'), '--db', db]);
    expect((await cli(['forecast', '--db', db])).stderr).toMatch(/cupo train/);
  });
});

describe('cupo snapshots and cupo reopen', () => {
  it('brings back an earlier import of a period, reusing its data version, and can undo that', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.sqlite');
    const header = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';
    const first = JSON.parse((await cli(['import', writeFile(dir, 'enero.csv', `${header}\n202401,N,BAS01,LMV,12\n`), '--db', db, '--json'])).stdout).reports[0];
    const second = JSON.parse((await cli(['import', writeFile(dir, 'enero-v2.csv', `${header}\n202401,N,BAS01,LMV,15\n`), '--db', db, '--json'])).stdout).reports[0];
    expect(second.platinum_version).not.toBe(first.platinum_version);

    const listed = JSON.parse((await cli(['snapshots', '--db', db, '--json'])).stdout);
    expect(listed.map((s: { file: string; periods_in_use: string[] }) => [s.file, s.periods_in_use])).toEqual([['enero.csv', []], ['enero-v2.csv', ['202401']]]);

    const reopened = JSON.parse((await cli(['reopen', first.snapshot_id, '--db', db, '--json'])).stdout);
    expect(reopened.platinum_version).toBe(first.platinum_version);
    expect(reopened.snapshots[0].periods_in_use).toEqual(['202401']);
    const back = JSON.parse((await cli(['reopen', second.snapshot_id, '--db', db, '--json'])).stdout);
    expect(back.platinum_version).toBe(second.platinum_version);

    const missing = await cli(['reopen', 'raw-000000000000', '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cupo snapshots/);
  });
});

describe('cupo demo, then forecast to a file (round trip on the demo data)', () => {
  it('imports, trains, and exports a CSV whose first columns are the agreed ones', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'demo.sqlite');
    const demo = await cli(['demo', '--db', db, '--lang', 'en']);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(new RegExp(`Serving model: (${Object.values(MODEL_NAMES).map((n) => n.en).join('|')})\\.`));
    // The model by its name, never its id (kept in --json), and periods as people say them.
    expect(demo.stdout).not.toMatch(/model-\d{4}|\b2026(09|10|11)\b/);
    expect(demo.stdout).toMatch(/better than repeating the previous period/);
    // Models are named for people in what a person reads; the ids stay in --json.
    expect(demo.stdout).toMatch(/Neural network|Progression from the previous course/);
    expect(demo.stdout).not.toMatch(/\bcohort_progression\b|\bneural\b/);
    // Without --out the forecast goes beside the demo's database, and the output says where.
    const besideDb = path.join(dir, 'cupo-demo-forecast.csv');
    expect(fs.existsSync(besideDb)).toBe(true);
    expect(demo.stdout).toContain(`Written to ${besideDb}`);

    const measured = await cli(['backtest', '--db', db, '--candidates', 'last_value,moving_average', '--backtest-periods', '2', '--json']);
    expect(measured.code).toBe(0);
    expect(JSON.parse(measured.stdout)).toMatchObject({ serving: null, backtest_periods: ['202609', '202610'] });

    const out = path.join(dir, 'pronostico.csv');
    const forecast = await cli(['forecast', '--db', db, '--out', out, '--delimiter', ';', '--json']);
    expect(forecast.code).toBe(0);
    expect(JSON.parse(forecast.stdout)).toMatchObject({ period: '202611', out });
    const bytes = fs.readFileSync(out);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const parsed = Papa.parse<string[]>(bytes.toString('utf8').slice(1).trim(), { delimiter: ';' });
    expect(parsed.data[0]!.slice(0, 5)).toEqual(['PERIODO', 'SEDE', 'CURSO_ACTUAL', 'HORARIO_ACTUAL', 'PREDICT_ALUMNOS']);
    const first = parsed.data[1]!;
    expect(first[0]).toBe('202611');
    expect(Number(first[4])).toBeGreaterThan(0);

    const status = JSON.parse((await cli(['status', '--db', db, '--json'])).stdout);
    expect(status).toMatchObject({ data: { periods: 46, sites: 4, courses: 18, next_period: '202611' }, serving: { model_version: 'model-0001', stale: false }, last_forecast: { period: '202611' } });

    const again = await cli(['import', out, '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stdout).toContain('es un pronóstico exportado por Cupo');
  });
});
