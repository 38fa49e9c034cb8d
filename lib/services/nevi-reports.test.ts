import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  evses,
  incidents,
  maintenanceSettings,
  meterValues,
  outageExclusions,
  outages,
  transactions,
  type ChargingStation,
  type OutageExclusion,
} from '@/lib/db/schema';
import { evChartExclusionCode, parseQuarter } from '@/lib/domain/maintenance/nevi';
import { toCsv } from '@/lib/csv';
import { evChartModuleRows, getNeviUptimeReport, resolveQuarter } from './nevi-reports';
import { listPorts } from './outages';
import {
  aChargeDetailRecord,
  aSite,
  aStation,
  aTwoSiteNetwork,
  aUser,
  anOrganisation,
  expectError,
} from './testing';

// NEVI reports over the real database: every port in the user's scope, the outages and sessions of
// the quarter, and the EV-ChART files built from them.
const testDb = setupTestDatabase();
const db = () => testDb.db;

const at = (iso: string) => new Date(iso);
const Q3 = parseQuarter('2026-Q3')!;
const NOW = at('2026-10-15T12:00:00Z');
const provider = 'acme_charging';

async function aPort(station: ChargingStation, evseId: number, firstSeenAt: Date) {
  await db().insert(evses).values({ stationId: station.id, evseId, createdAt: firstSeenAt });
}

async function anOutage(
  station: ChargingStation,
  evseId: number,
  startedAt: string,
  endedAt: string | null,
  exclusion?: { reason: OutageExclusion; notes: string },
) {
  const [incident] = await db()
    .insert(incidents)
    .values({
      organisationId: station.organisationId,
      stationId: station.id,
      evseId,
      kind: 'connector_faulted',
      title: 'Connector faulted',
      startedAt: at(startedAt),
      detectedAt: at(startedAt),
      state: endedAt ? 'resolved' : 'open',
    })
    .returning();
  await db()
    .insert(outages)
    .values({
      organisationId: station.organisationId,
      stationId: station.id,
      evseId,
      incidentId: incident!.id,
      startedAt: at(startedAt),
      endedAt: endedAt ? at(endedAt) : null,
      excludedReason: exclusion?.reason ?? null,
      excludedNotes: exclusion?.notes ?? null,
    });
}

const longAgo = at('2024-01-01T00:00:00Z');
let net: Awaited<ReturnType<typeof aTwoSiteNetwork>>;

beforeAll(async () => {
  net = await aTwoSiteNetwork(db());
  // Paris: EVSE 1 faulted for an hour in August, EVSE 2 never out, EVSE 3 new in May 2026.
  await aPort(net.inParis, 1, longAgo);
  await aPort(net.inParis, 2, longAgo);
  await aPort(net.inParis, 3, at('2026-05-01T00:00:00Z'));
  await anOutage(net.inParis, 1, '2026-08-10T10:00:00Z', '2026-08-10T11:00:00Z');
  // Lyon: one port, out two days in September for a utility interruption.
  await aPort(net.inLyon, 1, longAgo);
  await anOutage(net.inLyon, 1, '2026-09-01T00:00:00Z', '2026-09-03T00:00:00Z', {
    reason: 'utility_interruption',
    notes: 'Utility outage notice 2026-117',
  });
  // A port first seen after the quarter is not part of it.
  await aPort(net.inLyon, 2, at('2026-10-02T00:00:00Z'));
});

const rowsOf = (csvRows: string[][]) => csvRows.slice(1);

describe('getNeviUptimeReport', () => {
  it('lists every port of the organisation, those without an outage at 100 %', async () => {
    const report = await getNeviUptimeReport(db(), net.admin, Q3, NOW);
    expect(report.complete).toBe(true);
    expect(report.windows.map((w) => w.month)).toEqual(['2026-07', '2026-08', '2026-09']);
    const summary = report.ports.map((p) => [
      p.stationIdentity.slice(0, 3),
      p.evseId,
      p.windows.map((w) => [w.uptime.uptimePercent, w.uptime.outageMinutes, w.uptime.excludedMinutes]),
    ]);
    expect(summary).toEqual([
      [
        'LYO',
        1,
        [
          [100, 0, 0],
          [100, 0, 0],
          // Two days out, all of it excluded: uptime stays 100.
          [100, 2880, 2880],
        ],
      ],
      [
        'PAR',
        1,
        [
          [100, 0, 0],
          [99.98, 60, 0],
          [99.98, 60, 0],
        ],
      ],
      [
        'PAR',
        2,
        [
          [100, 0, 0],
          [100, 0, 0],
          [100, 0, 0],
        ],
      ],
      // In service for less than a year: no uptime yet.
      [
        'PAR',
        3,
        [
          [null, 0, 0],
          [null, 0, 0],
          [null, 0, 0],
        ],
      ],
    ]);
    expect(report.overlongIds).toEqual([]);
  });

  it('shows a site manager only the ports of their sites', async () => {
    const report = await getNeviUptimeReport(db(), net.parisManager, Q3, NOW);
    expect(report.ports.map((p) => [p.stationId, p.evseId])).toEqual([
      [net.inParis.id, 1],
      [net.inParis.id, 2],
      [net.inParis.id, 3],
    ]);
  });

  it('never shows another organisation’s ports', async () => {
    const other = await anOrganisation(db());
    const station = await aStation(db(), other.id, (await aSite(db(), other.id)).id, 'OTH');
    await aPort(station, 1, longAgo);
    const report = await getNeviUptimeReport(db(), net.admin, Q3, NOW);
    expect(report.ports.some((p) => p.stationId === station.id)).toBe(false);
  });

  it('refuses a technician', async () => {
    await expectError(getNeviUptimeReport(db(), net.technician, Q3, NOW), 'forbidden');
  });

  it('names a station identity longer than EV-ChART takes', async () => {
    const org = await anOrganisation(db());
    const station = await aStation(
      db(),
      org.id,
      (await aSite(db(), org.id)).id,
      'A-VERY-LONG-STATION-IDENTITY-PREFIX',
    );
    await aPort(station, 1, longAgo);
    const admin = await aUser(db(), org.id);
    const report = await getNeviUptimeReport(db(), admin, Q3, NOW);
    expect(report.overlongIds).toEqual([station.identity]);
  });
});

describe('listPorts', () => {
  it('gives the ports that existed before the instant, outage or not', async () => {
    const ports = await listPorts(db(), net.lyonManager, at('2026-10-01T00:00:00Z'));
    expect(ports.map((p) => [p.stationIdentity, p.evseId, p.siteName])).toEqual([
      [net.inLyon.identity, 1, net.lyon.name],
    ]);
  });
});

describe('evChartModuleRows', () => {
  it('writes Module 3 with three rows per port', async () => {
    const { fileName, rows } = await evChartModuleRows(db(), net.lyonManager, 'uptime', Q3, provider, NOW);
    expect(fileName).toBe('ev-chart-module3-uptime-2026-Q3.csv');
    expect(rows[0]?.join(',')).toBe(
      'station_id,port_id,network_provider,uptime_reporting_start,uptime_reporting_end,uptime,total_outage,total_outage_excl',
    );
    expect(rowsOf(rows)).toEqual([
      [
        net.inLyon.identity,
        '1',
        provider,
        '2025-08-01T00:00:00Z',
        '2026-07-31T23:59:59Z',
        '100.00',
        '0.00',
        '0.00',
      ],
      [
        net.inLyon.identity,
        '1',
        provider,
        '2025-09-01T00:00:00Z',
        '2026-08-31T23:59:59Z',
        '100.00',
        '0.00',
        '0.00',
      ],
      [
        net.inLyon.identity,
        '1',
        provider,
        '2025-10-01T00:00:00Z',
        '2026-09-30T23:59:59Z',
        '100.00',
        '2880.00',
        '2880.00',
      ],
    ]);
  });

  it('writes Module 4 with the EV-ChART reason code, and the ids-only row for a port without outages', async () => {
    const { fileName, rows } = await evChartModuleRows(db(), net.admin, 'outages', Q3, provider, NOW);
    expect(fileName).toBe('ev-chart-module4-outages-2026-Q3.csv');
    expect(rowsOf(rows)).toEqual([
      [
        net.inLyon.identity,
        '1',
        provider,
        '2026-09-01T00:00:00Z',
        '2880.00',
        'TRUE',
        '1',
        'Utility outage notice 2026-117',
      ],
      [net.inParis.identity, '1', provider, '2026-08-10T10:00:00Z', '60.00', 'FALSE', '', ''],
      [net.inParis.identity, '2', provider, '', '', '', '', ''],
      [net.inParis.identity, '3', provider, '', '', '', '', ''],
    ]);
  });

  it('writes Module 2 with errors, energy, peak power and payment method', async () => {
    const org = await anOrganisation(db());
    const site = await aSite(db(), org.id);
    const station = await aStation(db(), org.id, site.id, 'SES');
    await aPort(station, 1, longAgo);
    await aPort(station, 2, longAgo);
    await db().insert(maintenanceSettings).values({
      organisationId: org.id,
      minSessionWh: 200,
      remediationPlan: [],
      slaHours: {},
      checklist: [],
    });
    const good = await aChargeDetailRecord(db(), station, {
      startedAt: at('2026-07-02T08:00:00Z'),
      endedAt: at('2026-07-02T09:00:00Z'),
      energyWh: 10_000,
      paymentMethod: 'card',
    });
    await db()
      .update(transactions)
      .set({ energyWh: 10_000, stopReason: 'EVDisconnected' })
      .where(eq(transactions.id, good.transactionId));
    await db()
      .insert(meterValues)
      .values(
        [7_000, 7_350.6, 6_900].map((value, i) => ({
          stationId: station.id,
          transactionId: good.transactionId,
          evseId: 1,
          sampledAt: new Date(at('2026-07-02T08:10:00Z').getTime() + i * 60_000),
          measurand: 'Power.Active.Import',
          value,
          unit: 'W',
        })),
      );
    const [failed] = await db()
      .insert(transactions)
      .values({
        organisationId: org.id,
        stationId: station.id,
        chargerTransactionId: 'FAILED-1',
        ocppVersion: '2.0.1',
        evseId: 1,
        connectorId: 1,
        status: 'completed',
        startedAt: at('2026-08-05T12:00:00Z'),
        stoppedAt: at('2026-08-05T12:02:00Z'),
        energyWh: 150,
        stopReason: 'PowerLoss',
      })
      .returning();
    // Outside the quarter: left out.
    await aChargeDetailRecord(db(), station, {
      startedAt: at('2026-06-30T10:00:00Z'),
      endedAt: at('2026-06-30T11:00:00Z'),
    });
    const admin = await aUser(db(), org.id);

    const { fileName, rows } = await evChartModuleRows(db(), admin, 'sessions', Q3, provider, NOW);
    expect(fileName).toBe('ev-chart-module2-sessions-2026-Q3.csv');
    expect(rows[0]?.join(',')).toBe(
      'station_id,port_id,network_provider,charger_id,session_id,connector_id,session_start,session_end,session_error,error_other,energy_kwh,power_kw,payment_method,payment_other',
    );
    expect(rowsOf(rows)).toEqual([
      [
        station.identity,
        '1',
        provider,
        station.identity,
        good.transactionId,
        '',
        '2026-07-02T08:00:00Z',
        '2026-07-02T09:00:00Z',
        '',
        '',
        '10.00',
        '7.35',
        'card',
        '',
      ],
      [
        station.identity,
        '1',
        provider,
        station.identity,
        failed!.id,
        '1',
        '2026-08-05T12:00:00Z',
        '2026-08-05T12:02:00Z',
        'PowerLoss;BelowMinimumEnergy',
        '',
        '0.15',
        '',
        '',
        '',
      ],
      [station.identity, '2', provider, ...Array(11).fill('')],
    ]);
    // The CSV itself: RFC 4180 with CRLF, nothing quoted that need not be.
    expect(toCsv(rows).split('\r\n')[3]).toBe(`${station.identity},2,acme_charging,,,,,,,,,,,`);
  });

  it('refuses the export while the network provider is not configured', async () => {
    const error = await expectError(
      evChartModuleRows(db(), net.admin, 'uptime', Q3, undefined, NOW),
      'precondition_failed',
    );
    expect(error.message).toMatch(/NEVI_NETWORK_PROVIDER/);
  });

  it('refuses a technician', async () => {
    await expectError(evChartModuleRows(db(), net.technician, 'outages', Q3, provider, NOW), 'forbidden');
  });
});

describe('resolveQuarter', () => {
  it('defaults to the last complete quarter and refuses a malformed or future one', async () => {
    expect(resolveQuarter(undefined, NOW).label).toBe('2026-Q3');
    expect(resolveQuarter('2026-Q4', NOW).label).toBe('2026-Q4');
    const refused = (asked: string) => Promise.resolve().then(() => resolveQuarter(asked, NOW));
    expect((await expectError(refused('2026-13'), 'validation')).message).toMatch(/like 2026-Q3/);
    expect((await expectError(refused('2027-Q1'), 'validation')).message).toMatch(/has not begun/);
  });
});

describe('exclusion reasons', () => {
  it('maps every reason the database can hold to its own EV-ChART code from 1 to 6', () => {
    const codes = outageExclusions.map(evChartExclusionCode);
    expect(new Set(codes).size).toBe(outageExclusions.length);
    expect(codes.every((code) => Number.isInteger(code) && code >= 1 && code <= 6)).toBe(true);
  });
});
