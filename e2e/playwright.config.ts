import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { adminEmail, adminPassword } from './helpers';

// The e2e suite drives Debian's Chromium (no browser download) against the production build,
// started by the real server on its own port with a fresh embedded database and the demo network.
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `chargeops-e2e-${process.pid}`);

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions: chromium },
      testIgnore: /phone\.spec\.ts/,
    },
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, launchOptions: chromium },
      testMatch: /phone\.spec\.ts/,
    },
  ],
  webServer: {
    command: `rm -rf "${dataDir}" && node --import tsx server/index.ts`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      DEMO: '1',
      // The specs connect their own simulated chargers to the demo stations.
      DEMO_CHARGERS: '0',
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      // The map picker would fetch OpenStreetMap tiles; tests run offline, so point it at nothing
      // reachable on this machine (tiles simply stay blank; the picker still works).
      MAP_TILE_URL: `http://127.0.0.1:${port}/__no-tiles__/{z}/{x}/{y}.png`,
    },
  },
});
