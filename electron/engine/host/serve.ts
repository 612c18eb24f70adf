import type { Workspace } from '../workspace';
import { openWorkspace } from '../workspace';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import type { EngineConfig, FromEngine, ToEngine } from './protocol';

/**
 * Runs the engine behind a message port: calls run one at a time, in order (one connection, no write races),
 * while a cancel is acted on at once. Used by the worker thread and, in the desktop app, the utility process.
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
  let queue = Promise.resolve();
  onMessage((message) => {
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (message.type === 'close') {
      queue = queue.then(() => {
        ws.close();
        exit();
      });
      return;
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    queue = queue.then(async () => {
      const result = await dispatch(handlers, message.method, message.args, {
        files: message.files,
        signal: controller.signal,
        onProgress: (event) => post({ type: 'progress', id: message.id, event }),
      });
      running.delete(message.id);
      post({ type: 'result', id: message.id, result });
    });
  });
  post({ type: 'ready' });
}
