import type { Args, Settings } from '../../../shared/contract';

/** How often the app looks in its inbox folder while it runs. */
export const INBOX_EVERY_MS = 60 * 60 * 1000;

/**
 * The desktop app's (and browser mode's) inbox folder: checked when the engine starts and then every hour, by the
 * same scheduled run as `cupo run --inbox`. Settings are read at each tick, so choosing or clearing the folder takes
 * effect without a restart. Returns the function that stops it.
 */
export function startInboxSchedule(settings: () => Settings, run: (args: Args<'runInbox'>) => Promise<unknown>, every = INBOX_EVERY_MS): () => void {
  let running = false;
  const tick = async () => {
    const { inboxFolder, outboxFolder } = settings();
    if (!inboxFolder || running) return;
    running = true;
    try {
      await run({ inbox: inboxFolder, ...(outboxFolder ? { outbox: outboxFolder } : {}) });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 0);
  const timer = setInterval(() => void tick(), every);
  // A schedule must never keep the engine's thread or process alive on its own.
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
