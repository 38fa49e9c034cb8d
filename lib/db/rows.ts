import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from './index';

/**
 * Runs a raw SQL statement and returns its rows. The two drivers answer `execute` differently
 * (PGlite: `{ rows }`; postgres: the rows array itself), so statements drizzle's builder cannot
 * express (data-modifying CTEs) go through here.
 */
export async function executeRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
