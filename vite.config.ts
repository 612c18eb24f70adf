import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.ts';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

// One config for the renderer build and for the test runner, so both resolve modules the same way.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  test: {
    root: repoRoot,
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.ts', 'data/**/*.test.ts'],
    // Training tests run TF.js on two cores; the defaults (5 s) are for unit tests, not real training.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', new SummaryReporter()],
  },
});
