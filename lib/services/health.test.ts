import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '@/lib/db/testing';
import { checkHealth } from './health';

describe('checkHealth', () => {
  it('reports ok while the database answers and degraded once it does not', async () => {
    const database = await openTestDatabase();
    const healthy = await checkHealth(database, 5);
    expect(healthy).toMatchObject({
      status: 'ok',
      database: { kind: database.kind, ok: true },
      uptimeSeconds: 5,
    });
    await database.close();
    const down = await checkHealth(database, 6);
    expect(down.status).toBe('degraded');
    expect(down.database.ok).toBe(false);
    expect(down.database.error).toBeTruthy();
  });
});
