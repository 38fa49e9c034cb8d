import crypto from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from './client';
import { afterAll, beforeAll } from 'vitest';
import type { Database, Db } from './index';

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or, when DATABASE_URL
 * is set, a new PostgreSQL database created next to the one named (and dropped afterwards).
 * Refuses a non-local PostgreSQL so tests can never touch a real deployment.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({});
  const base = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(base.hostname)) {
    throw new Error(`Refusing to run tests against a non-local database (${base.hostname})`);
  }
  const name = `chargeops_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: testUrl.toString(), maxConnections: 4 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const cleanup = postgres(url, { max: 1, onnotice: () => undefined });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Opens a test database before the file's tests and closes it after; read `.db` inside tests. */
export function setupTestDatabase(): { readonly database: Database; readonly db: Db } {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  return {
    get database() {
      if (!database) throw new Error('the test database is opened in beforeAll');
      return database;
    },
    get db() {
      return this.database.db;
    },
  };
}
