import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo institute shipped in data/demo (CUPO_DEMO_DIR overrides, for a packaged app's resources folder). */
export function demoFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = env.CUPO_DEMO_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/demo');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(dir, f));
}
