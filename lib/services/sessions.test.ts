import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { eq, inArray } from 'drizzle-orm';
import { auditLog, chargingStations, meterValues, transactions } from '@/lib/db/schema';
import { tokenRefusedFlag } from '@/lib/domain/sessions/flags';
import { getSession, listSessions, reviewSession } from './sessions';
import { listSessionSamples } from './stations';
import { aSite, aUser, anOrganisation } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

async function aStationWithSessions(
  organisationId: string,
  siteId: string,
  count: number,
  status = 'completed',
) {
  const [station] = await db
    .insert(chargingStations)
    .values({
      organisationId,
      siteId,
      identity: `S-${siteId.slice(0, 8)}-${Math.random().toString(36).slice(2, 7)}`,
    })
    .returning();
  const rows = [];
  for (let i = 0; i < count; i++) {
    const [row] = await db
      .insert(transactions)
      .values({
        organisationId,
        stationId: station!.id,
        chargerTransactionId: `T${i}`,
        ocppVersion: '1.6',
        evseId: 1,
        status,
        startedAt: new Date(Date.UTC(2026, 10, 1 + i, 8)),
        energyWh: 1000 * (i + 1),
      })
      .returning();
    rows.push(row!);
  }
  return { station: station!, sessions: rows };
}

describe('listSessions', () => {
  it('shows a manager the sessions of their sites only, with filters and paging', async () => {
    const org = await anOrganisation(db);
    const [a, b] = [await aSite(db, org.id, { name: 'A' }), await aSite(db, org.id, { name: 'B' })];
    const inA = await aStationWithSessions(org.id, a.id, 3);
    await aStationWithSessions(org.id, b.id, 2);
    await aStationWithSessions(org.id, a.id, 1, 'active');
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [a.id] });
    const admin = await aUser(db, org.id);

    expect((await listSessions(db, admin, {})).sessions).toHaveLength(6);
    const mine = await listSessions(db, manager, {});
    expect(mine.sessions).toHaveLength(4);
    expect(mine.sessions.every((s) => s.siteName === 'A')).toBe(true);
    expect((await listSessions(db, manager, { siteId: b.id })).sessions).toHaveLength(0);
    expect((await listSessions(db, manager, { status: 'active' })).sessions).toHaveLength(1);
    expect(
      (await listSessions(db, admin, { stationId: inA.station.id })).sessions.map(
        (s) => s.chargerTransactionId,
      ),
    ).toEqual(['T2', 'T1', 'T0']);
    const window = await listSessions(db, admin, {
      stationId: inA.station.id,
      from: new Date(Date.UTC(2026, 10, 2)),
      to: new Date(Date.UTC(2026, 10, 3)),
    });
    expect(window.sessions.map((s) => s.chargerTransactionId)).toEqual(['T1']);
    const technicianElsewhere = await aUser(db, org.id, { role: 'technician', siteIds: [b.id] });
    await expect(listSessions(db, technicianElsewhere, {})).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('getSession', () => {
  it('returns the session with its samples and peak power, and hides other sites’ sessions', async () => {
    const org = await anOrganisation(db);
    const [a, b] = [await aSite(db, org.id), await aSite(db, org.id)];
    const { station, sessions } = await aStationWithSessions(org.id, a.id, 1);
    const session = sessions[0]!;
    await db.insert(meterValues).values([
      {
        stationId: station.id,
        transactionId: session.id,
        evseId: 1,
        sampledAt: new Date('2026-11-01T08:05:00Z'),
        measurand: 'Power.Active.Import',
        value: 7000,
        unit: 'W',
      },
      {
        stationId: station.id,
        transactionId: session.id,
        evseId: 1,
        sampledAt: new Date('2026-11-01T08:10:00Z'),
        measurand: 'Power.Active.Import',
        value: 7400,
        unit: 'W',
      },
    ]);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [a.id] });
    const loaded = await getSession(db, manager, session.id);
    expect(loaded.peakPowerW).toBe(7400);
    expect(loaded.samples).toHaveLength(2);
    const other = await aUser(db, org.id, { role: 'manager', siteIds: [b.id] });
    await expect(getSession(db, other, session.id)).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('reviewing flagged sessions', () => {
  it('lists sessions awaiting review, closes a review with a note, audited, once', async () => {
    const org = await anOrganisation(db);
    const [a, b] = [await aSite(db, org.id), await aSite(db, org.id)];
    const { sessions } = await aStationWithSessions(org.id, a.id, 3);
    const elsewhere = await aStationWithSessions(org.id, b.id, 1);
    const flagged = sessions[1]!;
    await db
      .update(transactions)
      .set({ flags: [tokenRefusedFlag('Blocked', 'Lost card')] })
      .where(inArray(transactions.id, [flagged.id, elsewhere.sessions[0]!.id]));
    const admin = await aUser(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [a.id] });
    const technician = await aUser(db, org.id, { role: 'technician', siteIds: [a.id] });
    const ids = async (review: 'open' | 'reviewed') =>
      (await listSessions(db, manager, { review })).sessions.map((s) => s.id);

    expect(await ids('open')).toEqual([flagged.id]);
    expect(await ids('reviewed')).toEqual([]);
    await expect(reviewSession(db, manager, flagged.id, { note: '  ' })).rejects.toMatchObject({
      kind: 'validation',
      fieldErrors: { note: expect.any(String) },
    });
    await expect(reviewSession(db, technician, flagged.id, { note: 'ok' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(reviewSession(db, manager, sessions[0]!.id, { note: 'ok' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await expect(reviewSession(db, manager, elsewhere.sessions[0]!.id, { note: 'ok' })).rejects.toMatchObject(
      { kind: 'not_found' },
    );

    const reviewed = await reviewSession(db, manager, flagged.id, { note: 'Card blocked after; invoiced' });
    expect(reviewed).toMatchObject({ reviewedBy: manager.id, reviewNote: 'Card blocked after; invoiced' });
    expect(await ids('open')).toEqual([]);
    expect(await ids('reviewed')).toEqual([flagged.id]);
    const loaded = await getSession(db, manager, flagged.id);
    expect(loaded.reviewerName).toBe(manager.name);
    expect(loaded.session.reviewedAt).toBeInstanceOf(Date);
    await expect(reviewSession(db, admin, flagged.id, { note: 'again' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, flagged.id));
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'session.review',
        details: expect.objectContaining({ note: 'Card blocked after; invoiced' }),
      }),
    ]);
    // The admin still sees the other site's session awaiting review.
    expect((await listSessions(db, admin, { review: 'open' })).sessions.map((s) => s.id)).toEqual([
      elsewhere.sessions[0]!.id,
    ]);
  });
});

describe('listSessionSamples', () => {
  it('returns a session’s samples only through its own station, never another site’s', async () => {
    const org = await anOrganisation(db);
    const [a, b] = [await aSite(db, org.id), await aSite(db, org.id)];
    const mine = await aStationWithSessions(org.id, a.id, 1);
    const theirs = await aStationWithSessions(org.id, b.id, 1);
    const hidden = theirs.sessions[0]!;
    await db.insert(meterValues).values({
      stationId: theirs.station.id,
      transactionId: hidden.id,
      evseId: 1,
      sampledAt: new Date('2026-11-01T08:05:00Z'),
      measurand: 'Power.Active.Import',
      value: 7000,
      unit: 'W',
    });
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [a.id] });
    expect(await listSessionSamples(db, manager, mine.station.id, hidden.id)).toEqual([]);
    const admin = await aUser(db, org.id);
    expect(await listSessionSamples(db, admin, theirs.station.id, hidden.id)).toHaveLength(1);
  });
});
