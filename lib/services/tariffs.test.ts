import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { auditLog, driverGroups } from '@/lib/db/schema';
import {
  addTariffVersion,
  assignTariff,
  createTariff,
  getTariff,
  listTariffs,
  previewTariff,
  renameTariff,
  tariffForStation,
  unassignTariff,
} from './tariffs';
import { anOrganisation, aSite, aStation, aUser, expectError } from './testing';

// Tariffs as operators keep them: versions from a date, assignments within the caller's sites, and
// the answer to "which tariff does this group pay at this station?".
const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

const now = new Date('2026-06-01T12:00:00Z');
const standard = {
  name: 'Standard',
  currency: 'usd',
  energyPrice: '0.35',
  idlePrice: '0.10',
  idleGrace: '15',
};

async function aNetwork() {
  const org = await anOrganisation(db);
  const north = await aSite(db, org.id, { name: 'North', timezone: 'America/Chicago' });
  const south = await aSite(db, org.id, { name: 'South', timezone: 'America/Chicago' });
  const [staff] = await db.insert(driverGroups).values({ organisationId: org.id, name: 'Staff' }).returning();
  return {
    org,
    north,
    south,
    staff: staff!,
    inNorth: await aStation(db, org.id, north.id, 'N'),
    inSouth: await aStation(db, org.id, south.id, 'S'),
    admin: await aUser(db, org.id),
    manager: await aUser(db, org.id, { role: 'manager', siteIds: [north.id] }),
    technician: await aUser(db, org.id, { role: 'technician' }),
  };
}

describe('tariffs', () => {
  it('creates a tariff with its first version and audits it; the fields it cannot read are named', async () => {
    const n = await aNetwork();
    const id = await createTariff(db, n.admin, standard, now);
    const tariff = await getTariff(db, n.admin, id, now);
    expect(tariff.current).toMatchObject({
      currency: 'USD',
      base: { energyPerKwh: 3500, timePerMinute: null, idlePerMinute: 1000 },
      idleGraceMinutes: 15,
      validFrom: now,
    });
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(audit.map((a) => a.action)).toEqual(['tariff.create']);

    const bad = await expectError(
      createTariff(
        db,
        n.admin,
        { ...standard, name: 'Bad', energyPrice: '0.123456', minPrice: '5', maxPrice: '1' },
        now,
      ),
      'validation',
    );
    expect(bad.fieldErrors).toMatchObject({ energyPrice: expect.any(String) });
    const bounds = await expectError(
      createTariff(db, n.admin, { ...standard, name: 'Bad', minPrice: '5', maxPrice: '1' }, now),
      'validation',
    );
    expect(bounds.fieldErrors).toEqual({ maxPrice: 'The maximum must not be below the minimum' });
    const taken = await expectError(createTariff(db, n.admin, standard, now), 'conflict');
    expect(taken.fieldErrors).toHaveProperty('name');
  });

  it('adds versions from now or later, never the past, in the same currency; a session start picks the one in force', async () => {
    const n = await aNetwork();
    const id = await createTariff(db, n.admin, standard, now);
    const past = await expectError(
      addTariffVersion(
        db,
        n.admin,
        id,
        { currency: 'USD', energyPrice: '0.40', validFrom: '2026-05-01T00:00:00Z' },
        now,
      ),
      'validation',
    );
    expect(past.fieldErrors).toHaveProperty('validFrom');
    const euros = await expectError(
      addTariffVersion(db, n.admin, id, { currency: 'EUR', energyPrice: '0.40' }, now),
      'validation',
    );
    expect(euros.fieldErrors).toHaveProperty('currency');
    await addTariffVersion(
      db,
      n.admin,
      id,
      { currency: 'USD', energyPrice: '0.45', validFrom: '2026-07-01T00:00:00Z' },
      now,
    );
    const listed = (await listTariffs(db, n.admin, now)).find((t) => t.id === id);
    expect(listed?.current?.base.energyPerKwh).toBe(3500);
    expect(listed?.upcoming?.base.energyPerKwh).toBe(4500);
    expect(
      (await getTariff(db, n.admin, id, new Date('2026-07-02T00:00:00Z'))).current?.base.energyPerKwh,
    ).toBe(4500);
  });

  it('lets a manager assign at their own sites only, and answers which tariff a group pays where', async () => {
    const n = await aNetwork();
    const base = await createTariff(db, n.admin, standard, now);
    const staffPrice = await createTariff(
      db,
      n.manager,
      { ...standard, name: 'Staff', energyPrice: '0.20' },
      now,
    );
    await assignTariff(db, n.admin, { tariffId: base });
    await expectError(
      assignTariff(db, n.manager, { tariffId: staffPrice, groupId: n.staff.id }),
      'forbidden',
    );
    const outside = await expectError(
      assignTariff(db, n.manager, { tariffId: staffPrice, siteId: n.south.id, groupId: n.staff.id }),
      'validation',
    );
    expect(outside.fieldErrors).toEqual({ siteId: 'Unknown site' });
    const assignment = await assignTariff(db, n.manager, {
      tariffId: staffPrice,
      siteId: n.north.id,
      groupId: n.staff.id,
    });

    const staffNorth = await tariffForStation(
      db,
      n.admin,
      { stationId: n.inNorth.id, evseId: null, groupId: n.staff.id },
      now,
    );
    expect(staffNorth).toMatchObject({
      version: { tariffName: 'Staff' },
      choice: { reason: 'Staff at site North' },
    });
    const staffSouth = await tariffForStation(
      db,
      n.admin,
      { stationId: n.inSouth.id, evseId: null, groupId: n.staff.id },
      now,
    );
    expect(staffSouth).toMatchObject({
      version: { tariffName: 'Standard' },
      choice: { reason: 'Organisation default' },
    });
    await expectError(
      tariffForStation(db, n.manager, { stationId: n.inSouth.id, evseId: null, groupId: null }, now),
      'not_found',
    );

    // The manager sees the organisation-wide assignment but may not remove it.
    await unassignTariff(db, n.manager, assignment);
    const [orgWide] = (await getTariff(db, n.manager, base, now)).assignments;
    await expectError(unassignTariff(db, n.manager, orgWide!.id), 'forbidden');
  });

  it('refuses people without billing rights', async () => {
    const n = await aNetwork();
    const id = await createTariff(db, n.admin, standard, now);
    await expectError(listTariffs(db, n.technician, now), 'forbidden');
    await expectError(getTariff(db, n.technician, id, now), 'forbidden');
    await expectError(createTariff(db, n.technician, { ...standard, name: 'X' }, now), 'forbidden');
    await expectError(
      addTariffVersion(db, n.technician, id, { currency: 'USD', energyPrice: '1' }, now),
      'forbidden',
    );
    await expectError(renameTariff(db, n.technician, id, { name: 'Y' }), 'forbidden');
    await expectError(assignTariff(db, n.technician, { tariffId: id }), 'forbidden');
    await expectError(getTariff(db, await aUser(db, (await anOrganisation(db)).id), id, now), 'not_found');
  });

  it('prices an example session for the editor without storing anything', () => {
    const cost = previewTariff(
      { ...standard, taxRate: '10' },
      {
        startLocal: '2026-06-01T09:00',
        chargingMinutes: 60,
        idleMinutes: 45,
        energyKwh: 10,
        timeZone: 'America/Chicago',
      },
    );
    // 10 kWh x $0.35 + (45 - 15) min x $0.10, plus 10 %.
    expect([cost.net, cost.tax, cost.total]).toEqual([650, 65, 715]);
  });
});
