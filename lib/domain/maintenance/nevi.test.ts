import { describe, expect, it } from 'vitest';
import {
  evChartExclusionCode,
  lastCompleteQuarter,
  neviUptime,
  outagesModuleHeader,
  outagesModuleRows,
  overlongIds,
  parseQuarter,
  paymentMethodOf,
  recentQuarters,
  sessionError,
  sessionsModuleHeader,
  sessionsModuleRows,
  uptimeModuleHeader,
  uptimeModuleRows,
  uptimeWindows,
  type ExclusionReason,
  type OutageReportRecord,
  type PortOutageSpan,
  type SessionRecord,
  type UptimeWindow,
} from './nevi';

const at = (iso: string) => new Date(iso);
const minute = 60_000;
const iso = (d: Date) => d.toISOString();

// 2026-Q3 is the quarter used below; "now" is well after it unless a test says otherwise.
const Q3 = parseQuarter('2026-Q3')!;
const AFTER_Q3 = at('2026-10-15T12:00:00Z');

describe('parseQuarter', () => {
  it.each([
    ['2026-Q3', '2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z'],
    ['2026-q1', '2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2025-Q4', '2025-10-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
  ])('%s', (value, from, to) => {
    const quarter = parseQuarter(value);
    expect(quarter && [iso(quarter.from), iso(quarter.to)]).toEqual([from, to]);
    expect(quarter?.label).toBe(value.toUpperCase());
  });

  it.each([['2026-Q5'], ['2026Q3'], [''], ['Q3-2026'], ['1999-Q1'], [2026], [undefined], [['2026-Q3']]])(
    'refuses %j',
    (value) => {
      expect(parseQuarter(value)).toBeNull();
    },
  );
});

describe('recentQuarters and lastCompleteQuarter', () => {
  it('lists the last 8 quarters, newest first, the current one incomplete', () => {
    const quarters = recentQuarters(at('2026-06-03T15:00:00Z'));
    expect(quarters.map((q) => [q.quarter.label, q.complete])).toEqual([
      ['2026-Q2', false],
      ['2026-Q1', true],
      ['2025-Q4', true],
      ['2025-Q3', true],
      ['2025-Q2', true],
      ['2025-Q1', true],
      ['2024-Q4', true],
      ['2024-Q3', true],
    ]);
  });

  it('starts a new quarter at midnight UTC of its first day', () => {
    const [current, previous] = recentQuarters(at('2026-07-01T00:00:00Z'), 2);
    expect([current?.quarter.label, current?.complete]).toEqual(['2026-Q3', false]);
    expect([previous?.quarter.label, previous?.complete]).toEqual(['2026-Q2', true]);
  });

  it('reports the last quarter that has ended, across a year end', () => {
    expect(lastCompleteQuarter(at('2026-01-15T08:00:00Z')).label).toBe('2025-Q4');
    expect(lastCompleteQuarter(at('2026-12-31T23:59:59Z')).label).toBe('2026-Q3');
  });
});

describe('uptimeWindows', () => {
  it('gives three trailing-12-month windows, each ending at a month end of the quarter', () => {
    expect(uptimeWindows(Q3).map((w) => [w.month, iso(w.start), iso(w.end)])).toEqual([
      ['2026-07', '2025-08-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z'],
      ['2026-08', '2025-09-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z'],
      ['2026-09', '2025-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z'],
    ]);
  });

  it('holds 366 days when the window spans a 29 February', () => {
    const [, february] = uptimeWindows(parseQuarter('2028-Q1')!);
    expect(february?.month).toBe('2028-02');
    expect(iso(february!.start)).toBe('2027-03-01T00:00:00.000Z');
    expect((february!.end.getTime() - february!.start.getTime()) / (24 * 60 * minute)).toBe(366);
  });
});

describe('neviUptime', () => {
  const july: UptimeWindow = uptimeWindows(Q3)[0]!;
  const commissioned = at('2024-01-01T00:00:00Z');
  const aSpan = (start: string, end: string | null, excluded = false): PortOutageSpan => ({
    startedAt: at(start),
    endedAt: end === null ? null : at(end),
    excluded,
  });

  it.each<[string, PortOutageSpan[], number, number, number | null]>([
    ['no outage', [], 0, 0, 100],
    ['one hour', [aSpan('2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z')], 60, 0, 99.98],
    [
      'a single minute rounds down, never to 100',
      [aSpan('2026-03-10T10:00:00Z', '2026-03-10T10:01:00Z')],
      1,
      0,
      99.99,
    ],
    ['partial minutes count', [aSpan('2026-03-10T10:00:00Z', '2026-03-10T10:01:30Z')], 1.5, 0, 99.99],
    [
      'an outage straddling the window start counts from the start',
      [aSpan('2025-07-31T23:00:00Z', '2025-08-01T01:30:00Z')],
      90,
      0,
      99.98,
    ],
    [
      'an outage straddling the window end counts up to the end',
      [aSpan('2026-07-31T23:00:00Z', '2026-08-02T00:00:00Z')],
      60,
      0,
      99.98,
    ],
    [
      'an outage outside the window is ignored',
      [aSpan('2025-07-01T00:00:00Z', '2025-07-31T00:00:00Z')],
      0,
      0,
      100,
    ],
    [
      'excluded minutes are counted and then taken off',
      [
        aSpan('2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z'),
        aSpan('2026-04-01T00:00:00Z', '2026-04-03T00:00:00Z', true),
      ],
      60 + 2880,
      2880,
      99.98,
    ],
    [
      'an excluded outage overlapping one that counts is excluded only where it stands alone',
      [
        aSpan('2026-03-10T10:00:00Z', '2026-03-10T12:00:00Z', true),
        aSpan('2026-03-10T11:00:00Z', '2026-03-10T11:30:00Z'),
      ],
      120,
      90,
      99.99,
    ],
    [
      'overlapping outages that count are counted once',
      [
        aSpan('2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z'),
        aSpan('2026-03-10T10:30:00Z', '2026-03-10T11:30:00Z'),
      ],
      90,
      0,
      99.98,
    ],
    [
      // 10 days = 14,400 minutes: (525600 − 14400) / 525600 = 97.26 %.
      'ten days out is 97.26 %',
      [aSpan('2026-01-01T00:00:00Z', '2026-01-11T00:00:00Z')],
      14_400,
      0,
      97.26,
    ],
  ])('%s', (_, spans, outageMinutes, excludedMinutes, uptimePercent) => {
    expect(neviUptime(spans, july, commissioned, AFTER_Q3)).toEqual({
      outageMinutes,
      excludedMinutes,
      uptimePercent,
    });
  });

  describe('in a leap-year window (366 days)', () => {
    const [, february] = uptimeWindows(parseQuarter('2028-Q1')!);
    const later = at('2028-06-01T00:00:00Z');

    it('still divides by 525,600: one day out is 99.72 %, as in any year', () => {
      const day = [aSpan('2028-02-29T00:00:00Z', '2028-03-01T00:00:00Z')];
      expect(neviUptime(day, february!, commissioned, later)).toEqual({
        outageMinutes: 1440,
        excludedMinutes: 0,
        uptimePercent: 99.72,
      });
      const dayIn2026 = [aSpan('2026-02-27T00:00:00Z', '2026-02-28T00:00:00Z')];
      expect(neviUptime(dayIn2026, july, commissioned, AFTER_Q3).uptimePercent).toBe(99.72);
    });

    it('counts all 527,040 minutes of a port out the whole window, and stops the uptime at 0', () => {
      const always = [aSpan('2027-01-01T00:00:00Z', null)];
      expect(neviUptime(always, february!, commissioned, later)).toEqual({
        outageMinutes: 527_040,
        excludedMinutes: 0,
        uptimePercent: 0,
      });
    });
  });

  it('runs an ongoing outage up to now and leaves the future part of the window up', () => {
    const now = at('2026-07-20T12:00:00Z');
    const result = neviUptime([aSpan('2026-07-20T10:00:00Z', null)], july, commissioned, now);
    expect(result).toEqual({ outageMinutes: 120, excludedMinutes: 0, uptimePercent: 99.97 });
  });

  it.each<[string, Date | null, boolean]>([
    ['in service a day after the window began', at('2025-08-02T00:00:00Z'), false],
    ['in service from the first instant of the window', at('2025-08-01T00:00:00Z'), true],
    ['first seen unknown', null, false],
  ])('blank uptime for a port younger than the window: %s', (_, firstSeenAt, hasUptime) => {
    const result = neviUptime(
      [aSpan('2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z')],
      july,
      firstSeenAt,
      AFTER_Q3,
    );
    expect(result.outageMinutes).toBe(60);
    expect(result.uptimePercent === null).toBe(!hasUptime);
  });
});

describe('evChartExclusionCode', () => {
  it('maps each reason, by meaning, to its own code from 1 to 6', () => {
    const table: Record<ExclusionReason, number> = {
      utility_interruption: 1,
      vehicle_fault: 2,
      scheduled_maintenance: 3,
      vandalism: 4,
      natural_disaster: 5,
      outside_hours: 6,
    };
    for (const [reason, code] of Object.entries(table))
      expect([reason, evChartExclusionCode(reason as ExclusionReason)]).toEqual([reason, code]);
  });
});

describe('overlongIds', () => {
  it('names each id over 36 characters once', () => {
    const long = `STATION-${'x'.repeat(29)}`;
    expect(long).toHaveLength(37);
    expect(overlongIds([long, 'CP-1', 'y'.repeat(36), long])).toEqual([long]);
  });
});

const provider = 'acme_charging';

describe('Module 2, charging sessions', () => {
  const aSession = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
    stationId: 'CP-1',
    portId: '1',
    chargerId: 'CP-1',
    sessionId: '6f1c1c2e-5a4b-4c1e-9f0a-2b7d3c4e5f60',
    connectorId: 1,
    startedAt: at('2026-07-02T08:00:00.750Z'),
    endedAt: at('2026-07-02T09:10:00Z'),
    energyWh: 1_234_567,
    peakPowerW: 7_204.4,
    stopReason: 'EVDisconnected',
    tokenRefused: false,
    payment: { method: 'card', total: 1250 },
    ...overrides,
  });

  it('has EV-ChART’s columns in its order', () => {
    expect(sessionsModuleRows([], [], provider, 50)[0]).toEqual([
      'station_id',
      'port_id',
      'network_provider',
      'charger_id',
      'session_id',
      'connector_id',
      'session_start',
      'session_end',
      'session_error',
      'error_other',
      'energy_kwh',
      'power_kw',
      'payment_method',
      'payment_other',
    ]);
  });

  it('writes a session with UTC seconds, kWh and peak kW with 2 decimals', () => {
    const rows = sessionsModuleRows([{ stationId: 'CP-1', portId: '1' }], [aSession()], provider, 50);
    expect(rows[1]).toEqual([
      'CP-1',
      '1',
      'acme_charging',
      'CP-1',
      '6f1c1c2e-5a4b-4c1e-9f0a-2b7d3c4e5f60',
      '1',
      '2026-07-02T08:00:00Z',
      '2026-07-02T09:10:00Z',
      '',
      '',
      '1234.57',
      '7.20',
      'card',
      '',
    ]);
  });

  it('gives a port without sessions one row with only its ids, and sorts by station, port and start', () => {
    const rows = sessionsModuleRows(
      [
        { stationId: 'CP-1', portId: '10' },
        { stationId: 'CP-1', portId: '2' },
        { stationId: 'CP-0', portId: '1' },
      ],
      [
        aSession({ portId: '2', sessionId: 'late', startedAt: at('2026-08-01T00:00:00Z') }),
        aSession({ portId: '2', sessionId: 'early' }),
      ],
      provider,
      50,
    );
    expect(rows.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
      ['CP-0', '1', ''],
      ['CP-1', '2', 'early'],
      ['CP-1', '2', 'late'],
      ['CP-1', '10', ''],
    ]);
    expect(rows[1]).toEqual(['CP-0', '1', 'acme_charging', ...Array(11).fill('')]);
    expect(rows.every((r) => r.length === sessionsModuleHeader.length)).toBe(true);
  });

  it('leaves end, energy and power blank when unknown', () => {
    const [, row] = sessionsModuleRows(
      [],
      [aSession({ endedAt: null, energyWh: null, peakPowerW: null, startedAt: null, connectorId: null })],
      provider,
      50,
    );
    expect([row?.[5], row?.[6], row?.[7], row?.[10], row?.[11]]).toEqual(['', '', '', '', '']);
  });

  it.each<[string, Partial<SessionRecord>, string]>([
    ['a session that delivered', {}, ''],
    ['stopped by the driver with little energy', { stopReason: 'Local', energyWh: 49 }, 'BelowMinimumEnergy'],
    ['exactly the minimum is enough', { energyWh: 50 }, ''],
    ['ended with no meter reading', { energyWh: null }, 'BelowMinimumEnergy'],
    ['a power loss after delivering', { stopReason: 'PowerLoss' }, 'PowerLoss'],
    ['still running with nothing yet', { endedAt: null, energyWh: null }, ''],
    [
      'every cause at once, in a fixed order',
      { stopReason: 'EmergencyStop', tokenRefused: true, energyWh: 0 },
      'EmergencyStop;TokenRefused;BelowMinimumEnergy',
    ],
  ])('session_error: %s', (_, overrides, expected) => {
    expect(sessionError(aSession(overrides), 50)).toBe(expected);
  });

  it.each<[string, Parameters<typeof paymentMethodOf>[0], string]>([
    ['no charge detail record', null, ''],
    ['nothing to pay', { method: 'card', total: 0 }, 'free'],
    ['a saved card', { method: 'card', total: 900 }, 'card'],
    ['invoiced', { method: 'account', total: 900 }, 'account'],
    ['prepaid balance', { method: 'prepaid', total: 900 }, 'prepaid'],
    ['nobody billed', { method: null, total: 900 }, ''],
  ])('payment_method: %s', (_, payment, expected) => {
    expect(paymentMethodOf(payment)).toBe(expected);
  });
});

describe('Module 3, uptime', () => {
  const windows = uptimeWindows(Q3);

  it('has EV-ChART’s columns in its order', () => {
    expect(uptimeModuleRows([], provider)).toEqual([
      [
        'station_id',
        'port_id',
        'network_provider',
        'uptime_reporting_start',
        'uptime_reporting_end',
        'uptime',
        'total_outage',
        'total_outage_excl',
      ],
    ]);
  });

  it('writes three rows per port, the window end as its last second, uptime blank for a young port', () => {
    const rows = uptimeModuleRows(
      [
        {
          stationId: 'CP-1',
          portId: '1',
          windows: windows.map((window, i) => ({
            window,
            uptime: {
              outageMinutes: i === 0 ? 60.5 : 0,
              excludedMinutes: i === 0 ? 0.25 : 0,
              uptimePercent: i === 2 ? 100 : i === 0 ? 99.98 : null,
            },
          })),
        },
      ],
      provider,
    );
    expect(rows.slice(1)).toEqual([
      [
        'CP-1',
        '1',
        'acme_charging',
        '2025-08-01T00:00:00Z',
        '2026-07-31T23:59:59Z',
        '99.98',
        '60.50',
        '0.25',
      ],
      ['CP-1', '1', 'acme_charging', '2025-09-01T00:00:00Z', '2026-08-31T23:59:59Z', '', '0.00', '0.00'],
      [
        'CP-1',
        '1',
        'acme_charging',
        '2025-10-01T00:00:00Z',
        '2026-09-30T23:59:59Z',
        '100.00',
        '0.00',
        '0.00',
      ],
    ]);
    expect(rows.every((r) => r.length === uptimeModuleHeader.length)).toBe(true);
  });

  it('gives a port with no window one row with only its ids', () => {
    expect(uptimeModuleRows([{ stationId: 'CP-1', portId: '1', windows: [] }], provider)[1]).toEqual([
      'CP-1',
      '1',
      'acme_charging',
      '',
      '',
      '',
      '',
      '',
    ]);
  });
});

describe('Module 4, outages', () => {
  const anOutage = (overrides: Partial<OutageReportRecord> = {}): OutageReportRecord => ({
    stationId: 'CP-1',
    portId: '1',
    startedAt: at('2026-07-10T10:00:00.400Z'),
    endedAt: at('2026-07-10T11:15:30Z'),
    excludedReason: null,
    excludedNotes: null,
    ...overrides,
  });
  const rowsOf = (
    outages: OutageReportRecord[],
    now = AFTER_Q3,
    ports = [{ stationId: 'CP-1', portId: '1' }],
  ) => outagesModuleRows(ports, outages, Q3, now, provider);

  it('has EV-ChART’s columns in its order', () => {
    expect(rowsOf([], AFTER_Q3, [])).toEqual([[...outagesModuleHeader]]);
    expect(outagesModuleHeader).toEqual([
      'station_id',
      'port_id',
      'network_provider',
      'outage_id',
      'outage_duration',
      'excluded_outage',
      'excluded_outage_reason',
      'excluded_outage_notes',
    ]);
  });

  it('uses the start as outage_id and writes minutes with 2 decimals and FALSE for a counted outage', () => {
    expect(rowsOf([anOutage({ excludedNotes: 'left over' })])[1]).toEqual([
      'CP-1',
      '1',
      'acme_charging',
      '2026-07-10T10:00:00Z',
      '75.49',
      'FALSE',
      '',
      '',
    ]);
  });

  it('writes TRUE, the EV-ChART reason code and the notes (at most 255 characters) for an excluded outage', () => {
    const [, row] = rowsOf([anOutage({ excludedReason: 'vandalism', excludedNotes: 'n'.repeat(300) })]);
    expect(row?.slice(5, 7)).toEqual(['TRUE', '4']);
    expect(row?.[7]).toHaveLength(255);
  });

  it('counts the minutes inside the quarter for an outage straddling its start, keeping the real start as id', () => {
    const [, row] = rowsOf([
      anOutage({ startedAt: at('2026-06-30T23:00:00Z'), endedAt: at('2026-07-01T00:30:00Z') }),
    ]);
    expect([row?.[3], row?.[4]]).toEqual(['2026-06-30T23:00:00Z', '30.00']);
  });

  it('runs an ongoing outage up to now, or to the quarter end', () => {
    const ongoing = anOutage({ startedAt: at('2026-09-30T22:00:00Z'), endedAt: null });
    expect(rowsOf([ongoing], at('2026-09-30T22:45:00Z'))[1]?.[4]).toBe('45.00');
    expect(rowsOf([ongoing], AFTER_Q3)[1]?.[4]).toBe('120.00');
  });

  it('reports an outage shorter than 0.01 minute as 0.01, EV-ChART’s minimum', () => {
    const blip = anOutage({ startedAt: at('2026-07-10T10:00:00Z'), endedAt: at('2026-07-10T10:00:00.200Z') });
    expect(rowsOf([blip])[1]?.[4]).toBe('0.01');
  });

  it('merges outages of a port that start in the same second, so outage_id stays unique', () => {
    const rows = rowsOf([
      anOutage({ excludedReason: 'utility_interruption', excludedNotes: 'Utility notice 12' }),
      anOutage({ startedAt: at('2026-07-10T10:00:00.900Z'), endedAt: at('2026-07-10T12:00:00Z') }),
    ]);
    expect(rows.slice(1)).toEqual([
      ['CP-1', '1', 'acme_charging', '2026-07-10T10:00:00Z', '119.99', 'FALSE', '', ''],
    ]);
  });

  it('gives a port whose outages all lie outside the quarter one row with only its ids', () => {
    const rows = rowsOf(
      [anOutage({ startedAt: at('2026-06-01T00:00:00Z'), endedAt: at('2026-06-02T00:00:00Z') })],
      AFTER_Q3,
      [
        { stationId: 'CP-1', portId: '1' },
        { stationId: 'CP-1', portId: '2' },
      ],
    );
    expect(rows.slice(1)).toEqual([
      ['CP-1', '1', 'acme_charging', '', '', '', '', ''],
      ['CP-1', '2', 'acme_charging', '', '', '', '', ''],
    ]);
  });
});

describe('belowNeviMinimum', () => {
  it('is below only under 97 %, and never without an uptime', async () => {
    const { belowNeviMinimum } = await import('./nevi');
    expect([96.99, 97, 100, null].map(belowNeviMinimum)).toEqual([true, false, false, false]);
  });
});
