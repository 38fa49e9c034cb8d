import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { setupTestDatabase } from '@/lib/db/testing';
import { chargingStations } from '@/lib/db/schema';
import { resetOnlineFlags } from './charger-link';
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
