import { defineConfig } from '@playwright/test';

const PORT = Number(process.env['NEUROSPHERE_E2E_PORT'] ?? 7979);
const DATA_DIR = process.env['NEUROSPHERE_E2E_DATA_DIR'] ?? '.reports/e2e-data';

/**
 * End-to-end tests drive the real renderer in Debian's Chromium against serve mode on a
 * fresh data dir (Playwright cannot download its own browsers here, and Electron cannot run).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1366, height: 768 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
  webServer: {
    // A fresh data dir each run: first-run setup is part of what the tests check. Analyses are
    // started by hand in the viewer spec, so automatic analysis after import is off here.
    // The audit key (and destination passwords) in files next to the data dir (the documented
    // fallback): CI has no desktop keychain.
    command: `rm -rf ${DATA_DIR} ${DATA_DIR}-audit.key ${DATA_DIR}-data.key ${DATA_DIR}-destinations.json && NEUROSPHERE_AUDIT_KEY_FILE=${DATA_DIR}-audit.key NEUROSPHERE_DATA_KEY_FILE=${DATA_DIR}-data.key NEUROSPHERE_DESTINATION_SECRETS_FILE=${DATA_DIR}-destinations.json node bin/neurosphere.js serve --port ${PORT} --data-dir ${DATA_DIR} --no-auto-analyse`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
