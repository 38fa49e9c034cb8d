import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import { chargingStations } from '@/lib/db/schema';
import { appendMessageLog, purgeMessageLog, recentMessages, resetOnlineFlags } from './charger-link';
import { anOrganisation } from './testing';

const testDb = setupTestDatabase();

describe('resetOnlineFlags', () => {
  it('clears stale online flags left by a previous run', async () => {
    const org = await anOrganisation(testDb.db);
    await testDb.db.insert(chargingStations).values([
      { organisationId: org.id, identity: `STALE-${org.id}`, online: true },
      { organisationId: org.id, identity: `QUIET-${org.id}`, online: false },
    ]);
    expect(await resetOnlineFlags(testDb.db)).toBe(1);
    const rows = await testDb.db
      .select()
      .from(chargingStations)
      .where(eq(chargingStations.organisationId, org.id));
    expect(rows.every((r) => !r.online)).toBe(true);
  });
});

describe('purgeMessageLog', () => {
  it('deletes frames older than the retention and keeps the rest', async () => {
    const org = await anOrganisation(testDb.db);
    const [station] = await testDb.db
      .insert(chargingStations)
      .values({ organisationId: org.id, identity: `LOG-${org.id}` })
      .returning();
    const frame = (at: string) => ({
      stationId: station!.id,
      direction: 'in' as const,
      messageType: 2,
      messageId: at,
      action: 'Heartbeat',
      payload: [2, at, 'Heartbeat', {}],
      at: new Date(at),
    });
    await appendMessageLog(testDb.db, [
      frame('2026-10-01T00:00:00Z'),
      frame('2026-10-20T00:00:00Z'),
      frame('2026-11-20T00:00:00Z'),
    ]);
    expect(await purgeMessageLog(testDb.db, new Date('2026-10-21T00:00:00Z'))).toBe(2);
    expect((await recentMessages(testDb.db, station!.id)).map((m) => m.messageId)).toEqual([
      '2026-11-20T00:00:00Z',
    ]);
  });
});
