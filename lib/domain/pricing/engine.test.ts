import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceSession, pricesAt, type SessionUsage } from './engine';
import { amountFor } from './money';
import type { TariffVersion, TimeBand } from './tariff';

const zone = 'America/Chicago';
const everyDay = [0, 1, 2, 3, 4, 5, 6];

function aTariff(overrides: Partial<TariffVersion> = {}): TariffVersion {
  return {
    id: 'v1',
    tariffId: 't1',
    tariffName: 'Standard',
    validFrom: new Date('2026-01-01T00:00:00Z'),
    currency: 'USD',
    taxRateBp: 0,
    pricesIncludeTax: false,
    base: { energyPerKwh: 3500, timePerMinute: null, idlePerMinute: null },
    sessionFee: 0,
    idleGraceMinutes: 0,
    minPrice: null,
    maxPrice: null,
    bands: [],
    ...overrides,
  };
}

function aBand(label: string, start: string, end: string, energyPerKwh: number, days = everyDay): TimeBand {
  return {
    label,
    window: { days, start, end },
    prices: { energyPerKwh, timePerMinute: null, idlePerMinute: null },
  };
}

function aSession(startedAt: string, endedAt: string, overrides: Partial<SessionUsage> = {}): SessionUsage {
  return {
    startedAt: new Date(startedAt),
    endedAt: new Date(endedAt),
    meterStartWh: 0,
    meterStopWh: 10_000,
    readings: [],
    states: [],
    ...overrides,
  };
}

const energyByBand = (lines: ReturnType<typeof priceSession>['lines']) =>
  Object.fromEntries(lines.filter((l) => l.kind === 'energy').map((l) => [l.band ?? 'base', l.quantity]));

describe('priceSession', () => {
  it('prices energy per kWh, rounded to the cent on the line', () => {
    // 12.345 kWh at $0.365 = $4.505925 -> $4.51
    const cost = priceSession(
      aTariff({ base: { energyPerKwh: 3650, timePerMinute: null, idlePerMinute: null } }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z', { meterStartWh: 1000, meterStopWh: 13_345 }),
      zone,
    );
    expect(cost.energyWh).toBe(12_345);
    expect(cost.lines).toEqual([{ kind: 'energy', band: null, quantity: 12_345, rate: 3650, amount: 451 }]);
    expect(cost.total).toBe(451);
  });

  it('prices charging minutes and adds the session fee as its own line', () => {
    const cost = priceSession(
      aTariff({ base: { energyPerKwh: null, timePerMinute: 200, idlePerMinute: null }, sessionFee: 150 }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T16:01:30Z'),
      zone,
    );
    // 61.5 min at $0.02 = $1.23
    expect(cost.lines).toEqual([
      { kind: 'time', band: null, quantity: 3690, rate: 200, amount: 123 },
      { kind: 'session', band: null, quantity: 1, rate: null, amount: 150 },
    ]);
    expect(cost.total).toBe(273);
  });

  it('splits energy at a band boundary crossed mid-session', () => {
    // 16:00-18:00 CDT with a 17:00-21:00 peak: half the (steady) energy in each.
    const tariff = aTariff({
      base: { energyPerKwh: 4000, timePerMinute: null, idlePerMinute: null },
      bands: [aBand('Peak', '17:00', '21:00', 6000)],
    });
    const cost = priceSession(tariff, aSession('2026-06-01T21:00:00Z', '2026-06-01T23:00:00Z'), zone);
    expect(energyByBand(cost.lines)).toEqual({ base: 5000, Peak: 5000 });
    expect(cost.total).toBe(200 + 300);
  });

  it('follows the readings, not the clock, when the power was uneven', () => {
    const tariff = aTariff({ bands: [aBand('Peak', '17:00', '21:00', 6000)] });
    const cost = priceSession(
      tariff,
      aSession('2026-06-01T21:00:00Z', '2026-06-01T23:00:00Z', {
        readings: [{ at: new Date('2026-06-01T22:00:00Z'), wh: 8000 }],
      }),
      zone,
    );
    expect(energyByBand(cost.lines)).toEqual({ base: 8000, Peak: 2000 });
  });

  it('prices a session over midnight with a night band that runs into the next day', () => {
    // 21:00 -> 01:00 CDT, night 22:00-06:00: one hour base, three hours night.
    const tariff = aTariff({ bands: [aBand('Night', '22:00', '06:00', 2000)] });
    const cost = priceSession(
      tariff,
      aSession('2026-06-02T02:00:00Z', '2026-06-02T06:00:00Z', { meterStopWh: 4000 }),
      zone,
    );
    expect(energyByBand(cost.lines)).toEqual({ base: 1000, Night: 3000 });
    expect(cost.total).toBe(35 + 60);
  });

  it('uses the day the band starts on for a band that runs past midnight', () => {
    // Friday-night band 22:00-02:00 (days: Friday). Saturday 00:30-01:30 CDT is still in it.
    const tariff = aTariff({ bands: [aBand('Friday night', '22:00', '02:00', 1000, [5])] });
    const cost = priceSession(tariff, aSession('2026-06-06T05:30:00Z', '2026-06-06T06:30:00Z'), zone);
    expect(energyByBand(cost.lines)).toEqual({ 'Friday night': 10_000 });
  });

  it('counts real time across the spring-forward change (2026-03-08, Chicago)', () => {
    // 01:00 CST -> 04:00 CDT is two real hours; the 00:00-03:00 band covers only the first.
    const tariff = aTariff({ bands: [aBand('Night', '00:00', '03:00', 2000)] });
    const cost = priceSession(
      tariff,
      aSession('2026-03-08T07:00:00Z', '2026-03-08T09:00:00Z', { meterStopWh: 2000 }),
      zone,
    );
    expect(energyByBand(cost.lines)).toEqual({ base: 1000, Night: 1000 });
  });

  it('counts the repeated hour of the fall-back change twice (2026-11-01, Chicago)', () => {
    // 00:30 CDT -> 02:30 CST is three real hours; 01:00-02:00 local happens twice.
    const tariff = aTariff({ bands: [aBand('Promo', '01:00', '02:00', 1000)] });
    const cost = priceSession(
      tariff,
      aSession('2026-11-01T05:30:00Z', '2026-11-01T08:30:00Z', { meterStopWh: 3000 }),
      zone,
    );
    expect(energyByBand(cost.lines)).toEqual({ base: 1000, Promo: 2000 });
  });

  it('applies the minimum price as a line of its own', () => {
    const cost = priceSession(
      aTariff({ minPrice: 100 }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T15:10:00Z', { meterStopWh: 1000 }),
      zone,
    );
    expect(cost.lines.at(-1)).toEqual({ kind: 'minimum', band: null, quantity: 1, rate: null, amount: 65 });
    expect(cost.total).toBe(100);
  });

  it('caps the price at the maximum', () => {
    const cost = priceSession(
      aTariff({ maxPrice: 2000 }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T19:00:00Z', { meterStopWh: 80_000 }),
      zone,
    );
    expect(cost.lines.at(-1)).toEqual({
      kind: 'maximum',
      band: null,
      quantity: 1,
      rate: null,
      amount: 2000 - 2800,
    });
    expect(cost.subtotal).toBe(2000);
  });

  it('charges nothing but idle time for a session that delivered no energy', () => {
    const cost = priceSession(
      aTariff({
        base: { energyPerKwh: 3500, timePerMinute: 200, idlePerMinute: 1000 },
        sessionFee: 100,
        minPrice: 500,
        idleGraceMinutes: 10,
      }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T15:30:00Z', {
        meterStopWh: 0,
        states: [{ at: new Date('2026-06-01T15:00:00Z'), state: 'idle' }],
      }),
      zone,
    );
    expect(cost.lines).toEqual([{ kind: 'idle', band: null, quantity: 1200, rate: 1000, amount: 200 }]);
    expect(cost.total).toBe(200);
  });

  it('is free when nothing was delivered and nothing blocked the bay', () => {
    const cost = priceSession(
      aTariff({ sessionFee: 100, minPrice: 500 }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T15:01:00Z', { meterStopWh: 0 }),
      zone,
    );
    expect(cost.lines).toEqual([]);
    expect(cost.total).toBe(0);
  });

  it('counts nothing for an interval where the register fell (meter reset) and resumes from the new reading', () => {
    const cost = priceSession(
      aTariff(),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T18:00:00Z', {
        meterStartWh: 100,
        readings: [
          { at: new Date('2026-06-01T16:00:00Z'), wh: 5100 },
          { at: new Date('2026-06-01T17:00:00Z'), wh: 200 },
        ],
        meterStopWh: 1200,
      }),
      zone,
    );
    expect(cost.energyWh).toBe(6000);
  });

  it('spreads energy over the charging time when samples are missing', () => {
    // Start and stop registers only; charging 16:00-17:00 CDT, then idle in the peak band.
    const tariff = aTariff({ bands: [aBand('Peak', '17:00', '21:00', 6000)] });
    const cost = priceSession(
      tariff,
      aSession('2026-06-01T21:00:00Z', '2026-06-01T23:00:00Z', {
        states: [{ at: new Date('2026-06-01T22:00:00Z'), state: 'idle' }],
      }),
      zone,
    );
    expect(energyByBand(cost.lines)).toEqual({ base: 10_000 });
  });

  it('takes energy from the readings when the stop register is unknown (running cost)', () => {
    const cost = priceSession(
      aTariff(),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T15:30:00Z', {
        meterStopWh: null,
        readings: [{ at: new Date('2026-06-01T15:20:00Z'), wh: 3000 }],
      }),
      zone,
    );
    expect(cost.energyWh).toBe(3000);
  });

  it('bills idle time after the grace period of each idle stretch', () => {
    const cost = priceSession(
      aTariff({
        base: { energyPerKwh: null, timePerMinute: null, idlePerMinute: 1000 },
        idleGraceMinutes: 15,
      }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T17:00:00Z', {
        states: [
          { at: new Date('2026-06-01T15:00:00Z'), state: 'charging' },
          { at: new Date('2026-06-01T16:00:00Z'), state: 'idle' },
          { at: new Date('2026-06-01T16:45:00Z'), state: 'charging' },
          { at: new Date('2026-06-01T16:50:00Z'), state: 'idle' },
        ],
      }),
      zone,
    );
    // 45 min idle - 15 grace = 30 min; the second stretch (10 min) is within its grace.
    expect(cost.idleSeconds).toBe(55 * 60);
    expect(cost.billableIdleSeconds).toBe(30 * 60);
    expect(cost.lines).toEqual([{ kind: 'idle', band: null, quantity: 1800, rate: 1000, amount: 300 }]);
  });

  it('bills neither charging nor idle time while the charger holds the session back', () => {
    const cost = priceSession(
      aTariff({ base: { energyPerKwh: null, timePerMinute: 100, idlePerMinute: 1000 } }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z', {
        states: [
          { at: new Date('2026-06-01T15:30:00Z'), state: 'paused' },
          { at: new Date('2026-06-01T15:50:00Z'), state: 'idle' },
        ],
      }),
      zone,
    );
    expect(cost.chargingSeconds).toBe(30 * 60);
    expect(cost.idleSeconds).toBe(10 * 60);
    expect(cost.total).toBe(30 + 100);
  });

  it('adds tax on top of net prices', () => {
    const cost = priceSession(
      aTariff({ taxRateBp: 2000 }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z'),
      zone,
    );
    expect([cost.net, cost.tax, cost.total]).toEqual([350, 70, 420]);
  });

  it('splits the tax out of gross prices', () => {
    const cost = priceSession(
      aTariff({
        taxRateBp: 1900,
        pricesIncludeTax: true,
        base: { energyPerKwh: 10_000, timePerMinute: null, idlePerMinute: null },
      }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z'),
      zone,
    );
    // 10.00 gross at 19 %: tax 10 x 0.19 / 1.19 = 1.5966 -> 1.60
    expect([cost.net, cost.tax, cost.total]).toEqual([840, 160, 1000]);
  });

  it('rounds to the currency minor unit (yen has none)', () => {
    const cost = priceSession(
      aTariff({ currency: 'JPY', base: { energyPerKwh: 555_000, timePerMinute: null, idlePerMinute: null } }),
      aSession('2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z', { meterStopWh: 1234 }),
      'Asia/Tokyo',
    );
    // 1.234 kWh at 55.5 yen = 68.487 -> 68
    expect(cost.total).toBe(68);
  });

  it('refuses an unknown time zone', () => {
    expect(() =>
      priceSession(
        aTariff({ bands: [aBand('Peak', '17:00', '21:00', 6000)] }),
        aSession('2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z'),
        'Mars/Olympus',
      ),
    ).toThrow();
  });
});

describe('pricesAt', () => {
  it('gives the band price where the band sets it, else the base price', () => {
    const tariff = aTariff({
      base: { energyPerKwh: 4000, timePerMinute: 100, idlePerMinute: null },
      bands: [aBand('Peak', '17:00', '21:00', 6000)],
    });
    expect(pricesAt(tariff, zone, new Date('2026-06-01T23:00:00Z'))).toEqual({
      energyPerKwh: 6000,
      timePerMinute: 100,
      idlePerMinute: null,
      band: 'Peak',
    });
    expect(pricesAt(tariff, zone, new Date('2026-06-01T15:00:00Z')).band).toBeNull();
  });
});

describe('priceSession properties', () => {
  const clock = fc.integer({ min: 0, max: 23 }).map((h) => `${String(h).padStart(2, '0')}:00`);
  const band = fc
    .record({
      start: clock,
      end: clock,
      price: fc.integer({ min: 0, max: 20_000 }),
      days: fc.subarray(everyDay, { minLength: 1 }),
    })
    .filter((b) => b.start !== b.end)
    .map((b) => aBand(`B${b.start}${b.end}`, b.start, b.end, b.price, b.days));
  const tariff = fc
    .record({
      energy: fc.option(fc.integer({ min: 0, max: 20_000 })),
      time: fc.option(fc.integer({ min: 0, max: 1000 })),
      idle: fc.option(fc.integer({ min: 0, max: 2000 })),
      fee: fc.integer({ min: 0, max: 500 }),
      grace: fc.integer({ min: 0, max: 30 }),
      tax: fc.integer({ min: 0, max: 2500 }),
      gross: fc.boolean(),
      bands: fc.array(band, { maxLength: 3 }),
      min: fc.option(fc.integer({ min: 0, max: 1000 })),
      max: fc.option(fc.integer({ min: 1000, max: 10_000 })),
    })
    .map((t) =>
      aTariff({
        base: { energyPerKwh: t.energy, timePerMinute: t.time, idlePerMinute: t.idle },
        sessionFee: t.fee,
        idleGraceMinutes: t.grace,
        taxRateBp: t.tax,
        pricesIncludeTax: t.gross,
        bands: t.bands,
        minPrice: t.min,
        maxPrice: t.max,
      }),
    );
  // Sessions around the 2026 DST changes and ordinary days, up to 30 hours, with readings that
  // mostly rise and sometimes reset.
  const session = fc
    .record({
      start: fc.constantFrom(
        Date.parse('2026-03-07T20:00:00Z'),
        Date.parse('2026-10-31T20:00:00Z'),
        Date.parse('2026-06-01T12:34:56Z'),
      ),
      offsetMin: fc.integer({ min: 0, max: 24 * 60 }),
      lengthMin: fc.integer({ min: 0, max: 30 * 60 }),
      steps: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          rise: fc.integer({ min: -2000, max: 20_000 }),
        }),
        {
          maxLength: 12,
        },
      ),
      states: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), idle: fc.boolean() }), {
        maxLength: 6,
      }),
      withStop: fc.boolean(),
    })
    .map((s) => {
      const start = s.start + s.offsetMin * 60_000;
      const length = s.lengthMin * 60_000;
      let wh = 50_000;
      const readings = [...s.steps]
        .sort((a, b) => a.at - b.at)
        .map((step) => {
          wh = step.rise < 0 ? -step.rise : wh + step.rise;
          return { at: new Date(start + Math.floor(step.at * length)), wh };
        });
      return {
        startedAt: new Date(start),
        endedAt: new Date(start + length),
        meterStartWh: 50_000,
        meterStopWh: s.withStop ? wh + 1000 : null,
        readings,
        states: s.states.map((x) => ({
          at: new Date(start + Math.floor(x.at * length)),
          state: x.idle ? ('idle' as const) : ('charging' as const),
        })),
      } satisfies SessionUsage;
    });

  it('keeps the breakdown consistent: lines sum to the subtotal, net + tax = total, energy per band sums to the energy', () => {
    fc.assert(
      fc.property(tariff, session, (t, s) => {
        const cost = priceSession(t, s, zone);
        expect(cost.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(cost.subtotal);
        expect(cost.net + cost.tax).toBe(cost.total);
        const energyLines = cost.lines.filter((l) => l.kind === 'energy');
        if (energyLines.length > 0) {
          const billedWh = energyLines.reduce((sum, l) => sum + l.quantity, 0);
          expect(billedWh).toBeLessThanOrEqual(cost.energyWh);
        }
        for (const line of cost.lines) {
          if (line.rate === null) continue;
          const per = line.kind === 'energy' ? 1000 : 60;
          expect(line.amount).toBe(amountFor(line.quantity, line.rate, per, 'USD'));
          expect(line.amount).toBeGreaterThanOrEqual(0);
        }
        expect(cost.billableIdleSeconds).toBeLessThanOrEqual(cost.idleSeconds);
        const duration = Math.round((s.endedAt.getTime() - s.startedAt.getTime()) / 1000);
        expect(Math.abs(cost.chargingSeconds + cost.idleSeconds - duration)).toBeLessThanOrEqual(4);
        if (t.maxPrice !== null) expect(cost.subtotal).toBeLessThanOrEqual(Math.max(t.maxPrice, 0));
        if (cost.energyWh === 0)
          expect(cost.lines.every((l) => l.kind === 'idle' || l.kind === 'maximum')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('bills energy equal to the sum of register rises, split over bands without losing a Wh', () => {
    fc.assert(
      fc.property(session, fc.array(band, { minLength: 1, maxLength: 3 }), (s, bands) => {
        const cost = priceSession(
          aTariff({ bands: bands.map((b) => ({ ...b, prices: { ...b.prices, energyPerKwh: 1 } })) }),
          s,
          zone,
        );
        const points = [
          { t: s.startedAt.getTime(), wh: s.meterStartWh },
          ...s.readings.map((r) => ({ t: r.at.getTime(), wh: r.wh })),
          ...(s.meterStopWh === null ? [] : [{ t: s.endedAt.getTime(), wh: s.meterStopWh }]),
        ];
        let rises = 0;
        for (let i = 1; i < points.length; i++) rises += Math.max(0, points[i]!.wh - points[i - 1]!.wh);
        expect(cost.energyWh).toBe(rises);
        const billed = cost.lines.filter((l) => l.kind === 'energy').reduce((sum, l) => sum + l.quantity, 0);
        expect(billed).toBe(cost.energyWh);
      }),
      { numRuns: 300 },
    );
  });
});

describe('priceText', () => {
  it('leads with the price per kWh and spells out every other fee and the tax basis', async () => {
    const { priceText } = await import('./display');
    const tariff = aTariff({
      base: { energyPerKwh: 4500, timePerMinute: null, idlePerMinute: 1000 },
      idleGraceMinutes: 10,
      sessionFee: 100,
      taxRateBp: 825,
      bands: [aBand('Peak', '17:00', '21:00', 6000)],
    });
    expect(priceText(tariff, zone, new Date('2026-06-01T15:00:00Z'))).toBe(
      '$0.45/kWh, $0.10/min idle after 10 min, $1.00 per session, plus 8.25 % tax; Peak Every day 17:00–21:00: $0.60/kWh',
    );
    expect(priceText(tariff, zone, new Date('2026-06-01T23:00:00Z'))).toBe(
      '$0.60/kWh, $0.10/min idle after 10 min, $1.00 per session, plus 8.25 % tax (Peak); other times: $0.45/kWh',
    );
  });

  it('names every other period whose prices differ, so a later band’s price is shown before the start', async () => {
    const { priceText } = await import('./display');
    const tariff = aTariff({
      base: { energyPerKwh: 3000, timePerMinute: null, idlePerMinute: 500 },
      bands: [
        aBand('Peak', '17:00', '21:00', 4500, [1, 2, 3, 4, 5]),
        {
          ...aBand('Night', '23:00', '06:00', 3000),
          prices: { energyPerKwh: null, timePerMinute: null, idlePerMinute: 0 },
        },
      ],
    });
    // Monday 1 June 2026, 10:00 in the zone: neither band.
    expect(priceText(tariff, zone, new Date('2026-06-01T15:00:00Z'))).toBe(
      '$0.30/kWh, $0.05/min idle; Peak Mon–Fri 17:00–21:00: $0.45/kWh; Night Every day 23:00–06:00 (next day): $0.00/min idle',
    );
    const flat = aTariff({ base: { energyPerKwh: 3000, timePerMinute: null, idlePerMinute: null } });
    expect(priceText(flat, zone, new Date('2026-06-01T15:00:00Z'))).toBe('$0.30/kWh');
  });
});

describe('standingPriceText', () => {
  it('is the same at any time: the base prices and fees, then each band with its window and what differs', async () => {
    const { priceText, standingPriceText } = await import('./display');
    const tariff = aTariff({
      base: { energyPerKwh: 4500, timePerMinute: null, idlePerMinute: 1000 },
      idleGraceMinutes: 10,
      sessionFee: 100,
      minPrice: 200,
      maxPrice: 5000,
      taxRateBp: 825,
      pricesIncludeTax: true,
      bands: [
        aBand('Peak', '17:00', '21:00', 6000, [1, 2, 3, 4, 5]),
        {
          ...aBand('Night', '23:00', '06:00', 3000),
          prices: { energyPerKwh: 3000, timePerMinute: null, idlePerMinute: 0 },
        },
        // A band that changes nothing is not worth a word on the screen.
        { ...aBand('Weekend', '00:00', '24:00', 4500, [0, 6]) },
      ],
    });
    const text =
      '$0.45/kWh, $0.10/min idle after 10 min, $1.00 per session, min $2.00, max $50.00, incl. 8.25 % tax; ' +
      'Peak Mon–Fri 17:00–21:00: $0.60/kWh; ' +
      'Night Every day 23:00–06:00 (next day): $0.30/kWh, $0.00/min idle after 10 min';
    expect(standingPriceText(tariff)).toBe(text);
    // Outside the bands it reads as the price shown to an identified driver does.
    expect(priceText(tariff, zone, new Date('2026-06-01T15:00:00Z'))).toBe(text);
    // During Peak, the driver's text leads with the peak price; the standing one does not move.
    expect(priceText(tariff, zone, new Date('2026-06-01T23:00:00Z'))).toMatch(/^\$0\.60\/kWh/);
  });

  it('says Free for a tariff that charges nothing, and the tax basis of net prices', async () => {
    const { standingPriceText } = await import('./display');
    expect(
      standingPriceText(aTariff({ base: { energyPerKwh: null, timePerMinute: null, idlePerMinute: null } })),
    ).toBe('Free');
    expect(
      standingPriceText(
        aTariff({ base: { energyPerKwh: 3000, timePerMinute: 200, idlePerMinute: null }, taxRateBp: 2000 }),
      ),
    ).toBe('$0.30/kWh, $0.02/min charging, plus 20 % tax');
  });
});

describe('fitPriceText', () => {
  const text =
    '$0.45/kWh, $1.00 per session; Peak Mon–Fri 17:00–21:00: $0.60/kWh; Night Every day 23:00–06:00: $0.30/kWh';

  it.each([
    [200, text],
    [text.length, text],
    [90, '$0.45/kWh, $1.00 per session; Peak Mon–Fri 17:00–21:00: $0.60/kWh …'],
    [40, '$0.45/kWh, $1.00 per session …'],
    [20, '$0.45/kWh …'],
    [8, '$0.45/ …'],
    [1, '$'],
  ])('to %i characters: %s', async (max, expected) => {
    const { fitPriceText } = await import('./display');
    const fitted = fitPriceText(text, max);
    expect(fitted).toBe(expected);
    expect(fitted.length).toBeLessThanOrEqual(max);
  });
});

describe('californiaPrices', () => {
  it('states the prices of the band in force, tax included, per kWh and per hour', async () => {
    const { californiaPrices } = await import('./display');
    const tariff = aTariff({
      base: { energyPerKwh: 3000, timePerMinute: 100, idlePerMinute: 500 },
      idleGraceMinutes: 15,
      sessionFee: 150,
      taxRateBp: 1000,
      pricesIncludeTax: false,
      bands: [
        {
          ...aBand('Peak', '17:00', '21:00', 4500),
          prices: { energyPerKwh: 4500, timePerMinute: null, idlePerMinute: 1000 },
        },
      ],
    });
    // 18:00 in Chicago: the peak band; its idle price too, the base price per minute.
    expect(californiaPrices(tariff, zone, new Date('2026-06-01T23:00:00Z'))).toEqual({
      chargingPrice: { kWhPrice: 0.495, hourPrice: 0.66, flatFee: 1.65 },
      idlePrice: { graceMinutes: 15, hourPrice: 6.6 },
    });
    // 10:00: the base prices.
    expect(californiaPrices(tariff, zone, new Date('2026-06-01T15:00:00Z'))).toEqual({
      chargingPrice: { kWhPrice: 0.33, hourPrice: 0.66, flatFee: 1.65 },
      idlePrice: { graceMinutes: 15, hourPrice: 3.3 },
    });
    expect(
      californiaPrices(
        aTariff({ base: { energyPerKwh: 3000, timePerMinute: null, idlePerMinute: null } }),
        zone,
        new Date('2026-06-01T15:00:00Z'),
      ),
    ).toEqual({ chargingPrice: { kWhPrice: 0.3, hourPrice: 0, flatFee: 0 } });
  });

  it('states the base prices for the standing price, whatever band is in force', async () => {
    const { californiaPrices, standingCaliforniaPrices } = await import('./display');
    const tariff = aTariff({
      base: { energyPerKwh: 3000, timePerMinute: 100, idlePerMinute: null },
      sessionFee: 150,
      taxRateBp: 1000,
      bands: [aBand('Peak', '17:00', '21:00', 4500)],
    });
    expect(standingCaliforniaPrices(tariff)).toEqual({
      chargingPrice: { kWhPrice: 0.33, hourPrice: 0.66, flatFee: 1.65 },
    });
    expect(standingCaliforniaPrices(tariff)).toEqual(
      californiaPrices(tariff, zone, new Date('2026-06-01T15:00:00Z')),
    );
  });
});
