import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PSEUDONYM_BYTES } from '../domain/pseudonyms';
import { Pseudonymiser } from './pseudonymise';

describe('pseudonyms', () => {
  it('are the keyed hash of the trimmed, upper-cased id, whichever thread computed them', async () => {
    const key = { secret: randomBytes(32), fingerprint: 'test' };
    const pseudonymiser = new Pseudonymiser(key);
    // More ids than one batch, so most are hashed on the second thread and the rest here.
    const ids = Array.from({ length: 10_000 }, (_, i) => ` dni-${i} `);
    const ordinals = ids.map((id) => pseudonymiser.ordinal(id));
    expect(pseudonymiser.ordinal(' dni-5 ')).toBe(ordinals[5]);
    await pseudonymiser.finish();
    await pseudonymiser.close();
    for (const [i, id] of ids.entries()) {
      const got = Buffer.alloc(PSEUDONYM_BYTES);
      pseudonymiser.copyPseudonym(ordinals[i]!, got, 0);
      const expected = createHmac('sha256', key.secret).update(id.trim().toUpperCase()).digest().subarray(0, PSEUDONYM_BYTES);
      expect(got.equals(expected), id).toBe(true);
    }
  });
});
