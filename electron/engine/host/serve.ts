import type { Method } from '../../../shared/contract';
import { READ_METHODS } from '../../../shared/contract';
import { loadSettings } from '../settings';
import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { startInboxSchedule } from './inbox-schedule';
import type { EngineConfig, FromEngine, ToEngine } from './protocol';

/**
 * Runs the engine behind a message port. Writes run one at a time, in order, on the one writing connection (no
 * write races); reads (`READ_METHODS`) start as soon as they arrive, on the read-only connection, so a status or a
 * history never waits for a training to end. A cancel is acted on at once. All of it shares one thread: long work
 * gives it up often (`yieldToEventLoop`), which is when reads and cancels get in.
 * Used by the worker thread and, in the desktop app, the utility process.
 */
export function serveEngine(config: EngineConfig, post: (message: FromEngine) => void, onMessage: (listener: (message: ToEngine) => void) => void, exit: () => void): void {
  let ws: Workspace;
  try {
    ws = openWorkspace(config.databaseFile, config.sqliteBinding !== undefined ? { nativeBinding: config.sqliteBinding } : {});
  } catch (error) {
    post({ type: 'failed', message: (error as Error).message });
    return;
  }
  const handlers = createHandlers(ws, config.exportsDir);
  const running = new Map<number, AbortController>();
  const reading = new Set<Promise<void>>();
  let writes = Promise.resolve();
  onMessage((message) => {
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (message.type === 'close') {
      stopSchedule();
      writes = writes.then(async () => {
        await Promise.all(reading);
        ws.close();
        exit();
      });
      return;
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    const run = async () => {
      const result = await dispatch(handlers, message.method, message.args, {
        files: message.files,
        signal: controller.signal,
        onProgress: (event) => post({ type: 'progress', id: message.id, event }),
      });
      running.delete(message.id);
      try {
        post({ type: 'result', id: message.id, result });
      } catch (error) {
        // A result the port cannot carry must still answer the call, and must not stop the writes behind it.
        const detail = (error as Error).message;
        post({ type: 'result', id: message.id, result: { ok: false, error: { code: 'internal', message: { es: `Error inesperado: ${detail}`, en: `Unexpected error: ${detail}` } } } });
      }
    };
    if (READ_METHODS.has(message.method as Method)) {
      const read = run().finally(() => reading.delete(read));
      reading.add(read);
    } else {
      writes = writes.then(run);
    }
  });
  // The inbox folder of Settings runs like any write: in turn, never beside an import or a training.
  const stopSchedule = startInboxSchedule(
    () => loadSettings(ws.reader),
    (args) => {
      const done = writes.then(() => dispatch(handlers, 'runInbox', args, { files: {}, signal: new AbortController().signal, onProgress: () => undefined }));
      writes = done.then(() => undefined);
      return done;
    },
  );
  post({ type: 'ready' });
}
