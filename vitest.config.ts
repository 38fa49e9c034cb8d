import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['{lib,server,components,app}/**/*.test.ts'],
    environment: 'node',
    // Integration tests open their own database each (PGlite in memory, or a fresh PostgreSQL database).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: argon2 and PGlite are CPU-heavy, keep workers at two.
    maxWorkers: 2,
  },
});
