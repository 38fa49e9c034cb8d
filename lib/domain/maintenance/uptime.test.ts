import { describe, expect, it } from 'vitest';
import {
  outageCsvRows,
  quickPeriods,
  reportingPeriod,
  rfc3339,
  summarisePortUptime,
  uptimePercent,
  type OutageRecord,
  type OutageSpan,
} from './uptime';

// Wednesday 2026-06-03, 15:00 UTC.
const NOW = new Date('2026-06-03T15:00:00Z');
const at = (iso: string) => new Date(iso);
const minute = 60_000;

const aSpan = (overrides: Partial<OutageSpan> = {}): OutageSpan => ({
  stationId: 'st-a',
  evseId: 1,
  startedAt: at('2026-05-10T10:00:00Z'),
  endedAt: at('2026-05-10T11:00:00Z'),
  excluded: false,
  ...overrides,
});

describe('reportingPeriod', () => {
  it.each([
    ['nothing asked: the last 30 days, today included', {}, '2026-05-05', '2026-06-03', false],
    ['both dates', { from: '2026-05-01', to: '2026-05-31' }, '2026-05-01', '2026-05-31', false],
    ['only the start: up to today', { from: '2026-05-20' }, '2026-05-20', '2026-06-03', false],
    ['only the end: the 30 days before it', { to: '2026-04-30' }, '2026-04-01', '2026-04-30', false],
    [
      'reversed dates are swapped',
      { from: '2026-05-31', to: '2026-05-01' },
      '2026-05-01',
      '2026-05-31',
      true,
    ],
    ['a date that does not exist', { from: '2026-02-30' }, '2026-05-05', '2026-06-03', true],
    ['not a date', { from: 'yesterday', to: '' }, '2026-05-05', '2026-06-03', true],
    ['an array (?from=a&from=b)', { from: ['2026-05-01'] }, '2026-05-05', '2026-06-03', true],
    [
      'more than a year keeps its end',
      { from: '2020-01-01', to: '2026-06-03' },
      '2025-06-03',
      '2026-06-03',
      true,
    ],
    ['a year fits', { from: '2025-06-04', to: '2026-06-03' }, '2025-06-04', '2026-06-03', false],
  ])('%s', (_, asked, fromDay, toDay, adjusted) => {
    const period = reportingPeriod(asked, NOW);
    expect(period).toMatchObject({ fromDay, toDay, adjusted });
    expect(period.from.toISOString()).toBe(`${fromDay}T00:00:00.000Z`);
    // The last day is included: the period ends at the next midnight.
    expect(period.to.getTime() - at(`${toDay}T00:00:00Z`).getTime()).toBe(24 * 60 * minute);
  });
});

describe('quickPeriods', () => {
  it('offers the last 30 days, this month, last month and the last 90 days', () => {
    expect(quickPeriods(NOW).map((q) => [q.label, q.period.fromDay, q.period.toDay])).toEqual([
      ['Last 30 days', '2026-05-05', '2026-06-03'],
      ['This month', '2026-06-01', '2026-06-03'],
      ['Last month', '2026-05-01', '2026-05-31'],
      ['Last 90 days', '2026-03-06', '2026-06-03'],
    ]);
  });

  it('knows last month across a year end', () => {
    const last = quickPeriods(at('2026-01-15T08:00:00Z')).find((q) => q.label === 'Last month');
    expect([last?.period.fromDay, last?.period.toDay]).toEqual(['2025-12-01', '2025-12-31']);
  });
});

describe('uptimePercent', () => {
  const month = 30 * 24 * 60 * minute;
  it.each([
    ['no outage', month, 0, 100],
    ['one hour in 30 days', month, 60 * minute, 99.86],
    ['one minute in 30 days rounds down, never to 100', month, minute, 99.99],
    ['out the whole period', month, month, 0],
    ['more outage than period (overlaps) stops at 0', month, 2 * month, 0],
    ['an empty period', 0, 0, null],
  ])('%s', (_, period, outage, expected) => {
    expect(uptimePercent(period, outage)).toBe(expected);
  });
});

describe('summarisePortUptime', () => {
  const may = { from: at('2026-05-01T00:00:00Z'), to: at('2026-06-01T00:00:00Z') };
  const mayMinutes = 31 * 24 * 60;

  it('counts each port on its own', () => {
    const rows = summarisePortUptime(
      [aSpan(), aSpan({ evseId: 2, endedAt: at('2026-05-10T10:30:00Z') }), aSpan({ stationId: 'st-b' })],
      may,
      NOW,
    );
    expect(rows.map((r) => [r.stationId, r.evseId, r.outages, r.outageMinutes])).toEqual([
      ['st-a', 1, 1, 60],
      ['st-a', 2, 1, 30],
      ['st-b', 1, 1, 60],
    ]);
    expect(rows[0]?.uptimePercent).toBe(Math.floor(((mayMinutes - 60) / mayMinutes) * 10_000) / 100);
  });

  it('cuts outages at the period edges', () => {
    const [row] = summarisePortUptime(
      [aSpan({ startedAt: at('2026-04-30T23:00:00Z'), endedAt: at('2026-05-01T00:45:00Z') })],
      may,
      NOW,
    );
    expect(row?.outageMinutes).toBe(45);
  });

  it('counts overlapping outages of a port once', () => {
    const [row] = summarisePortUptime(
      [
        aSpan({ startedAt: at('2026-05-10T10:00:00Z'), endedAt: at('2026-05-10T11:00:00Z') }),
        aSpan({ startedAt: at('2026-05-10T10:30:00Z'), endedAt: at('2026-05-10T12:00:00Z') }),
        aSpan({ startedAt: at('2026-05-10T12:00:00Z'), endedAt: at('2026-05-10T12:10:00Z') }),
        aSpan({ startedAt: at('2026-05-11T00:00:00Z'), endedAt: at('2026-05-11T00:01:30Z') }),
      ],
      may,
      NOW,
    );
    expect(row).toMatchObject({ outages: 4, outageMinutes: 131.5 });
  });

  it('leaves excluded outages out of the minutes but counts them', () => {
    const [row] = summarisePortUptime(
      [
        aSpan(),
        aSpan({ excluded: true, startedAt: at('2026-05-12T00:00:00Z'), endedAt: at('2026-05-13T00:00:00Z') }),
      ],
      may,
      NOW,
    );
    expect(row).toMatchObject({ outages: 2, excludedOutages: 1, outageMinutes: 60 });
  });

  it('runs an ongoing outage up to now, and a period in progress only up to now', () => {
    const june = { from: at('2026-06-01T00:00:00Z'), to: at('2026-07-01T00:00:00Z') };
    const [row] = summarisePortUptime(
      [aSpan({ startedAt: at('2026-06-03T14:00:00Z'), endedAt: null })],
      june,
      NOW,
    );
    // 2 days 15 hours have passed; the port has been out for the last hour of them.
    const elapsed = (2 * 24 + 15) * 60;
    expect(row?.outageMinutes).toBe(60);
    expect(row?.uptimePercent).toBe(Math.floor(((elapsed - 60) / elapsed) * 10_000) / 100);
  });

  it('lists every port it is given, those without an outage at 100 %', () => {
    const rows = summarisePortUptime([aSpan({ evseId: 2 })], may, NOW, [
      { stationId: 'st-b', evseId: 1 },
      { stationId: 'st-a', evseId: 2 },
      { stationId: 'st-a', evseId: 1 },
    ]);
    expect(rows.map((r) => [r.stationId, r.evseId, r.outages, r.outageMinutes, r.uptimePercent])).toEqual([
      ['st-a', 1, 0, 0, 100],
      ['st-a', 2, 1, 60, Math.floor(((mayMinutes - 60) / mayMinutes) * 10_000) / 100],
      ['st-b', 1, 0, 0, 100],
    ]);
  });

  it('has no uptime for a period that has not begun', () => {
    const july = { from: at('2026-07-01T00:00:00Z'), to: at('2026-08-01T00:00:00Z') };
    const [row] = summarisePortUptime(
      [aSpan({ startedAt: at('2026-06-03T14:00:00Z'), endedAt: null })],
      july,
      NOW,
    );
    expect(row).toMatchObject({ outageMinutes: 0, uptimePercent: null });
  });
});

describe('outageCsvRows', () => {
  const anOutage = (overrides: Partial<OutageRecord> = {}): OutageRecord => ({
    stationIdentity: 'CP-1',
    evseId: 1,
    startedAt: at('2026-05-10T10:00:00.250Z'),
    endedAt: at('2026-05-10T11:20:30Z'),
    minutes: 80.5,
    excludedReason: null,
    workOrderNumber: 12,
    ...overrides,
  });

  it('writes the header and one row per outage, by station, port and start', () => {
    const rows = outageCsvRows([
      anOutage({ stationIdentity: 'CP-2' }),
      anOutage({ evseId: 2, endedAt: null, minutes: 1.234, workOrderNumber: null }),
      anOutage({ excludedReason: 'utility_interruption', startedAt: at('2026-05-01T00:00:00Z') }),
      anOutage(),
    ]);
    expect(rows).toEqual([
      [
        'station_id',
        'port_id',
        'outage_id',
        'outage_start',
        'outage_end',
        'outage_duration_minutes',
        'excluded',
        'work_order',
      ],
      [
        'CP-1',
        '1',
        '2026-05-01T00:00:00Z',
        '2026-05-01T00:00:00Z',
        '2026-05-10T11:20:30Z',
        '80.50',
        'true',
        'WO-12',
      ],
      [
        'CP-1',
        '1',
        '2026-05-10T10:00:00Z',
        '2026-05-10T10:00:00Z',
        '2026-05-10T11:20:30Z',
        '80.50',
        'false',
        'WO-12',
      ],
      ['CP-1', '2', '2026-05-10T10:00:00Z', '2026-05-10T10:00:00Z', '', '1.23', 'false', ''],
      [
        'CP-2',
        '1',
        '2026-05-10T10:00:00Z',
        '2026-05-10T10:00:00Z',
        '2026-05-10T11:20:30Z',
        '80.50',
        'false',
        'WO-12',
      ],
    ]);
  });

  it('writes RFC 3339 instants in UTC to the second', () => {
    expect(rfc3339(at('2026-03-29T01:30:00+02:00'))).toBe('2026-03-28T23:30:00Z');
  });
});
