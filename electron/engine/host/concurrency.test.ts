import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableDB } from '../db/types';
import { databaseDigest, tempDir } from '../testing/fixtures';
import type { EngineClient } from './client';
import { startEngineWorker } from './worker-client';

/**
 * The engine in its worker thread, on a real database file with the demo institute: reads answer while a training
 * runs, and a cancelled training leaves the database exactly as it was.
 */
const dir = tempDir();
const databaseFile = path.join(dir, 'cupo.sqlite');
let engine: EngineClient;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every row of every table, read by a connection of the test's own. */
function digest(): string {
  const db = new Database(databaseFile, { readonly: true }) as unknown as ReadableDB;
  try {
    return databaseDigest(db);
  } finally {
    db.close();
  }
}

/** What the user sees: the serving model, the runs, the forecasts. */
async function visible() {
  const [status, history, last] = await Promise.all([engine.call('status', {}), engine.call('history', {}), engine.call('lastForecast', {})]);
  if (!status.ok || !history.ok || !last.ok) throw new Error('a read failed');
  return { status: status.value, history: history.value, forecast: last.value };
}

/** Starts a training; `reached` resolves at the first progress step whose English message matches. */
function trainUntil(step: RegExp) {
  let reach: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const call = engine.send('train', { backtestPeriods: 1, candidates: ['neural'] }, { onProgress: (event) => step.test(event.message.en) && reach() });
  return { ...call, reached };
}

beforeAll(async () => {
  engine = startEngineWorker({ databaseFile, exportsDir: path.join(dir, 'exports') });
  await engine.ready;
  expect(await engine.call('loadDemo', {})).toMatchObject({ ok: true });
  // A first champion (a quick one) and a forecast made with it: what a cancelled training must leave alone.
  expect(await engine.call('train', { backtestPeriods: 1, candidates: ['last_value'] })).toMatchObject({ ok: true });
  expect(await engine.call('forecast', {})).toMatchObject({ ok: true });
}, 60_000);
afterAll(() => engine.close());

describe('reads while a training runs', () => {
  it('answers status in under a second, again and again, long before the training ends', async () => {
    let finished = false;
    // The network: the longest fit, and the one that once held the thread for its whole length.
    const training = engine.send('train', { backtestPeriods: 1, candidates: ['last_value', 'neural'] });
    void training.result.then(() => (finished = true));
    const latencies: number[] = [];
    while (!finished) {
      const asked = performance.now();
      const status = await engine.call('status', {});
      const took = performance.now() - asked;
      expect(status.ok).toBe(true);
      if (!finished) latencies.push(took);
      await sleep(100);
    }
    expect(await training.result).toMatchObject({ ok: true });
    latencies.sort((a, b) => a - b);
    console.log(`status during training: ${latencies.length} answers, median ${latencies[latencies.length >> 1]!.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(10);
    expect(latencies.at(-1)!).toBeLessThan(1000);
  }, 120_000);
});

describe('a cancelled training', () => {
  for (const [when, step] of [
    ['while the network is tested on a past period', /^Testing "Neural network"/],
    ['while the winner is trained on the whole history', /^Training "Neural network" on the whole history/],
  ] as const) {
    it(`stops within a second ${when}, and changes nothing`, async () => {
      const before = { digest: digest(), seen: await visible() };
      const training = trainUntil(step);
      await training.reached;
      await sleep(500); // well inside the network's fit
      const asked = performance.now();
      engine.cancel(training.id);
      const result = await training.result;
      const took = performance.now() - asked;
      console.log(`cancel ${when}: answered in ${took.toFixed(0)} ms`);
      expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
      expect(took).toBeLessThan(1000);
      expect(await visible()).toEqual(before.seen);
      expect(digest()).toBe(before.digest);
    }, 120_000);
  }

  it('that was still waiting for its turn never starts', async () => {
    const before = digest();
    const first = trainUntil(/^Testing "Neural network"/);
    const second = engine.send('train', { backtestPeriods: 1, candidates: ['neural'] });
    engine.cancel(second.id);
    await first.reached;
    engine.cancel(first.id);
    expect(await first.result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await second.result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(digest()).toBe(before);
  }, 120_000);
});
