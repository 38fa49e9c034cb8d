import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantOfLocalTime } from '@/lib/domain/pricing/local-time';
import { nextLimitChange, resolveNodeLimit, scheduleDay } from './limits';
import type { LimitValue, LoadNodeConfig, NonEvLoad, NonEvLoadPolicy, ScheduledLimit } from './types';

// June 2026: Mon 1, Wed 3, Fri 5, Sat 6. Chicago is on CDT (UTC-5) all month.
const cdt = (local: string) => Date.parse(`${local}:00-05:00`);
const cst = (local: string) => Date.parse(`${local}:00-06:00`);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ZONE = 'America/Chicago';
const NOW = cdt('2026-06-03T10:00'); // Wednesday 10:00 in Chicago
const minute = 60_000;

const amps = (value: number): LimitValue => ({ unit: 'A', value });
const watts = (value: number): LimitValue => ({ unit: 'W', value });

const aNode = (overrides: Partial<LoadNodeConfig> = {}): LoadNodeConfig => ({
  id: 'site',
  parentId: null,
  name: 'Chicago Loop',
  voltage: 230,
  phases: 3,
  limit: amps(32),
  schedule: [],
  safetyMarginPercent: 0,
  ...overrides,
});

const peakHours: ScheduledLimit = {
  label: 'Peak hours',
  days: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '18:00',
  limit: watts(60_000),
};
const weekendNights: ScheduledLimit = { days: [5, 6], start: '22:00', end: '06:00', limit: amps(63) };

const aReading = (overrides: Partial<NonEvLoad> = {}): NonEvLoad => ({
  amps: null,
  watts: 11_000,
  at: NOW - minute,
  ...overrides,
});
const aPolicy = (overrides: Partial<NonEvLoadPolicy> = {}): NonEvLoadPolicy => ({
  reading: aReading(),
  staleAfterMs: 5 * minute,
  fallbackLimit: watts(20_000),
  ...overrides,
});

describe('resolveNodeLimit', () => {
  const cases: {
    name: string;
    node: LoadNodeConfig;
    at?: number;
    amps: [number, number, number];
    watts: number | null;
    source: string;
  }[] = [
    {
      name: 'an A limit applies on each of three phases',
      node: aNode(),
      amps: [32, 32, 32],
      watts: null,
      source: 'Base limit 32 A per phase',
    },
    {
      name: 'a 1-phase node carries L1 only',
      node: aNode({ phases: 1 }),
      amps: [32, 0, 0],
      watts: null,
      source: 'Base limit 32 A',
    },
    {
      name: 'a W limit on three phases is spread evenly: 22.08 kW at 230 V is 32 A per phase',
      node: aNode({ limit: watts(22_080) }),
      amps: [32, 32, 32],
      watts: 22_080,
      source: 'Base limit 22.08 kW',
    },
    {
      name: 'a W limit on one phase all goes to L1: 7.36 kW at 230 V is 32 A',
      node: aNode({ phases: 1, limit: watts(7_360) }),
      amps: [32, 0, 0],
      watts: 7_360,
      source: 'Base limit 7.36 kW',
    },
    {
      name: 'a W limit at 120 V (US 208Y/120): 11.52 kW is 32 A per phase',
      node: aNode({ voltage: 120, limit: watts(11_520) }),
      amps: [32, 32, 32],
      watts: 11_520,
      source: 'Base limit 11.52 kW',
    },
    {
      name: 'no limit of its own',
      node: aNode({ limit: null }),
      amps: [Infinity, Infinity, Infinity],
      watts: null,
      source: 'No limit',
    },
    {
      name: 'no limit of its own on a 1-phase node still carries nothing on L2, L3',
      node: aNode({ limit: null, phases: 1 }),
      amps: [Infinity, 0, 0],
      watts: null,
      source: 'No limit',
    },
    {
      name: 'the margin is kept free below an A limit',
      node: aNode({ safetyMarginPercent: 10 }),
      amps: [28.8, 28.8, 28.8],
      watts: null,
      source: 'Base limit 32 A per phase, 10 % margin',
    },
    {
      name: 'the margin is kept free below a W limit, in both forms',
      node: aNode({ limit: watts(60_000), safetyMarginPercent: 10 }),
      amps: [54_000 / 690, 54_000 / 690, 54_000 / 690],
      watts: 54_000,
      source: 'Base limit 60 kW, 10 % margin',
    },
    {
      name: 'the margin leaves no limit unlimited',
      node: aNode({ limit: null, safetyMarginPercent: 10 }),
      amps: [Infinity, Infinity, Infinity],
      watts: null,
      source: 'No limit, 10 % margin',
    },
    {
      name: 'a scheduled window in force replaces the base limit',
      node: aNode({ schedule: [peakHours] }),
      amps: [60_000 / 690, 60_000 / 690, 60_000 / 690],
      watts: 60_000,
      source: 'Peak hours Mon–Fri 08:00–18:00: 60 kW',
    },
    {
      name: 'a window starts at its start minute',
      node: aNode({ schedule: [peakHours] }),
      at: cdt('2026-06-03T08:00'),
      amps: [60_000 / 690, 60_000 / 690, 60_000 / 690],
      watts: 60_000,
      source: 'Peak hours Mon–Fri 08:00–18:00: 60 kW',
    },
    {
      name: 'a window ends before its end minute',
      node: aNode({ schedule: [peakHours] }),
      at: cdt('2026-06-03T18:00'),
      amps: [32, 32, 32],
      watts: null,
      source: 'Base limit 32 A per phase',
    },
    {
      name: 'outside its days the base limit applies',
      node: aNode({ schedule: [peakHours] }),
      at: cdt('2026-06-06T10:00'),
      amps: [32, 32, 32],
      watts: null,
      source: 'Base limit 32 A per phase',
    },
    {
      name: 'the first window in force wins where windows overlap',
      node: aNode({
        schedule: [
          { ...peakHours, label: '' },
          { ...peakHours, limit: amps(10) },
        ],
      }),
      amps: [60_000 / 690, 60_000 / 690, 60_000 / 690],
      watts: 60_000,
      source: 'Scheduled Mon–Fri 08:00–18:00: 60 kW',
    },
    {
      name: 'a window across midnight holds on the evening of its day',
      node: aNode({ schedule: [weekendNights] }),
      at: cdt('2026-06-05T23:00'),
      amps: [63, 63, 63],
      watts: null,
      source: 'Scheduled Fri, Sat 22:00–06:00 (next day): 63 A per phase',
    },
    {
      name: 'a window across midnight holds on the next morning',
      node: aNode({ schedule: [weekendNights] }),
      at: cdt('2026-06-07T05:59'),
      amps: [63, 63, 63],
      watts: null,
      source: 'Scheduled Fri, Sat 22:00–06:00 (next day): 63 A per phase',
    },
    {
      name: 'a window across midnight does not hold on the morning of its own day',
      node: aNode({ schedule: [weekendNights] }),
      at: cdt('2026-06-05T03:00'),
      amps: [32, 32, 32],
      watts: null,
      source: 'Base limit 32 A per phase',
    },
    {
      name: 'a window follows the wall clock on the spring-forward night (03:30 CDT on 2026-03-08)',
      node: aNode({ schedule: [{ days: [0], start: '03:00', end: '04:00', limit: amps(16) }] }),
      at: Date.parse('2026-03-08T08:30:00Z'),
      amps: [16, 16, 16],
      watts: null,
      source: 'Scheduled Sun 03:00–04:00: 16 A per phase',
    },
    {
      name: 'a window holds in both 01:30s of the fall-back night (the second, CST, on 2026-11-01)',
      node: aNode({ schedule: [{ days: [0], start: '01:00', end: '02:00', limit: amps(16) }] }),
      at: cst('2026-11-01T01:30'),
      amps: [16, 16, 16],
      watts: null,
      source: 'Scheduled Sun 01:00–02:00: 16 A per phase',
    },
  ];

  it.each(cases)('$name', ({ node, at, amps: expectedAmps, watts: expectedWatts, source }) => {
    const limit = resolveNodeLimit(node, ZONE, at ?? NOW);
    limit.amps.forEach((value, p) => expect(value, `L${p + 1}`).toBeCloseTo(expectedAmps[p] ?? NaN, 9));
    if (expectedWatts === null) expect(limit.watts).toBeNull();
    else expect(limit.watts).toBeCloseTo(expectedWatts, 6);
    expect(limit.source).toBe(source);
    expect(limit.fallback).toBe(false);
  });

  describe('building (non-EV) load at the root', () => {
    it('subtracts a reading in amperes phase by phase, after the margin', () => {
      const limit = resolveNodeLimit(
        aNode({ limit: amps(63), safetyMarginPercent: 10 }),
        ZONE,
        NOW,
        aPolicy({ reading: aReading({ amps: [10, 12, 8], watts: null }) }),
      );
      expect(limit.amps.map((a) => Number(a.toFixed(6)))).toEqual([46.7, 44.7, 48.7]);
      expect(limit.watts).toBeNull();
      expect(limit.source).toBe('Base limit 63 A per phase, 10 % margin, minus building load 6.9 kW');
      expect(limit.fallback).toBe(false);
    });

    it('spreads a reading in watts over the carried phases and subtracts it from a W limit', () => {
      const limit = resolveNodeLimit(aNode({ limit: watts(50_000) }), ZONE, NOW, aPolicy());
      expect(limit.watts).toBeCloseTo(39_000, 6);
      limit.amps.forEach((a) => expect(a).toBeCloseTo(39_000 / 690, 9));
      expect(limit.source).toBe('Base limit 50 kW, minus building load 11 kW');
    });

    it('takes the building watts from its currents when only currents are measured', () => {
      const limit = resolveNodeLimit(
        aNode({ limit: watts(50_000) }),
        ZONE,
        NOW,
        aPolicy({ reading: aReading({ amps: [10, 10, 10], watts: null }) }),
      );
      expect(limit.watts).toBeCloseTo(50_000 - 30 * 230, 6);
    });

    it('on a 1-phase root puts the whole building power on L1', () => {
      const limit = resolveNodeLimit(
        aNode({ phases: 1, limit: amps(63) }),
        ZONE,
        NOW,
        aPolicy({ reading: aReading({ watts: 2_300 }) }),
      );
      expect(limit.amps).toEqual([53, 0, 0]);
    });

    it('floors at 0 when the building alone uses more than the limit', () => {
      const limit = resolveNodeLimit(
        aNode({ limit: watts(10_000) }),
        ZONE,
        NOW,
        aPolicy({ reading: aReading({ amps: [40, 5, 5], watts: 11_500 }) }),
      );
      expect(limit.amps).toEqual([0, 10_000 / 690 - 5, 10_000 / 690 - 5]);
      expect(limit.watts).toBe(0);
    });

    it('counts a negative reading (PV exporting) as no load rather than extra capacity', () => {
      const limit = resolveNodeLimit(aNode(), ZONE, NOW, aPolicy({ reading: aReading({ watts: -5_000 }) }));
      expect(limit.amps).toEqual([32, 32, 32]);
    });

    it('accepts a reading exactly staleAfterMs old', () => {
      const limit = resolveNodeLimit(
        aNode(),
        ZONE,
        NOW,
        aPolicy({ reading: aReading({ at: NOW - 5 * minute }) }),
      );
      expect(limit.fallback).toBe(false);
    });

    const fallbacks: {
      name: string;
      policy: NonEvLoadPolicy;
      node?: LoadNodeConfig;
      amps: [number, number, number];
      watts: number | null;
      source: string;
    }[] = [
      {
        name: 'no reading yet',
        policy: aPolicy({ reading: null }),
        amps: [20_000 / 690, 20_000 / 690, 20_000 / 690],
        watts: 20_000,
        source: 'Building load unknown, fallback limit 20 kW',
      },
      {
        name: 'a reading with neither currents nor power',
        policy: aPolicy({ reading: aReading({ amps: null, watts: null }) }),
        amps: [20_000 / 690, 20_000 / 690, 20_000 / 690],
        watts: 20_000,
        source: 'Building load unknown, fallback limit 20 kW',
      },
      {
        name: 'a reading older than staleAfterMs',
        policy: aPolicy({ reading: aReading({ at: NOW - 5 * minute - 1 }) }),
        amps: [20_000 / 690, 20_000 / 690, 20_000 / 690],
        watts: 20_000,
        source: 'Building load stale since 2026-06-03 09:54, fallback limit 20 kW',
      },
      {
        name: 'a fallback above the whole connection is capped by it',
        node: aNode({ limit: amps(25) }),
        policy: aPolicy({ reading: null, fallbackLimit: amps(40) }),
        amps: [25, 25, 25],
        watts: null,
        source: 'Building load unknown, fallback limit 40 A per phase (capped by Base limit 25 A per phase)',
      },
    ];

    it.each(fallbacks)(
      'falls back on $name',
      ({ policy, node, amps: expectedAmps, watts: expectedWatts, source }) => {
        const limit = resolveNodeLimit(node ?? aNode({ limit: amps(63) }), ZONE, NOW, policy);
        limit.amps.forEach((value, p) => expect(value).toBeCloseTo(expectedAmps[p] ?? NaN, 9));
        if (expectedWatts === null) expect(limit.watts).toBeNull();
        else expect(limit.watts).toBeCloseTo(expectedWatts, 6);
        expect(limit.source).toBe(source);
        expect(limit.fallback).toBe(true);
      },
    );
  });

  it('throws on an unknown time zone, even without a schedule', () => {
    expect(() => resolveNodeLimit(aNode(), 'Mars/Olympus', NOW)).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });

  it.each([-1, 51, NaN])('throws on a safety margin of %s %', (margin) => {
    expect(() => resolveNodeLimit(aNode({ safetyMarginPercent: margin }), ZONE, NOW)).toThrow(/margin/);
  });

  it('throws on a negative limit and on a node without a voltage', () => {
    expect(() => resolveNodeLimit(aNode({ limit: amps(-1) }), ZONE, NOW)).toThrow(/limit/);
    expect(() => resolveNodeLimit(aNode({ voltage: 0, limit: watts(1000) }), ZONE, NOW)).toThrow(/Voltage/);
  });
});

describe('nextLimitChange', () => {
  const springWindow: ScheduledLimit = { days: [0], start: '02:00', end: '04:00', limit: amps(16) };
  const fallWindow: ScheduledLimit = { days: [0], start: '01:00', end: '02:00', limit: amps(16) };
  const everyNight: ScheduledLimit = {
    days: [0, 1, 2, 3, 4, 5, 6],
    start: '22:00',
    end: '06:00',
    limit: amps(63),
  };

  const cases: { name: string; schedule: ScheduledLimit[]; from: number; next: string | null }[] = [
    { name: 'nothing changes without a schedule', schedule: [], from: NOW, next: null },
    {
      name: 'a window in force ends at its end',
      schedule: [peakHours],
      from: NOW,
      next: iso(cdt('2026-06-03T18:00')),
    },
    {
      name: 'the next window starts after the weekend',
      schedule: [peakHours],
      from: cdt('2026-06-05T19:00'),
      next: iso(cdt('2026-06-08T08:00')),
    },
    {
      name: 'from exactly an edge, the following one',
      schedule: [peakHours],
      from: cdt('2026-06-03T08:00'),
      next: iso(cdt('2026-06-03T18:00')),
    },
    {
      name: 'midnight inside a window across midnight is no change',
      schedule: [everyNight],
      from: cdt('2026-06-03T23:00'),
      next: iso(cdt('2026-06-04T06:00')),
    },
    {
      name: 'a window always in force never changes',
      schedule: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '24:00', limit: amps(10) }],
      from: NOW,
      next: null,
    },
    {
      name: 'switching from one window straight into another is a change',
      schedule: [
        { days: [3], start: '08:00', end: '12:00', limit: amps(10) },
        { days: [3], start: '12:00', end: '14:00', limit: amps(20) },
      ],
      from: NOW,
      next: iso(cdt('2026-06-03T12:00')),
    },
    {
      name: 'a window from 02:00 starts when the clocks jump to 03:00 CDT (2026-03-08)',
      schedule: [springWindow],
      from: cst('2026-03-07T12:00'),
      next: '2026-03-08T08:00:00.000Z',
    },
    {
      name: 'and ends at 04:00 CDT, one real hour later',
      schedule: [springWindow],
      from: Date.parse('2026-03-08T08:00:00Z'),
      next: '2026-03-08T09:00:00.000Z',
    },
    {
      name: 'a window 01:00–02:00 on the fall-back night lasts through both 01:00 hours (2026-11-01)',
      schedule: [fallWindow],
      from: Date.parse('2026-11-01T06:30:00Z'),
      next: '2026-11-01T08:00:00.000Z',
    },
    {
      name: 'a weekly window comes round again a week later',
      schedule: [{ days: [3], start: '08:00', end: '09:00', limit: amps(10), label: 'x' }],
      from: cdt('2026-06-03T09:00'),
      next: iso(cdt('2026-06-10T08:00')),
    },
  ];

  it.each(cases)('$name', ({ schedule, from, next }) => {
    expect(iso(nextLimitChange(aNode({ schedule }), ZONE, from))).toBe(next);
  });

  it('is null when no window comes into force within 8 days', () => {
    const never = aNode({ schedule: [{ days: [], start: '08:00', end: '09:00', limit: amps(10) }] });
    expect(nextLimitChange(never, ZONE, NOW)).toBeNull();
  });

  it('throws on an unknown time zone', () => {
    expect(() => nextLimitChange(aNode(), 'Nowhere', NOW)).toThrow(/Unknown time zone/);
  });
});

describe('scheduleDay', () => {
  const hours = (segments: { from: number; to: number }[]) =>
    segments.map((s) => (s.to - s.from) / 3_600_000);

  it('cuts an ordinary day at the window edges', () => {
    const segments = scheduleDay(
      aNode({ schedule: [peakHours] }),
      ZONE,
      cdt('2026-06-03T00:00'),
      cdt('2026-06-04T00:00'),
    );
    expect(segments).toEqual([
      {
        from: cdt('2026-06-03T00:00'),
        to: cdt('2026-06-03T08:00'),
        limit: amps(32),
        label: 'Base limit 32 A per phase',
      },
      {
        from: cdt('2026-06-03T08:00'),
        to: cdt('2026-06-03T18:00'),
        limit: watts(60_000),
        label: 'Peak hours Mon–Fri 08:00–18:00: 60 kW',
      },
      {
        from: cdt('2026-06-03T18:00'),
        to: cdt('2026-06-04T00:00'),
        limit: amps(32),
        label: 'Base limit 32 A per phase',
      },
    ]);
  });

  it('is one segment for a node without a schedule, and none for an empty range', () => {
    const node = aNode({ limit: null });
    expect(scheduleDay(node, ZONE, NOW, NOW + 3_600_000)).toEqual([
      { from: NOW, to: NOW + 3_600_000, limit: null, label: 'No limit' },
    ]);
    expect(scheduleDay(node, ZONE, NOW, NOW)).toEqual([]);
  });

  it('shows a night window across midnight as the morning and evening of one day', () => {
    const segments = scheduleDay(
      aNode({ schedule: [weekendNights] }),
      ZONE,
      cdt('2026-06-06T00:00'),
      cdt('2026-06-07T00:00'),
    );
    expect(segments.map((s) => [iso(s.from), s.limit])).toEqual([
      [iso(cdt('2026-06-06T00:00')), amps(63)],
      [iso(cdt('2026-06-06T06:00')), amps(32)],
      [iso(cdt('2026-06-06T22:00')), amps(63)],
    ]);
  });

  it('covers the 23-hour spring-forward day, the window 02:00–04:00 lasting one real hour', () => {
    const dayStart = cst('2026-03-08T00:00');
    const dayEnd = cdt('2026-03-09T00:00');
    const segments = scheduleDay(
      aNode({ schedule: [{ days: [0], start: '02:00', end: '04:00', limit: amps(16) }] }),
      ZONE,
      dayStart,
      dayEnd,
    );
    expect(segments.map((s) => [iso(s.from), s.limit?.value])).toEqual([
      ['2026-03-08T06:00:00.000Z', 32],
      ['2026-03-08T08:00:00.000Z', 16],
      ['2026-03-08T09:00:00.000Z', 32],
    ]);
    expect(hours(segments)).toEqual([2, 1, 20]);
    expect(segments.at(-1)?.to).toBe(dayEnd);
  });

  it('covers the 25-hour fall-back day, the window 01:00–02:00 lasting two real hours', () => {
    const dayStart = cdt('2026-11-01T00:00');
    const dayEnd = cst('2026-11-02T00:00');
    const segments = scheduleDay(
      aNode({ schedule: [{ days: [0], start: '01:00', end: '02:00', limit: amps(16) }] }),
      ZONE,
      dayStart,
      dayEnd,
    );
    expect(segments.map((s) => [iso(s.from), s.limit?.value])).toEqual([
      ['2026-11-01T05:00:00.000Z', 32],
      ['2026-11-01T06:00:00.000Z', 16],
      ['2026-11-01T08:00:00.000Z', 32],
    ]);
    expect(hours(segments)).toEqual([1, 2, 22]);
  });

  it('throws on an unknown time zone', () => {
    expect(() => scheduleDay(aNode(), 'Nowhere', NOW, NOW + 1)).toThrow(/Unknown time zone/);
  });
});

describe('scheduleDay and resolveNodeLimit, for any schedule on any day of 2026', () => {
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 30))
    .map(([h, m]) => (h === 24 ? '24:00' : `${String(h).padStart(2, '0')}:${m === 0 ? '00' : '30'}`));
  const window = fc
    .record({
      days: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
      start: clock.filter((time) => time !== '24:00'),
      end: clock,
      limit: fc.integer({ min: 1, max: 100 }).map(amps),
    })
    .filter((w) => w.start !== w.end);
  const input = fc.record({
    schedule: fc.array(window, { maxLength: 4 }),
    zone: fc.constantFrom('America/Chicago', 'Europe/Berlin', 'Australia/Sydney'),
    // Days since 1 January, half of them DST change days: Chicago 66, 304; Berlin 87, 297; Sydney 94, 276.
    day: fc.oneof(fc.integer({ min: 0, max: 364 }), fc.constantFrom(66, 304, 87, 297, 94, 276)),
    at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  });

  it('cuts a day into contiguous segments that each show the limit resolveNodeLimit finds inside them', () => {
    fc.assert(
      fc.property(input, ({ schedule, zone, day, at }) => {
        const node = aNode({ schedule });
        const local = Date.UTC(2026, 0, 1 + day);
        const dayStart = instantOfLocalTime(local, zone);
        const dayEnd = instantOfLocalTime(local + 86_400_000, zone);
        const segments = scheduleDay(node, zone, dayStart, dayEnd);
        expect(segments[0]?.from).toBe(dayStart);
        expect(segments.at(-1)?.to).toBe(dayEnd);
        segments.forEach((segment, i) => {
          expect(segment.to).toBeGreaterThan(segment.from);
          if (i > 0) expect(segment.from).toBe(segments[i - 1]?.to);
          if (i > 0) expect(segment.label).not.toBe(segments[i - 1]?.label);
          expect(resolveNodeLimit(node, zone, segment.from).source).toBe(segment.label);
          expect(resolveNodeLimit(node, zone, segment.to - 1).source).toBe(segment.label);
        });
        const instant = dayStart + Math.floor(at * (dayEnd - dayStart));
        const inside = segments.find((segment) => segment.from <= instant && instant < segment.to);
        expect(resolveNodeLimit(node, zone, instant).source).toBe(inside?.label);
      }),
      { numRuns: 300 },
    );
  });
});
