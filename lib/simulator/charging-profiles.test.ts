import { describe, expect, it } from 'vitest';
import {
  ChargingProfiles,
  compositeSchedule,
  limitAt,
  powerCapW,
  type ChargingProfile,
  type ChargingSchedule,
  type InstallContext,
  type InstalledProfile,
  type LimitQuery,
} from './charging-profiles';
import type { Supply } from './meter';

// A fixed clock: Monday 2 June 2025, 08:00 UTC.
const t0 = Date.parse('2025-06-02T08:00:00Z');
const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 3_600_000;
const ac: Supply = { voltageV: 230, phases: 3, ac: true };
const dc: Supply = { voltageV: 230, phases: 1, ac: false };

/** A TxDefaultProfile on EVSE 1 limiting to 16 A from t0 on, unless told otherwise. */
function aProfile(
  overrides: Partial<InstalledProfile> = {},
  schedule: Partial<ChargingSchedule> = {},
): InstalledProfile {
  return {
    id: 1,
    evseId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    installedAt: t0,
    ...overrides,
    chargingSchedule: {
      startSchedule: t0,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      ...schedule,
    },
  };
}

const limits = (...values: [startPeriod: number, limit: number][]) => ({
  chargingSchedulePeriod: values.map(([startPeriod, limit]) => ({ startPeriod, limit })),
});
const tx = { id: 'T1', startedAt: t0 };
const query = (overrides: Partial<LimitQuery> = {}): LimitQuery => ({
  evseId: 1,
  at: t0,
  supply: ac,
  ...overrides,
});

describe('limitAt', () => {
  it.each<[string, InstalledProfile[], Partial<LimitQuery>, { amps: number; phases: number } | undefined]>([
    ['no profile: no limit', [], {}, undefined],
    ['a default for transactions', [aProfile()], {}, { amps: 16, phases: 3 }],
    [
      'the highest stack level wins, even with a higher limit',
      [
        aProfile({ id: 1, stackLevel: 0 }, limits([0, 10])),
        aProfile({ id: 2, stackLevel: 1 }, limits([0, 20])),
      ],
      {},
      { amps: 20, phases: 3 },
    ],
    [
      'a higher stack level not yet valid leaves the lower one in force',
      [
        aProfile({ id: 1, stackLevel: 0 }),
        aProfile({ id: 2, stackLevel: 1, validFrom: t0 + hours(1) }, limits([0, 6])),
      ],
      {},
      { amps: 16, phases: 3 },
    ],
    [
      "one set on the EVSE wins over EVSE 0's",
      [aProfile({ id: 1, evseId: 0, stackLevel: 5 }, limits([0, 10])), aProfile({ id: 2 }, limits([0, 20]))],
      {},
      { amps: 20, phases: 3 },
    ],
    [
      "EVSE 0's applies to an EVSE without its own",
      [aProfile({ id: 1, evseId: 0 }, limits([0, 10])), aProfile({ id: 2 }, limits([0, 20]))],
      { evseId: 2 },
      { amps: 10, phases: 3 },
    ],
    [
      "the transaction's own profile overrules the default, even with a higher limit",
      [
        aProfile({ id: 1 }, limits([0, 10])),
        aProfile({ id: 2, chargingProfilePurpose: 'TxProfile', transactionId: 'T1' }, limits([0, 20])),
      ],
      { transaction: tx },
      { amps: 20, phases: 3 },
    ],
    [
      "another transaction's profile does not apply",
      [
        aProfile({ id: 1 }, limits([0, 10])),
        aProfile({ id: 2, chargingProfilePurpose: 'TxProfile', transactionId: 'T0' }, limits([0, 20])),
      ],
      { transaction: tx },
      { amps: 10, phases: 3 },
    ],
    [
      'the station maximum caps the transaction',
      [
        aProfile({ id: 1, evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile' }, limits([0, 12])),
        aProfile({ id: 2, chargingProfilePurpose: 'TxProfile', transactionId: 'T1' }, limits([0, 20])),
      ],
      { transaction: tx },
      { amps: 12, phases: 3 },
    ],
    [
      'EVSE 0, the grid connection, has only the station maximum',
      [
        aProfile({ id: 1, evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile' }, limits([0, 32])),
        aProfile({ id: 2, evseId: 0 }),
      ],
      { evseId: 0 },
      { amps: 32, phases: 3 },
    ],
    [
      'the station maximum shared by two sessions',
      [aProfile({ id: 1, evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile' }, limits([0, 32]))],
      { stationMaxShare: 2 },
      { amps: 16, phases: 3 },
    ],
    [
      'W over three phases at 230 V',
      [aProfile({}, { chargingRateUnit: 'W', ...limits([0, 6900]) })],
      {},
      { amps: 10, phases: 3 },
    ],
    [
      'W on one phase',
      [
        aProfile(
          {},
          {
            chargingRateUnit: 'W',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 2300, numberPhases: 1 }],
          },
        ),
      ],
      {},
      { amps: 10, phases: 1 },
    ],
    [
      'the fewest phases of the profiles in force',
      [
        aProfile({ id: 1, evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile' }, limits([0, 32])),
        aProfile({ id: 2 }, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 1 }] }),
      ],
      {},
      { amps: 16, phases: 1 },
    ],
    [
      'DC: W is one current, numberPhases does not apply',
      [
        aProfile(
          {},
          {
            chargingRateUnit: 'W',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 23_000, numberPhases: 1 }],
          },
        ),
      ],
      { supply: dc },
      { amps: 100, phases: 1 },
    ],
    [
      'past validTo: no limit',
      [aProfile({ validTo: t0 + minutes(30) })],
      { at: t0 + minutes(30) },
      undefined,
    ],
  ])('%s', (_case, profiles, overrides, expected) => {
    expect(limitAt(profiles, query(overrides))).toEqual(expected);
  });

  describe('when a schedule runs', () => {
    const relative = aProfile(
      { chargingProfileKind: 'Relative' },
      { startSchedule: undefined, duration: 7200, ...limits([0, 16], [3600, 8]) },
    );
    const absolute = aProfile({}, { startSchedule: t0 + hours(1), duration: 1800, ...limits([0, 10]) });
    const daily = aProfile(
      { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' },
      // Every day from 06:00 for eight hours: 10 A, then 16 A from 10:00.
      { startSchedule: t0 - hours(26), duration: 8 * 3600, ...limits([0, 10], [4 * 3600, 16]) },
    );
    const weekly = aProfile(
      { chargingProfileKind: 'Recurring', recurrencyKind: 'Weekly' },
      // Mondays 10 A, the rest of the week 20 A.
      { startSchedule: t0 - hours(8) - 7 * hours(24), ...limits([0, 10], [86_400, 20]) },
    );
    it.each<[string, InstalledProfile, Partial<LimitQuery>, number | undefined]>([
      [
        'Relative: from the transaction start',
        relative,
        { transaction: { ...tx, startedAt: t0 - hours(1.5) } },
        8,
      ],
      [
        'Relative: its duration over',
        relative,
        { transaction: { ...tx, startedAt: t0 - hours(2) } },
        undefined,
      ],
      ['Relative without a transaction: from now', relative, {}, 16],
      ['Relative without a transaction: from the origin given', relative, { origin: t0 - hours(1) }, 8],
      ['Absolute: before startSchedule', absolute, {}, undefined],
      ['Absolute: at startSchedule', absolute, { at: t0 + hours(1) }, 10],
      ['Absolute: after its duration', absolute, { at: t0 + hours(1.5) }, undefined],
      [
        'Absolute without startSchedule: from validFrom',
        aProfile({ validFrom: t0 + hours(1) }, { startSchedule: undefined, ...limits([0, 10], [600, 12]) }),
        { at: t0 + hours(1) + minutes(10) },
        12,
      ],
      [
        'Absolute without startSchedule nor validFrom: from when it was installed',
        aProfile(
          { installedAt: t0 - minutes(10) },
          { startSchedule: undefined, ...limits([0, 10], [600, 12]) },
        ),
        {},
        12,
      ],
      ['Daily: first period', daily, { at: t0 + hours(1) }, 10],
      ['Daily: second period', daily, { at: t0 + hours(5) }, 16],
      ['Daily: after the day’s duration', daily, { at: t0 + hours(7) }, undefined],
      ['Daily: before the day’s start, from yesterday’s run', daily, { at: t0 - hours(3) }, undefined],
      ['Weekly: Monday', weekly, { at: t0 + hours(1) }, 10],
      ['Weekly: Tuesday', weekly, { at: t0 + hours(24) }, 20],
      ['Weekly: next Monday', weekly, { at: t0 + 7 * hours(24) }, 10],
    ])('%s', (_case, profile, overrides, amps) => {
      expect(limitAt([profile], query(overrides))?.amps).toBe(amps);
    });
  });
});

describe('powerCapW', () => {
  it.each([
    ['no limit', undefined, ac, Infinity],
    ['16 A on three phases', { amps: 16, phases: 3 }, ac, 11_040],
    ['16 A on one phase', { amps: 16, phases: 1 }, ac, 3680],
    ['6 A, the minimum', { amps: 6, phases: 3 }, ac, 4140],
    ['below 6 A: the EV pauses', { amps: 5.9, phases: 3 }, ac, 0],
    ['DC: no minimum', { amps: 1, phases: 1 }, dc, 230],
    ['DC: zero', { amps: 0, phases: 1 }, dc, 0],
  ] as const)('%s → %s W', (_case, limit, supply, watts) => {
    expect(powerCapW(limit, supply)).toBe(watts);
  });
});

describe('compositeSchedule', () => {
  const rated = { amps: 11_000 / 230 / 3, phases: 3 };
  const composite = (profiles: InstalledProfile[], unit: 'A' | 'W' = 'A', durationS = 7200) =>
    compositeSchedule(profiles, { evseId: 1, from: t0, durationS, unit, supply: ac, rated });

  it('without profiles: what the EVSE is rated for, rounded down', () => {
    expect(composite([])).toEqual([{ startPeriod: 0, limit: 15.9, numberPhases: 3 }]);
  });

  it('follows the schedule where it is below the rating, in A or W', () => {
    const later = aProfile(
      {},
      { startSchedule: t0 + minutes(10), duration: 3600, ...limits([0, 10], [1800, 6]) },
    );
    expect(composite([later])).toEqual([
      { startPeriod: 0, limit: 15.9, numberPhases: 3 },
      { startPeriod: 600, limit: 10, numberPhases: 3 },
      { startPeriod: 2400, limit: 6, numberPhases: 3 },
      { startPeriod: 4200, limit: 15.9, numberPhases: 3 },
    ]);
    expect(composite([later], 'W').map((p) => p.limit)).toEqual([11_000, 6900, 4140, 11_000]);
  });

  it('stacks: a higher level in force for a while, then the lower one again; equal periods merge', () => {
    const base = aProfile({ id: 1 }, limits([0, 12]));
    const boost = aProfile(
      { id: 2, stackLevel: 1 },
      { startSchedule: t0 + minutes(30), duration: 1800, ...limits([0, 8], [600, 8]) },
    );
    expect(composite([base, boost])).toEqual([
      { startPeriod: 0, limit: 12, numberPhases: 3 },
      { startPeriod: 1800, limit: 8, numberPhases: 3 },
      { startPeriod: 3600, limit: 12, numberPhases: 3 },
    ]);
  });

  it('repeats a daily schedule', () => {
    const nights = aProfile(
      { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' },
      // 22:00 to 06:00: 16 A; days: 6 A.
      { startSchedule: t0 - hours(10), duration: 86_400, ...limits([0, 16], [8 * 3600, 6]) },
    );
    expect(composite([nights], 'A', 86_400)).toEqual([
      { startPeriod: 0, limit: 6, numberPhases: 3 },
      { startPeriod: 14 * 3600, limit: 15.9, numberPhases: 3 },
      { startPeriod: 22 * 3600, limit: 6, numberPhases: 3 },
    ]);
  });
});

describe('ChargingProfiles', () => {
  const context = (overrides: Partial<InstallContext> = {}): InstallContext => ({
    at: t0,
    evseCount: 2,
    transactionOn: (evseId) => (evseId === 1 ? 'T1' : undefined),
    rules: '1.6',
    ...overrides,
  });
  const v201 = context({ rules: '2.0.1' });
  /** Without installedAt: as the CSMS sends it. */
  const sent = (overrides: Partial<ChargingProfile> = {}, schedule: Partial<ChargingSchedule> = {}) => {
    const { installedAt: _, ...profile } = aProfile(overrides, schedule);
    return profile;
  };
  const ids = (profiles: ChargingProfiles) => profiles.list().map((p) => p.id);

  it('installs, replaces by id, and keeps when the profile was installed', () => {
    const profiles = new ChargingProfiles();
    expect(profiles.install(sent({ id: 1 }), context())).toEqual({ status: 'Accepted' });
    expect(profiles.install(sent({ id: 2, stackLevel: 1 }), context())).toEqual({ status: 'Accepted' });
    expect(profiles.install(sent({ id: 1, stackLevel: 2 }), context({ at: t0 + 1000 }))).toEqual({
      status: 'Accepted',
    });
    expect(profiles.list().map((p) => [p.id, p.stackLevel, p.installedAt])).toEqual([
      [2, 1, t0],
      [1, 2, t0 + 1000],
    ]);
  });

  it('1.6 replaces a profile of the same purpose and stack level on the connector; 2.0.1 rejects it (K01.FR.06)', () => {
    const v16 = new ChargingProfiles();
    v16.install(sent({ id: 1 }), context());
    v16.install(sent({ id: 2, evseId: 2 }), context());
    expect(v16.install(sent({ id: 3 }), context())).toEqual({ status: 'Accepted' });
    expect(ids(v16)).toEqual([2, 3]);

    const v2 = new ChargingProfiles();
    v2.install(sent({ id: 1 }), v201);
    expect(v2.install(sent({ id: 3 }), v201)).toMatchObject({
      status: 'Rejected',
      reasonCode: 'DuplicateProfile',
    });
    expect(ids(v2)).toEqual([1]);
  });

  it.each<[string, InstallContext['rules'], Partial<ChargingProfile>, Partial<ChargingSchedule>, string]>([
    ['an EVSE the station does not have', '1.6', { evseId: 3 }, {}, 'UnknownEvse'],
    [
      'a station maximum on an EVSE',
      '1.6',
      { chargingProfilePurpose: 'ChargingStationMaxProfile' },
      {},
      'InvalidProfile',
    ],
    [
      'a Relative station maximum (K01.FR.38)',
      '1.6',
      { evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Relative' },
      { startSchedule: undefined },
      'InvalidProfile',
    ],
    [
      'external constraints (K01.FR.22)',
      '2.0.1',
      { evseId: 0, chargingProfilePurpose: 'ChargingStationExternalConstraints' },
      {},
      'InvalidProfile',
    ],
    [
      'a TxProfile without a transaction',
      '1.6',
      { evseId: 2, chargingProfilePurpose: 'TxProfile' },
      {},
      'TxNotFound',
    ],
    ['a TxProfile on EVSE 0', '1.6', { evseId: 0, chargingProfilePurpose: 'TxProfile' }, {}, 'TxNotFound'],
    [
      'a TxProfile for another transaction',
      '1.6',
      { chargingProfilePurpose: 'TxProfile', transactionId: 'T9' },
      {},
      'TxNotFound',
    ],
    [
      'a TxProfile without transactionId (K01.FR.03)',
      '2.0.1',
      { chargingProfilePurpose: 'TxProfile' },
      {},
      'TxNotFound',
    ],
    ['a stack level above ChargeProfileMaxStackLevel', '1.6', { stackLevel: 9 }, {}, 'InvalidStackLevel'],
    ['Recurring without recurrencyKind', '1.6', { chargingProfileKind: 'Recurring' }, {}, 'InvalidProfile'],
    [
      'Absolute without startSchedule (K01.FR.40)',
      '2.0.1',
      {},
      { startSchedule: undefined },
      'InvalidSchedule',
    ],
    [
      'Relative with startSchedule (K01.FR.41)',
      '2.0.1',
      { chargingProfileKind: 'Relative' },
      {},
      'InvalidSchedule',
    ],
    ['validTo before validFrom', '1.6', { validFrom: t0, validTo: t0 - 1 }, {}, 'InvalidProfile'],
    [
      'more periods than ChargingScheduleMaxPeriods',
      '1.6',
      {},
      limits(...Array.from({ length: 25 }, (_, i) => [i * 60, 16] as [number, number])),
      'InvalidSchedule',
    ],
    ['a first period after 0 (K01.FR.31)', '2.0.1', {}, limits([60, 16]), 'InvalidSchedule'],
    ['periods out of order (K01.FR.35)', '1.6', {}, limits([0, 16], [600, 10], [300, 8]), 'InvalidSchedule'],
    [
      'four phases',
      '1.6',
      {},
      { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 4 }] },
      'InvalidSchedule',
    ],
    [
      'phaseToUse without phase switching (K01.FR.20)',
      '2.0.1',
      {},
      { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }] },
      'InvalidSchedule',
    ],
  ])('rejects %s (%s)', (_case, rules, overrides, schedule, reasonCode) => {
    const profiles = new ChargingProfiles();
    expect(profiles.install(sent(overrides, schedule), context({ rules }))).toMatchObject({
      status: 'Rejected',
      reasonCode,
    });
    expect(profiles.size).toBe(0);
  });

  it('1.6 accepts what only 2.0.1 rejects: an Absolute schedule without start, a first period after 0', () => {
    const profiles = new ChargingProfiles();
    expect(profiles.install(sent({ id: 1 }, { startSchedule: undefined }), context())).toEqual({
      status: 'Accepted',
    });
    expect(profiles.install(sent({ id: 2, evseId: 2 }, limits([60, 16])), context())).toEqual({
      status: 'Accepted',
    });
  });

  it('binds a 1.6 TxProfile to the running transaction, and drops it when the transaction ends', () => {
    const profiles = new ChargingProfiles();
    profiles.install(sent({ id: 1 }), context());
    expect(profiles.install(sent({ id: 2, chargingProfilePurpose: 'TxProfile' }), context())).toEqual({
      status: 'Accepted',
    });
    expect(profiles.list()[1]?.transactionId).toBe('T1');
    profiles.transactionEnded('T0');
    expect(ids(profiles)).toEqual([1, 2]);
    profiles.transactionEnded('T1');
    expect(ids(profiles)).toEqual([1]);
  });

  it('holds at most MaxChargingProfilesInstalled; a replacement still fits', () => {
    const profiles = new ChargingProfiles({ maxStackLevel: 8, maxPeriods: 24, maxProfiles: 2 });
    profiles.install(sent({ id: 1 }), context());
    profiles.install(sent({ id: 2, evseId: 2 }), context());
    expect(profiles.install(sent({ id: 3, evseId: 0 }), context())).toMatchObject({ status: 'Rejected' });
    expect(profiles.install(sent({ id: 2, evseId: 0 }), context())).toEqual({ status: 'Accepted' });
    expect(ids(profiles)).toEqual([1, 2]);
  });

  it('clears by id (other criteria ignored), by criteria, or all; nothing matching clears nothing', () => {
    const profiles = new ChargingProfiles();
    const install = (overrides: Partial<ChargingProfile>) => profiles.install(sent(overrides), context());
    install({ id: 1, evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile' });
    install({ id: 2, evseId: 1 });
    install({ id: 3, evseId: 2 });
    install({ id: 4, evseId: 2, stackLevel: 1 });
    expect(profiles.clear({ id: 9 })).toEqual([]);
    expect(profiles.clear({ id: 2, evseId: 2 }).map((p) => p.id)).toEqual([2]);
    expect(profiles.clear({ evseId: 2, stackLevel: 1 }).map((p) => p.id)).toEqual([4]);
    expect(profiles.clear({ chargingProfilePurpose: 'TxProfile' })).toEqual([]);
    expect(profiles.clear({}).map((p) => p.id)).toEqual([1, 3]);
    expect(profiles.size).toBe(0);
  });
});
