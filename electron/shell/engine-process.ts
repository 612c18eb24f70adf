import { utilityProcess } from 'electron';
import { EngineClient } from '../engine/host/client';
import type { EngineConfig, FromEngine } from '../engine/host/protocol';

/**
 * The engine in Electron's utility process: imports, training and forecasts never block the window. The same
 * messages as the worker thread of the Node hosts; the first one carries the configuration.
 */
export function startEngineProcess(entry: string, config: EngineConfig): EngineClient {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Cupo engine', stdio: 'inherit' });
  child.postMessage(config);
  return new EngineClient({
    post: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: FromEngine) => listener(message)),
    onExit: (listener) => child.once('exit', (code) => listener(`exit ${code}`)),
    terminate: async () => {
      child.kill();
    },
  });
}
