import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { schema, type Database, type Db } from './index';

/** Folder of the generated SQL migrations (drizzle/ at the project root). */
export const migrationsFolder = path.resolve(process.cwd(), 'drizzle');

export interface OpenOptions {
  /** postgres:// URL; when absent an embedded PGlite database is used. */
  databaseUrl?: string;
  /** Folder for the PGlite data; omitted means in memory (tests). */
  pgliteDir?: string;
  /** Connection pool size for PostgreSQL. */
  maxConnections?: number;
}

/** Opens the database named by the options and applies pending migrations. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? 20);
  const database = await openPglite(options.pgliteDir);
  try {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

async function openPglite(dir: string | undefined): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const client = dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location: dir ?? 'memory',
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

// Arbitrary constant naming "ChargeOps migrations" for pg_advisory_lock.
const migrationLockKey = 7_406_012_931;

async function openPostgres(url: string, max: number): Promise<Database> {
  const client = postgres(url, { max, onnotice: () => undefined });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  // Instances starting together (a rolling deploy) take turns: the first applies the migrations,
  // the others then find them applied. The advisory lock lives on its own connection.
  const lock = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await lock`select pg_advisory_lock(${migrationLockKey})`;
    await migratePostgres(db as unknown as Parameters<typeof migratePostgres>[0], { migrationsFolder });
  } catch (error) {
    await client.end({ timeout: 5 }).catch(() => undefined);
    throw error;
  } finally {
    // Ending the session releases the advisory lock.
    await lock.end({ timeout: 5 });
  }
  const shown = new URL(url);
  shown.password = '';
  return {
    db,
    kind: 'postgres',
    location: shown.toString(),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
}
