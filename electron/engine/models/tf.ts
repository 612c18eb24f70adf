import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TensorFlowModule from '@tensorflow/tfjs';

type TensorFlow = typeof TensorFlowModule;
let ready: Promise<TensorFlow> | null = null;

/**
 * TF.js on its WebAssembly backend (about 3x the pure-JS CPU backend here), loading the .wasm files shipped in
 * the package, never from the network. Falls back to the CPU backend where WebAssembly cannot start.
 * Loaded on first use: most operations (status, import, forecasts from a baseline) never need it.
 */
export function loadTf(): Promise<TensorFlow> {
  ready ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    // In the packaged desktop app the .wasm files are kept outside the asar archive, beside it.
    setWasmPaths(path.join(packageDir.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked'), 'dist') + path.sep);
    const ok = await tf.setBackend('wasm').catch(() => false);
    if (!ok) await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return ready;
}
