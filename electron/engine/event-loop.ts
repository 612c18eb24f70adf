/** How long long-running work may hold the engine's thread before it lets anything else run. */
export const SLICE_MS = 50;

let lastTurn = performance.now();

/**
 * The engine runs in one thread, and TF.js and better-sqlite3 compute synchronously: a training left alone holds
 * the thread from start to end, so no read is answered and no cancel is even heard until it is over. Long loops
 * (a network's batches, a backtest's folds) await this between steps: at most every `SLICE_MS` it gives the event
 * loop one turn (the messages waiting: reads, cancels), and it stops the work, by throwing the signal's reason,
 * as soon as the signal is aborted. Nothing computed depends on it: results are the same with or without turns.
 */
export async function yieldToEventLoop(signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  if (performance.now() - lastTurn < SLICE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
  signal?.throwIfAborted();
}
