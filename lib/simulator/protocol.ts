import { createRPCError, type RPCClient } from 'ocpp-rpc';
import type {
  ChargingProfile,
  ChargingProfiles,
  ChargingRateUnit,
  ChargingSchedule,
  ChargingSchedulePeriod,
  ClearCriteria,
  InstallResult,
} from './charging-profiles';
import type { Settings, SettingEffect } from './config-store';
import type { LocalAuthList } from './local-list';
import type { CurrentLimit, Sample } from './meter';

/**
 * The version-neutral contract between the simulated station (station.ts) and the two OCPP
 * versions: `StationMessages` is what the station sends (built per version in v16/, v201/), and
 * `StationControl` is what the version's command handlers ask the station to do.
 */

/**
 * 1.6 vocabulary, the richer one; 2.0.1 folds Preparing, Charging, SuspendedEVSE and Finishing into
 * Occupied. SuspendedEVSE: a session the charging profiles hold below the minimum charging current.
 */
export type ConnectorStatus =
  | 'Available'
  | 'Preparing'
  | 'Charging'
  | 'SuspendedEVSE'
  | 'Finishing'
  | 'Reserved'
  | 'Unavailable'
  | 'Faulted';

export type StopReason =
  | 'EVDisconnected'
  | 'Remote'
  | 'SoftReset'
  | 'HardReset'
  | 'ImmediateReset'
  | 'UnlockCommand'
  | 'DeAuthorized'
  | 'Fault';

export type BootReason = 'PowerUp' | 'RemoteReset' | 'FirmwareUpdate' | 'Triggered';

export type FirmwareStatus =
  | 'Idle'
  | 'DownloadScheduled'
  | 'Downloading'
  | 'Downloaded'
  | 'DownloadFailed'
  | 'InstallScheduled'
  | 'Installing'
  | 'Installed';

export type UploadStatus = 'Idle' | 'Uploading' | 'Uploaded' | 'UploadFailed';

export interface Session {
  connector: number;
  /** The CSMS's number in 1.6 (as text), the station's UUID in 2.0.1. */
  transactionId: string;
  idTag: string;
  idTokenType: string;
  remote: boolean;
  remoteStartId?: number;
  reservationId?: number;
  /** 2.0.1 TransactionEvent sequence number. */
  seqNo: number;
  energyWh: number;
  soc: number;
  powerW: number;
  lastReadAt: number;
  /** Where Relative charging profiles start. */
  startedAt: number;
  /** The limit the charging profiles put on the session when it was last advanced (none: undefined). */
  limit?: CurrentLimit;
  /** The limit is below the minimum charging current: the EV waits (SuspendedEVSE). */
  suspended: boolean;
  /** Auto sessions end at this time; remote ones run until stopped or the battery is full. */
  endsAt?: number;
  timer?: ReturnType<typeof setInterval>;
  ending: boolean;
}

/** Sends one CALL and resolves with the CSMS's (schema-validated) response. */
export type Call = (action: string, payload: object) => Promise<unknown>;

/** What the station says about itself in BootNotification. */
export interface StationIdentity {
  vendor: string;
  model: string;
  serialNumber: string;
  firmwareVersion: () => string;
}

/** The outbound messages, formatted for one OCPP version. */
export interface StationMessages {
  boot(reason: BootReason): Promise<{ status: string; interval: number }>;
  heartbeat(): Promise<void>;
  /** The status name as the version spells it (repeated names are not re-sent). */
  statusName(status: ConnectorStatus): string;
  /** Connector 0 is the station as a whole (1.6 only). */
  status(connector: number, status: ConnectorStatus): Promise<void>;
  authorize(idTag: string, idTokenType: string): Promise<boolean>;
  /** False when the CSMS refused the id token: the session is then ended DeAuthorized. */
  startTransaction(session: Session, samples: Sample[]): Promise<boolean>;
  /** Periodic samples, a TriggerMessage, or a new limit from the charging profiles (it may pause the EV). */
  updateTransaction(session: Session, samples: Sample[], reason: UpdateReason): Promise<void>;
  endTransaction(session: Session, samples: Sample[], reason: StopReason): Promise<void>;
  meterValues(
    connector: number,
    samples: Sample[],
    context: 'Sample.Clock' | 'Trigger',
    session?: Session,
  ): Promise<void>;
  firmwareStatus(status: FirmwareStatus, requestId?: number): Promise<void>;
  uploadStatus(status: UploadStatus, requestId?: number): Promise<void>;
  reservationExpired(reservationId: number): Promise<void>;
}

export type UpdateReason = 'Periodic' | 'Trigger' | 'LimitChanged';

/** GetCompositeSchedule's answer (1.6 §5.7, 2.0.1 K08). */
export interface CompositeSchedule {
  evseId: number;
  scheduleStart: Date;
  /** Seconds. */
  duration: number;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
}

export type Availability = 'Accepted' | 'Scheduled' | 'Rejected';
export type ReserveResult = 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable';

/**
 * What the CSMS asks the station's screen to show about price and cost (1.6 OCA California pricing
 * DataTransfers, 2.0.1 I01-I03). Each show* is false when the station has no such display or
 * nothing on it matches (an unknown transaction).
 */
export interface StationDisplay {
  /** The station shows price and cost to drivers (1.6 CustomDisplayCostAndPrice). */
  readonly displaysCostAndPrice: boolean;
  /** On the session's connector; by token: where the token was presented last, else held for it. */
  showPriceText(target: { transactionId: string } | { idToken: string }, priceText: string): boolean;
  showRunningCost(transactionId: string, cost: number, at: Date): boolean;
  /** The session has ended (or is ending); `priceText` replaces the price text shown. */
  showFinalCost(transactionId: string, cost: number, priceText?: string): boolean;
  /** The price for anyone, on idle screens (1.6 DefaultPrice, 2.0.1 TariffFallbackMessage); null: none. */
  showDefaultPriceText(priceText: string | null): boolean;
}

/** What the command handlers of either version ask of the station. */
export interface StationControl extends StationDisplay {
  readonly identity: string;
  readonly vendor: string;
  readonly model: string;
  readonly connectorCount: number;
  readonly maxPowerW: number;
  readonly securityProfile: number;
  readonly firmwareVersion: string;
  readonly settings: Settings;
  /** Undefined when the station has no Local Authorization List (the feature is switched off). */
  readonly localAuthList: LocalAuthList | undefined;
  /** The installed charging profiles (their limits are the smart charging configuration). */
  readonly chargingProfiles: ChargingProfiles;
  /** The last BootNotification was Accepted. */
  readonly accepted: boolean;
  readonly stationOperative: boolean;
  hasConnector(connector: number): boolean;
  connectorStatus(connector: number): ConnectorStatus;
  sessionOn(connector: number): Session | undefined;
  /** Sends a message the version handler builds itself (e.g. NotifyReport); not sent while offline. */
  send: Call;
  /** Runs a follow-up once the current command has been answered. */
  afterResponse(action: () => Promise<void> | void): void;
  applySetting(effect: SettingEffect): void;

  /** Picks a connector (the given one, the one reserved for the token, or the first free one). */
  remoteStart(request: {
    connector?: number;
    idTag: string;
    idTokenType: string;
    remoteStartId?: number;
  }): boolean;
  remoteStop(transactionId: string): boolean;
  /** Ends the sessions with `reason`, then reboots; `whenIdle` waits for running sessions instead. */
  reset(options: { reason: StopReason; whenIdle?: boolean }): 'Accepted' | 'Scheduled';
  /** 2.0.1 EVSE reset: ends (or, whenIdle, waits for) the EVSE's session; no reboot. */
  resetConnector(connector: number, whenIdle: boolean): 'Accepted' | 'Scheduled';
  /** Unlocks the connector, first ending a session on it when `stopSession`. */
  unlock(connector: number, stopSession: boolean): Promise<'Unlocked' | 'Occupied'>;
  /** `undefined` connector = the whole station. */
  changeAvailability(connector: number | undefined, operative: boolean): Availability;
  reserve(request: { id: number; connector?: number; idTag: string; expiresAt: Date }): ReserveResult;
  cancelReservation(id: number): boolean;
  clearCache(): boolean;
  /** False when an earlier update was cancelled for this one. */
  updateFirmware(request: {
    location: string;
    retrieveAt: Date;
    installAt?: Date;
    requestId?: number;
  }): boolean;
  /** Starts the upload and returns the file name. */
  uploadLog(request: {
    location: string;
    requestId?: number;
    from?: Date;
    to?: Date;
    securityOnly?: boolean;
    retries?: number;
    retryIntervalS?: number;
  }): string;
  /** Sends a BootNotification now (TriggerMessage). */
  triggerBoot(): Promise<void>;
  triggerHeartbeat(): Promise<void>;
  /** Connector 0 = station (1.6); undefined = every connector. */
  triggerStatus(connector?: number): Promise<void>;
  triggerMeterValues(connector?: number): Promise<void>;
  /** False when no transaction matches. */
  hasSessions(connector?: number): boolean;
  triggerTransactionEvent(connector?: number): Promise<void>;
  triggerFirmwareStatus(): Promise<void>;
  triggerUploadStatus(): Promise<void>;

  /**
   * SetChargingProfile (1.6 §5.16, 2.0.1 K01) by the version's rules. Once answered, sessions whose
   * limit changed follow it and report their new readings.
   */
  setChargingProfile(profile: ChargingProfile): InstallResult;
  /** ClearChargingProfile (1.6 §5.5, 2.0.1 K10); false when no profile matched. */
  clearChargingProfiles(criteria: ClearCriteria): boolean;
  /** GetCompositeSchedule (1.6 §5.7, 2.0.1 K08) from now; undefined for an EVSE the station does not have. */
  compositeSchedule(
    evseId: number,
    durationS: number,
    unit?: ChargingRateUnit,
  ): CompositeSchedule | undefined;
}

/**
 * Registers the handler of one CSMS-initiated action. ocpp-rpc (strict mode) has validated the
 * request against the official schema before, and validates the response after.
 */
export function handle<Req, Res extends object>(
  client: RPCClient,
  action: string,
  handler: (request: Req) => Res | Promise<Res>,
): void {
  client.handle(action, async ({ params }) => handler(params as Req));
}

/** Actions of the version the simulator does not implement: "recognised but not supported". */
export function refuseOtherActions(client: RPCClient): void {
  client.handle(async ({ method }) => {
    throw createRPCError('NotSupported', `${method} is not supported by this charging station`);
  });
}

/** DataTransfer to the station's own vendor id: messageId "Echo" (or none) answers the data back. */
export function answerDataTransfer(
  vendor: string,
  request: { vendorId: string; messageId?: string; data?: unknown },
): { status: 'Accepted' | 'UnknownVendorId' | 'UnknownMessageId'; data?: unknown } {
  if (request.vendorId !== vendor) return { status: 'UnknownVendorId' };
  if (request.messageId !== undefined && request.messageId !== 'Echo') return { status: 'UnknownMessageId' };
  return { status: 'Accepted', ...(request.data !== undefined && { data: request.data }) };
}

/** A ChargingSchedule as both versions send it (2.0.1 adds an id and a sales tariff, unused here). */
export interface ChargingScheduleWire {
  startSchedule?: string;
  duration?: number;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  minChargingRate?: number;
}

/** The schedule with its start as ms since the epoch. */
export function scheduleFromWire(wire: ChargingScheduleWire): ChargingSchedule {
  const { startSchedule, duration, chargingRateUnit, chargingSchedulePeriod, minChargingRate } = wire;
  return {
    startSchedule: instantOf(startSchedule),
    duration,
    chargingRateUnit,
    chargingSchedulePeriod,
    minChargingRate,
  };
}

/** An OCPP dateTime (schema-checked) as ms since the epoch. */
export function instantOf(dateTime: string | undefined): number | undefined {
  return dateTime === undefined ? undefined : Date.parse(dateTime);
}
