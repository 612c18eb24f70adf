import { describe, expect, it } from 'vitest';
import { runImportFuzz } from '../../../fuzz/import-fuzz';

/**
 * The short run of `npm run fuzz` (which draws 10,000 inputs): a few hundred random and mutated CSV files into one
 * real database, each resolving within its time bound, every refusal a located bilingual sentence, nothing written
 * by a refused file. FUZZ_SEED replays another draw.
 */
describe('the import under random and mutated files', () => {
  it('never crashes, never hangs, names file and line in every refusal, and writes nothing when it refuses', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261123);
    const result = await runImportFuzz({ inputs: 300, seed });
    expect(result.failures, `seed ${seed}`).toEqual([]);
    expect(result).toMatchObject({ inputs: 300, crashes: 0, hangs: 0, partialWrites: 0, badMessages: 0 });
    // The draw reaches both outcomes.
    expect(result.imported).toBeGreaterThan(20);
    expect(result.refused).toBeGreaterThan(100);
  });
});
