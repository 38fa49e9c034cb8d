import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  accessGrants,
  accessPolicies,
  authorizationAttempts,
  driverGroups,
  idTokens,
  transactions,
} from '@/lib/db/schema';
import { aDriverToken } from '@/lib/services/testing';
import { setupOcppHarness } from './testing';

// The access rules as chargers meet them over real WebSockets, in both versions: what each
// version is answered, the attempt log, and sessions that began with a refused token.
const h = setupOcppHarness();
let port: number;
beforeAll(async () => {
  port = (await h.startEndpoint('off')).port;
  await aDriverToken(h.db, h.scope.organisationId, 'GOOD-1');
  const { token } = await aDriverToken(h.db, h.scope.organisationId, 'LOST-1');
  await h.db
    .update(idTokens)
    .set({ status: 'blocked', blockedReason: 'reported lost', parentIdTag: 'FLEET-A' })
    .where(eq(idTokens.id, token!.id));
});

const attemptsAt = (stationId: string) =>
  h.db.select().from(authorizationAttempts).where(eq(authorizationAttempts.stationId, stationId));

describe('OCPP 1.6 authorisation', () => {
  it('answers Accepted, Blocked and Invalid, and logs each attempt with its reason', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp1.6');
    expect(await charger.call('Authorize', { idTag: 'good-1' })).toEqual({
      idTagInfo: { status: 'Accepted' },
    });
    expect(await charger.call('Authorize', { idTag: 'LOST-1' })).toEqual({
      idTagInfo: { status: 'Blocked', parentIdTag: 'FLEET-A' },
    });
    expect(await charger.call('Authorize', { idTag: 'NOBODY' })).toEqual({
      idTagInfo: { status: 'Invalid' },
    });
    const attempts = await attemptsAt(station.id);
    expect(attempts.map((a) => [a.idToken, a.source, a.status])).toEqual([
      ['good-1', 'Authorize', 'Accepted'],
      ['LOST-1', 'Authorize', 'Blocked'],
      ['NOBODY', 'Authorize', 'Invalid'],
    ]);
    expect(attempts[1]?.reason).toContain('reported lost');
  });

  it('keeps a session started with a refused token, flagged for review, and says Invalid', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp1.6');
    const answer = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'NOBODY',
      meterStart: 0,
      timestamp: '2026-11-20T08:00:00Z',
    })) as { transactionId: number; idTagInfo: { status: string } };
    expect(answer.idTagInfo.status).toBe('Invalid');
    const [session] = await h.db.select().from(transactions).where(eq(transactions.stationId, station.id));
    expect(session?.flags).toEqual([expect.stringMatching(/^token-refused: Invalid/)]);
    const [attempt] = await attemptsAt(station.id);
    expect(attempt).toMatchObject({
      source: 'StartTransaction',
      status: 'Invalid',
      transactionId: session?.id,
    });
  });

  it('reads a 2.0.1-only refusal (not at this location) as Invalid', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp1.6');
    const [group] = await h.db
      .insert(driverGroups)
      .values({ organisationId: h.scope.organisationId, name: `Only-${station.identity}` })
      .returning();
    const [policy] = await h.db
      .insert(accessPolicies)
      .values({ organisationId: h.scope.organisationId, stationId: station.id, mode: 'restricted' })
      .returning();
    await h.db.insert(accessGrants).values({ policyId: policy!.id, groupId: group!.id });
    expect(await charger.call('Authorize', { idTag: 'GOOD-1' })).toEqual({
      idTagInfo: { status: 'Invalid' },
    });
    const [attempt] = await attemptsAt(station.id);
    expect(attempt?.status).toBe('NotAtThisLocation');
  });
});

describe('OCPP 2.0.1 authorisation', () => {
  it('answers with the 2.0.1 statuses and flags a transaction that began with a refused token', async () => {
    const { station, charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    expect(await charger.call('Authorize', { idToken: { idToken: 'GOOD-1', type: 'ISO14443' } })).toEqual({
      idTokenInfo: { status: 'Accepted' },
    });
    expect(await charger.call('Authorize', { idToken: { idToken: 'LOST-1', type: 'ISO14443' } })).toEqual({
      idTokenInfo: { status: 'Blocked', groupIdToken: { idToken: 'FLEET-A', type: 'Central' } },
    });
    const answer = (await charger.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: '2026-11-20T08:00:00Z',
      triggerReason: 'Authorized',
      seqNo: 0,
      offline: true,
      transactionInfo: { transactionId: `tx-${station.identity}` },
      idToken: { idToken: 'NOBODY', type: 'ISO14443' },
      evse: { id: 1, connectorId: 1 },
    })) as { idTokenInfo: { status: string } };
    expect(answer.idTokenInfo.status).toBe('Invalid');
    const [session] = await h.db.select().from(transactions).where(eq(transactions.stationId, station.id));
    expect(session?.flags).toContain('token-refused: Invalid (Unknown id token)');
  });
});
