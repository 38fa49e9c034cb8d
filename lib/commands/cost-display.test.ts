import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { chargingStations, tariffAssignments, tariffs, tariffVersions } from '@/lib/db/schema';
import { setupOcppHarness, waitFor } from '@/lib/ocpp/testing';
import { aDriverToken } from '@/lib/services/testing';
import { californiaVendorId, startCostDisplay } from './cost-display';

// Prices and costs reach the charger's screen over real WebSockets: 1.6 chargers with the
// California pricing setting get SetUserPrice, RunningCost and FinalCost; 2.0.1 chargers get
// CostUpdated when the cost moved since their last TransactionEvent answer.
const h = setupOcppHarness();
let port: number;
let stop: () => void;
let clockOffsetMs = 0;

beforeAll(async () => {
  const endpoint = await h.startEndpoint('off');
  port = endpoint.port;
  await aDriverToken(h.db, h.scope.organisationId, 'SCREEN-1');
  const [tariff] = await h.db
    .insert(tariffs)
    .values({ organisationId: h.scope.organisationId, name: 'Per minute' })
    .returning();
  await h.db.insert(tariffVersions).values({
    tariffId: tariff!.id,
    validFrom: new Date('2026-01-01T00:00:00Z'),
    currency: 'USD',
    energyPerKwh: 4000,
    timePerMinute: 6000,
  });
  await h.db
    .insert(tariffAssignments)
    .values({ organisationId: h.scope.organisationId, tariffId: tariff!.id });
  stop = startCostDisplay(
    h.db,
    {
      gateway: endpoint.ocpp.gateway,
      timeoutMs: 2000,
      now: () => new Date(Date.now() + clockOffsetMs),
      publicUrl: '',
    },
    { sweepMs: 200 },
  );
});
afterAll(() => stop());

describe('costs on the charger screen', () => {
  it('1.6 with California pricing: the price after Authorize, the running cost, the final cost', async () => {
    const { station, charger } = await h.aConnectedCharger(port);
    await charger.call('BootNotification', { chargePointVendor: 'Wallbox', chargePointModel: 'Commander 2' });
    await h.db
      .update(chargingStations)
      .set({ californiaPricing: true })
      .where(eq(chargingStations.id, station.id));
    const received: { messageId: string; data: Record<string, unknown> }[] = [];
    charger.handle('DataTransfer', async ({ params }) => {
      const { vendorId, messageId, data } = params as { vendorId: string; messageId: string; data: string };
      if (vendorId === californiaVendorId)
        received.push({ messageId, data: JSON.parse(data) as Record<string, unknown> });
      return { status: 'Accepted' };
    });
    await charger.call('Authorize', { idTag: 'SCREEN-1' });
    await waitFor(
      async () => received.map((r) => r.messageId),
      (ids) => ids.includes('SetUserPrice'),
    );
    expect(received[0]).toEqual({
      messageId: 'SetUserPrice',
      data: { idToken: 'SCREEN-1', priceText: '$0.40/kWh, $0.60/min charging' },
    });

    const startedAt = new Date(Date.now() - 10 * 60_000);
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'SCREEN-1',
      meterStart: 0,
      timestamp: startedAt.toISOString(),
    })) as { transactionId: number };
    // The start itself showed the cost so far; the next reading, 20 s later, shows it again.
    await waitFor(
      async () => received.find((r) => r.messageId === 'RunningCost'),
      (r) => r?.data.meterValue === 0,
    );
    clockOffsetMs = 20_000;
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '2000' }] }],
    });
    const running = await waitFor(
      async () => received.findLast((r) => r.messageId === 'RunningCost'),
      (r) => r?.data.meterValue === 2000,
    );
    clockOffsetMs = 0;
    // 2 kWh x $0.40 plus about ten minutes x $0.60.
    expect(running!.data).toMatchObject({
      transactionId,
      meterValue: 2000,
      state: 'Charging',
      chargingPrice: { kWhPrice: 0.4, hourPrice: 36, flatFee: 0 },
    });
    expect(running!.data.cost).toBeGreaterThanOrEqual(6.8);

    // The EV is full: the next running cost says Idle.
    await charger.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'SuspendedEV',
      timestamp: new Date().toISOString(),
    });
    clockOffsetMs = 40_000;
    await charger.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '2000' }] }],
    });
    const idle = await waitFor(
      async () => received.findLast((r) => r.messageId === 'RunningCost'),
      (r) => r?.data.state === 'Idle',
    );
    expect(idle!.data.state).toBe('Idle');
    clockOffsetMs = 0;

    await charger.call('StopTransaction', {
      transactionId,
      meterStop: 2000,
      timestamp: new Date(startedAt.getTime() + 10 * 60_000).toISOString(),
    });
    const final = await waitFor(
      async () => received.find((r) => r.messageId === 'FinalCost'),
      (r) => r !== undefined,
    );
    expect(final!.data).toMatchObject({
      transactionId,
      cost: 6.8,
      priceText: expect.stringMatching(/^Total \$6\.80/),
    });
  });

  it('1.6 without the setting: nothing but the protocol', async () => {
    const { charger } = await h.aConnectedCharger(port);
    await charger.call('BootNotification', { chargePointVendor: 'Wallbox', chargePointModel: 'Commander 2' });
    let transfers = 0;
    charger.handle('DataTransfer', async () => {
      transfers++;
      return { status: 'Accepted' };
    });
    await charger.call('Authorize', { idTag: 'SCREEN-1' });
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'SCREEN-1',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    await charger.call('StopTransaction', {
      transactionId,
      meterStop: 500,
      timestamp: new Date().toISOString(),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(transfers).toBe(0);
  });

  it('2.0.1: CostUpdated from the sweep when the cost moved since the last TransactionEvent answer', async () => {
    const { charger } = await h.aConnectedCharger(port, 'ocpp2.0.1');
    await charger.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'ABB', model: 'Terra 184' },
    });
    const updates: { totalCost: number; transactionId: string }[] = [];
    const reading = (wh: number, context: string) => ({
      timestamp: new Date().toISOString(),
      sampledValue: [
        { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      ],
    });
    charger.handle('CostUpdated', async ({ params }) => {
      updates.push(params as { totalCost: number; transactionId: string });
      return {};
    });
    const started = (await charger.call('TransactionEvent', {
      eventType: 'Started',
      seqNo: 0,
      timestamp: new Date().toISOString(),
      triggerReason: 'Authorized',
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'SCREEN-1', type: 'ISO14443' },
      transactionInfo: { transactionId: 'TX-SCREEN', chargingState: 'Charging' },
      meterValue: [reading(0, 'Transaction.Begin')],
    })) as { totalCost?: number };
    expect(started.totalCost).toBe(0);
    // A minute later by the job's clock: the per-minute price moved the cost past the answer's.
    clockOffsetMs = 60_000;
    await charger.call('TransactionEvent', {
      eventType: 'Updated',
      seqNo: 1,
      timestamp: new Date().toISOString(),
      triggerReason: 'MeterValuePeriodic',
      evse: { id: 1 },
      transactionInfo: { transactionId: 'TX-SCREEN', chargingState: 'Charging' },
      meterValue: [reading(1000, 'Sample.Periodic')],
    });
    const [update] = await waitFor(
      async () => [...updates],
      (u) => u.length > 0,
    );
    expect(update!.transactionId).toBe('TX-SCREEN');
    // 1 kWh x $0.40 and a minute x $0.60.
    expect(update!.totalCost).toBeGreaterThanOrEqual(1);
    clockOffsetMs = 0;
  });
});
