/**
 * Incident rules: which charger reports open an incident, which close it, how long the outage
 * was, and the remote remediation tried before a technician is sent. Pure: the clock and the
 * thresholds are parameters.
 */

export const incidentKinds = [
  'connector_faulted',
  'station_offline',
  'failed_starts',
  'boot_rejected',
  'firmware_failed',
  'security_event',
] as const;
export type IncidentKind = (typeof incidentKinds)[number];

export const incidentKindLabels: Record<IncidentKind, string> = {
  connector_faulted: 'Connector faulted',
  station_offline: 'Station offline',
  failed_starts: 'Repeated failed starts',
  boot_rejected: 'Boot rejected',
  firmware_failed: 'Firmware update failed',
  security_event: 'Security event',
};

// NEVI (23 CFR 680.116(b)) uptime counts the time a port cannot serve a driver. A failed firmware
// update leaves the old firmware running and a security event says nothing about charging.
const outageKinds: ReadonlySet<IncidentKind> = new Set([
  'connector_faulted',
  'station_offline',
  'failed_starts',
  'boot_rejected',
]);

/** Whether an incident of this kind makes the port(s) unavailable to drivers, so it counts as outage time. */
export function countsAsOutage(kind: IncidentKind): boolean {
  return outageKinds.has(kind);
}

/** Thresholds an organisation may tune. */
export interface IncidentRules {
  /** Open a station-offline incident once it has been unreachable this long. */
  offlineAfterMinutes: number;
  /** This many sessions in a row on one EVSE that delivered (almost) nothing. */
  failedStartsInARow: number;
  /** A session that delivered less than this is a failed start. */
  minSessionWh: number;
}

export const defaultIncidentRules: IncidentRules = {
  offlineAfterMinutes: 10,
  failedStartsInARow: 3,
  minSessionWh: 50,
};

// Connector statuses of both versions (1.6 ChargePointStatus, 2.0.1 ConnectorStatusEnumType) that
// mean the connector works again.
const healthyStatuses: ReadonlySet<string> = new Set([
  'Available',
  'Occupied',
  'Preparing',
  'Charging',
  'SuspendedEV',
  'SuspendedEVSE',
  'Finishing',
  'Reserved',
]);

/**
 * What a connector status says about a fault: Faulted opens (or keeps) an incident, a working
 * status closes it. Unavailable is neither: an operator (or a firmware update) took the connector
 * out of service on purpose, which neither proves nor disproves the repair. Unknown values are
 * neutral too, so a vendor's extension cannot close an incident by accident.
 */
export function classifyStatus(status: string): 'problem' | 'healthy' | 'neutral' {
  if (status === 'Faulted') return 'problem';
  return healthyStatuses.has(status) ? 'healthy' : 'neutral';
}

/** Whether a finished session counts as a failed start: no energy reading, or less than minSessionWh. */
export function isFailedStart(session: { energyWh: number | null }, rules: IncidentRules): boolean {
  return session.energyWh === null || session.energyWh < rules.minSessionWh;
}

/** The number of failed starts at the head of a newest-first list of finished sessions (stops at the first good one). */
export function failedStartStreak(
  sessionsNewestFirst: readonly { energyWh: number | null }[],
  rules: IncidentRules,
): number {
  const firstGood = sessionsNewestFirst.findIndex((session) => !isFailedStart(session, rules));
  return firstGood === -1 ? sessionsNewestFirst.length : firstGood;
}

/**
 * Whether an offline station is due an incident: not connected, and last seen at least
 * offlineAfterMinutes ago. A station never seen has never worked, so it is a commissioning
 * matter, not an outage.
 */
export function offlineOverdue(
  station: { online: boolean; lastSeenAt: Date | null },
  now: Date,
  rules: IncidentRules,
): boolean {
  if (station.online || station.lastSeenAt === null) return false;
  return now.getTime() - station.lastSeenAt.getTime() >= rules.offlineAfterMinutes * 60_000;
}

// 1.6 FirmwareStatus has DownloadFailed and InstallationFailed; 2.0.1 FirmwareStatusEnumType (and
// the 1.6 security whitepaper's SignedFirmwareStatusNotification, same values) adds
// InstallVerificationFailed and InvalidSignature. Those four are the failure end states; the
// other values (Downloaded, Downloading, DownloadScheduled, DownloadPaused, Idle, Installing,
// Installed, InstallRebooting, InstallScheduled, SignatureVerified) are progress or success.
const firmwareFailures: ReadonlySet<string> = new Set([
  'DownloadFailed',
  'InstallationFailed',
  'InstallVerificationFailed',
  'InvalidSignature',
]);

/** Whether a firmware status (1.6 or 2.0.1) is a failure end state. */
export function isFirmwareFailure(status: string): boolean {
  return firmwareFailures.has(status);
}

// OCPP 2.0.1 Part 2 Appendices, Appendix 1 "Security Events", as updated in appendix v1.3 (Errata
// 2022) and kept in Edition 3 (v1.4): the events marked Critical, which a station SHALL push to the
// CSMS. Earlier 2.0.1 appendices marked InvalidFirmwareSignature and InvalidFirmwareSigningCertificate
// not critical. DiscardedRenewedClientCertificate is OCPP 2.1 only and left out.
const critical201: ReadonlySet<string> = new Set([
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
]);

// OCPP 1.6 Security Whitepaper, appendix "Security events": a shorter critical list. The
// certificate and TLS events (InvalidCentralSystemCertificate, InvalidChargePointCertificate,
// InvalidTLSVersion, InvalidTLSCipherSuite) are not critical there.
const critical16: ReadonlySet<string> = new Set([
  'FirmwareUpdated',
  'SettingSystemTime',
  'StartupOfTheDevice',
  'ResetOrReboot',
  'SecurityLogWasCleared',
  'MemoryExhaustion',
  'TamperDetectionActivated',
]);

/**
 * Whether the spec marks a security event type critical, for the station's OCPP version (2.0.1
 * unless told). Not in itself a reason to open an incident: every boot and reset is critical, see
 * opensSecurityIncident.
 */
export function isCriticalSecurityEvent(type: string, ocppVersion: '1.6' | '2.0.1' = '2.0.1'): boolean {
  return (ocppVersion === '1.6' ? critical16 : critical201).has(type);
}

// Critical for the security log, but the everyday life of a charger: a boot, a reset (including
// our own remediation's), a firmware update we sent, an NTP clock correction. Failures of those
// operations show up elsewhere (boot_rejected, firmware_failed, station_offline).
const routineSecurityEvents: ReadonlySet<string> = new Set([
  'StartupOfTheDevice',
  'ResetOrReboot',
  'FirmwareUpdated',
  'SettingSystemTime',
]);

/** Whether a security event should open a security_event incident: critical, and not a routine boot, reset, update or clock sync. */
export function opensSecurityIncident(type: string, ocppVersion: '1.6' | '2.0.1' = '2.0.1'): boolean {
  return isCriticalSecurityEvent(type, ocppVersion) && !routineSecurityEvents.has(type);
}

const maxTitleDetail = 120;

/**
 * The incident's one-line title, e.g. 'Connector 2 faulted: GroundFailure', 'Station offline',
 * '3 failed starts in a row on EVSE 1', 'Boot rejected', 'Firmware update failed:
 * InstallationFailed', 'Security event: TamperDetectionActivated'. Charger-supplied text is
 * flattened to one line and shortened, since vendors send anything up to 255 characters.
 */
export function incidentTitle(
  kind: IncidentKind,
  facts: { evseId: number; errorCode?: string | null; detail?: string | null; count?: number },
): string {
  const detail = oneLine(facts.detail);
  switch (kind) {
    case 'connector_faulted': {
      // 1.6 reports NoError alongside Faulted when the vendor has no code; that is no detail.
      const code = oneLine(facts.errorCode);
      const why = code && code !== 'NoError' ? code : detail;
      // Connector 0 in 1.6 is the station as a whole.
      const subject = facts.evseId === 0 ? 'Station' : `Connector ${facts.evseId}`;
      return withDetail(`${subject} faulted`, why);
    }
    case 'station_offline':
      return 'Station offline';
    case 'failed_starts': {
      const where = facts.evseId === 0 ? 'the station' : `EVSE ${facts.evseId}`;
      return facts.count !== undefined && facts.count > 0
        ? `${facts.count} failed ${facts.count === 1 ? 'start' : 'starts'} in a row on ${where}`
        : `Repeated failed starts on ${where}`;
    }
    case 'boot_rejected':
    case 'firmware_failed':
    case 'security_event':
      return withDetail(incidentKindLabels[kind], detail);
  }
}

/** Outage minutes between two instants, partial minutes kept, rounded to 2 decimals (EV-ChART decimal(8,2)); never negative. */
export function outageMinutes(startedAt: Date, endedAt: Date): number {
  const ms = endedAt.getTime() - startedAt.getTime();
  if (Number.isNaN(ms)) throw new Error('outageMinutes needs two valid dates');
  // Rounded in whole hundredths of a minute (600 ms) so the float never shows 12.340000000000001.
  return Math.max(0, Math.round(ms / 600)) / 100;
}

export type RemediationAction = 'soft-reset' | 'hard-reset' | 'wait';

export interface RemediationStep {
  action: RemediationAction;
  /** For wait: whole minutes, 1 to maxWaitMinutes. */
  minutes?: number;
}

/** Try the gentle reset first, give it time to come back, then the hard one. */
export const defaultRemediationPlan: RemediationStep[] = [
  { action: 'soft-reset' },
  { action: 'wait', minutes: 5 },
  { action: 'hard-reset' },
  { action: 'wait', minutes: 10 },
];

/** Longest single wait, a day: beyond that a technician should already be on the way. */
export const maxWaitMinutes = 1440;
/** Most steps in a plan; resetting a charger over and over wears it and hides the fault. */
export const maxRemediationSteps = 10;

const stepHelp = 'use soft-reset, hard-reset or wait <minutes>';

/**
 * Reads a plan typed as text, e.g. "soft-reset, wait 5, hard-reset, wait 10" (commas or new
 * lines between steps; case and extra spaces do not matter; "wait 5 min" and "soft reset" are
 * understood). Refuses, naming the bad part: an empty plan, an empty or unknown step, a wait
 * without whole minutes from 1 to maxWaitMinutes, a plan without any reset, or too many steps.
 */
export function parseRemediationPlan(
  text: string,
): { ok: true; steps: RemediationStep[] } | { ok: false; error: string } {
  const parts = text.split(/[,\n]/).map((part) => part.trim().replace(/\s+/g, ' '));
  if (parts.every((part) => part === '')) {
    return { ok: false, error: 'The plan is empty: list steps such as "soft-reset, wait 5, hard-reset"' };
  }
  // A trailing comma is a slip, not an empty step.
  while (parts.at(-1) === '') parts.pop();
  if (parts.length > maxRemediationSteps) {
    return {
      ok: false,
      error: `A plan has at most ${maxRemediationSteps} steps; this one has ${parts.length}`,
    };
  }

  const steps: RemediationStep[] = [];
  for (const [index, part] of parts.entries()) {
    const label = `Step ${index + 1}`;
    if (part === '') return { ok: false, error: `${label} is empty` };
    const lower = part.toLowerCase();
    if (/^soft[- ]?reset$/.test(lower)) {
      steps.push({ action: 'soft-reset' });
      continue;
    }
    if (/^hard[- ]?reset$/.test(lower)) {
      steps.push({ action: 'hard-reset' });
      continue;
    }
    const wait = /^wait(?: (\S+?))?(?: ?(?:m|min|mins|minutes?))?$/.exec(lower);
    if (wait) {
      const amount = wait[1];
      if (amount === undefined) {
        return { ok: false, error: `${label} "${part}" needs a number of minutes, e.g. "wait 5"` };
      }
      const minutes = Number(amount);
      if (!/^\d+$/.test(amount) || minutes < 1 || minutes > maxWaitMinutes) {
        return {
          ok: false,
          error: `${label} "${part}": the wait must be whole minutes from 1 to ${maxWaitMinutes}`,
        };
      }
      steps.push({ action: 'wait', minutes });
      continue;
    }
    return { ok: false, error: `${label} "${part}" is not a step: ${stepHelp}` };
  }

  if (!steps.some((step) => step.action !== 'wait')) {
    return { ok: false, error: 'The plan has no reset: add soft-reset or hard-reset' };
  }
  return { ok: true, steps };
}

/** A plan as the text parseRemediationPlan reads back, e.g. "soft-reset, wait 5, hard-reset, wait 10". */
export function formatRemediationPlan(steps: readonly RemediationStep[]): string {
  // A wait without minutes is written bare, so reading it back names the problem.
  return steps
    .map((step) =>
      step.action === 'wait' && step.minutes !== undefined ? `wait ${step.minutes}` : step.action,
    )
    .join(', ');
}

// A remote reset can clear a latched fault or a wedged session handler. It cannot reach a station
// that is offline, a rejected boot needs the operator to accept it, a failed firmware update needs
// a new attempt, and a security event needs a person to look.
const remediableKinds: ReadonlySet<IncidentKind> = new Set(['connector_faulted', 'failed_starts']);

/** Whether remote remediation (resets) is tried for this kind before a technician is sent. */
export function remediable(kind: IncidentKind): boolean {
  return remediableKinds.has(kind);
}

// --- helpers ----------------------------------------------------------------------------------

function oneLine(text: string | null | undefined): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > maxTitleDetail ? `${flat.slice(0, maxTitleDetail - 1).trimEnd()}…` : flat;
}

function withDetail(title: string, detail: string): string {
  return detail ? `${title}: ${detail}` : title;
}

/** One component/variable event of a 2.0.1 NotifyEvent (N07), as far as fault detection reads it. */
export interface DeviceEvent {
  actualValue: string;
  cleared?: boolean;
  techCode?: string;
  techInfo?: string;
  component: { name: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string };
}

/** A fault a 2.0.1 station reported through its device model: where, and the charger's code. */
export interface DeviceProblem {
  /** 0: the station as a whole (a component outside any EVSE). */
  evseId: number;
  errorCode: string;
  info: string | null;
}

/**
 * The faults among a NotifyEvent's events: a component's Problem variable turning true (2.0.1's
 * device model reports a connector or EVSE fault so, with the charger's techCode and techInfo where
 * it has them). StatusNotification carries no error code in 2.0.1, so this is where the code comes
 * from. A Problem going false, or an event marked cleared, is no fault (the status report clears it).
 */
export function problemsReported(events: readonly DeviceEvent[]): DeviceProblem[] {
  return events
    .filter((e) => e.variable.name === 'Problem' && e.actualValue.toLowerCase() === 'true' && !e.cleared)
    .map((e) => ({
      evseId: e.component.evse?.id ?? 0,
      errorCode: e.techCode?.trim() || `${e.component.name}.Problem`,
      info: e.techInfo?.trim() || null,
    }));
}
