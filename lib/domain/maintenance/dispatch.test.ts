import { describe, expect, it } from 'vitest';
import {
  distanceKm,
  isWithinWorkingHours,
  rankTechnicians,
  type Certification,
  type DispatchCandidate,
  type DispatchOrder,
  type GeoPoint,
  type RankedCandidate,
  type WorkingHours,
} from './dispatch';

// Wednesday 2026-06-03, 10:00 in Chicago (CDT, UTC-5).
const NOW = new Date('2026-06-03T15:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const day = 24 * 60;

const SITE: GeoPoint = { lat: 41.8781, lng: -87.6298 };
const kmPerDegree = (6371 * Math.PI) / 180;
/** A point due north of the site: along a meridian the haversine distance is exact. */
const northOfSite = (km: number): GeoPoint => ({ lat: SITE.lat + km / kmPerDegree, lng: SITE.lng });

const officeHours = (overrides: Partial<WorkingHours> = {}): WorkingHours => ({
  days: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '17:00',
  timeZone: 'America/Chicago',
  ...overrides,
});

const aCandidate = (overrides: Partial<DispatchCandidate> = {}): DispatchCandidate => ({
  userId: 'u-ana',
  name: 'Ana',
  certifications: [],
  skills: [],
  homeBase: northOfSite(30),
  lastLocation: null,
  workingHours: null,
  openOrders: 0,
  ...overrides,
});

const anOrder = (overrides: Partial<DispatchOrder> = {}): DispatchOrder => ({
  requiredCertifications: [],
  requiredSkills: [],
  site: SITE,
  ...overrides,
});

const cert = (name: string, expiresAt: string | null): Certification => ({
  name,
  expiresAt: expiresAt === null ? null : new Date(expiresAt),
});

const rankOne = (
  candidate: DispatchCandidate,
  order: DispatchOrder = anOrder(),
  now = NOW,
): RankedCandidate => {
  const [ranked] = rankTechnicians(order, [candidate], now);
  if (!ranked) throw new Error('no candidate ranked');
  return ranked;
};

const names = (ranked: RankedCandidate[]) => ranked.map((candidate) => candidate.name);

describe('distanceKm', () => {
  it.each<[string, GeoPoint, GeoPoint, number]>([
    ['the same point', SITE, SITE, 0],
    ['one degree of latitude', { lat: 0, lng: 0 }, { lat: 1, lng: 0 }, 111.195],
    ['London to Paris', { lat: 51.5074, lng: -0.1278 }, { lat: 48.8566, lng: 2.3522 }, 343.556],
    ['half way round the earth', { lat: 0, lng: 0 }, { lat: 0, lng: 180 }, 20015.087],
    ['across the antimeridian', { lat: 0, lng: 179.5 }, { lat: 0, lng: -179.5 }, 111.195],
  ])('measures %s', (_, a, b, km) => {
    expect(distanceKm(a, b)).toBeCloseTo(km, 3);
    expect(distanceKm(b, a)).toBeCloseTo(km, 3);
  });
});

describe('isWithinWorkingHours', () => {
  it('treats no working hours as always available', () => {
    expect(isWithinWorkingHours(null, NOW)).toBe(true);
  });

  it.each([
    ['Wednesday 10:00', '2026-06-03T15:00:00Z', true],
    ['Wednesday 08:00, the start', '2026-06-03T13:00:00Z', true],
    ['Wednesday 07:59', '2026-06-03T12:59:00Z', false],
    ['Wednesday 16:59', '2026-06-03T21:59:00Z', true],
    ['Wednesday 17:00, the end (exclusive)', '2026-06-03T22:00:00Z', false],
    ['Saturday 10:00', '2026-06-06T15:00:00Z', false],
  ])('reads office hours in the local time zone: %s', (_, at, expected) => {
    expect(isWithinWorkingHours(officeHours(), new Date(at))).toBe(expected);
  });

  it("uses the technician's own zone", () => {
    // 15:00Z is 10:00 in Chicago but 17:00 in Berlin, the end of a Berlin shift.
    expect(isWithinWorkingHours(officeHours({ timeZone: 'Europe/Berlin' }), NOW)).toBe(false);
    expect(isWithinWorkingHours(officeHours({ timeZone: 'America/Chicago' }), NOW)).toBe(true);
  });

  describe('across the spring DST change (Chicago, 2026-03-08)', () => {
    it.each([
      // 13:30Z is 07:30 CST on Friday but 08:30 CDT on Monday: the shift moved an hour in UTC.
      ['Friday 07:30 CST', '2026-03-06T13:30:00Z', false],
      ['Friday 08:30 CST', '2026-03-06T14:30:00Z', true],
      ['Friday 16:30 CST', '2026-03-06T22:30:00Z', true],
      ['Monday 08:30 CDT', '2026-03-09T13:30:00Z', true],
      ['Monday 07:30 CDT', '2026-03-09T12:30:00Z', false],
      ['Monday 17:30 CDT', '2026-03-09T22:30:00Z', false],
    ])('%s', (_, at, expected) => {
      expect(isWithinWorkingHours(officeHours(), new Date(at))).toBe(expected);
    });
  });

  describe('across the autumn DST change (Chicago, 2026-11-01)', () => {
    it.each([
      ['Friday 08:30 CDT', '2026-10-30T13:30:00Z', true],
      ['Monday 07:30 CST', '2026-11-02T13:30:00Z', false],
      ['Monday 08:30 CST', '2026-11-02T14:30:00Z', true],
      ['Monday 16:30 CST', '2026-11-02T22:30:00Z', true],
      ['Monday 17:00 CST', '2026-11-02T23:00:00Z', false],
    ])('%s', (_, at, expected) => {
      expect(isWithinWorkingHours(officeHours(), new Date(at))).toBe(expected);
    });
  });

  describe('a Friday night shift across midnight (22:00–06:00)', () => {
    const fridayNights = officeHours({ days: [5], start: '22:00', end: '06:00' });

    it.each([
      ['Friday 21:59', '2026-06-05T21:59:00-05:00', false],
      ['Friday 22:00', '2026-06-05T22:00:00-05:00', true],
      ['Friday 23:30', '2026-06-05T23:30:00-05:00', true],
      ['Saturday 03:00, the part after midnight', '2026-06-06T03:00:00-05:00', true],
      ['Saturday 05:59', '2026-06-06T05:59:00-05:00', true],
      ['Saturday 06:00', '2026-06-06T06:00:00-05:00', false],
      ['Saturday 23:00 (Saturday is not a shift day)', '2026-06-06T23:00:00-05:00', false],
      ['Friday 03:00 (Thursday is not a shift day)', '2026-06-05T03:00:00-05:00', false],
    ])('%s', (_, at, expected) => {
      expect(isWithinWorkingHours(fridayNights, new Date(at))).toBe(expected);
    });
  });

  describe('a Saturday night shift through a DST change', () => {
    const saturdayNights = officeHours({ days: [6], start: '22:00', end: '06:00' });

    it.each([
      // Spring: Sunday 05:30 CDT is 10:30Z; 11:30Z is already 06:30 CDT (it would be 05:30 in CST).
      ['spring, Sunday 05:30 CDT', '2026-03-08T10:30:00Z', true],
      ['spring, Sunday 06:30 CDT', '2026-03-08T11:30:00Z', false],
      // Autumn: 11:30Z is 05:30 CST (it would be 06:30 in CDT); 12:00Z is 06:00 CST.
      ['autumn, Sunday 05:30 CST', '2026-11-01T11:30:00Z', true],
      ['autumn, Sunday 06:00 CST', '2026-11-01T12:00:00Z', false],
    ])('%s', (_, at, expected) => {
      expect(isWithinWorkingHours(saturdayNights, new Date(at))).toBe(expected);
    });
  });

  it('reads start == end as a 24-hour shift from the start', () => {
    const mondays = officeHours({ days: [1], start: '08:00', end: '08:00' });
    expect(isWithinWorkingHours(mondays, new Date('2026-06-01T08:00:00-05:00'))).toBe(true);
    expect(isWithinWorkingHours(mondays, new Date('2026-06-02T07:59:00-05:00'))).toBe(true);
    expect(isWithinWorkingHours(mondays, new Date('2026-06-02T08:00:00-05:00'))).toBe(false);
    expect(isWithinWorkingHours(mondays, new Date('2026-06-01T07:59:00-05:00'))).toBe(false);
  });

  it("allows '24:00' as the end of the day, which stops at midnight", () => {
    const evenings = officeHours({ start: '18:00', end: '24:00' });
    expect(isWithinWorkingHours(evenings, new Date('2026-06-03T23:59:00-05:00'))).toBe(true);
    expect(isWithinWorkingHours(evenings, new Date('2026-06-04T00:00:00-05:00'))).toBe(false);
  });

  it.each([
    ['a malformed start', officeHours({ start: '8:00' }), 'Invalid time "8:00" in working hours'],
    ['an impossible end', officeHours({ end: '25:00' }), 'Invalid time "25:00" in working hours'],
    ['24:00 as a start', officeHours({ start: '24:00' }), 'Invalid time "24:00" in working hours'],
    ['an unknown zone', officeHours({ timeZone: 'Mars/Olympus' }), 'Unknown time zone "Mars/Olympus"'],
  ])('throws on %s', (_, hours, message) => {
    expect(() => isWithinWorkingHours(hours, NOW)).toThrow(message);
  });
});

describe('rankTechnicians', () => {
  describe('certifications', () => {
    const order = anOrder({ requiredCertifications: ['EVITP'] });

    it.each<[string, Certification[], string, string | null]>([
      [
        'valid until next year',
        [cert('EVITP', '2027-03-01T00:00:00Z')],
        'Holds EVITP (valid until 2027-03-01)',
        null,
      ],
      ['without expiry', [cert('EVITP', null)], 'Holds EVITP (does not expire)', null],
      [
        'expiring a millisecond from now',
        [cert('EVITP', '2026-06-03T15:00:00.001Z')],
        'Holds EVITP (valid until 2026-06-03)',
        null,
      ],
      [
        'expiring exactly now',
        [cert('EVITP', '2026-06-03T15:00:00Z')],
        'EVITP expired on 2026-06-03',
        'EVITP expired on 2026-06-03',
      ],
      [
        'expired yesterday',
        [cert('EVITP', '2026-06-02T00:00:00Z')],
        'EVITP expired on 2026-06-02',
        'EVITP expired on 2026-06-02',
      ],
      [
        'under another case',
        [cert('  evitp ', '2027-03-01T00:00:00Z')],
        'Holds EVITP (valid until 2027-03-01)',
        null,
      ],
      [
        'renewed next to the expired copy',
        [
          cert('EVITP', '2026-06-02T00:00:00Z'),
          cert('EVITP', '2028-01-31T00:00:00Z'),
          cert('EVITP', '2027-01-01T00:00:00Z'),
        ],
        'Holds EVITP (valid until 2028-01-31)',
        null,
      ],
      ['not at all', [cert('OSHA 10', null)], 'Missing certification: EVITP', 'missing certification: EVITP'],
    ])('a technician holding it %s', (_, certifications, reason, missing) => {
      const ranked = rankOne(aCandidate({ certifications }), order);
      expect(ranked.eligible).toBe(missing === null);
      expect(ranked.reasons[0]).toBe(reason);
      expect(ranked.missing).toEqual(missing === null ? [] : [missing]);
    });

    it('names every missing certification', () => {
      const ranked = rankOne(
        aCandidate({ certifications: [cert('EVITP', '2026-01-01T00:00:00Z')] }),
        anOrder({ requiredCertifications: ['EVITP', 'High voltage'] }),
      );
      expect(ranked.missing).toEqual(['EVITP expired on 2026-01-01', 'missing certification: High voltage']);
    });
  });

  describe('skills', () => {
    const order = anOrder({ requiredSkills: ['DC fast', 'Ground fault'] });

    it('matches skills case-insensitively', () => {
      const ranked = rankOne(aCandidate({ skills: ['dc FAST', 'ground fault'] }), order);
      expect(ranked.eligible).toBe(true);
      expect(ranked.reasons.slice(0, 2)).toEqual(['Has skill: DC fast', 'Has skill: Ground fault']);
    });

    it('is ineligible without a required skill', () => {
      const ranked = rankOne(aCandidate({ skills: ['Ground fault', 'Level 2'] }), order);
      expect(ranked.eligible).toBe(false);
      expect(ranked.missing).toEqual(['missing skill: DC fast']);
      expect(ranked.reasons).toContain('Missing skill: DC fast');
    });
  });

  describe('distance', () => {
    it('measures from a fresh shared location', () => {
      const ranked = rankOne(aCandidate({ lastLocation: { ...northOfSite(12.4), at: minutesAgo(20) } }));
      expect(ranked).toMatchObject({ distanceFrom: 'last-location' });
      expect(ranked.distanceKm).toBeCloseTo(12.4, 6);
      expect(ranked.reasons).toContain('12.4 km away (last location 20 min ago)');
    });

    it('falls back to the home base when the shared location is stale', () => {
      const ranked = rankOne(aCandidate({ lastLocation: { ...northOfSite(1), at: minutesAgo(5 * 60) } }));
      expect(ranked).toMatchObject({ distanceFrom: 'home-base' });
      expect(ranked.distanceKm).toBeCloseTo(30, 6);
      expect(ranked.reasons).toContain('30.0 km away (home base; last location 5 h old)');
    });

    it('counts a location exactly as old as the limit as fresh', () => {
      const at240 = rankOne(aCandidate({ lastLocation: { ...northOfSite(1), at: minutesAgo(240) } }));
      const at241 = rankOne(aCandidate({ lastLocation: { ...northOfSite(1), at: minutesAgo(241) } }));
      expect(at240.distanceFrom).toBe('last-location');
      expect(at240.reasons).toContain('1.0 km away (last location 4 h ago)');
      expect(at241.distanceFrom).toBe('home-base');
    });

    it('takes the freshness limit from the options', () => {
      const candidate = aCandidate({ lastLocation: { ...northOfSite(1), at: minutesAgo(45) } });
      const [ranked] = rankTechnicians(anOrder(), [candidate], NOW, { locationFreshMinutes: 30 });
      expect(ranked?.distanceFrom).toBe('home-base');
    });

    it('counts a location stamped in the future as just now', () => {
      const ranked = rankOne(aCandidate({ lastLocation: { ...northOfSite(2), at: minutesAgo(-3) } }));
      expect(ranked.reasons).toContain('2.0 km away (last location 0 min ago)');
    });

    it('shows hours and minutes for an older fresh location', () => {
      const ranked = rankOne(aCandidate({ lastLocation: { ...northOfSite(2), at: minutesAgo(95) } }));
      expect(ranked.reasons).toContain('2.0 km away (last location 1 h 35 min ago)');
    });

    it('knows no distance without any location', () => {
      const ranked = rankOne(aCandidate({ homeBase: null, lastLocation: null }));
      expect(ranked).toMatchObject({ distanceKm: null, distanceFrom: null });
      expect(ranked.reasons).toContain('Location unknown (no shared location or home base)');
    });

    it('knows no distance from a stale location without a home base', () => {
      const ranked = rankOne(
        aCandidate({ homeBase: null, lastLocation: { ...northOfSite(1), at: minutesAgo(3 * day) } }),
      );
      expect(ranked).toMatchObject({ distanceKm: null, distanceFrom: null });
      expect(ranked.reasons).toContain('Location unknown (last location 3 days old, no home base)');
    });

    it('knows no distance when the site has no location', () => {
      const ranked = rankOne(
        aCandidate({ lastLocation: { ...northOfSite(1), at: minutesAgo(5) } }),
        anOrder({ site: null }),
      );
      expect(ranked).toMatchObject({ distanceKm: null, distanceFrom: null });
      expect(ranked.reasons).toContain('Distance unknown: the site has no location');
    });
  });

  describe('availability', () => {
    it('says when a technician is on shift', () => {
      const ranked = rankOne(aCandidate({ workingHours: officeHours() }));
      expect(ranked.availableNow).toBe(true);
      expect(ranked.reasons).toContain('Available now (08:00–17:00 America/Chicago)');
    });

    it('says when a technician is off shift, with their days', () => {
      const ranked = rankOne(aCandidate({ workingHours: officeHours({ days: [6, 7] }) }));
      expect(ranked.availableNow).toBe(false);
      expect(ranked.reasons).toContain('Not working now (Sat, Sun 08:00–17:00 America/Chicago)');
      const weekdays = rankOne(
        aCandidate({ workingHours: officeHours() }),
        anOrder(),
        new Date('2026-06-06T15:00:00Z'),
      );
      expect(weekdays.reasons).toContain('Not working now (Mon–Fri 08:00–17:00 America/Chicago)');
    });

    it('is always available without working hours', () => {
      const ranked = rankOne(aCandidate({ workingHours: null }));
      expect(ranked.availableNow).toBe(true);
      expect(ranked.reasons).toContain('Available now (no set working hours)');
    });

    it("shows one technician's broken working hours instead of failing the whole ranking", () => {
      const broken = aCandidate({
        userId: 'u-bo',
        name: 'Bo',
        workingHours: officeHours({ timeZone: 'Nowhere/Land' }),
      });
      const ranked = rankTechnicians(anOrder(), [broken, aCandidate()], NOW);
      expect(names(ranked)).toEqual(['Ana', 'Bo']);
      expect(ranked[1]?.availableNow).toBe(false);
      expect(ranked[1]?.reasons).toContain(
        'Working hours could not be read: Unknown time zone "Nowhere/Land": expected an IANA zone such as \'America/Chicago\'',
      );
    });
  });

  describe('workload', () => {
    it.each([
      [0, 'No open work orders'],
      [1, '1 open work order'],
      [2, '2 open work orders'],
    ])('describes %i open orders', (openOrders, reason) => {
      expect(rankOne(aCandidate({ openOrders })).reasons.at(-1)).toBe(reason);
    });
  });

  describe('order', () => {
    const order = anOrder({ requiredCertifications: ['EVITP'] });
    const evitp = [cert('EVITP', null)];
    const near = (km: number) => ({ ...northOfSite(km), at: minutesAgo(10) });

    it('ranks eligible, then available, then nearest, then least busy, then by name', () => {
      const candidates = [
        aCandidate({
          userId: 'u1',
          name: 'Ineligible next door',
          lastLocation: near(0.1),
          workingHours: null,
        }),
        aCandidate({
          userId: 'u2',
          name: 'Off shift next door',
          certifications: evitp,
          lastLocation: near(0.2),
          workingHours: officeHours({ days: [6] }),
        }),
        aCandidate({ userId: 'u3', name: 'Far', certifications: evitp, lastLocation: near(50) }),
        aCandidate({
          userId: 'u4',
          name: 'Near but busy',
          certifications: evitp,
          lastLocation: near(5),
          openOrders: 3,
        }),
        aCandidate({
          userId: 'u5',
          name: 'Near and free',
          certifications: evitp,
          lastLocation: near(5),
          openOrders: 0,
        }),
        aCandidate({ userId: 'u6', name: 'Nowhere', certifications: evitp, homeBase: null }),
        aCandidate({
          userId: 'u7',
          name: 'Nearest',
          certifications: evitp,
          lastLocation: near(1),
          openOrders: 5,
        }),
      ];
      const ranked = rankTechnicians(order, candidates, NOW);
      expect(names(ranked)).toEqual([
        'Nearest',
        'Near and free',
        'Near but busy',
        'Far',
        'Nowhere',
        'Off shift next door',
        'Ineligible next door',
      ]);
      expect(ranked.map((candidate) => candidate.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('puts an eligible technician who is off shift and far before an ineligible one on the spot', () => {
      const ranked = rankTechnicians(
        order,
        [
          aCandidate({ name: 'Here', lastLocation: near(0) }),
          aCandidate({
            name: 'There',
            certifications: evitp,
            homeBase: northOfSite(200),
            workingHours: officeHours({ days: [7] }),
          }),
        ],
        NOW,
      );
      expect(names(ranked)).toEqual(['There', 'Here']);
      expect(ranked.map((candidate) => candidate.eligible)).toEqual([true, false]);
    });

    it('puts an unknown distance after every known one', () => {
      const ranked = rankTechnicians(
        anOrder(),
        [
          aCandidate({ name: 'Unknown', homeBase: null }),
          aCandidate({ name: 'Very far', homeBase: northOfSite(5000) }),
        ],
        NOW,
      );
      expect(names(ranked)).toEqual(['Very far', 'Unknown']);
    });

    it('breaks a tie on workload by name', () => {
      const same = { homeBase: northOfSite(10), openOrders: 2 };
      const ranked = rankTechnicians(
        anOrder(),
        [
          aCandidate({ ...same, name: 'Chris' }),
          aCandidate({ ...same, name: 'Alex' }),
          aCandidate({ ...same, name: 'Bea' }),
        ],
        NOW,
      );
      expect(names(ranked)).toEqual(['Alex', 'Bea', 'Chris']);
    });

    it('keeps the given order for candidates equal in every way', () => {
      const twin = { name: 'Sam', homeBase: northOfSite(10) };
      const ranked = rankTechnicians(
        anOrder(),
        [aCandidate({ ...twin, userId: 'b' }), aCandidate({ ...twin, userId: 'a' })],
        NOW,
      );
      expect(ranked.map((candidate) => candidate.userId)).toEqual(['b', 'a']);
    });

    it('ranks nobody when there is nobody', () => {
      expect(rankTechnicians(order, [], NOW)).toEqual([]);
    });
  });

  it('gives every candidate a reason per criterion', () => {
    const order = anOrder({ requiredCertifications: ['EVITP', 'High voltage'], requiredSkills: ['DC fast'] });
    const candidates = [
      aCandidate({ name: 'A' }),
      aCandidate({
        name: 'B',
        certifications: [cert('EVITP', null)],
        skills: ['DC fast'],
        workingHours: officeHours(),
      }),
      aCandidate({ name: 'C', homeBase: null, workingHours: officeHours({ days: [7] }), openOrders: 4 }),
    ];
    for (const ranked of rankTechnicians(order, candidates, NOW)) {
      // Two certifications, one skill, availability, distance, workload.
      expect(ranked.reasons).toHaveLength(6);
      for (const reason of ranked.reasons) expect(reason.trim()).not.toBe('');
    }
  });

  it('returns the whole picture for one candidate', () => {
    const ranked = rankOne(
      aCandidate({
        userId: 'u-7',
        name: 'Dana',
        certifications: [cert('EVITP', '2027-03-01T00:00:00Z')],
        skills: ['DC fast'],
        lastLocation: { ...northOfSite(12.4), at: minutesAgo(20) },
        workingHours: officeHours(),
        openOrders: 2,
      }),
      anOrder({ requiredCertifications: ['EVITP'], requiredSkills: ['DC fast'] }),
    );
    expect(ranked).toEqual({
      userId: 'u-7',
      name: 'Dana',
      rank: 1,
      eligible: true,
      availableNow: true,
      distanceKm: expect.closeTo(12.4, 6),
      distanceFrom: 'last-location',
      openOrders: 2,
      missing: [],
      reasons: [
        'Holds EVITP (valid until 2027-03-01)',
        'Has skill: DC fast',
        'Available now (08:00–17:00 America/Chicago)',
        '12.4 km away (last location 20 min ago)',
        '2 open work orders',
      ],
    });
  });

  it('refuses an invalid now', () => {
    expect(() => rankTechnicians(anOrder(), [aCandidate()], new Date(Number.NaN))).toThrow(
      'now is not a valid date',
    );
  });
});
