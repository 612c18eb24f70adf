import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PSEUDONYM_BYTES } from '../domain/pseudonyms';
import { Pseudonymiser, idCode } from './pseudonymise';

const expected = (secret: Buffer, id: string) => createHmac('sha256', secret).update(id.trim().toUpperCase()).digest().subarray(0, PSEUDONYM_BYTES);

async function pseudonymsOf(secret: Buffer, ids: readonly string[]): Promise<{ ordinals: number[]; got: Buffer[] }> {
  const pseudonymiser = new Pseudonymiser({ secret, fingerprint: 'test' });
  const rows = ids.map((id) => pseudonymiser.row(id));
  await pseudonymiser.settle(true);
  const pseudonyms = pseudonymiser.pseudonyms();
  await pseudonymiser.close();
  const ordinals = rows.map((row) => (row < 0 ? -1 : pseudonymiser.ordinals[row]!));
  const got = ordinals.map((o) => (o < 0 ? Buffer.alloc(PSEUDONYM_BYTES) : pseudonyms.subarray(o * PSEUDONYM_BYTES, (o + 1) * PSEUDONYM_BYTES)));
  return { ordinals, got };
}

describe('pseudonyms', () => {
  it('are the keyed hash of the trimmed, upper-cased id, whichever thread computed them', async () => {
    const secret = randomBytes(32);
    // More ids than one batch, so they are told apart and hashed on the id thread; short codes and other ids.
    const ids = Array.from({ length: 40_000 }, (_, i) => (i % 3 === 0 ? ` dni-${i} ` : i % 3 === 1 ? `a${i}` : `${70_000_000 + i}`));
    const { ordinals, got } = await pseudonymsOf(secret, ids);
    for (const [i, id] of ids.entries()) expect(got[i]!.equals(expected(secret, id)), id).toBe(true);
    expect(new Set(ordinals).size).toBe(ids.length);
  });

  it('give one ordinal per normalised id, and the HMAC of any text (long ids, accents, lone surrogates, other key sizes)', async () => {
    const id = fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(' a1', 'A1 ', 'ß', 'SS', '\ud800', 'ñ'));
    await fc.assert(
      fc.asyncProperty(fc.array(id, { maxLength: 60 }), fc.uint8Array({ minLength: 1, maxLength: 100 }), async (ids, keyBytes) => {
        const secret = Buffer.from(keyBytes);
        const { ordinals, got } = await pseudonymsOf(secret, ids);
        const byNormal = new Map<string, number>();
        for (const [i, raw] of ids.entries()) {
          const normal = raw.trim().toUpperCase();
          if (normal === '') {
            expect(ordinals[i]).toBe(-1);
            continue;
          }
          expect(got[i]!.equals(expected(secret, raw))).toBe(true);
          if (byNormal.has(normal)) expect(ordinals[i]).toBe(byNormal.get(normal));
          else byNormal.set(normal, ordinals[i]!);
        }
        expect(new Set(byNormal.values()).size).toBe(byNormal.size);
      }),
      { numRuns: 200 },
    );
  });

  it('keep the ordinals a small first file got here once a large second file of the same import starts the id thread', async () => {
    const secret = randomBytes(32);
    const pseudonymiser = new Pseudonymiser({ secret, fingerprint: 'test' });
    const small = ['a1', 'dni-7', 'A1', '70000001'];
    const smallRows = small.map((id) => pseudonymiser.row(id));
    await pseudonymiser.settle();
    expect(pseudonymiser.pseudonyms().length).toBe(3 * PSEUDONYM_BYTES);
    const before = smallRows.map((row) => pseudonymiser.ordinals[row]!);
    expect(before).toEqual([0, 1, 0, 2]);
    const large = Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? `dni-${i % 5000}` : `${70_000_000 + (i % 7000)}`));
    const largeRows = large.map((id) => pseudonymiser.row(id));
    await pseudonymiser.settle(true);
    const pseudonyms = pseudonymiser.pseudonyms();
    await pseudonymiser.close();
    expect(smallRows.map((row) => pseudonymiser.ordinals[row]!)).toEqual(before);
    const all = [...small, ...large];
    const rows = [...smallRows, ...largeRows];
    expect(pseudonymiser.size).toBe(new Set(all.map((id) => id.toUpperCase())).size);
    for (const [i, id] of all.entries()) {
      const o = pseudonymiser.ordinals[rows[i]!]!;
      expect(pseudonyms.subarray(o * PSEUDONYM_BYTES, (o + 1) * PSEUDONYM_BYTES).equals(expected(secret, id)), id).toBe(true);
    }
  });

  it('are made here, the same, when the id thread dies while they are awaited', async () => {
    const secret = randomBytes(32);
    const ids = Array.from({ length: 30_000 }, (_, i) => (i % 4 === 0 ? `dni-${i % 9000}` : `${70_000_000 + (i % 20_000)}`));
    const pseudonymiser = new Pseudonymiser({ secret, fingerprint: 'test' });
    const rows = ids.map((id) => pseudonymiser.row(id));
    await pseudonymiser.settle(true);
    // Stopped unheard, as a thread that dies during the wait is: its 'exit' cannot be heard while this thread blocks.
    const { worker } = (pseudonymiser as unknown as { thread: { worker: Worker } }).thread;
    worker.removeAllListeners();
    await worker.terminate();
    const pseudonyms = pseudonymiser.pseudonyms();
    await pseudonymiser.close();
    for (const [i, id] of ids.entries()) {
      const o = pseudonymiser.ordinals[rows[i]!]!;
      expect(pseudonyms.subarray(o * PSEUDONYM_BYTES, (o + 1) * PSEUDONYM_BYTES).equals(expected(secret, id)), id).toBe(true);
    }
    expect(pseudonyms.length).toBe(new Set(ids).size * PSEUDONYM_BYTES);
  });

  it('write short letter-and-digit ids as numbers, one per upper-cased id', () => {
    const short = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);
    fc.assert(
      fc.property(short, short, (id, other) => {
        const code = idCode(id);
        expect(code).toBeGreaterThan(0);
        expect(Number.isSafeInteger(code)).toBe(true);
        expect(idCode(id.toLowerCase())).toBe(idCode(id.toUpperCase()));
        expect(idCode(other) === code).toBe(other.toUpperCase() === id.toUpperCase());
      }),
    );
    expect(idCode('ZZZZZZZZZZZ')).toBe(-1);
    expect(idCode('A-1')).toBe(-1);
    expect(idCode('')).toBe(-1);
  });
});
