import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema';

export { schema };
export type Schema = typeof schema;
/** A drizzle database over either PGlite or PostgreSQL; code above lib/db never knows which. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; services accept `Db | Tx` where they can run inside a caller's transaction. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

/** What the server opens once at start-up and closes on shutdown. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for logs and the health check (a folder, or the URL without credentials). */
  location: string;
  /** Round-trips one query; rejects when the database is unreachable. */
  ping(): Promise<void>;
  /** Waits for running queries, flushes and closes. */
  close(): Promise<void>;
}

const slot = Symbol.for('chargeops.database');
type Slot = { [slot]?: Database };

/** Installs the process-wide database (server start-up, test harness). */
export function setDatabase(database: Database | undefined): void {
  (globalThis as Slot)[slot] = database;
}

/** The process-wide database; a globalThis slot so the custom server and Next.js bundles share one. */
export function getDatabase(): Database {
  const database = (globalThis as Slot)[slot];
  if (!database) throw new Error('Database not initialised: start ChargeOps through server/index.ts');
  return database;
}

/** Shorthand for getDatabase().db. */
export function getDb(): Db {
  return getDatabase().db;
}
