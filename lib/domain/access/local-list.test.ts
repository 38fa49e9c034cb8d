import { describe, expect, it } from 'vitest';
import type { AccessPolicy, GroupGrant, TimeWindow } from './authorization';
import {
  diffLocalList,
  nextWindowEdge,
  planLocalList,
  splitUpdate,
  type ListCandidate,
  type LocalListChange,
  type LocalListEntry,
  type LocalListPlanInput,
} from './local-list';

// June 2026: Mon 1 ... Sun 7. Chicago is on CDT (UTC-5) all month.
const cdt = (local: string) => new Date(`${local}:00-05:00`);
const NOW = cdt('2026-06-03T10:00'); // Wednesday 10:00 in Chicago
const weekdays = [1, 2, 3, 4, 5];

let serial = 0;
const aCandidate = (
  overrides: Partial<ListCandidate['token']> = {},
  driverGroupIds: string[] = [],
): ListCandidate => ({
  token: {
    idToken: `TOKEN-${++serial}`,
    status: 'active',
    expiresAt: null,
    driverId: 'driver-1',
    blockedReason: null,
    ocppType: 'ISO14443',
    parentIdTag: null,
    ...overrides,
  },
  driverGroupIds,
});

const aGrant = (overrides: Partial<GroupGrant> = {}): GroupGrant => ({
  groupId: 'g-employees',
  groupName: 'Employees',
  windows: [],
  maxPowerW: null,
  ...overrides,
});
const restricted = (...grants: GroupGrant[]): AccessPolicy => ({ mode: 'restricted', grants });

const aPlan = (overrides: Partial<LocalListPlanInput> = {}) =>
  planLocalList({
    candidates: [],
    stationPolicy: null,
    sitePolicy: null,
    timeZone: 'America/Chicago',
    now: NOW,
    maxIdTokenLength: 36,
    capacity: null,
    ...overrides,
  });

const anEntry = (idToken: string, overrides: Partial<LocalListEntry> = {}): LocalListEntry => ({
  idToken,
  type: 'ISO14443',
  status: 'Accepted',
  expiresAt: null,
  parentIdTag: null,
  ...overrides,
});

describe('planLocalList', () => {
  it('lists every valid token at a public station, with expiry and parent tag, sorted case-insensitively', () => {
    const plan = aPlan({
      candidates: [
        aCandidate({ idToken: 'b-card', expiresAt: new Date('2027-01-01T00:00:00Z'), parentIdTag: 'FLEET' }),
        aCandidate({ idToken: 'A-CARD', ocppType: 'KeyCode' }),
        aCandidate({ idToken: 'nobodys', driverId: null }),
      ],
    });
    expect(plan.entries).toEqual([
      anEntry('A-CARD', { type: 'KeyCode' }),
      anEntry('b-card', { expiresAt: '2027-01-01T00:00:00.000Z', parentIdTag: 'FLEET' }),
      anEntry('nobodys'),
    ]);
    expect(plan.leftOut).toEqual([]);
    expect(plan.reviewAt).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('lists blocked and expired tokens as such where they would otherwise be accepted', () => {
    const plan = aPlan({
      candidates: [
        aCandidate({ idToken: 'LOST', status: 'blocked', blockedReason: 'lost' }),
        aCandidate({ idToken: 'OLD', expiresAt: cdt('2026-05-01T00:00') }),
        aCandidate({ idToken: 'RETIRED', status: 'expired' }),
      ],
    });
    expect(plan.entries.map((e) => [e.idToken, e.status])).toEqual([
      ['LOST', 'Blocked'],
      ['OLD', 'Expired'],
      ['RETIRED', 'Expired'],
    ]);
    // An expired entry does not change by itself again.
    expect(plan.reviewAt).toBeNull();
  });

  it('lists the tokens of a blocked group tag as blocked, and ends a group at its tag’s expiry', () => {
    const plan = aPlan({
      candidates: [
        aCandidate({
          idToken: 'FLEET-A',
          status: 'blocked',
          blockedReason: 'contract ended',
          driverId: null,
        }),
        aCandidate({ idToken: 'A-1', parentIdTag: 'fleet-a' }),
        aCandidate({ idToken: 'FLEET-B', driverId: null, expiresAt: new Date('2026-12-31T00:00:00Z') }),
        aCandidate({ idToken: 'B-1', parentIdTag: 'FLEET-B', expiresAt: new Date('2027-06-30T00:00:00Z') }),
        aCandidate({ idToken: 'C-1', parentIdTag: 'NOT-A-TOKEN' }),
      ],
    });
    expect(plan.entries).toEqual([
      anEntry('A-1', { status: 'Blocked', parentIdTag: 'fleet-a' }),
      anEntry('B-1', { expiresAt: '2026-12-31T00:00:00.000Z', parentIdTag: 'FLEET-B' }),
      anEntry('C-1', { parentIdTag: 'NOT-A-TOKEN' }),
      anEntry('FLEET-A', { status: 'Blocked' }),
      anEntry('FLEET-B', { expiresAt: '2026-12-31T00:00:00.000Z' }),
    ]);
    expect(plan.reviewAt).toEqual(new Date('2026-12-31T00:00:00Z'));
  });

  it('at a restricted station lists only the allowed groups, and blocked tokens of those groups', () => {
    const plan = aPlan({
      sitePolicy: restricted(aGrant()),
      candidates: [
        aCandidate({ idToken: 'EMPLOYEE' }, ['g-employees']),
        aCandidate({ idToken: 'VISITOR' }, ['g-visitors']),
        aCandidate({ idToken: 'EMP-LOST', status: 'blocked' }, ['g-employees']),
        aCandidate({ idToken: 'VIS-LOST', status: 'blocked' }, ['g-visitors']),
        // A card nobody holds is in no group.
        aCandidate({ idToken: 'DRAWER', driverId: null }, ['g-employees']),
      ],
    });
    expect(plan.entries.map((e) => [e.idToken, e.status])).toEqual([
      ['EMP-LOST', 'Blocked'],
      ['EMPLOYEE', 'Accepted'],
    ]);
  });

  it("uses the station's own policy over its site's", () => {
    const candidates = [aCandidate({ idToken: 'VISITOR' }, ['g-visitors'])];
    expect(aPlan({ sitePolicy: restricted(aGrant()), candidates }).entries).toEqual([]);
    expect(
      aPlan({ sitePolicy: restricted(aGrant()), stationPolicy: { mode: 'public' }, candidates }).entries,
    ).toHaveLength(1);
  });

  it('lists a windowed group only while its window is open, and says when that changes', () => {
    const employees = aGrant({ windows: [{ days: weekdays, start: '07:00', end: '19:00' }] });
    const candidates = [aCandidate({ idToken: 'EMPLOYEE' }, ['g-employees'])];
    const during = aPlan({ sitePolicy: restricted(employees), candidates });
    expect(during.entries.map((e) => e.idToken)).toEqual(['EMPLOYEE']);
    expect(during.reviewAt).toEqual(cdt('2026-06-03T19:00'));

    const evening = aPlan({ sitePolicy: restricted(employees), candidates, now: cdt('2026-06-03T19:00') });
    expect(evening.entries).toEqual([]);
    expect(evening.reviewAt).toEqual(cdt('2026-06-04T07:00'));

    // Friday evening: next opening is Monday.
    const weekend = aPlan({ sitePolicy: restricted(employees), candidates, now: cdt('2026-06-05T20:00') });
    expect(weekend.reviewAt).toEqual(cdt('2026-06-08T07:00'));
  });

  it('reviews when an accepted token expires, whichever comes first', () => {
    const employees = aGrant({ windows: [{ days: weekdays, start: '07:00', end: '19:00' }] });
    const plan = aPlan({
      sitePolicy: restricted(employees),
      candidates: [aCandidate({ idToken: 'SOON', expiresAt: cdt('2026-06-03T12:00') }, ['g-employees'])],
    });
    expect(plan.reviewAt).toEqual(cdt('2026-06-03T12:00'));
  });

  it('leaves out tokens too long for the version, and drops parent tags it cannot carry', () => {
    const plan = aPlan({
      maxIdTokenLength: 20,
      candidates: [
        aCandidate({ idToken: 'A'.repeat(21) }),
        aCandidate({ idToken: 'SHORT', parentIdTag: 'P'.repeat(21) }),
      ],
    });
    expect(plan.entries).toEqual([anEntry('SHORT')]);
    expect(plan.leftOut).toEqual([
      { idToken: 'A'.repeat(21), reason: expect.stringContaining('20 characters') },
    ]);
  });

  it('fits the capacity: expired, then blocked entries go first, then accepted ones are reported', () => {
    const candidates = [
      aCandidate({ idToken: 'A1' }),
      aCandidate({ idToken: 'A2' }),
      aCandidate({ idToken: 'B1', status: 'blocked' }),
      aCandidate({ idToken: 'E1', status: 'expired' }),
    ];
    expect(aPlan({ candidates, capacity: 3 }).entries.map((e) => e.idToken)).toEqual(['A1', 'A2', 'B1']);
    expect(aPlan({ candidates, capacity: 2 }).entries.map((e) => e.idToken)).toEqual(['A1', 'A2']);
    const tight = aPlan({ candidates, capacity: 1 });
    expect(tight.entries.map((e) => e.idToken)).toEqual(['A1']);
    expect(tight.leftOut).toEqual([{ idToken: 'A2', reason: 'The station holds at most 1 entries' }]);
  });
});

describe('diffLocalList', () => {
  it('sends only what differs and removes what is no longer wanted', () => {
    const held = [anEntry('KEEP'), anEntry('CHANGE'), anEntry('GONE')];
    const wanted = [anEntry('keep'.toUpperCase()), anEntry('CHANGE', { status: 'Blocked' }), anEntry('NEW')];
    const changes = diffLocalList(held, wanted);
    expect(changes).toEqual([
      { set: anEntry('CHANGE', { status: 'Blocked' }) },
      { set: anEntry('NEW') },
      { remove: 'GONE', type: 'ISO14443' },
    ]);
  });

  it('treats a token whose case changed as a change of the same entry', () => {
    expect(diffLocalList([anEntry('abc')], [anEntry('ABC')])).toEqual([{ set: anEntry('ABC') }]);
  });

  it('finds nothing to send when the lists agree', () => {
    expect(
      diffLocalList(
        [anEntry('A', { expiresAt: '2027-01-01T00:00:00.000Z' })],
        [anEntry('A', { expiresAt: '2027-01-01T00:00:00.000Z' })],
      ),
    ).toEqual([]);
  });
});

describe('splitUpdate', () => {
  const sets = (n: number): LocalListChange[] =>
    Array.from({ length: n }, (_, i) => ({ set: anEntry(`T${i}`) }));
  const size = () => 50;

  it('sends a full list that is too long as Full then Differential parts', () => {
    const parts = splitUpdate('Full', sets(5), { maxItems: 2, maxBytes: null }, size);
    expect(parts.map((p) => [p.updateType, p.changes.length])).toEqual([
      ['Full', 2],
      ['Differential', 2],
      ['Differential', 1],
    ]);
  });

  it('respects a byte limit as well', () => {
    // 200 bytes of message around the items, 51 per item: three fit under 400.
    const parts = splitUpdate('Differential', sets(7), { maxItems: null, maxBytes: 400 }, size);
    expect(parts.map((p) => p.changes.length)).toEqual([3, 3, 1]);
  });

  it('sends an empty Full update as one message (it clears the list), and nothing for no differences', () => {
    expect(splitUpdate('Full', [], { maxItems: 2, maxBytes: null }, size)).toEqual([
      { updateType: 'Full', changes: [] },
    ]);
    expect(splitUpdate('Differential', [], { maxItems: 2, maxBytes: null }, size)).toEqual([]);
  });
});

describe('nextWindowEdge', () => {
  const window = (overrides: Partial<TimeWindow> = {}): TimeWindow => ({
    days: weekdays,
    start: '07:00',
    end: '19:00',
    ...overrides,
  });

  it('finds the next opening or closing in local time', () => {
    expect(nextWindowEdge(window(), 'America/Chicago', cdt('2026-06-03T06:59'))).toEqual(
      cdt('2026-06-03T07:00'),
    );
    expect(nextWindowEdge(window(), 'America/Chicago', cdt('2026-06-03T07:00'))).toEqual(
      cdt('2026-06-03T19:00'),
    );
    expect(nextWindowEdge(window(), 'America/Chicago', cdt('2026-06-06T12:00'))).toEqual(
      cdt('2026-06-08T07:00'),
    );
  });

  it('closes a window across midnight on the next day, including Sunday into Monday', () => {
    const night = window({ days: [0], start: '22:00', end: '06:00' });
    expect(nextWindowEdge(night, 'America/Chicago', cdt('2026-06-07T23:00'))).toEqual(
      cdt('2026-06-08T06:00'),
    );
    const late = window({ days: [3], start: '20:00', end: '24:00' });
    expect(nextWindowEdge(late, 'America/Chicago', cdt('2026-06-03T21:00'))).toEqual(cdt('2026-06-04T00:00'));
  });

  it('follows the local clock across DST changes', () => {
    // 2026-03-08: Chicago springs forward (02:00 CST -> 03:00 CDT). Sunday windows.
    const sunday = window({ days: [0], start: '07:00', end: '19:00' });
    expect(nextWindowEdge(sunday, 'America/Chicago', new Date('2026-03-08T06:00:00Z'))).toEqual(
      new Date('2026-03-08T12:00:00Z'), // 07:00 CDT
    );
    // 2026-11-01: falls back (02:00 CDT -> 01:00 CST); 07:00 is then UTC-6.
    expect(nextWindowEdge(sunday, 'America/Chicago', new Date('2026-11-01T05:00:00Z'))).toEqual(
      new Date('2026-11-01T13:00:00Z'),
    );
  });

  it('takes an edge inside the spring-forward gap when the clock jumps past it', () => {
    const gap = window({ days: [0], start: '02:30', end: '05:00' });
    // 02:30 does not exist on 2026-03-08 in Chicago: the window opens at 03:00 CDT (08:00Z).
    expect(nextWindowEdge(gap, 'America/Chicago', new Date('2026-03-08T07:00:00Z'))).toEqual(
      new Date('2026-03-08T08:00:00Z'),
    );
  });

  it('works in zones east of UTC and with half-hour offsets', () => {
    const w = window({ days: [1, 2, 3, 4, 5, 6, 0], start: '08:00', end: '09:00' });
    expect(nextWindowEdge(w, 'Asia/Kolkata', new Date('2026-06-03T00:00:00Z'))).toEqual(
      new Date('2026-06-03T02:30:00Z'),
    );
    expect(nextWindowEdge(w, 'Europe/Berlin', new Date('2026-06-03T06:30:00Z'))).toEqual(
      new Date('2026-06-03T07:00:00Z'),
    );
  });
});
