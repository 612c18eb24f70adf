#!/usr/bin/env node
// The engine is TypeScript run by tsx, so the CLI needs no build step and always matches the sources.
import { register } from 'tsx/esm/api';

register();
await import('../electron/engine/cli/main.ts');
