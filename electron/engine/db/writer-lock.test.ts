import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors';
import { tempDir } from '../testing/fixtures';
import type { WriterInfo } from './writer-lock';
import { currentWriter, takeWriterTurn, takeWriterTurnSync, writerInfoFile } from './writer-lock';

const training = { es: 'un entrenamiento', en: 'a training' };
const promotion = { es: 'un cambio del modelo en uso', en: 'a change of the model in use' };

describe("the writer's turn", () => {
  it('is one at a time: the second waits its bound, says who holds it in one sentence, and gets it once released', async () => {
    const db = path.join(tempDir(), 'cupo.sqlite');
    const release = await takeWriterTurn(db, { doing: training });
    const holder = currentWriter(db);
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname(), doing: training });

    let waitedFor: WriterInfo | null | undefined;
    const started = performance.now();
    const second = await takeWriterTurn(db, { doing: promotion, waitMs: 300, onWait: (h) => (waitedFor = h) }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(waitedFor).toEqual(holder);
    expect(second).toBeInstanceOf(UserError);
    const { es, en } = (second as UserError).bilingualMessage;
    expect(es).toBe(`La base de datos está ocupada: ${holder!.program} (proceso ${process.pid} de ${holder!.user} en ${os.hostname()}) está haciendo un entrenamiento desde ${holder!.since.replace('T', ' ').slice(0, 19)} UTC; se esperó 0 s y no se hizo nada: inténtelo de nuevo cuando termine.`);
    expect(en).toMatch(/^The database is busy: .* has been doing a training since .* UTC; Cupo waited 0 s and did nothing: try again when it ends\.$/);
    expect(() => takeWriterTurnSync(db, { doing: promotion, waitMs: 100 })).toThrow(/La base de datos está ocupada/);

    // Waiting, it gets the turn as soon as it is free.
    const waiting = takeWriterTurn(db, { doing: promotion, waitMs: 5000 });
    setTimeout(release, 150);
    const next = await waiting;
    expect(currentWriter(db)).toMatchObject({ doing: promotion });
    next();
    expect(fs.existsSync(writerInfoFile(db))).toBe(false);
    expect(currentWriter(db)).toBeNull();
  });

  it('stops waiting when the call is cancelled', async () => {
    const db = path.join(tempDir(), 'cupo.sqlite');
    const release = takeWriterTurnSync(db, { doing: training });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    await expect(takeWriterTurn(db, { doing: promotion, waitMs: 10_000, signal: controller.signal })).rejects.toThrow('cancelled');
    release();
  });

  it('names nobody when the one who said it held the turn is gone', () => {
    const db = path.join(tempDir(), 'cupo.sqlite');
    fs.writeFileSync(writerInfoFile(db), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), user: 'x', program: 'cupo', doing: training, since: '2026-01-01T00:00:00Z' }));
    expect(currentWriter(db)).toBeNull();
  });
});
