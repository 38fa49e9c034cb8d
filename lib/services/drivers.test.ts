import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { auditLog } from '@/lib/db/schema';
import { createGroup, setGroupMembers } from './driver-groups';
import {
  addToken,
  blockDriverTokens,
  blockToken,
  createDriver,
  driverNames,
  exportDriversCsv,
  getDriver,
  listDrivers,
  listTokens,
  unblockToken,
  updateDriver,
  updateToken,
} from './drivers';
import { anOrganisation, aUser, expectError } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

async function auditOf(targetId: string) {
  return db.select().from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.id);
}

async function anAdmin() {
  const org = await anOrganisation(db);
  return aUser(db, org.id);
}

describe('createDriver, updateDriver and getDriver', () => {
  it('keeps blank contact fields empty, audits both changes and shows groups and tokens', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, {
      name: ' Ada Lovelace ',
      email: 'Ada@Example.test',
      phone: '',
      company: '',
    });
    expect(driver).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.test',
      phone: null,
      company: null,
    });

    const updated = await updateDriver(db, admin, driver.id, {
      name: 'Ada King',
      email: '',
      phone: '+1 312 555 0100',
      company: 'Analytical Engines',
    });
    expect(updated).toMatchObject({ name: 'Ada King', email: null, phone: '+1 312 555 0100' });

    const audit = await auditOf(driver.id);
    expect(audit.map((a) => a.action)).toEqual(['driver.create', 'driver.update']);
    expect(audit[0]).toMatchObject({ actorUserId: admin.id, organisationId: admin.organisationId });
    expect(audit[1]?.details).toMatchObject({ from: { name: 'Ada Lovelace' }, to: { name: 'Ada King' } });

    const group = await createGroup(db, admin, { name: 'Employees' });
    await setGroupMembers(db, admin, group.id, [driver.id]);
    const token = await addToken(db, admin, { idToken: '04A1B2C3', driverId: driver.id });
    expect(await getDriver(db, admin, driver.id)).toMatchObject({
      name: 'Ada King',
      groups: [{ id: group.id, name: 'Employees' }],
      tokens: [{ id: token.id, idToken: '04A1B2C3', kind: 'rfid', status: 'active', expiresAt: null }],
    });
  });

  it('rejects a driver without a name or with a malformed email, per field', async () => {
    const admin = await anAdmin();
    const error = await createDriver(db, admin, { name: ' ', email: 'not-an-email' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(z.ZodError);
    expect((error as z.ZodError).issues.map((i) => i.path[0])).toEqual(['name', 'email']);
  });

  it('does not find drivers of another organisation, nor malformed ids', async () => {
    const admin = await anAdmin();
    const foreign = await createDriver(db, await anAdmin(), { name: 'Foreign' });
    await expectError(getDriver(db, admin, foreign.id), 'not_found');
    await expectError(updateDriver(db, admin, foreign.id, { name: 'Mine now' }), 'not_found');
    await expectError(getDriver(db, admin, 'not-a-uuid'), 'not_found');
  });

  it('lets managers manage drivers and refuses technicians', async () => {
    const org = await anOrganisation(db);
    const manager = await aUser(db, org.id, { role: 'manager' });
    const technician = await aUser(db, org.id, { role: 'technician' });
    const driver = await createDriver(db, manager, { name: 'By a manager' });
    expect((await listDrivers(db, manager)).map((d) => d.id)).toEqual([driver.id]);
    await expectError(listDrivers(db, technician), 'forbidden');
    await expectError(getDriver(db, technician, driver.id), 'forbidden');
    await expectError(createDriver(db, technician, { name: 'Nope' }), 'forbidden');
    await expectError(updateDriver(db, technician, driver.id, { name: 'Nope' }), 'forbidden');
    await expectError(addToken(db, technician, { idToken: 'T1' }), 'forbidden');
    await expectError(listTokens(db, technician), 'forbidden');
  });
});

describe('listDrivers', () => {
  it('orders by name and finds a name, email, company or token value in any case', async () => {
    const admin = await anAdmin();
    await createDriver(db, admin, { name: 'Zoe', email: 'zoe@fleet.test', company: 'Acme 100%' });
    await createDriver(db, admin, { name: 'Bob', company: 'Initech' });
    const amy = await createDriver(db, admin, { name: 'Amy' });
    await addToken(db, admin, { idToken: 'CAFE0001', driverId: amy.id });
    await createDriver(db, await anAdmin(), { name: 'Zoe elsewhere' });

    const names = async (q?: string) => (await listDrivers(db, admin, { q })).map((d) => d.name);
    expect(await names()).toEqual(['Amy', 'Bob', 'Zoe']);
    expect(await names('ZOE')).toEqual(['Zoe']);
    expect(await names('FLEET.test')).toEqual(['Zoe']);
    expect(await names('initech')).toEqual(['Bob']);
    expect(await names('cafe')).toEqual(['Amy']);
    // Pattern characters are taken literally.
    expect(await names('100%')).toEqual(['Zoe']);
    expect(await names('%')).toEqual(['Zoe']);
    expect(await names('  ')).toHaveLength(3);
  });
});

describe('exportDriversCsv', () => {
  it('lists every driver of the organisation with groups and tokens, spreadsheet-safe, and refuses technicians', async () => {
    const admin = await anAdmin();
    const other = await anAdmin();
    const ada = await createDriver(db, admin, {
      name: 'Ada',
      email: 'ada@example.test',
      company: '=HYPERLINK()',
    });
    await createDriver(db, admin, { name: 'Bob', phone: '+1 555 0100' });
    await createDriver(db, other, { name: 'Not ours' });
    const fleet = await createGroup(db, admin, { name: 'Fleet A' });
    const staff = await createGroup(db, admin, { name: 'Employees' });
    await setGroupMembers(db, admin, fleet.id, [ada.id]);
    await setGroupMembers(db, admin, staff.id, [ada.id]);
    await addToken(db, admin, { idToken: 'ADA-1', driverId: ada.id });
    await addToken(db, admin, { idToken: 'ADA-2', driverId: ada.id });

    const lines = (await exportDriversCsv(db, admin)).trim().split(/\r?\n/);
    expect(lines).toEqual([
      'name,email,phone,company,groups,tokens',
      "Ada,ada@example.test,,'=HYPERLINK(),Employees; Fleet A,ADA-1; ADA-2",
      "Bob,,'+1 555 0100,,,",
    ]);
    const technician = await aUser(db, admin.organisationId, { role: 'technician' });
    await expectError(exportDriversCsv(db, technician), 'forbidden');
  });
});

describe('addToken and updateToken', () => {
  it('registers a token with its OCPP details and audits it', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, { name: 'Grace' });
    const token = await addToken(db, admin, {
      idToken: '04a1b2c3d4e5f6',
      kind: 'key_fob',
      ocppType: 'ISO15693',
      driverId: driver.id,
      expiresAt: '2027-01-01T00:00:00+01:00',
      parentIdTag: 'FLEET-A',
      label: 'Blue fob',
    });
    expect(token).toMatchObject({
      organisationId: admin.organisationId,
      idToken: '04a1b2c3d4e5f6',
      kind: 'key_fob',
      ocppType: 'ISO15693',
      status: 'active',
      driverId: driver.id,
      expiresAt: new Date('2026-12-31T23:00:00Z'),
      parentIdTag: 'FLEET-A',
      label: 'Blue fob',
    });
    const [audit] = await auditOf(token.id);
    expect(audit).toMatchObject({
      action: 'id-token.create',
      targetType: 'id-token',
      details: { idToken: '04a1b2c3d4e5f6', driverId: driver.id },
    });
  });

  it('refuses a value already registered in the organisation, whatever its case', async () => {
    const admin = await anAdmin();
    await addToken(db, admin, { idToken: 'ABCDEF01' });
    const error = await expectError(addToken(db, admin, { idToken: 'abcdef01' }), 'conflict');
    expect(error.fieldErrors).toEqual({ idToken: 'This token is already registered' });
    // Another organisation may use the same value.
    await expect(addToken(db, await anAdmin(), { idToken: 'abcdef01' })).resolves.toBeTruthy();
  });

  it('refuses the same value registered twice at once', async () => {
    const admin = await anAdmin();
    const results = await Promise.allSettled([
      addToken(db, admin, { idToken: 'RACE-1' }),
      addToken(db, admin, { idToken: 'race-1' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((r) => r.status === 'rejected');
    expect(rejected?.reason).toMatchObject({
      kind: 'conflict',
      fieldErrors: { idToken: expect.any(String) },
    });
  });

  it('edits a token, keeps its own value in another case, and refuses another token’s value', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, { name: 'Linus' });
    const token = await addToken(db, admin, { idToken: 'AA11', label: 'Old' });
    await addToken(db, admin, { idToken: 'BB22' });
    const updated = await updateToken(db, admin, token.id, {
      idToken: 'aa11',
      kind: 'app',
      ocppType: 'Central',
      driverId: driver.id,
    });
    expect(updated).toMatchObject({ idToken: 'aa11', kind: 'app', ocppType: 'Central', label: null });
    const error = await expectError(updateToken(db, admin, token.id, { idToken: 'bb22' }), 'conflict');
    expect(error.fieldErrors).toEqual({ idToken: 'This token is already registered' });
    const audit = await auditOf(token.id);
    expect(audit.map((a) => a.action)).toEqual(['id-token.create', 'id-token.update']);
    expect(audit[1]?.details).toMatchObject({ from: { label: 'Old' }, to: { driverId: driver.id } });
  });

  it('refuses a driver, a token or a value that is not of the organisation', async () => {
    const admin = await anAdmin();
    const otherAdmin = await anAdmin();
    const foreignDriver = await createDriver(db, otherAdmin, { name: 'Foreign' });
    const foreignToken = await addToken(db, otherAdmin, { idToken: 'FOREIGN' });
    const error = await expectError(
      addToken(db, admin, { idToken: 'MINE', driverId: foreignDriver.id }),
      'not_found',
    );
    expect(error.fieldErrors).toEqual({ driverId: 'Choose a driver of your organisation' });
    await expectError(updateToken(db, admin, foreignToken.id, { idToken: 'FOREIGN' }), 'not_found');
    await expectError(blockToken(db, admin, foreignToken.id, { reason: 'lost' }), 'not_found');
    await expectError(unblockToken(db, admin, foreignToken.id, { reason: 'found' }), 'not_found');
    await expectError(unblockToken(db, admin, 'nope', { reason: 'found' }), 'not_found');
  });

  it('rejects values chargers cannot send', async () => {
    const admin = await anAdmin();
    for (const idToken of ['', 'with space', 'X'.repeat(37), 'naïve']) {
      await expect(addToken(db, admin, { idToken })).rejects.toBeInstanceOf(z.ZodError);
    }
    await expect(addToken(db, admin, { idToken: 'X'.repeat(36) })).resolves.toBeTruthy();
  });
});

describe('blockToken and unblockToken', () => {
  it('blocks with a reason and unblocks, auditing both', async () => {
    const admin = await anAdmin();
    const token = await addToken(db, admin, { idToken: 'LOST-CARD' });
    const blocked = await blockToken(db, admin, token.id, { reason: ' card lost ' });
    expect(blocked).toMatchObject({ status: 'blocked', blockedReason: 'card lost' });
    const active = await unblockToken(db, admin, token.id, { reason: ' found in the car ' });
    expect(active).toMatchObject({ status: 'active', blockedReason: null });
    // Unblocking a token that is not blocked changes nothing.
    await unblockToken(db, admin, token.id, { reason: 'again' });
    const audit = await auditOf(token.id);
    expect(audit.map((a) => a.action)).toEqual(['id-token.create', 'id-token.block', 'id-token.unblock']);
    expect(audit[1]?.details).toMatchObject({ reason: 'card lost', idToken: 'LOST-CARD' });
    expect(audit[2]?.details).toMatchObject({
      reason: 'found in the car',
      previousReason: 'card lost',
      idToken: 'LOST-CARD',
    });
  });

  it('needs a reason either way', async () => {
    const admin = await anAdmin();
    const token = await addToken(db, admin, { idToken: 'NO-REASON' });
    await expect(blockToken(db, admin, token.id, { reason: '  ' })).rejects.toBeInstanceOf(z.ZodError);
    await blockToken(db, admin, token.id, { reason: 'lost' });
    await expect(unblockToken(db, admin, token.id, { reason: '' })).rejects.toBeInstanceOf(z.ZodError);
  });
});

describe('blockDriverTokens', () => {
  it('blocks every card of a driver that is not blocked yet, audited per card, and only in the organisation', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, { name: 'Left the company' });
    const first = await addToken(db, admin, { idToken: 'LEFT-1', driverId: driver.id });
    const second = await addToken(db, admin, { idToken: 'LEFT-2', driverId: driver.id });
    await blockToken(db, admin, second.id, { reason: 'lost' });
    const other = await addToken(db, admin, { idToken: 'STAYS' });

    await expect(blockDriverTokens(db, admin, driver.id, { reason: '' })).rejects.toBeInstanceOf(z.ZodError);
    await expectError(blockDriverTokens(db, await anAdmin(), driver.id, { reason: 'gone' }), 'not_found');
    expect(await blockDriverTokens(db, admin, driver.id, { reason: 'Left on 30 November' })).toBe(1);

    const byValue = new Map((await listTokens(db, admin)).map((t) => [t.idToken, t]));
    expect(byValue.get('LEFT-1')).toMatchObject({ status: 'blocked', blockedReason: 'Left on 30 November' });
    // The card blocked before keeps its own reason.
    expect(byValue.get('LEFT-2')).toMatchObject({ status: 'blocked', blockedReason: 'lost' });
    expect(byValue.get('STAYS')).toMatchObject({ status: 'active' });
    expect((await auditOf(first.id)).map((a) => a.action)).toEqual(['id-token.create', 'id-token.block']);
    expect((await auditOf(other.id)).map((a) => a.action)).toEqual(['id-token.create']);
  });
});

describe('listTokens', () => {
  it('lists the organisation’s tokens by value with their driver, filtered by status or text', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, { name: 'Margaret Hamilton' });
    const b = await addToken(db, admin, { idToken: 'bbb', driverId: driver.id });
    const a = await addToken(db, admin, { idToken: 'AAA', label: 'Spare card' });
    await blockToken(db, admin, a.id, { reason: 'lost' });
    await addToken(db, await anAdmin(), { idToken: 'CCC' });

    const all = await listTokens(db, admin);
    expect(all.map((t) => [t.idToken, t.driverName])).toEqual([
      ['AAA', null],
      ['bbb', 'Margaret Hamilton'],
    ]);
    expect((await listTokens(db, admin, { status: 'blocked' })).map((t) => t.id)).toEqual([a.id]);
    expect((await listTokens(db, admin, { q: 'hamilton' })).map((t) => t.id)).toEqual([b.id]);
    expect((await listTokens(db, admin, { q: 'SPARE' })).map((t) => t.id)).toEqual([a.id]);
    expect((await listTokens(db, admin, { q: 'Bb' })).map((t) => t.id)).toEqual([b.id]);
  });

  it('filters by the status a token has now: an active card past its expiry is expired, not active', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, { name: 'Grace Hopper' });
    const now = Date.now();
    const lapsed = await addToken(db, admin, {
      idToken: 'LAPSED',
      expiresAt: new Date(now - 60_000).toISOString(),
    });
    const valid = await addToken(db, admin, {
      idToken: 'VALID',
      driverId: driver.id,
      expiresAt: new Date(now + 86_400_000).toISOString(),
    });
    const open = await addToken(db, admin, { idToken: 'OPEN' });

    const ids = async (filter: Parameters<typeof listTokens>[2]) =>
      (await listTokens(db, admin, filter)).map((t) => t.idToken);
    expect(await ids({ status: 'expired' })).toEqual([lapsed.idToken]);
    expect(await ids({ status: 'active' })).toEqual([open.idToken, valid.idToken]);
    expect(await ids({ driverId: driver.id })).toEqual([valid.idToken]);
  });
});

describe('audit rows', () => {
  it('are written in the organisation of the actor', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, { name: 'Audited' });
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, driver.id), eq(auditLog.organisationId, admin.organisationId)));
    expect(rows).toHaveLength(1);
  });
});

describe('driverNames', () => {
  it('gives ids and names by name, and never adds a chosen driver of another organisation', async () => {
    const admin = await anAdmin();
    const b = await createDriver(db, admin, { name: 'Bea' });
    const a = await createDriver(db, admin, { name: 'Abe' });
    const foreign = await createDriver(db, await anAdmin(), { name: 'Foreign' });
    expect(await driverNames(db, admin)).toEqual([
      { id: a.id, name: 'Abe' },
      { id: b.id, name: 'Bea' },
    ]);
    expect(await driverNames(db, admin, b.id)).toHaveLength(2);
    expect(await driverNames(db, admin, foreign.id)).toHaveLength(2);
    expect(await driverNames(db, admin, 'not-an-id')).toHaveLength(2);
  });
});
