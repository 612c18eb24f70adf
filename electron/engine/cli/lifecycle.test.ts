import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { demoFiles, tempDir } from '../testing/fixtures';
import { runCaptured as cli } from './captured';

/** Students per class of one period, counted from the demo's student rows by hand (each student once per class). */
function enrolledByHand(file: string, period: string): Map<string, number> {
  const rows = Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const students = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.Periodo !== period) continue;
    const key = `${r.Sede}|${r.Curso}|${r.Horario}`;
    if (!students.has(key)) students.set(key, new Set());
    students.get(key)!.add(r.Codigo_Alumno!);
  }
  return new Map([...students].map(([k, s]) => [k, s.size]));
}

describe('the model lifecycle from the command line, on the demo institute', () => {
  it('scores the served forecast on import, keeps the champion against a worse model, promotes, rolls back, and logs every act', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'cupo.sqlite');
    const [older, newer] = demoFiles();
    const fast = ['--candidates', 'last_value,moving_average,cohort_progression'];

    expect((await cli(['import', older!, '--db', db])).code).toBe(0);
    const first = JSON.parse((await cli(['train', '--db', db, ...fast, '--json'])).stdout);
    expect(first.decision).toMatchObject({ promoted: true, champion_before: null });
    const championA = first.decision.champion_after as string;

    const out = path.join(dir, 'pronostico.csv');
    const forecast = await cli(['forecast', '--db', db, '--out', out, '--json']);
    expect(JSON.parse(forecast.stdout)).toMatchObject({ period: '202501', model_version: championA });

    // The newer file holds 202501: importing it scores the exported forecast at once.
    const imported = await cli(['import', newer!, '--db', db, '--json']);
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout);
    expect(result.scored).toHaveLength(1);
    const score = result.scored[0];
    expect(score).toMatchObject({ period: '202501', model_id: championA });

    // The same figure by hand: students misplaced over students enrolled, over the union of classes.
    const predicted = new Map<string, number>();
    for (const row of Papa.parse<string[]>(fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim()).data.slice(1)) predicted.set(`${row[1]}|${row[2]}|${row[3]}`, Number(row[4]));
    const actual = enrolledByHand(newer!, '202501');
    let misplaced = 0;
    let enrolled = 0;
    let classes = 0;
    for (const key of new Set([...predicted.keys(), ...actual.keys()])) {
      const a = actual.get(key) ?? 0;
      const f = predicted.get(key) ?? 0;
      if (a === 0 && f === 0) continue;
      misplaced += Math.abs(f - a);
      enrolled += a;
      classes++;
    }
    expect(score.wape).toBeCloseTo(misplaced / enrolled, 10);
    expect(score.mae).toBeCloseTo(misplaced / classes, 10);
    expect(score.expected_wape).toBe(first.decision.winner_wape);
    const human = await cli(['accuracy', '--db', db]);
    expect(human.stdout).toContain('ene. 2025');

    // A worse model does not take over: it is kept as a challenger, and the run says why.
    const weak = await cli(['train', '--db', db, '--candidates', 'last_value', '--json']);
    const decision = JSON.parse(weak.stdout).decision;
    expect(decision).toMatchObject({ promoted: false, champion_before: championA, champion_after: championA });
    expect(decision.reason.es).toMatch(/^El nuevo modelo \(Repetir el periodo anterior, .*\) no mejora al actual \(Avance desde el curso previo, .*\); se mantiene el actual\.$/);
    const challenger = decision.model_version as string;

    // A person promotes the challenger, then rolls back: A serves again.
    expect((await cli(['promote', challenger, '--reason', 'Probar la regla simple', '--db', db])).code).toBe(0);
    expect(JSON.parse((await cli(['status', '--db', db, '--json'])).stdout).serving.model_version).toBe(challenger);
    expect((await cli(['rollback', '--reason', 'La regla simple se equivoca más', '--db', db])).code).toBe(0);
    expect(JSON.parse((await cli(['status', '--db', db, '--json'])).stdout).serving.model_version).toBe(championA);

    const models = JSON.parse((await cli(['models', '--db', db, '--json'])).stdout) as { id: string; status: string; served: { from: string; to: string | null }[]; scored: { period: string }[] }[];
    const a = models.find((m) => m.id === championA)!;
    expect(a.status).toBe('champion');
    expect(a.served).toHaveLength(2);
    expect(a.served[0]!.to).not.toBeNull();
    expect(a.served[1]!.to).toBeNull();
    expect(a.scored.map((s) => s.period)).toEqual(['202501']);
    expect(models.find((m) => m.id === challenger)).toMatchObject({ status: 'retired', served: [{}] });

    const audit = JSON.parse((await cli(['audit', '--db', db, '--json'])).stdout) as { what: string; to: string | null; reason: { es: string } | null }[];
    // A promotion and a rollback each come after an automatic backup of the database as it was.
    expect(audit.map((e) => e.what)).toEqual(['rollback', 'backup', 'promote', 'backup', 'train', 'import', 'forecast_exported', 'train', 'import']);
    expect(audit[1]).toMatchObject({ who: 'automático', to: expect.stringMatching(/-antes-de-volver-atras\.zip$/) });
    expect(audit[0]).toMatchObject({ to: championA, reason: { es: 'La regla simple se equivoca más' } });

    // A second rollback has nowhere to go: one sentence, exit 1, nothing changes.
    const again = await cli(['rollback', '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
