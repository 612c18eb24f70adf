import { describe, expect, it } from 'vitest';
import { runCrashCampaign } from '../../../crash/crash';

/**
 * The short run of `npm run crash` (20 kills of each kind): the engine process, the real command line, is killed
 * with SIGKILL twice at a random point of an import, a training, a promotion, a rollback and a restore (after one
 * uninterrupted run of each), and after every kill the database is whole, nothing half-made is visible, the champion
 * is the one before or the new one, and the next forecast, import and training work. CRASH_SEED replays another draw.
 */
describe('the engine killed at random points', () => {
  it('leaves a whole, consistent database every time, and the next act works', { timeout: 300_000 }, async () => {
    const seed = Number(process.env.CRASH_SEED ?? 20261124);
    const result = await runCrashCampaign({ runsPerKind: 2, seed });
    console.log(`crash: ${result.runs} runs, ${result.kills} kills, ${result.points.size} kill points, ${result.failures.length} failures, ${(result.ms / 1000).toFixed(1)} s (seed ${seed})`);
    expect(result.failures, `seed ${seed}`).toEqual([]);
    expect(result.runs).toBe(10);
    // Most of the draws land while the process works (some runs end before their kill comes).
    expect(result.kills).toBeGreaterThanOrEqual(4);
  });
});
