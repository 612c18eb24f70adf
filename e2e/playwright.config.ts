import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  timeout: 420_000,
  workers: 1,
  reporter: [['list'], ['./skip-reasons-reporter.ts']],
  use: {
    viewport: { width: 1280, height: 720 },
    locale: 'es-PE',
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CUPO_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
