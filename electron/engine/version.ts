import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string };

/** Recorded with every migration, snapshot and training run, so a result can be traced to the code that made it. */
export const APP_VERSION: string = pkg.version;
