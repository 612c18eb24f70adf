import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

// What the screens let a person curate — imports set aside, saved mappings, own numbers — from the command line.

const HEADER = 'PERIODO,SEDE,CURSO_ACTUAL,HORARIO_ACTUAL,ALUMNOS';

describe('cupo snapshots --set-aside / --restore', () => {
  it('sets an import aside so an earlier one speaks for its period, brings it back, and logs both with the reason', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.sqlite');
    await cli(['import', writeFile(dir, 'enero.csv', `${HEADER}\n202401,N,BAS01,LMV,12\n`), '--db', db]);
    const second = JSON.parse((await cli(['import', writeFile(dir, 'enero-v2.csv', `${HEADER}\n202401,N,BAS01,LMV,15\n`), '--db', db, '--json'])).stdout).reports[0];

    const aside = await cli(['snapshots', '--set-aside', second.snapshot_id, '--reason', 'Archivo con un error de la secretaría', '--db', db]);
    expect(aside.code).toBe(0);
    expect(aside.stdout).toContain(`Se apartó ${second.snapshot_id} (enero-v2.csv): ya no aporta periodos`);
    expect(aside.stdout).toMatch(/enero-v2\.csv .* apartada/);
    const listed = JSON.parse((await cli(['snapshots', '--db', db, '--json'])).stdout);
    expect(listed.map((s: { file: string; periods_in_use: string[] }) => [s.file, s.periods_in_use])).toEqual([['enero.csv', ['202401']], ['enero-v2.csv', []]]);

    const back = JSON.parse((await cli(['snapshots', '--restore', second.snapshot_id, '--db', db, '--json'])).stdout);
    expect(back).toMatchObject({ restore: second.snapshot_id, platinum_version: second.platinum_version });
    expect(back.snapshots.map((s: { periods_in_use: string[] }) => s.periods_in_use)).toEqual([[], ['202401']]);

    const audit = JSON.parse((await cli(['audit', '--db', db, '--json'])).stdout) as { what: string; to: string; reason: unknown }[];
    expect(audit.filter((e) => e.what === 'import_set_aside' || e.what === 'import_restored').map((e) => [e.what, e.to])).toEqual([
      ['import_restored', second.snapshot_id],
      ['import_set_aside', second.snapshot_id],
    ]);
    expect(JSON.stringify(audit.find((e) => e.what === 'import_set_aside')!.reason)).toContain('Archivo con un error de la secretaría');
  });

  it('refuses what it cannot do in one sentence, exit 2, changing nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.sqlite');
    const { snapshot_id: id } = JSON.parse((await cli(['import', writeFile(dir, 'enero.csv', `${HEADER}\n202401,N,BAS01,LMV,12\n`), '--db', db, '--json'])).stdout).reports[0];
    const both = await cli(['snapshots', '--set-aside', id, '--restore', id, '--db', db]);
    expect(both.code).toBe(2);
    expect(both.stderr.trim().split('\n')).toHaveLength(1);
    expect(both.stderr).toMatch(/no los dos a la vez\. \/ .*not both/);
    const malformed = await cli(['snapshots', '--set-aside', 'enero.csv', '--db', db]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--set-aside espera el id de una importación/);
    // An import's id given to the backup restore is pointed at the right command, not read as a missing file.
    const wrongVerb = await cli(['restore', id, '--db', db]);
    expect(wrongVerb.code).toBe(2);
    expect(wrongVerb.stderr).toContain(`cupo snapshots --restore ${id}`);
    const listed = JSON.parse((await cli(['snapshots', '--db', db, '--json'])).stdout);
    expect(listed[0]).toMatchObject({ set_aside: false, periods_in_use: ['202401'] });
  });
});

describe('cupo mappings', () => {
  it('saves a mapping for the columns of a sample file, lists it in words, and deletes it', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.sqlite');
    const sample = writeFile(dir, '2024_fall.csv', 'Mnemonic,Number,Type,Days1,Enrollment,Instructor\nCS,2150,Lecture,TuTh 9:30am,120,Ada Lovelace\n');
    const mapping = writeFile(dir, 'uva.json', JSON.stringify({ SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment', filter: { column: 'Type', values: ['Lecture'] } }));

    expect((await cli(['mappings', '--db', db])).stdout).toMatch(/No hay mapeos guardados/);
    const saved = await cli(['mappings', '--save', 'UVA', '--mapping', mapping, '--period-from-name', sample, '--db', db]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('Mapeo «UVA» guardado');
    const listed = await cli(['mappings', '--db', db]);
    expect(listed.stdout).toContain('SEDE ← «UVA» (valor fijo)');
    expect(listed.stdout).toContain('CURSO_ACTUAL ← Mnemonic + Number');
    expect(listed.stdout).toContain('PERIODO ← el nombre de cada archivo');
    expect(listed.stdout).toContain('solo las filas con Type = Lecture');
    expect(listed.stdout).toContain('para archivos con las columnas: Mnemonic, Number, Type, Days1, Enrollment, Instructor');
    const json = JSON.parse((await cli(['mappings', '--db', db, '--json'])).stdout);
    expect(json).toEqual([expect.objectContaining({ name: 'UVA', period_from_name: true, headers: ['Mnemonic', 'Number', 'Type', 'Days1', 'Enrollment', 'Instructor'] })]);

    const gone = await cli(['mappings', '--delete', 'uva', '--db', db]);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/Se borró el mapeo «uva»/);
    expect(JSON.parse((await cli(['mappings', '--db', db, '--json'])).stdout)).toEqual([]);
    const again = await cli(['mappings', '--delete', 'UVA', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/No hay un mapeo guardado llamado «UVA»/);
  });

  it('refuses a sample file that lacks the columns the mapping reads, or a mapping with nothing to recognise files by, saving nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.sqlite');
    const sample = writeFile(dir, 'otro.csv', `${HEADER}\n202401,N,BAS01,LMV,12\n`);
    const mapping = writeFile(dir, 'uva.json', JSON.stringify({ SEDE: { value: 'UVA' }, CURSO_ACTUAL: ['Mnemonic', 'Number'], HORARIO_ACTUAL: 'Days1', ALUMNOS: 'Enrollment' }));
    const lacking = await cli(['mappings', '--save', 'UVA', '--mapping', mapping, sample, '--db', db]);
    expect(lacking.code).toBe(2);
    expect(lacking.stderr).toMatch(/no tiene las columnas «Mnemonic», «Number», «Days1», «Enrollment» que lee el mapeo: no se guardó nada\. \/ /);
    const constants = writeFile(dir, 'fijo.json', JSON.stringify({ SEDE: { value: 'Norte' } }));
    const blind = await cli(['mappings', '--save', 'Norte', '--mapping', constants, '--db', db]);
    expect(blind.code).toBe(2);
    expect(blind.stderr).toMatch(/no lee ninguna columna/);
    const noFile = await cli(['mappings', '--save', 'UVA', '--db', db]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/Indique con --mapping/);
    expect(JSON.parse((await cli(['mappings', '--db', db, '--json'])).stdout)).toEqual([]);
  });
});

describe('cupo override', () => {
  it("keeps a planner's number beside the model's, decides the class by it, exports it, lists it with the totals, and removes it", async () => {
    const dir = tempDir();
    const db = path.join(dir, 'demo.sqlite');
    expect((await cli(['demo', '--db', db, '--out', path.join(dir, 'f.csv')])).code).toBe(0);
    const rows = Papa.parse<string[]>(fs.readFileSync(path.join(dir, 'f.csv'), 'utf8').slice(1).trim()).data;
    // A class the model would open: the planner knows better (the teacher left).
    const open = rows.find((r) => r[10] === 'ABRIR')!;
    const [, site, course, schedule, predicted] = open as [string, string, string, string, string];
    const klass = ['--site', site, '--course', course, '--schedule', schedule];

    expect((await cli(['override', '--db', db])).stdout).toMatch(/El pronóstico de nov\. 2026 no tiene números propios\./);
    const noNote = await cli(['override', ...klass, '--students', '0', '--db', db]);
    expect(noNote.code).toBe(2);
    expect(noNote.stderr).toMatch(/^Escriba por qué cambia el número.* \/ Write why the number changes/);
    const unknown = await cli(['override', '--site', site, '--course', 'NO-EXISTE', '--schedule', schedule, '--students', '3', '--note', 'x', '--db', db]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse((await cli(['override', '--db', db, '--json'])).stdout)).toEqual([]);

    const set = await cli(['override', ...klass, '--students', '0', '--note', 'Se fue la profesora', '--db', db]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`${site} · ${course} · ${schedule}, nov. 2026: el modelo pronostica`);
    expect(set.stdout).toContain('número propio 0 («Se fue la profesora»). Decisión: No abrir.');
    const listed = JSON.parse((await cli(['override', '--db', db, '--json'])).stdout);
    expect(listed).toEqual([expect.objectContaining({ period: '202611', site, course, schedule, predicted: Number(predicted), students: 0, note: 'Se fue la profesora', decision: 'do_not_open' })]);
    const words = await cli(['override', '--db', db]);
    const total = rows.slice(1).reduce((a, r) => a + Number(r[4]), 0);
    expect(words.stdout).toContain(`Total: ${total.toLocaleString('en-US')} alumnos según el modelo; ${(total - Number(predicted)).toLocaleString('en-US')} alumnos con los números propios.`);

    // The export carries it beside the model's number, which does not change.
    const out = path.join(dir, 'g.csv');
    await cli(['forecast', '--out', out, '--db', db]);
    const exported = Papa.parse<string[]>(fs.readFileSync(out, 'utf8').slice(1).trim()).data;
    const row = exported.find((r) => r[1] === site && r[2] === course && r[3] === schedule)!;
    expect([row[4], row[10], row.at(-2), row.at(-1)]).toEqual([predicted, 'NO_ABRIR', '0', 'Se fue la profesora']);

    const cleared = JSON.parse((await cli(['override', ...klass, '--clear', '--db', db, '--json'])).stdout);
    expect(cleared).toMatchObject({ students: null, predicted: Number(predicted), decision: 'open' });
    const audit = JSON.parse((await cli(['audit', '--db', db, '--json'])).stdout) as { what: string }[];
    expect(audit.filter((e) => e.what === 'forecast_override')).toHaveLength(2);
  }, 120_000);
});

describe('cupo settings', () => {
  it('shows the settings in words, changes only what is named, and refuses what the Settings screen refuses, changing nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.sqlite');
    const shown = await cli(['settings', '--db', db]);
    expect(shown.stdout).toContain('Alumnos por clase: mínimo 8, máximo 25');
    expect(shown.stdout).toContain('región: Perú (es-PE), la del idioma');

    const changed = await cli(['settings', '--min-class-size', '10', '--region', 'es-AR', '--promotion-margin', '0.05', '--db', db]);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('Ajustes guardados.');
    // The region just chosen writes the numbers: a decimal comma in Argentina.
    expect(changed.stdout).toMatch(/si mejora su error en 5,0\s?% o más; se revisa si el error real supera 1,5 veces/);
    const json = JSON.parse((await cli(['settings', '--db', db, '--json'])).stdout);
    expect(json).toMatchObject({ locale: 'es', region: 'es-AR', min_class_size: 10, max_class_size: 25, promotion_margin: 0.05, rollback_threshold: 1.5, inbox_folder: null });

    for (const args of [
      ['--min-class-size', '30'],
      ['--inbox-folder', path.join(dir, 'no-existe')],
      ['--region', 'fr-FR'],
      ['--promotion-margin', '0.9'],
    ]) {
      const refused = await cli(['settings', ...args, '--db', db]);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/ \/ [A-Z-]/);
    }
    expect(JSON.parse((await cli(['settings', '--db', db, '--json'])).stdout)).toEqual(json);
    const audit = JSON.parse((await cli(['audit', '--db', db, '--json'])).stdout) as { what: string }[];
    expect(audit.filter((e) => e.what === 'settings_changed')).toHaveLength(1);
  });
});
