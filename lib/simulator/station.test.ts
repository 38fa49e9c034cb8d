import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { chargingStations, meterValues, transactions } from '@/lib/db/schema';
import { setupOcppHarness, waitFor } from '@/lib/ocpp/testing';
import { aDriverToken } from '@/lib/services/testing';
import { SimulatedStation } from './station';

// The simulator against the real endpoint, sped up: sessions of about a second.
const h = setupOcppHarness();
let port: number;
// Drivers' cards ChargeOps knows: stations accept them on public sites.
const cards = ['SIM-CARD-1', 'SIM-CARD-2'];
beforeAll(async () => {
  port = (await h.startEndpoint('off')).port;
  for (const card of cards) await aDriverToken(h.db, h.scope.organisationId, card);
});

describe.each(['ocpp1.6', 'ocpp2.0.1'] as const)('SimulatedStation over %s', (protocol) => {
  it(
    'boots, reports its connectors and completes charging sessions with meter values',
    { timeout: 20_000 },
    async () => {
      const known = await h.aKnownStation();
      const errors: unknown[] = [];
      const station = new SimulatedStation({
        url: `ws://127.0.0.1:${port}/ocpp`,
        identity: known.identity,
        protocol,
        password: known.password,
        connectors: 2,
        meterIntervalSeconds: 0.2,
        sessionSeconds: [0.8, 1],
        idleSeconds: [0.05, 0.1],
        idTokens: cards,
        onError: (e) => errors.push(e),
      });
      await station.start();
      await waitFor(
        async () => station.completedSessions,
        (n) => n >= 2,
      );
      await station.stop();
      expect(errors).toEqual([]);

      const [row] = await h.db.select().from(chargingStations).where(eq(chargingStations.id, known.id));
      expect(row).toMatchObject({
        vendor: 'ChargeOps',
        model: 'Simulator',
        ocppVersion: protocol === 'ocpp1.6' ? '1.6' : '2.0.1',
      });
      const sessions = await h.db.select().from(transactions).where(eq(transactions.stationId, known.id));
      const completed = sessions.filter((s) => s.status === 'completed');
      expect(completed.length).toBeGreaterThanOrEqual(2);
      for (const session of completed) {
        expect(session.energyWh).toBeGreaterThan(0);
        expect(session.flags).toEqual([]);
      }
      const samples = await h.db.select().from(meterValues).where(eq(meterValues.stationId, known.id));
      expect(new Set(samples.map((s) => s.measurand))).toEqual(
        new Set(['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'Voltage', 'SoC']),
      );
    },
  );
});
