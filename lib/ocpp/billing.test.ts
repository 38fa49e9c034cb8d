import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  chargeDetailRecords,
  driverGroupMembers,
  driverGroups,
  ledgerEntries,
  tariffAssignments,
  tariffs,
  tariffVersions,
  transactions,
} from '@/lib/db/schema';
import { aDriverToken } from '@/lib/services/testing';
import { setupOcppHarness, waitFor } from './testing';

// Sessions over real WebSockets in both OCPP versions end with a charge detail record that matches
// the tariff exactly: the employee's group tariff, the visitor's standard tariff with a session
// fee, tax and an idle fee, and a price change during a session that does not touch it.
const h = setupOcppHarness();
let port: number;
let standardId: string;

async function aTariff(name: string, values: Partial<typeof tariffVersions.$inferInsert>, validFrom: Date) {
  const [tariff] = await h.db
    .insert(tariffs)
    .values({ organisationId: h.scope.organisationId, name })
    .returning();
  if (!tariff) throw new Error('no tariff');
  await h.db.insert(tariffVersions).values({ tariffId: tariff.id, validFrom, currency: 'USD', ...values });
  return tariff.id;
}

beforeAll(async () => {
  port = (await h.startEndpoint('off')).port;
  const employee = await aDriverToken(h.db, h.scope.organisationId, 'EMP-1');
  await aDriverToken(h.db, h.scope.organisationId, 'VISITOR-1');
  const [group] = await h.db
    .insert(driverGroups)
    .values({ organisationId: h.scope.organisationId, name: 'Employees' })
    .returning();
  await h.db.insert(driverGroupMembers).values({ groupId: group!.id, driverId: employee.driver.id });
  const since = new Date('2026-01-01T00:00:00Z');
  standardId = await aTariff(
    'Standard',
    { energyPerKwh: 4000, idlePerMinute: 1000, idleGraceMinutes: 10, sessionFee: 100, taxRateBp: 800 },
    since,
  );
  const employeesId = await aTariff(
    'Employees',
    { energyPerKwh: 2000, idlePerMinute: 1000, idleGraceMinutes: 10 },
    since,
  );
  await h.db.insert(tariffAssignments).values([
    { organisationId: h.scope.organisationId, tariffId: standardId },
    {
      organisationId: h.scope.organisationId,
      tariffId: employeesId,
      siteId: h.scope.siteId,
      groupId: group!.id,
    },
  ]);
});

const cdrOf = async (transactionId: string) => {
  const [cdr] = await h.db
    .select()
    .from(chargeDetailRecords)
    .where(eq(chargeDetailRecords.transactionId, transactionId));
  return cdr;
};

describe('OCPP 1.6J sessions are billed', () => {
  it('bills an employee with the group tariff: energy and idle time after the grace period', async () => {
    const { station, charger } = await h.aConnectedCharger(port);
    const status = (status: string, timestamp: string) =>
      charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status, timestamp });
    await status('Preparing', '2026-11-20T13:59:00.000Z');
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'EMP-1',
      meterStart: 1000,
      timestamp: '2026-11-20T14:00:00.000Z',
    })) as { transactionId: number };
    await status('Charging', '2026-11-20T14:00:05.000Z');
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: '2026-11-20T14:30:00.000Z', sampledValue: [{ value: '8000' }] }],
    });
    await status('SuspendedEV', '2026-11-20T15:00:00.000Z');
    await charger.call('StopTransaction', {
      transactionId,
      meterStop: 11_000,
      timestamp: '2026-11-20T15:40:00.000Z',
      reason: 'EVDisconnected',
    });

    const [tx] = await h.db
      .select()
      .from(transactions)
      .where(eq(transactions.chargerTransactionId, String(transactionId)));
    const cdr = await cdrOf(tx!.id);
    expect(cdr).toMatchObject({
      stationId: station.id,
      tariffName: 'Employees',
      tariffReason: expect.stringMatching(/^Employees at site /),
      energyWh: 10_000,
      net: 500,
      tax: 0,
      total: 500,
      paymentStatus: 'unpaid',
      paymentMethod: 'account',
    });
    // Preparing before the start is idle, so the first 5 s count as idle too (within the grace).
    expect(cdr!.lines).toEqual([
      { kind: 'energy', band: null, quantity: 10_000, rate: 2000, amount: 200 },
      { kind: 'idle', band: null, quantity: 1800, rate: 1000, amount: 300 },
    ]);
    const entries = await h.db.select().from(ledgerEntries).where(eq(ledgerEntries.cdrId, cdr!.id));
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([['session', 500]]);
  });

  it('bills a visitor the standard tariff with the session fee and tax on top, once however often the stop is resent', async () => {
    const { charger } = await h.aConnectedCharger(port);
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'VISITOR-1',
      meterStart: 0,
      timestamp: '2026-11-21T10:00:00.000Z',
    })) as { transactionId: number };
    const stop = { transactionId, meterStop: 5000, timestamp: '2026-11-21T10:45:00.000Z' };
    await charger.call('StopTransaction', stop);
    await charger.call('StopTransaction', stop);
    const [tx] = await h.db
      .select()
      .from(transactions)
      .where(eq(transactions.chargerTransactionId, String(transactionId)));
    const cdrs = await h.db
      .select()
      .from(chargeDetailRecords)
      .where(eq(chargeDetailRecords.transactionId, tx!.id));
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0]).toMatchObject({
      tariffName: 'Standard',
      tariffReason: 'Organisation default',
      net: 300,
      tax: 24,
      total: 324,
    });
    expect(cdrs[0]!.lines).toEqual([
      { kind: 'energy', band: null, quantity: 5000, rate: 4000, amount: 200 },
      { kind: 'session', band: null, quantity: 1, rate: null, amount: 100 },
    ]);
  });

  it('refuses to change a charge detail record once written', async () => {
    const [cdr] = await h.db.select().from(chargeDetailRecords).limit(1);
    await expect(
      h.db.update(chargeDetailRecords).set({ total: 1 }).where(eq(chargeDetailRecords.id, cdr!.id)),
    ).rejects.toThrow();
    await h.db
      .update(chargeDetailRecords)
      .set({ paymentStatus: 'paid' })
      .where(eq(chargeDetailRecords.id, cdr!.id));
  });
});

describe('OCPP 2.0.1 sessions are billed', () => {
  it('prices with the version in force at the start, tells the charger the cost, and writes the CDR on Ended', async () => {
    const { charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    const start = new Date(Date.now() - 60 * 60_000);
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000).toISOString();
    const register = (wh: number, minutes: number, context: string) => [
      {
        timestamp: at(minutes),
        sampledValue: [
          { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
        ],
      },
    ];
    const event = (eventType: string, seqNo: number, minutes: number, extra: Record<string, unknown>) =>
      charger.call('TransactionEvent', {
        eventType,
        seqNo,
        timestamp: at(minutes),
        triggerReason:
          eventType === 'Started'
            ? 'Authorized'
            : eventType === 'Ended'
              ? 'EVCommunicationLost'
              : 'ChargingStateChanged',
        evse: { id: 1, connectorId: 1 },
        ...extra,
      }) as Promise<{ totalCost?: number; idTokenInfo?: { status: string } }>;

    const authorized = (await charger.call('Authorize', {
      idToken: { idToken: 'VISITOR-1', type: 'ISO14443' },
    })) as {
      idTokenInfo: { status: string; personalMessage?: { content: string } };
    };
    expect(authorized.idTokenInfo.personalMessage?.content).toBe(
      '$0.40/kWh, $0.10/min idle after 10 min, $1.00 per session, plus 8 % tax',
    );
    const started = await event('Started', 0, 0, {
      idToken: { idToken: 'VISITOR-1', type: 'ISO14443' },
      transactionInfo: { transactionId: 'TX-201-A', chargingState: 'Charging' },
      meterValue: register(0, 0, 'Transaction.Begin'),
    });
    expect(started.idTokenInfo?.status).toBe('Accepted');
    // The operator raises the price ten minutes in: this session keeps the price it started with.
    await h.db.insert(tariffVersions).values({
      tariffId: standardId,
      validFrom: new Date(start.getTime() + 10 * 60_000),
      currency: 'USD',
      energyPerKwh: 9000,
      sessionFee: 500,
    });
    const updated = await event('Updated', 1, 30, {
      transactionInfo: { transactionId: 'TX-201-A', chargingState: 'SuspendedEV' },
      meterValue: register(5000, 30, 'Sample.Periodic'),
    });
    // 5 kWh x $0.40 + $1.00, plus at least part of the idle fee, plus 8 %.
    expect(updated.totalCost).toBeGreaterThanOrEqual(3.24);
    const ended = await event('Ended', 2, 60, {
      transactionInfo: {
        transactionId: 'TX-201-A',
        chargingState: 'EVConnected',
        stoppedReason: 'EVDisconnected',
      },
      meterValue: register(5000, 60, 'Transaction.End'),
    });
    // Energy $2.00 + idle 20 min x $0.10 + fee $1.00 = $5.00 net, 8 % tax $0.40.
    expect(ended.totalCost).toBe(5.4);
    await event('Ended', 2, 60, { transactionInfo: { transactionId: 'TX-201-A' } }); // resent

    const [tx] = await h.db
      .select()
      .from(transactions)
      .where(eq(transactions.chargerTransactionId, 'TX-201-A'));
    const cdrs = await h.db
      .select()
      .from(chargeDetailRecords)
      .where(eq(chargeDetailRecords.transactionId, tx!.id));
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0]).toMatchObject({ tariffName: 'Standard', energyWh: 5000, net: 500, tax: 40, total: 540 });
    expect(cdrs[0]!.lines).toEqual([
      { kind: 'energy', band: null, quantity: 5000, rate: 4000, amount: 200 },
      { kind: 'idle', band: null, quantity: 1200, rate: 1000, amount: 200 },
      { kind: 'session', band: null, quantity: 1, rate: null, amount: 100 },
    ]);
    await waitFor(
      () => cdrOf(tx!.id),
      (cdr) => cdr?.paymentStatus === 'unpaid',
    );
  });

  it('chooses the group tariff of the driver when a session started on plug-in is authorised later', async () => {
    const { charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    const base = { evse: { id: 1, connectorId: 1 } };
    const register = (wh: number, context: string, timestamp: string) => [
      {
        timestamp,
        sampledValue: [
          { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
        ],
      },
    ];
    await charger.call('TransactionEvent', {
      ...base,
      eventType: 'Started',
      seqNo: 0,
      timestamp: '2026-11-22T09:00:00.000Z',
      triggerReason: 'CablePluggedIn',
      transactionInfo: { transactionId: 'TX-PLUG-1', chargingState: 'EVConnected' },
      meterValue: register(0, 'Transaction.Begin', '2026-11-22T09:00:00.000Z'),
    });
    await charger.call('TransactionEvent', {
      ...base,
      eventType: 'Updated',
      seqNo: 1,
      timestamp: '2026-11-22T09:00:30.000Z',
      triggerReason: 'Authorized',
      idToken: { idToken: 'EMP-1', type: 'ISO14443' },
      transactionInfo: { transactionId: 'TX-PLUG-1', chargingState: 'Charging' },
    });
    await charger.call('TransactionEvent', {
      ...base,
      eventType: 'Ended',
      seqNo: 2,
      timestamp: '2026-11-22T10:00:00.000Z',
      triggerReason: 'EVCommunicationLost',
      transactionInfo: { transactionId: 'TX-PLUG-1', stoppedReason: 'EVDisconnected' },
      meterValue: register(4000, 'Transaction.End', '2026-11-22T10:00:00.000Z'),
    });
    const [tx] = await h.db
      .select()
      .from(transactions)
      .where(eq(transactions.chargerTransactionId, 'TX-PLUG-1'));
    // Plugged in, the session had the standard tariff; the employee's card chose the group's.
    expect(await cdrOf(tx!.id)).toMatchObject({ tariffName: 'Employees', energyWh: 4000, total: 80 });
  });
});
