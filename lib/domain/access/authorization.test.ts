import { describe, expect, it } from 'vitest';
import {
  decideAuthorization,
  describeWindow,
  isInWindow,
  isValidTimeZone,
  parseTimeWindow,
  type AccessPolicy,
  type AuthorizationDecision,
  type AuthorizationInput,
  type GroupGrant,
  type ParentTokenFacts,
  type TimeWindow,
  type TokenFacts,
} from './authorization';

// June 2026: Mon 1, Tue 2, Wed 3, Thu 4, Fri 5, Sat 6, Sun 7. Chicago is on CDT (UTC-5) all month.
const cdt = (local: string) => new Date(`${local}:00-05:00`);
const NOW = cdt('2026-06-03T10:00'); // Wednesday 10:00 in Chicago
const everyDay = [0, 1, 2, 3, 4, 5, 6];
const weekdays = [1, 2, 3, 4, 5];

const aToken = (overrides: Partial<TokenFacts> = {}): TokenFacts => ({
  idToken: '04A1B2C3D4',
  status: 'active',
  expiresAt: null,
  driverId: 'driver-1',
  blockedReason: null,
  ...overrides,
});

const aWindow = (overrides: Partial<TimeWindow> = {}): TimeWindow => ({
  days: weekdays,
  start: '07:00',
  end: '19:00',
  ...overrides,
});

const aGrant = (overrides: Partial<GroupGrant> = {}): GroupGrant => ({
  groupId: 'g-employees',
  groupName: 'Employees',
  windows: [],
  maxPowerW: null,
  ...overrides,
});

const fleetA = (overrides: Partial<GroupGrant> = {}) =>
  aGrant({ groupId: 'g-fleet-a', groupName: 'Fleet A', ...overrides });
const visitors = (overrides: Partial<GroupGrant> = {}) =>
  aGrant({ groupId: 'g-visitors', groupName: 'Visitors', ...overrides });

const restricted = (...grants: GroupGrant[]): AccessPolicy => ({ mode: 'restricted', grants });
const open: AccessPolicy = { mode: 'public' };

const anInput = (overrides: Partial<AuthorizationInput> = {}): AuthorizationInput => ({
  token: aToken(),
  driverGroupIds: ['g-employees'],
  stationPolicy: null,
  sitePolicy: null,
  timeZone: 'America/Chicago',
  now: NOW,
  ...overrides,
});

const refused = (status: AuthorizationDecision['status'], reason: string): AuthorizationDecision => ({
  status,
  reason,
  groupId: null,
  maxPowerW: null,
});
const publicStation = {
  status: 'Accepted',
  reason: 'Public station',
  groupId: null,
  maxPowerW: null,
} as const;
const allowed = (grant: GroupGrant): AuthorizationDecision => ({
  status: 'Accepted',
  reason: `Allowed for ${grant.groupName}`,
  groupId: grant.groupId,
  maxPowerW: grant.maxPowerW,
});

describe('decideAuthorization', () => {
  describe('the token itself', () => {
    it.each<[string, AuthorizationInput, AuthorizationDecision]>([
      ['an unknown token is Invalid', anInput({ token: null }), refused('Invalid', 'Unknown id token')],
      [
        'an unknown token is Invalid even at a restricted station',
        anInput({ token: null, stationPolicy: restricted(aGrant()) }),
        refused('Invalid', 'Unknown id token'),
      ],
      [
        'a blocked token gives its reason',
        anInput({ token: aToken({ status: 'blocked', blockedReason: 'lost card' }) }),
        refused('Blocked', 'Blocked: lost card'),
      ],
      [
        'a blocked token without a reason',
        anInput({ token: aToken({ status: 'blocked' }) }),
        refused('Blocked', 'Blocked'),
      ],
      [
        'a blank block reason counts as none',
        anInput({ token: aToken({ status: 'blocked', blockedReason: '  ' }) }),
        refused('Blocked', 'Blocked'),
      ],
      [
        'blocked outranks expired',
        anInput({
          token: aToken({ status: 'blocked', blockedReason: 'fraud', expiresAt: cdt('2026-01-01T00:00') }),
        }),
        refused('Blocked', 'Blocked: fraud'),
      ],
      [
        'a token marked expired',
        anInput({ token: aToken({ status: 'expired' }) }),
        refused('Expired', 'Expired'),
      ],
      [
        'a token marked expired, with its expiry date',
        anInput({ token: aToken({ status: 'expired', expiresAt: cdt('2026-05-01T12:00') }) }),
        refused('Expired', 'Expired on 2026-05-01'),
      ],
      [
        'an active token past its expiry date (date in the site zone: 03:00Z is the evening before in Chicago)',
        anInput({ token: aToken({ expiresAt: new Date('2026-06-01T03:00:00Z') }) }),
        refused('Expired', 'Expired on 2026-05-31'),
      ],
      [
        'expiry exactly at now counts as expired',
        anInput({ token: aToken({ expiresAt: NOW }) }),
        refused('Expired', 'Expired on 2026-06-03'),
      ],
      [
        'expiry a millisecond after now is still valid',
        anInput({ token: aToken({ expiresAt: new Date(NOW.getTime() + 1) }) }),
        publicStation,
      ],
      [
        'expired outranks the policy',
        anInput({ token: aToken({ expiresAt: NOW }), stationPolicy: restricted(aGrant()) }),
        refused('Expired', 'Expired on 2026-06-03'),
      ],
    ])('%s', (_name, input, expected) => {
      expect(decideAuthorization(input)).toEqual(expected);
    });
  });

  describe('group tags (1.6 parentIdTag, 2.0.1 groupIdToken) known as tokens', () => {
    const master = (overrides: Partial<ParentTokenFacts> = {}): ParentTokenFacts => ({
      idToken: 'FLEET-A',
      status: 'active',
      expiresAt: null,
      blockedReason: null,
      ...overrides,
    });
    it.each<[string, AuthorizationInput, AuthorizationDecision]>([
      ['an active group tag changes nothing', anInput({ parent: master() }), publicStation],
      [
        'a blocked group tag blocks every token of its group, with its reason',
        anInput({ parent: master({ status: 'blocked', blockedReason: 'contract ended' }) }),
        refused('Blocked', 'Blocked through its group tag FLEET-A: contract ended'),
      ],
      [
        'a blocked group tag without a reason',
        anInput({ parent: master({ status: 'blocked' }) }),
        refused('Blocked', 'Blocked through its group tag FLEET-A'),
      ],
      [
        'the token’s own block is named before its group’s',
        anInput({
          token: aToken({ status: 'blocked', blockedReason: 'lost card' }),
          parent: master({ status: 'blocked', blockedReason: 'contract ended' }),
        }),
        refused('Blocked', 'Blocked: lost card'),
      ],
      [
        'a blocked group tag outranks the token’s own expiry',
        anInput({ token: aToken({ expiresAt: NOW }), parent: master({ status: 'blocked' }) }),
        refused('Blocked', 'Blocked through its group tag FLEET-A'),
      ],
      [
        'the token’s own expiry is named before its group tag’s',
        anInput({ token: aToken({ expiresAt: NOW }), parent: master({ expiresAt: NOW }) }),
        refused('Expired', 'Expired on 2026-06-03'),
      ],
      [
        'a group tag past its expiry date expires its group (date in the site zone)',
        anInput({ parent: master({ expiresAt: new Date('2026-06-01T03:00:00Z') }) }),
        refused('Expired', 'Its group tag FLEET-A expired on 2026-05-31'),
      ],
      [
        'a group tag marked expired',
        anInput({ parent: master({ status: 'expired' }) }),
        refused('Expired', 'Its group tag FLEET-A has expired'),
      ],
      [
        'a group tag still valid for a millisecond',
        anInput({ parent: master({ expiresAt: new Date(NOW.getTime() + 1) }) }),
        publicStation,
      ],
      [
        'a group tag does not let a token in where its groups may not charge',
        anInput({ parent: master(), driverGroupIds: ['g-visitors'], stationPolicy: restricted(fleetA()) }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Fleet A)'),
      ],
      [
        'an unknown token has no group tag to look at',
        anInput({ token: null, parent: master() }),
        refused('Invalid', 'Unknown id token'),
      ],
    ])('%s', (_name, input, expected) => {
      expect(decideAuthorization(input)).toEqual(expected);
    });
  });

  describe('which policy applies', () => {
    it.each<[string, AuthorizationInput, AuthorizationDecision]>([
      ['no policy at all means public', anInput(), publicStation],
      ['a public station', anInput({ stationPolicy: open }), publicStation],
      [
        'a token without a driver may charge at a public station',
        anInput({ token: aToken({ driverId: null }), driverGroupIds: [] }),
        publicStation,
      ],
      [
        'a public station at a restricted site is public',
        anInput({ stationPolicy: open, sitePolicy: restricted(fleetA()) }),
        publicStation,
      ],
      [
        'a restricted station at a public site is restricted',
        anInput({ stationPolicy: restricted(fleetA()), sitePolicy: open }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Fleet A)'),
      ],
      [
        "the station's grants replace the site's",
        anInput({ stationPolicy: restricted(fleetA()), sitePolicy: restricted(aGrant()) }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Fleet A)'),
      ],
      [
        "the site's policy applies when the station has none",
        anInput({ sitePolicy: restricted(aGrant({ maxPowerW: 11_000 })) }),
        allowed(aGrant({ maxPowerW: 11_000 })),
      ],
      [
        "the site's restriction refuses when the station has none",
        anInput({ sitePolicy: restricted(fleetA()) }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Fleet A)'),
      ],
    ])('%s', (_name, input, expected) => {
      expect(decideAuthorization(input)).toEqual(expected);
    });
  });

  describe('group membership', () => {
    const station = restricted(aGrant({ maxPowerW: 7_400 }), fleetA({ maxPowerW: 22_000 }));

    it.each<[string, AuthorizationInput, AuthorizationDecision]>([
      [
        'a member of the only allowed group',
        anInput({ stationPolicy: restricted(aGrant()) }),
        allowed(aGrant()),
      ],
      [
        'a member of one of several allowed groups gets that grant',
        anInput({ stationPolicy: station, driverGroupIds: ['g-book-club', 'g-fleet-a'] }),
        allowed(fleetA({ maxPowerW: 22_000 })),
      ],
      [
        'a driver in other groups only',
        anInput({ stationPolicy: station, driverGroupIds: ['g-book-club'] }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Employees, Fleet A)'),
      ],
      [
        'a driver in no group',
        anInput({ stationPolicy: station, driverGroupIds: [] }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Employees, Fleet A)'),
      ],
      [
        'a token without a driver has no groups, whatever is passed along',
        anInput({
          stationPolicy: station,
          token: aToken({ driverId: null }),
          driverGroupIds: ['g-employees'],
        }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Employees, Fleet A)'),
      ],
      [
        'a restricted policy with no grants lets nobody in',
        anInput({ stationPolicy: restricted() }),
        refused('NotAtThisLocation', 'No group is allowed at this station'),
      ],
      [
        'a group granted twice is named once',
        anInput({
          stationPolicy: restricted(
            fleetA({ windows: [aWindow()] }),
            fleetA({ windows: [aWindow({ days: [6] })] }),
          ),
        }),
        refused('NotAtThisLocation', 'Not in a group allowed at this station (Fleet A)'),
      ],
    ])('%s', (_name, input, expected) => {
      expect(decideAuthorization(input)).toEqual(expected);
    });
  });

  describe('time windows', () => {
    const officeHours = aGrant({ windows: [aWindow()] });

    it.each<[string, AuthorizationInput, AuthorizationDecision]>([
      [
        'inside the window (Wed 10:00)',
        anInput({ stationPolicy: restricted(officeHours) }),
        allowed(officeHours),
      ],
      [
        'outside the window (Wed 19:00, end is exclusive)',
        anInput({ stationPolicy: restricted(officeHours), now: cdt('2026-06-03T19:00') }),
        refused('NotAtThisTime', 'Employees may charge here Mon–Fri 07:00–19:00'),
      ],
      [
        'on a day the window does not cover (Sat)',
        anInput({ stationPolicy: restricted(officeHours), now: cdt('2026-06-06T10:00') }),
        refused('NotAtThisTime', 'Employees may charge here Mon–Fri 07:00–19:00'),
      ],
      [
        'a grant with several windows lists them all',
        anInput({
          stationPolicy: restricted(
            aGrant({ windows: [aWindow(), aWindow({ days: [6], start: '08:00', end: '12:00' })] }),
          ),
          now: cdt('2026-06-06T12:30'),
        }),
        refused('NotAtThisTime', 'Employees may charge here Mon–Fri 07:00–19:00 and Sat 08:00–12:00'),
      ],
      [
        'the second of several windows matches',
        anInput({
          stationPolicy: restricted(
            aGrant({ windows: [aWindow(), aWindow({ days: [6], start: '08:00', end: '12:00' })] }),
          ),
          now: cdt('2026-06-06T11:59'),
        }),
        allowed(aGrant()),
      ],
      [
        "the reason names only the driver's groups, each with its times",
        anInput({
          stationPolicy: restricted(
            officeHours,
            fleetA({ windows: [aWindow({ days: [6, 0], start: '22:00', end: '06:00' })] }),
            visitors({ windows: [aWindow({ days: everyDay, start: '00:00', end: '24:00' })] }),
          ),
          driverGroupIds: ['g-employees', 'g-fleet-a'],
          now: cdt('2026-06-06T10:00'),
        }),
        refused(
          'NotAtThisTime',
          'Employees may charge here Mon–Fri 07:00–19:00; Fleet A may charge here Sat, Sun 22:00–06:00 (next day)',
        ),
      ],
      [
        'an open group wins over a closed one even if the closed one has more power',
        anInput({
          stationPolicy: restricted(
            aGrant({ windows: [aWindow({ days: [6] })], maxPowerW: null }),
            fleetA({ windows: [aWindow({ days: everyDay })], maxPowerW: 3_700 }),
          ),
          driverGroupIds: ['g-employees', 'g-fleet-a'],
        }),
        allowed(fleetA({ maxPowerW: 3_700 })),
      ],
      [
        'a grant with no windows is open at any time',
        anInput({ stationPolicy: restricted(aGrant()), now: cdt('2026-06-07T03:00') }),
        allowed(aGrant()),
      ],
    ])('%s', (_name, input, expected) => {
      expect(decideAuthorization(input)).toEqual(expected);
    });

    it("follows the site's clock across the spring-forward change (Chicago, 2026-03-08)", () => {
      const station = restricted(aGrant({ windows: [aWindow({ days: everyDay })] }));
      // 12:30Z is 06:30 CST the day before and 07:30 CDT on the day.
      expect(
        decideAuthorization(anInput({ stationPolicy: station, now: new Date('2026-03-07T12:30Z') })).status,
      ).toBe('NotAtThisTime');
      expect(
        decideAuthorization(anInput({ stationPolicy: station, now: new Date('2026-03-08T12:30Z') })).status,
      ).toBe('Accepted');
    });
  });

  describe('several open grants', () => {
    const anyTime = { windows: [] };
    it.each<[string, GroupGrant[], GroupGrant]>([
      [
        'the highest cap wins',
        [aGrant({ maxPowerW: 7_400 }), fleetA({ maxPowerW: 22_000 }), visitors({ maxPowerW: 11_000 })],
        fleetA({ maxPowerW: 22_000 }),
      ],
      [
        'no cap counts as the highest',
        [aGrant({ maxPowerW: 7_400 }), fleetA({ maxPowerW: 150_000 }), visitors({ maxPowerW: null })],
        visitors({ maxPowerW: null }),
      ],
      [
        'on a tie the first grant wins',
        [aGrant({ maxPowerW: 11_000 }), fleetA({ maxPowerW: 11_000 })],
        aGrant({ maxPowerW: 11_000 }),
      ],
      ['on a tie of no caps the first grant wins', [fleetA(anyTime), aGrant(anyTime)], fleetA(anyTime)],
      [
        'a closed grant with a higher cap is not chosen',
        [aGrant({ maxPowerW: null, windows: [aWindow({ days: [0] })] }), fleetA({ maxPowerW: 7_400 })],
        fleetA({ maxPowerW: 7_400 }),
      ],
    ])('%s', (_name, grants, winner) => {
      const input = anInput({
        stationPolicy: restricted(...grants),
        driverGroupIds: ['g-employees', 'g-fleet-a', 'g-visitors'],
      });
      expect(decideAuthorization(input)).toEqual(allowed(winner));
    });
  });

  describe('bad configuration', () => {
    it('throws a clear error for an unknown time zone, whatever the token', () => {
      expect(() => decideAuthorization(anInput({ timeZone: 'Mars/Olympus_Mons' }))).toThrow(
        'Unknown time zone "Mars/Olympus_Mons"',
      );
      expect(() => decideAuthorization(anInput({ token: null, timeZone: '' }))).toThrow(
        'Unknown time zone ""',
      );
    });
    it('throws on an invalid now', () => {
      expect(() => decideAuthorization(anInput({ now: new Date(Number.NaN) }))).toThrow(
        'now is not a valid date',
      );
    });
  });
});

describe('isInWindow', () => {
  const officeHours = aWindow();
  const fridayNight = aWindow({ days: [5], start: '22:00', end: '06:00' });
  const weekendNights = aWindow({ days: [5, 6], start: '22:00', end: '06:00' });
  const saturdayNight = aWindow({ days: [6], start: '22:00', end: '06:00' });
  const sundayNight = aWindow({ days: [0], start: '22:00', end: '02:00' });
  const mondayEvening = aWindow({ days: [1], start: '18:00', end: '24:00' });
  const allDay = aWindow({ days: everyDay, start: '00:00', end: '24:00' });

  it.each<[string, TimeWindow, string, boolean]>([
    ['office hours, just before start', officeHours, '2026-06-03T06:59', false],
    ['office hours, at start (inclusive)', officeHours, '2026-06-03T07:00', true],
    ['office hours, last minute', officeHours, '2026-06-03T18:59', true],
    ['office hours, at end (exclusive)', officeHours, '2026-06-03T19:00', false],
    ['office hours, Monday midday', officeHours, '2026-06-01T12:00', true],
    ['office hours, Saturday', officeHours, '2026-06-06T10:00', false],
    ['office hours, Sunday', officeHours, '2026-06-07T10:00', false],
    ['Fri night, Fri 21:59', fridayNight, '2026-06-05T21:59', false],
    ['Fri night, Fri 22:00', fridayNight, '2026-06-05T22:00', true],
    ['Fri night, Fri 23:59', fridayNight, '2026-06-05T23:59', true],
    ['Fri night, Sat 00:00', fridayNight, '2026-06-06T00:00', true],
    ['Fri night, Sat 05:59', fridayNight, '2026-06-06T05:59', true],
    ['Fri night, Sat 06:00', fridayNight, '2026-06-06T06:00', false],
    ['Fri night, Sat 22:00 (Sat not in days)', fridayNight, '2026-06-06T22:00', false],
    ['Fri night, Sun 01:00 (Sat not in days)', fridayNight, '2026-06-07T01:00', false],
    ['Fri night, Fri 05:00 (Thu not in days)', fridayNight, '2026-06-05T05:00', false],
    ['Fri+Sat nights, Sat 01:00', weekendNights, '2026-06-06T01:00', true],
    ['Fri+Sat nights, Sun 01:00', weekendNights, '2026-06-07T01:00', true],
    ['Fri+Sat nights, Mon 01:00', weekendNights, '2026-06-08T01:00', false],
    ['Sat night runs into Sunday (day 6 -> 0)', saturdayNight, '2026-06-07T05:00', true],
    ['Sun night runs into Monday (day 0 -> 1)', sundayNight, '2026-06-08T01:59', true],
    ['Sun night ends at 02:00 on Monday', sundayNight, '2026-06-08T02:00', false],
    ['24:00 end, last minute of the day', mondayEvening, '2026-06-01T23:59', true],
    ['24:00 end, at start', mondayEvening, '2026-06-01T18:00', true],
    ['24:00 end does not spill into the next day', mondayEvening, '2026-06-02T00:00', false],
    ['24:00 end, before start', mondayEvening, '2026-06-01T17:59', false],
    ['all day, Sunday midnight', allDay, '2026-06-07T00:00', true],
    ['all day, Saturday 23:59', allDay, '2026-06-06T23:59', true],
  ])('%s (%s, local %s): %s', (_name, window, local, expected) => {
    expect(isInWindow(window, 'America/Chicago', cdt(local))).toBe(expected);
  });

  describe("DST changes in the site's zone", () => {
    const daytime = aWindow({ days: everyDay });
    const skippedHour = aWindow({ days: everyDay, start: '02:00', end: '03:00' });
    const fromSkipped = aWindow({ days: everyDay, start: '02:30', end: '04:00' });
    const repeatedHour = aWindow({ days: everyDay, start: '01:00', end: '02:00' });
    const saturdayNight = aWindow({ days: [6], start: '22:00', end: '06:00' });

    it.each<[string, string, TimeWindow, string, boolean]>([
      // Chicago springs forward 2026-03-08 02:00 CST -> 03:00 CDT.
      ['Chicago: 06:30 CST the day before', 'America/Chicago', daytime, '2026-03-07T12:30Z', false],
      ['Chicago: 07:00 CDT on the day', 'America/Chicago', daytime, '2026-03-08T12:00Z', true],
      ['Chicago: 06:59 CDT on the day', 'America/Chicago', daytime, '2026-03-08T11:59Z', false],
      ['Chicago: 07:30 CDT the day after', 'America/Chicago', daytime, '2026-03-09T12:30Z', true],
      ['Chicago: 18:30 CST the Friday before', 'America/Chicago', daytime, '2026-03-07T00:30Z', true],
      ['Chicago: 19:30 CDT the Monday after', 'America/Chicago', daytime, '2026-03-10T00:30Z', false],
      [
        'Chicago: 01:59 CST, before the skipped hour',
        'America/Chicago',
        skippedHour,
        '2026-03-08T07:59Z',
        false,
      ],
      [
        'Chicago: 03:00 CDT, the skipped hour never matches',
        'America/Chicago',
        skippedHour,
        '2026-03-08T08:00Z',
        false,
      ],
      [
        'Chicago: a window from inside the skipped hour opens at 03:00',
        'America/Chicago',
        fromSkipped,
        '2026-03-08T08:00Z',
        true,
      ],
      // Chicago falls back 2026-11-01 02:00 CDT -> 01:00 CST.
      ['Chicago: 07:30 CDT the day before', 'America/Chicago', daytime, '2026-10-31T12:30Z', true],
      ['Chicago: 06:30 CST on the day', 'America/Chicago', daytime, '2026-11-01T12:30Z', false],
      ['Chicago: 07:00 CST on the day', 'America/Chicago', daytime, '2026-11-01T13:00Z', true],
      ['Chicago: 00:59 CDT', 'America/Chicago', repeatedHour, '2026-11-01T05:59Z', false],
      ['Chicago: first 01:30 (CDT)', 'America/Chicago', repeatedHour, '2026-11-01T06:30Z', true],
      ['Chicago: second 01:30 (CST)', 'America/Chicago', repeatedHour, '2026-11-01T07:30Z', true],
      ['Chicago: 02:00 CST', 'America/Chicago', repeatedHour, '2026-11-01T08:00Z', false],
      // Berlin springs forward 2026-03-29 02:00 CET -> 03:00 CEST.
      ['Berlin: 06:30 CET the day before', 'Europe/Berlin', daytime, '2026-03-28T05:30Z', false],
      ['Berlin: 07:00 CET the day before', 'Europe/Berlin', daytime, '2026-03-28T06:00Z', true],
      ['Berlin: 06:59 CEST on the day', 'Europe/Berlin', daytime, '2026-03-29T04:59Z', false],
      ['Berlin: 07:00 CEST on the day', 'Europe/Berlin', daytime, '2026-03-29T05:00Z', true],
      ['Berlin: 18:59 CET the day before', 'Europe/Berlin', daytime, '2026-03-28T17:59Z', true],
      ['Berlin: 19:00 CEST on the day', 'Europe/Berlin', daytime, '2026-03-29T17:00Z', false],
      ['Berlin: Sat night, 05:59 CEST on Sunday', 'Europe/Berlin', saturdayNight, '2026-03-29T03:59Z', true],
      ['Berlin: Sat night, 06:00 CEST on Sunday', 'Europe/Berlin', saturdayNight, '2026-03-29T04:00Z', false],
      // Berlin falls back 2026-10-25 03:00 CEST -> 02:00 CET.
      ['Berlin: 07:00 CEST the day before', 'Europe/Berlin', daytime, '2026-10-24T05:00Z', true],
      ['Berlin: 06:00 CET on the day', 'Europe/Berlin', daytime, '2026-10-25T05:00Z', false],
      ['Berlin: 07:00 CET on the day', 'Europe/Berlin', daytime, '2026-10-25T06:00Z', true],
      ['Berlin: 19:00 CEST the day before', 'Europe/Berlin', daytime, '2026-10-24T17:00Z', false],
      ['Berlin: 18:59 CET on the day', 'Europe/Berlin', daytime, '2026-10-25T17:59Z', true],
    ])('%s (%s, %s)', (_name, timeZone, window, instant, expected) => {
      expect(isInWindow(window, timeZone, new Date(instant))).toBe(expected);
    });
  });

  it('throws a clear error for an unknown time zone', () => {
    expect(() => isInWindow(officeHours, 'Europe/Atlantis', NOW)).toThrow(
      'Unknown time zone "Europe/Atlantis": expected an IANA zone such as \'Europe/Berlin\'',
    );
  });

  it('throws on a malformed time instead of guessing', () => {
    expect(() => isInWindow(aWindow({ start: '7:00' }), 'UTC', NOW)).toThrow(
      'Invalid time "7:00" in a time window',
    );
    expect(() => isInWindow(aWindow({ start: '24:00' }), 'UTC', NOW)).toThrow('Invalid time "24:00"');
  });

  it('throws on an invalid date', () => {
    expect(() => isInWindow(officeHours, 'UTC', new Date('not a date'))).toThrow('at is not a valid date');
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['America/Chicago', true],
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%s: %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});

describe('describeWindow', () => {
  it.each<[TimeWindow, string]>([
    [aWindow(), 'Mon–Fri 07:00–19:00'],
    [aWindow({ days: [6, 0], start: '22:00', end: '06:00' }), 'Sat, Sun 22:00–06:00 (next day)'],
    [aWindow({ days: everyDay, start: '00:00', end: '24:00' }), 'Every day 00:00–24:00'],
    [aWindow({ days: [5], start: '22:00', end: '06:00' }), 'Fri 22:00–06:00 (next day)'],
    [aWindow({ days: [1], start: '18:00', end: '24:00' }), 'Mon 18:00–24:00'],
    [aWindow({ days: [1], start: '18:00', end: '00:00' }), 'Mon 18:00–00:00 (next day)'],
    [aWindow({ days: [0, 1, 2, 4, 6] }), 'Mon, Tue, Thu, Sat, Sun 07:00–19:00'],
    [aWindow({ days: [0, 1, 2, 3, 5, 6] }), 'Mon–Wed, Fri–Sun 07:00–19:00'],
    [aWindow({ days: [3, 1, 1] }), 'Mon, Wed 07:00–19:00'],
  ])('%o -> %s', (window, expected) => {
    expect(describeWindow(window)).toBe(expected);
  });
});

describe('parseTimeWindow', () => {
  it.each<[string, unknown, TimeWindow]>([
    ['office hours', { days: weekdays, start: '07:00', end: '19:00' }, aWindow()],
    [
      'across midnight',
      { days: [5], start: '22:00', end: '06:00' },
      aWindow({ days: [5], start: '22:00', end: '06:00' }),
    ],
    [
      'until midnight as 24:00',
      { days: [0], start: '00:00', end: '24:00' },
      aWindow({ days: [0], start: '00:00', end: '24:00' }),
    ],
    [
      'until midnight as 00:00',
      { days: [0], start: '18:00', end: '00:00' },
      aWindow({ days: [0], start: '18:00', end: '00:00' }),
    ],
    [
      'extreme minutes',
      { days: [6], start: '00:00', end: '23:59' },
      aWindow({ days: [6], start: '00:00', end: '23:59' }),
    ],
    [
      'extra keys are dropped',
      { days: [2], start: '08:00', end: '09:00', label: 'x' },
      aWindow({ days: [2], start: '08:00', end: '09:00' }),
    ],
  ])('accepts %s', (_name, value, expected) => {
    expect(parseTimeWindow(value)).toEqual(expected);
  });

  it('returns a copy of the days', () => {
    const days = [1, 2];
    const parsed = parseTimeWindow({ days, start: '07:00', end: '19:00' });
    expect(parsed?.days).toEqual(days);
    expect(parsed?.days).not.toBe(days);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'Mon-Fri 07:00-19:00'],
    ['an array', [1, '07:00', '19:00']],
    ['an empty object', {}],
    ['no days', { days: [], start: '07:00', end: '19:00' }],
    ['days not an array', { days: 1, start: '07:00', end: '19:00' }],
    ['day 7', { days: [7], start: '07:00', end: '19:00' }],
    ['day -1', { days: [-1], start: '07:00', end: '19:00' }],
    ['a fractional day', { days: [1.5], start: '07:00', end: '19:00' }],
    ['a day as a string', { days: ['1'], start: '07:00', end: '19:00' }],
    ['a repeated day', { days: [1, 1], start: '07:00', end: '19:00' }],
    ['a missing start', { days: [1], end: '19:00' }],
    ['a missing end', { days: [1], start: '07:00' }],
    ['a start without a leading zero', { days: [1], start: '7:00', end: '19:00' }],
    ['a start of 24:00', { days: [1], start: '24:00', end: '06:00' }],
    ['minute 60', { days: [1], start: '07:60', end: '19:00' }],
    ['hour 25', { days: [1], start: '07:00', end: '25:00' }],
    ['an end after 24:00', { days: [1], start: '07:00', end: '24:01' }],
    ['seconds', { days: [1], start: '07:00:00', end: '19:00' }],
    ['a numeric time', { days: [1], start: 700, end: 1900 }],
    ['start equal to end', { days: [1], start: '07:00', end: '07:00' }],
  ])('rejects %s', (_name, value) => {
    expect(parseTimeWindow(value)).toBeNull();
  });
});

describe('groupTagOf', () => {
  it('upper-cases the tag, and is null without one or when the tag names the token itself', async () => {
    const { groupTagOf } = await import('./authorization');
    expect(groupTagOf({ idToken: 'A-1', parentIdTag: 'fleet-a' })).toBe('FLEET-A');
    expect(groupTagOf({ idToken: 'A-1', parentIdTag: null })).toBeNull();
    expect(groupTagOf({ idToken: 'fleet-a', parentIdTag: 'FLEET-A' })).toBeNull();
  });
});
