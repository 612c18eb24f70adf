import type { EngineConfig, FromEngine, ToEngine } from './protocol';
import { serveEngine } from './serve';

/**
 * Entry of the engine in Electron's utility process: the desktop app's main thread never runs engine work.
 * The port is Electron's `process.parentPort`, described here rather than imported so that the engine stays free
 * of Electron; its first message is the configuration, every later one a `ToEngine`.
 */
interface ParentPort {
  postMessage(message: FromEngine): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  once(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
port.once('message', ({ data }) => {
  serveEngine(
    data as EngineConfig,
    (message) => port.postMessage(message),
    (listener) => port.on('message', ({ data: message }) => listener(message as ToEngine)),
    () => process.exit(0),
  );
});
