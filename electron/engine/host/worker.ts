import { parentPort, workerData } from 'node:worker_threads';
import type { EngineConfig, ToEngine } from './protocol';
import { serveEngine } from './serve';

const port = parentPort!;
serveEngine(
  workerData as EngineConfig,
  (message) => port.postMessage(message),
  (listener) => port.on('message', (message: ToEngine) => listener(message)),
  () => port.close(),
);
