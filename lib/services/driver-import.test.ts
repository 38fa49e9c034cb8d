import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { toCsv } from '@/lib/csv';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { auditLog, driverGroupMembers, driverGroups, drivers, stationLocalLists } from '@/lib/db/schema';
import { subscribe } from '@/lib/realtime/bus';
import { createGroup, setGroupMembers } from './driver-groups';
import { applyDriverImport, previewDriverImport } from './driver-import';
import { addToken, createDriver, exportDriversCsv } from './drivers';
import { listStateOf } from './local-lists';
import { aStation, anOrganisation, aUser, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

/** An administrator of a new organisation, so each test starts without drivers or groups. */
const anAdmin = async () => aUser(db, (await anOrganisation(db)).id);

const driversOf = (organisationId: string) =>
  db
    .select()
    .from(drivers)
    .where(eq(drivers.organisationId, organisationId))
    .orderBy(asc(drivers.name), asc(drivers.id));

/** Each driver's name with the names of their groups, sorted. */
async function membershipsOf(organisationId: string) {
  const rows = await db
    .select({ driver: drivers.name, group: driverGroups.name })
    .from(driverGroupMembers)
    .innerJoin(drivers, eq(drivers.id, driverGroupMembers.driverId))
    .innerJoin(driverGroups, eq(driverGroups.id, driverGroupMembers.groupId))
    .where(eq(drivers.organisationId, organisationId))
    .orderBy(asc(drivers.name), asc(driverGroups.name));
  return rows.map((r) => `${r.driver}: ${r.group}`);
}

const importAudits = (organisationId: string) =>
  db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.organisationId, organisationId), eq(auditLog.action, 'driver.import')));

describe('driver import', () => {
  it('shows every bad row in the preview and writes nothing', async () => {
    const admin = await anAdmin();
    await createGroup(db, admin, { name: 'Fleet' });
    const csv = toCsv([
      ['name', 'email', 'phone', 'company', 'groups'],
      ['Good Driver', 'good@example.test', '', '', 'Fleet'],
      ['', 'not-an-email', '', '', ''],
      ['Third Driver', '', '', 'x'.repeat(121), 'fleet; Contractors'],
    ]);

    const preview = await previewDriverImport(db, admin, csv);
    expect(preview).toMatchObject({ creates: 1, updates: 0, errorCount: 2 });
    expect(preview.rows.map((r) => [r.line, r.name, r.action, r.errors])).toEqual([
      [2, 'Good Driver', 'create', []],
      [3, '', 'create', ['name: Enter a name', 'email: Enter a valid email address']],
      [
        4,
        'Third Driver',
        'create',
        [
          'company: At most 120 characters',
          'groups: there is no group “Contractors”; add it under Groups first',
        ],
      ],
    ]);
    expect(preview.rows[3 - 2]?.email).toBe('not-an-email');
    expect(preview.rows[4 - 2]?.groups).toEqual(['fleet', 'Contractors']);

    const error = await expectError(applyDriverImport(db, admin, csv), 'validation');
    expect(error.message).toBe('Nothing was imported: 2 rows have errors. Fix the file and try again.');
    expect(await driversOf(admin.organisationId)).toEqual([]);
    expect(await importAudits(admin.organisationId)).toEqual([]);
  });

  it('creates new drivers and updates those it finds by email, adding groups and keeping the others, in one audited access change', async () => {
    const admin = await anAdmin();
    await createGroup(db, admin, { name: 'Fleet' });
    const visitors = await createGroup(db, admin, { name: 'Visitors' });
    const ada = await createDriver(db, admin, {
      name: 'Ada L.',
      email: 'ada@example.test',
      phone: '+1 555 0100',
      company: 'Engines Ltd',
    });
    await setGroupMembers(db, admin, visitors.id, [ada.id]);
    const station = await aStation(db, admin.organisationId, null);
    const listBefore = await listStateOf(db, station);
    const announced: string[] = [];
    const unsubscribe = subscribe((event) => {
      if (event.type === 'access:changed') announced.push(event.organisationId);
    });

    const csv = [
      'Name,Email,Phone,Company,Groups',
      'Ada Lovelace,ADA@Example.test,,,Fleet',
      'Grace Hopper,grace@example.test,+1 555 0199,Navy,fleet;visitors',
      ',,,,',
      'Alan Turing,,,,',
    ].join('\n');
    const preview = await previewDriverImport(db, admin, csv);
    expect(preview).toMatchObject({ creates: 2, updates: 1, errorCount: 0 });
    expect(preview.rows.map((r) => [r.line, r.name, r.email, r.action])).toEqual([
      [2, 'Ada Lovelace', 'ada@example.test', 'update'],
      [3, 'Grace Hopper', 'grace@example.test', 'create'],
      [4, '', null, 'skip'],
      [5, 'Alan Turing', null, 'create'],
    ]);
    expect(await driversOf(admin.organisationId)).toHaveLength(1);

    try {
      expect(await applyDriverImport(db, admin, csv)).toEqual({
        created: 2,
        updated: 1,
        membershipsAdded: 3,
      });
    } finally {
      unsubscribe();
    }
    const people = await driversOf(admin.organisationId);
    expect(people.map((d) => [d.name, d.email, d.phone, d.company])).toEqual([
      // Blank phone and company keep what the driver had.
      ['Ada Lovelace', 'ada@example.test', '+1 555 0100', 'Engines Ltd'],
      ['Alan Turing', null, null, null],
      ['Grace Hopper', 'grace@example.test', '+1 555 0199', 'Navy'],
    ]);
    expect(people[0]?.id).toBe(ada.id);
    expect(await membershipsOf(admin.organisationId)).toEqual([
      'Ada Lovelace: Fleet',
      'Ada Lovelace: Visitors',
      'Grace Hopper: Fleet',
      'Grace Hopper: Visitors',
    ]);

    const audits = await importAudits(admin.organisationId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUserId: admin.id,
      targetType: 'driver',
      details: { created: 2, updated: 1, membershipsAdded: 3, rows: 4 },
    });
    // Memberships decide where tokens charge: the stations' local lists are due for a sync.
    const [listAfter] = await db
      .select()
      .from(stationLocalLists)
      .where(eq(stationLocalLists.stationId, station.id));
    expect(listAfter!.wantedRevision).toBe(listBefore.wantedRevision + 1);
    expect(announced).toContain(admin.organisationId);
  });

  it('names a group the organisation does not have', async () => {
    const admin = await anAdmin();
    await createGroup(db, admin, { name: 'Employees' });
    const other = await anAdmin();
    await createGroup(db, other, { name: 'Contractors' });

    const preview = await previewDriverImport(
      db,
      admin,
      'name,groups\nPat Doe,Employees; Contractors ;;employees\n',
    );
    expect(preview.rows).toEqual([
      {
        line: 2,
        name: 'Pat Doe',
        email: null,
        groups: ['Employees', 'Contractors'],
        action: 'create',
        errors: ['groups: there is no group “Contractors”; add it under Groups first'],
      },
    ]);
    await expectError(applyDriverImport(db, admin, 'name,groups\nPat Doe,Contractors\n'), 'validation');
    expect(await driversOf(admin.organisationId)).toEqual([]);
  });

  it('refuses an email twice in the file, and a file without a name column', async () => {
    const admin = await anAdmin();
    const csv = 'name,email\nSam One,sam@example.test\nSam Two,SAM@example.test\nSam Three,\nsam three,\n';
    const preview = await previewDriverImport(db, admin, csv);
    expect(preview).toMatchObject({ creates: 2, errorCount: 2 });
    expect(preview.rows.map((r) => r.errors)).toEqual([
      [],
      ['email: sam@example.test is also on line 2'],
      [],
      ['name: “sam three” without an email is also on line 4; add emails to tell them apart'],
    ]);
    await expectError(applyDriverImport(db, admin, csv), 'validation');
    expect(await driversOf(admin.organisationId)).toEqual([]);

    const noName = await previewDriverImport(db, admin, 'email,colour\nx@example.test,red\n');
    expect(noName.rows).toEqual([
      {
        line: 1,
        name: '',
        email: null,
        groups: [],
        action: 'skip',
        errors: [
          'Unknown column “colour”; expected name, email, phone, company, groups, tokens',
          'The header must include the name column',
        ],
      },
    ]);
  });

  it('refuses files over the row limit as the token import does', async () => {
    const admin = await anAdmin();
    const many = ['name', ...Array.from({ length: 5_001 }, (_, i) => `Driver ${i}`)].join('\n');
    const preview = await previewDriverImport(db, admin, many);
    expect(preview.rows).toHaveLength(1);
    expect(preview.rows[0]?.errors).toEqual(['The file has 5,001 rows: at most 5,000 per import']);
  });

  it('refuses a technician', async () => {
    const org = await anOrganisation(db);
    const technician = await aUser(db, org.id, { role: 'technician' });
    await expectError(previewDriverImport(db, technician, 'name\nPat Doe\n'), 'forbidden');
    await expectError(applyDriverImport(db, technician, 'name\nPat Doe\n'), 'forbidden');
    expect(await driversOf(org.id)).toEqual([]);
  });

  it('takes an exported file back as updates that change nothing', async () => {
    const admin = await anAdmin();
    const fleet = await createGroup(db, admin, { name: 'Fleet' });
    const night = await createGroup(db, admin, { name: 'Night shift' });
    const withEmail = await createDriver(db, admin, {
      name: 'Exported, Driver',
      email: 'exported@example.test',
      phone: '+49 30 1234',
      company: '=Formula Corp',
    });
    const withoutEmail = await createDriver(db, admin, { name: 'No Email' });
    await setGroupMembers(db, admin, fleet.id, [withEmail.id, withoutEmail.id]);
    await setGroupMembers(db, admin, night.id, [withEmail.id]);
    await addToken(db, admin, { idToken: 'CARD-EXP-1', driverId: withEmail.id });
    const before = await driversOf(admin.organisationId);
    const membersBefore = await membershipsOf(admin.organisationId);

    const csv = await exportDriversCsv(db, admin);
    expect(csv.split('\r\n')[0]).toBe('name,email,phone,company,groups,tokens');
    const preview = await previewDriverImport(db, admin, csv);
    expect(preview).toMatchObject({ creates: 0, updates: 2, errorCount: 0 });
    expect(preview.rows.map((r) => [r.name, r.groups])).toEqual([
      ['Exported, Driver', ['Fleet', 'Night shift']],
      ['No Email', ['Fleet']],
    ]);
    expect(await applyDriverImport(db, admin, csv)).toEqual({ created: 0, updated: 2, membershipsAdded: 0 });

    const strip = (rows: typeof before) => rows.map(({ updatedAt: _updatedAt, ...rest }) => rest);
    expect(strip(await driversOf(admin.organisationId))).toEqual(strip(before));
    expect(await membershipsOf(admin.organisationId)).toEqual(membersBefore);
  });

  it('refuses a row that could be several drivers without an email', async () => {
    const admin = await anAdmin();
    await createDriver(db, admin, { name: 'Chris Lee' });
    await createDriver(db, admin, { name: 'chris lee' });
    await createDriver(db, admin, { name: 'Chris Lee', email: 'chris@example.test' });
    const preview = await previewDriverImport(db, admin, 'name\nChris Lee\n');
    expect(preview.rows[0]?.errors).toEqual([
      'name: 2 drivers without an email are called “Chris Lee”; add their emails first',
    ]);
  });
});
