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
  const database = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.maxConnections ?? 10)
    : await openPglite(options.pgliteDir);
  try {
    await migrateDatabase(database);
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

function openPostgres(url: string, max: number): Database {
  const client = postgres(url, { max, onnotice: () => undefined });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
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

async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
  } else {
    await migratePostgres(database.db as unknown as Parameters<typeof migratePostgres>[0], {
      migrationsFolder,
    });
  }
}
