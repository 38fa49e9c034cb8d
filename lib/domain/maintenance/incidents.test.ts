import { describe, expect, it } from 'vitest';
import {
  classifyStatus,
  countsAsOutage,
  defaultIncidentRules,
  defaultRemediationPlan,
  failedStartStreak,
  formatRemediationPlan,
  incidentKindLabels,
  incidentKinds,
  incidentTitle,
  isCriticalSecurityEvent,
  isFailedStart,
  isFirmwareFailure,
  maxRemediationSteps,
  offlineOverdue,
  opensSecurityIncident,
  outageMinutes,
  problemsReported,
  type DeviceEvent,
  parseRemediationPlan,
  remediable,
  type IncidentKind,
  type IncidentRules,
  type RemediationStep,
} from './incidents';

const NOW = new Date('2026-06-03T15:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const rules = (overrides: Partial<IncidentRules> = {}): IncidentRules => ({
  ...defaultIncidentRules,
  ...overrides,
});
const session = (energyWh: number | null) => ({ energyWh });

describe('incident kinds', () => {
  it('labels every kind', () => {
    expect(Object.keys(incidentKindLabels)).toEqual([...incidentKinds]);
    expect(incidentKindLabels.failed_starts).toBe('Repeated failed starts');
    expect(incidentKindLabels.firmware_failed).toBe('Firmware update failed');
  });

  it.each<[IncidentKind, boolean, boolean]>([
    ['connector_faulted', true, true],
    ['station_offline', true, false],
    ['failed_starts', true, true],
    ['boot_rejected', true, false],
    ['firmware_failed', false, false],
    ['security_event', false, false],
  ])('%s: counts as outage %s, remediable %s', (kind, outage, canRemediate) => {
    expect(countsAsOutage(kind)).toBe(outage);
    expect(remediable(kind)).toBe(canRemediate);
  });
});

describe('classifyStatus', () => {
  it.each([
    ['Faulted', 'problem'],
    ['Available', 'healthy'],
    ['Occupied', 'healthy'],
    ['Preparing', 'healthy'],
    ['Charging', 'healthy'],
    ['SuspendedEV', 'healthy'],
    ['SuspendedEVSE', 'healthy'],
    ['Finishing', 'healthy'],
    ['Reserved', 'healthy'],
    ['Unavailable', 'neutral'],
    ['faulted', 'neutral'],
    ['VendorSpecific', 'neutral'],
    ['', 'neutral'],
  ])('%j is %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('failed starts', () => {
  it.each<[number | null, boolean]>([
    [null, true],
    [0, true],
    [49, true],
    [50, false],
    [12_000, false],
  ])('a session that delivered %j Wh is a failed start: %s', (energyWh, failed) => {
    expect(isFailedStart(session(energyWh), defaultIncidentRules)).toBe(failed);
  });

  it('uses the threshold from the rules', () => {
    expect(isFailedStart(session(150), rules({ minSessionWh: 200 }))).toBe(true);
    expect(isFailedStart(session(0), rules({ minSessionWh: 0 }))).toBe(false);
  });

  it.each<[string, (number | null)[], number]>([
    ['no sessions', [], 0],
    ['a good session first', [8000, null, 0], 0],
    ['three failures then a good one', [0, null, 10, 8000, 0], 3],
    ['only failures', [null, null], 2],
    ['a failure, a good one, failures', [5, 8000, 0, 0, 0], 1],
  ])('counts the streak at the head with %s', (_, energies, streak) => {
    expect(failedStartStreak(energies.map(session), defaultIncidentRules)).toBe(streak);
  });

  it('reaches the default threshold at three in a row', () => {
    const streak = failedStartStreak([0, 0, 0].map(session), defaultIncidentRules);
    expect(streak >= defaultIncidentRules.failedStartsInARow).toBe(true);
  });
});

describe('offlineOverdue', () => {
  it.each<[string, boolean, Date | null, boolean]>([
    ['online', true, minutesAgo(60), false],
    ['offline for 9 minutes', false, minutesAgo(9), false],
    ['offline for exactly 10 minutes', false, minutesAgo(10), true],
    ['offline for an hour', false, minutesAgo(60), true],
    ['never seen', false, null, false],
  ])('a station %s is overdue: %s', (_, online, lastSeenAt, expected) => {
    expect(offlineOverdue({ online, lastSeenAt }, NOW, defaultIncidentRules)).toBe(expected);
  });

  it('uses the threshold from the rules', () => {
    expect(
      offlineOverdue({ online: false, lastSeenAt: minutesAgo(20) }, NOW, rules({ offlineAfterMinutes: 30 })),
    ).toBe(false);
  });
});

describe('isFirmwareFailure', () => {
  it.each(['DownloadFailed', 'InstallationFailed', 'InstallVerificationFailed', 'InvalidSignature'])(
    '%s is a failure',
    (status) => {
      expect(isFirmwareFailure(status)).toBe(true);
    },
  );

  it.each([
    'Downloaded',
    'Downloading',
    'DownloadScheduled',
    'DownloadPaused',
    'Idle',
    'Installing',
    'Installed',
    'InstallRebooting',
    'InstallScheduled',
    'SignatureVerified',
    // Not values of either version's enumeration.
    'SignatureError',
    'InstallRebootFailed',
    'downloadfailed',
  ])('%s is not', (status) => {
    expect(isFirmwareFailure(status)).toBe(false);
  });
});

describe('security events', () => {
  const critical201 = [
    'FirmwareUpdated',
    'SettingSystemTime',
    'StartupOfTheDevice',
    'ResetOrReboot',
    'SecurityLogWasCleared',
    'MemoryExhaustion',
    'TamperDetectionActivated',
    'InvalidFirmwareSignature',
    'InvalidFirmwareSigningCertificate',
    'InvalidCsmsCertificate',
    'InvalidChargingStationCertificate',
    'InvalidTLSVersion',
    'InvalidTLSCipherSuite',
    'MaintenanceLoginAccepted',
    'MaintenanceLoginFailed',
  ];
  const notCritical201 = [
    'FailedToAuthenticateAtCsms',
    'CsmsFailedToAuthenticate',
    'ReconfigurationOfSecurityParameters',
    'InvalidMessages',
    'AttemptedReplayAttacks',
    'DiscardedRenewedClientCertificate',
    'SomethingVendorSpecific',
  ];

  it.each(critical201)('2.0.1 marks %s critical', (type) => {
    expect(isCriticalSecurityEvent(type)).toBe(true);
    expect(isCriticalSecurityEvent(type, '2.0.1')).toBe(true);
  });

  it.each(notCritical201)('2.0.1 does not mark %s critical', (type) => {
    expect(isCriticalSecurityEvent(type)).toBe(false);
  });

  it.each([
    ['FirmwareUpdated', true],
    ['SettingSystemTime', true],
    ['StartupOfTheDevice', true],
    ['ResetOrReboot', true],
    ['SecurityLogWasCleared', true],
    ['MemoryExhaustion', true],
    ['TamperDetectionActivated', true],
    ['FailedToAuthenticateAtCentralSystem', false],
    ['CentralSystemFailedToAuthenticate', false],
    ['ReconfigurationOfSecurityParameters', false],
    ['InvalidMessages', false],
    ['AttemptedReplayAttacks', false],
    ['InvalidFirmwareSignature', false],
    ['InvalidFirmwareSigningCertificate', false],
    ['InvalidCentralSystemCertificate', false],
    ['InvalidChargePointCertificate', false],
    ['InvalidTLSVersion', false],
    ['InvalidTLSCipherSuite', false],
  ])('the 1.6 security whitepaper marks %s critical: %s', (type, critical) => {
    expect(isCriticalSecurityEvent(type, '1.6')).toBe(critical);
  });

  it.each(['StartupOfTheDevice', 'ResetOrReboot', 'FirmwareUpdated', 'SettingSystemTime'])(
    'a routine %s opens no incident although critical',
    (type) => {
      expect(opensSecurityIncident(type)).toBe(false);
      expect(opensSecurityIncident(type, '1.6')).toBe(false);
    },
  );

  it.each([
    ['TamperDetectionActivated', '2.0.1', true],
    ['TamperDetectionActivated', '1.6', true],
    ['SecurityLogWasCleared', '2.0.1', true],
    ['InvalidCsmsCertificate', '2.0.1', true],
    ['InvalidTLSVersion', '1.6', false],
    ['MaintenanceLoginFailed', '2.0.1', true],
    ['InvalidMessages', '2.0.1', false],
  ] as const)('%s (%s) opens an incident: %s', (type, version, opens) => {
    expect(opensSecurityIncident(type, version)).toBe(opens);
  });
});

describe('incidentTitle', () => {
  it.each<[string, IncidentKind, Parameters<typeof incidentTitle>[1], string]>([
    [
      'a faulted connector',
      'connector_faulted',
      { evseId: 2, errorCode: 'GroundFailure' },
      'Connector 2 faulted: GroundFailure',
    ],
    ['a fault without a code', 'connector_faulted', { evseId: 1, errorCode: null }, 'Connector 1 faulted'],
    [
      'a 1.6 fault with NoError',
      'connector_faulted',
      { evseId: 1, errorCode: 'NoError' },
      'Connector 1 faulted',
    ],
    [
      'a fault with vendor detail only',
      'connector_faulted',
      { evseId: 3, errorCode: 'NoError', detail: 'E42 contactor' },
      'Connector 3 faulted: E42 contactor',
    ],
    [
      'a station-wide fault',
      'connector_faulted',
      { evseId: 0, errorCode: 'PowerSwitchFailure' },
      'Station faulted: PowerSwitchFailure',
    ],
    ['an offline station', 'station_offline', { evseId: 0, detail: 'ignored' }, 'Station offline'],
    [
      'a streak of failed starts',
      'failed_starts',
      { evseId: 1, count: 3 },
      '3 failed starts in a row on EVSE 1',
    ],
    ['a single failed start', 'failed_starts', { evseId: 1, count: 1 }, '1 failed start in a row on EVSE 1'],
    ['failed starts without a count', 'failed_starts', { evseId: 2 }, 'Repeated failed starts on EVSE 2'],
    ['a rejected boot', 'boot_rejected', { evseId: 0 }, 'Boot rejected'],
    [
      'a failed firmware update',
      'firmware_failed',
      { evseId: 0, detail: 'InstallationFailed' },
      'Firmware update failed: InstallationFailed',
    ],
    [
      'a failed firmware update, no status',
      'firmware_failed',
      { evseId: 0, detail: '  ' },
      'Firmware update failed',
    ],
    [
      'a security event',
      'security_event',
      { evseId: 0, detail: 'TamperDetectionActivated' },
      'Security event: TamperDetectionActivated',
    ],
  ])('titles %s', (_, kind, facts, title) => {
    expect(incidentTitle(kind, facts)).toBe(title);
  });

  it('keeps vendor text on one short line', () => {
    const title = incidentTitle('security_event', {
      evseId: 0,
      detail: `Tamper\nswitch\t${'x'.repeat(300)}`,
    });
    expect(title).not.toMatch(/\n|\t/);
    expect(title.startsWith('Security event: Tamper switch x')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBe('Security event: '.length + 120);
  });
});

describe('outageMinutes', () => {
  const start = new Date('2026-06-03T12:00:00Z');
  const after = (ms: number) => new Date(start.getTime() + ms);

  it.each([
    ['no time', 0, 0],
    ['a whole hour', 3_600_000, 60],
    ['90 seconds', 90_000, 1.5],
    ['20 seconds', 20_000, 0.33],
    ['40 seconds', 40_000, 0.67],
    ['12 min 20.4 s', 740_400, 12.34],
    ['half a hundredth rounds up', 300, 0.01],
    ['under half a hundredth rounds down', 299, 0],
    ['a month', 30 * 24 * 3_600_000, 43_200],
  ])('counts %s', (_, ms, minutes) => {
    expect(outageMinutes(start, after(ms))).toBe(minutes);
  });

  it('is never negative', () => {
    expect(outageMinutes(start, after(-60_000))).toBe(0);
  });

  it('refuses an invalid date', () => {
    expect(() => outageMinutes(start, new Date('nope'))).toThrow('outageMinutes needs two valid dates');
  });
});

describe('remediation plans', () => {
  const soft: RemediationStep = { action: 'soft-reset' };
  const hard: RemediationStep = { action: 'hard-reset' };
  const wait = (minutes: number): RemediationStep => ({ action: 'wait', minutes });

  it.each<[string, RemediationStep[]]>([
    ['soft-reset, wait 5, hard-reset, wait 10', defaultRemediationPlan],
    ['hard-reset', [hard]],
    ['  Soft-Reset ,WAIT   5,  hard reset  ', [soft, wait(5), hard]],
    ['softreset, wait 5 min, hardreset, wait 10 minutes', [soft, wait(5), hard, wait(10)]],
    ['soft-reset\nwait 1m\nhard-reset\nwait 1440', [soft, wait(1), hard, wait(1440)]],
    ['soft-reset, wait 05, soft-reset,', [soft, wait(5), soft]],
    ['wait 2, soft-reset', [wait(2), soft]],
  ])('reads %j', (text, steps) => {
    expect(parseRemediationPlan(text)).toEqual({ ok: true, steps });
  });

  it.each([
    ['', 'The plan is empty: list steps such as "soft-reset, wait 5, hard-reset"'],
    [' , \n ', 'The plan is empty: list steps such as "soft-reset, wait 5, hard-reset"'],
    ['soft-reset,, hard-reset', 'Step 2 is empty'],
    [', soft-reset', 'Step 1 is empty'],
    ['soft-reset, reboot', 'Step 2 "reboot" is not a step: use soft-reset, hard-reset or wait <minutes>'],
    ['soft-reset, wait', 'Step 2 "wait" needs a number of minutes, e.g. "wait 5"'],
    ['soft-reset, wait 0', 'Step 2 "wait 0": the wait must be whole minutes from 1 to 1440'],
    ['soft-reset, wait 1.5', 'Step 2 "wait 1.5": the wait must be whole minutes from 1 to 1440'],
    ['soft-reset, wait -3', 'Step 2 "wait -3": the wait must be whole minutes from 1 to 1440'],
    ['soft-reset, wait five', 'Step 2 "wait five": the wait must be whole minutes from 1 to 1440'],
    ['soft-reset, wait 1441', 'Step 2 "wait 1441": the wait must be whole minutes from 1 to 1440'],
    [
      'soft-reset, wait 5 10',
      'Step 2 "wait 5 10" is not a step: use soft-reset, hard-reset or wait <minutes>',
    ],
    ['wait 5, wait 10', 'The plan has no reset: add soft-reset or hard-reset'],
    [
      Array.from({ length: maxRemediationSteps + 1 }, () => 'soft-reset').join(', '),
      `A plan has at most ${maxRemediationSteps} steps; this one has ${maxRemediationSteps + 1}`,
    ],
  ])('refuses %j', (text, error) => {
    expect(parseRemediationPlan(text)).toEqual({ ok: false, error });
  });

  it('formats the default plan as the text it reads', () => {
    expect(formatRemediationPlan(defaultRemediationPlan)).toBe('soft-reset, wait 5, hard-reset, wait 10');
  });

  it.each([[[soft, wait(5), hard, wait(10)]], [[hard]], [[wait(1), soft, wait(1440), hard]]])(
    'reads back what it formats: %j',
    (steps) => {
      expect(parseRemediationPlan(formatRemediationPlan(steps))).toEqual({ ok: true, steps });
    },
  );

  it('writes a wait without minutes bare, so reading it back names the problem', () => {
    const text = formatRemediationPlan([soft, { action: 'wait' }]);
    expect(text).toBe('soft-reset, wait');
    expect(parseRemediationPlan(text)).toEqual({
      ok: false,
      error: 'Step 2 "wait" needs a number of minutes, e.g. "wait 5"',
    });
  });
});

describe('problemsReported (2.0.1 NotifyEvent)', () => {
  const event = (overrides: Partial<DeviceEvent> = {}): DeviceEvent => ({
    actualValue: 'true',
    component: { name: 'Connector', evse: { id: 2, connectorId: 1 } },
    variable: { name: 'Problem' },
    ...overrides,
  });
  it('reads a Problem turning true as a fault of its EVSE, with the charger’s code and text', () => {
    expect(problemsReported([event({ techCode: ' GroundFailure ', techInfo: 'RCD tripped' })])).toEqual([
      { evseId: 2, errorCode: 'GroundFailure', info: 'RCD tripped' },
    ]);
  });
  it('names the component when the charger gives no code, and the station for a component outside EVSEs', () => {
    expect(problemsReported([event({ component: { name: 'PowerContactor' }, actualValue: 'True' })])).toEqual(
      [{ evseId: 0, errorCode: 'PowerContactor.Problem', info: null }],
    );
  });
  it('ignores a problem that ends, a cleared event, and other variables', () => {
    expect(
      problemsReported([
        event({ actualValue: 'false' }),
        event({ cleared: true }),
        event({ variable: { name: 'Tripped' } }),
      ]),
    ).toEqual([]);
  });
});
