import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { AppError } from '@/lib/errors';
import { subscribe } from '@/lib/realtime/bus';
import type { DomainEvent } from '@/lib/realtime/events';
import { createSite, getSite, listOwnSiteNames, listSites, updateSite } from './sites';
import { aSite, aUser, anOrganisation } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

const chicago = {
  name: 'Union Station',
  address: '210 S Canal St, Chicago, IL',
  latitude: 41.8787,
  longitude: -87.6403,
  timezone: 'America/Chicago',
  gridCapacityKw: 600,
};

describe('createSite and updateSite', () => {
  it('stores capacity in watts, audits and announces the change', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const events: DomainEvent[] = [];
    const stop = subscribe((e) => events.push(e));
    const site = await createSite(db, admin, chicago);
    stop();
    expect(site.gridCapacityW).toBe(600_000);
    expect(events).toEqual([{ type: 'site:changed', organisationId: org.id, siteId: site.id }]);
    const updated = await updateSite(db, admin, {
      ...chicago,
      id: site.id,
      name: 'Chicago Union Station',
      gridCapacityKw: '' as unknown as number,
    });
    expect(updated.name).toBe('Chicago Union Station');
    expect(updated.gridCapacityW).toBeNull();
  });

  it('rejects coordinates out of range and unknown time zones, per field', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const error = await createSite(db, admin, { ...chicago, latitude: 91, timezone: 'Mars/Olympus' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(z.ZodError);
    const fields = (error as z.ZodError).issues.map((i) => i.path[0]);
    expect(fields).toEqual(expect.arrayContaining(['latitude', 'timezone']));
  });

  it('is refused to managers, and an admin cannot edit a site of another organisation', async () => {
    const org = await anOrganisation(db);
    const other = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const foreign = await aSite(db, other.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const admin = await aUser(db, org.id);
    await expect(createSite(db, manager, chicago)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(updateSite(db, admin, { ...chicago, id: foreign.id })).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});

describe('listSites scope', () => {
  it('shows admins every site of their organisation and managers only theirs', async () => {
    const org = await anOrganisation(db);
    const [a, b] = [await aSite(db, org.id, { name: 'A' }), await aSite(db, org.id, { name: 'B' })];
    await aSite(db, (await anOrganisation(db)).id, { name: 'Foreign' });
    const admin = await aUser(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [b.id] });
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [a.id] });
    expect((await listSites(db, admin)).map((s) => s.name)).toEqual(['A', 'B']);
    expect((await listSites(db, manager)).map((s) => s.name)).toEqual(['B']);
    await expect(getSite(db, manager, a.id)).rejects.toBeInstanceOf(AppError);
    await expect(listSites(db, technician)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await listOwnSiteNames(db, technician)).toEqual(['A']);
  });
});
