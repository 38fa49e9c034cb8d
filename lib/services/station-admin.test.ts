import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { auditLog, chargingStations } from '@/lib/db/schema';
import { admitStation } from './charger-link';
import {
  createStation,
  deleteStation,
  placeStation,
  setCaliforniaPricing,
  setRegistration,
  setStationPassword,
} from './station-admin';
import { getStation } from './stations';
import { aChargeDetailRecord, anOrganisation, aSite, aStation, aUser, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

let n = 0;
const identity = () => `ADM-${Date.now().toString(36)}-${n++}`;

describe('station registration by operators', () => {
  it('adds a station with a generated password that the charger can then connect with', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const id = identity();
    const { station, password } = await createStation(db, manager, { identity: id, siteId: site.id });
    expect(station).toMatchObject({ identity: id, siteId: site.id, registrationStatus: 'accepted' });
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(await admitStation(db, { identity: id, password, autoRegister: 'off' })).toMatchObject({
      ok: true,
    });
    expect(await admitStation(db, { identity: id, password: 'wrong', autoRegister: 'off' })).toMatchObject({
      ok: false,
    });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.targetId, station.id));
    expect(audit).toMatchObject({ action: 'station.create', actorUserId: manager.id });
  });

  it('refuses a taken identity, a malformed one, and a site outside the manager’s scope', async () => {
    const org = await anOrganisation(db);
    const [mine, theirs] = [await aSite(db, org.id), await aSite(db, org.id)];
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [mine.id] });
    const id = identity();
    await createStation(db, manager, { identity: id, siteId: mine.id });
    await expect(createStation(db, manager, { identity: id, siteId: mine.id })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await expect(createStation(db, manager, { identity: 'has space', siteId: mine.id })).rejects.toThrow(
      /printable/,
    );
    await expect(
      createStation(db, manager, { identity: identity(), siteId: theirs.id }),
    ).rejects.toMatchObject({
      kind: 'validation',
    });
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [mine.id] });
    await expect(
      createStation(db, technician, { identity: identity(), siteId: mine.id }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  it('lets an admin accept and place an auto-registered station; managers do not see it until placed', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const admin = await aUser(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const [pending] = await db
      .insert(chargingStations)
      .values({ organisationId: org.id, identity: identity(), registrationStatus: 'pending' })
      .returning();
    await expect(getStation(db, manager, pending!.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(setRegistration(db, manager, pending!.id, 'accepted')).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect((await setRegistration(db, admin, pending!.id, 'accepted')).registrationStatus).toBe('accepted');
    await placeStation(db, admin, pending!.id, site.id);
    expect((await getStation(db, manager, pending!.id)).siteName).toBe(site.name);
  });

  it('rotates the password (the old one stops working) and deletes only for admins', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const admin = await aUser(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const id = identity();
    const { station, password } = await createStation(db, admin, { identity: id, siteId: site.id });
    const rotated = await setStationPassword(db, manager, station.id);
    expect(rotated).not.toBe(password);
    expect(await admitStation(db, { identity: id, password, autoRegister: 'off' })).toMatchObject({
      ok: false,
    });
    expect(await admitStation(db, { identity: id, password: rotated, autoRegister: 'off' })).toMatchObject({
      ok: true,
    });
    await expect(setStationPassword(db, manager, station.id, 'short')).rejects.toMatchObject({
      kind: 'validation',
    });
    await expect(deleteStation(db, manager, station.id)).rejects.toMatchObject({ kind: 'forbidden' });
    await deleteStation(db, admin, station.id);
    expect(await admitStation(db, { identity: id, password: rotated, autoRegister: 'off' })).toMatchObject({
      ok: false,
    });
  });

  it('switches California pricing per station for managers of its site, audited, and refuses others', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    const elsewhere = await aUser(db, org.id, { role: 'manager', siteIds: [(await aSite(db, org.id)).id] });
    const technician = await aUser(db, org.id, { role: 'technician' });
    const station = await aStation(db, org.id, site.id);
    expect(await setCaliforniaPricing(db, manager, station.id, true)).toMatchObject({
      californiaPricing: true,
    });
    await expect(setCaliforniaPricing(db, elsewhere, station.id, false)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(setCaliforniaPricing(db, technician, station.id, false)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, station.id));
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ['station.california-pricing', { identity: station.identity, enabled: true }],
    ]);
  });

  it('keeps a station that billed sessions: deleting it is refused with the reason', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const admin = await aUser(db, org.id);
    const station = await aStation(db, org.id, site.id);
    await aChargeDetailRecord(db, station);
    const refused = await expectError(deleteStation(db, admin, station.id), 'conflict');
    expect(refused.message).toMatch(/1 charge detail records, which are kept for audits/);
    expect(await getStation(db, admin, station.id)).toMatchObject({ id: station.id });
  });
});
