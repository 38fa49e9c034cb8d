import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { RPCClient } from 'ocpp-rpc';
import {
  ChargingProfiles,
  compositeSchedule,
  powerCapW,
  type ChargingProfile,
  type ChargingRateUnit,
  type ClearCriteria,
  type InstallResult,
} from './charging-profiles';
import { defaultSettings, type Settings, type SettingEffect } from './config-store';
import {
  isFreeFor,
  newConnector,
  reserveRefusal,
  statusOf,
  unreservable,
  type Connector,
  type Reservation,
  type Timer,
} from './connector';
import { CostDisplay, type DisplayChanged, type DisplayState } from './display';
import { ActivityLog, logFileName, uploadFile } from './files';
import { runFirmwareUpdate, type FirmwareRequest } from './firmware-update';
import { LocalAuthList } from './local-list';
import {
  advance,
  read,
  samplesOf,
  supplyOf,
  type CurrentLimit,
  type Measurand,
  type Sample,
  type Supply,
} from './meter';
import type {
  Availability,
  BootReason,
  Call,
  CompositeSchedule,
  ConnectorStatus,
  FirmwareStatus,
  ReserveResult,
  Session,
  StationControl,
  StationMessages,
  StopReason,
  UploadStatus,
} from './protocol';
import { registerV16Handlers } from './v16/handlers';
import { v16Messages } from './v16/messages';
import { registerV201Handlers } from './v201/handlers';
import { v201Messages } from './v201/messages';

/**
 * A simulated charging station speaking real OCPP-J (1.6 or 2.0.1) over a WebSocket: it boots,
 * reports connector status, heartbeats, runs plausible charging sessions with meter values
 * (energy, power, current, voltage, SoC), and answers the CSMS's commands (remote start and stop,
 * reset, availability, configuration, reservations, firmware, diagnostics, charging profiles) the
 * way a real one does.
 * Used by `npm run sim`, the live demo, tests and e2e.
 */
export interface SimulatedStationOptions {
  /** Base URL of the OCPP endpoint, e.g. ws://localhost:3000/ocpp (the identity is appended). */
  url: string;
  identity: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  password?: string;
  vendor?: string;
  model?: string;
  /** Firmware version reported at the first boot (default sim-1.0); UpdateFirmware changes it. */
  firmwareVersion?: string;
  /** Number of connectors (1.6) or EVSEs with one connector each (2.0.1). */
  connectors?: number;
  /** Nominal power per connector in W. */
  maxPowerW?: number;
  /** Initial seconds between meter values during a session (the configuration can change it). */
  meterIntervalSeconds?: number;
  /** Session length range in seconds (sessions the station starts by itself). */
  sessionSeconds?: [number, number];
  /** Idle time range between sessions in seconds. */
  idleSeconds?: [number, number];
  /** Start sessions by itself (default true); false: only remote starts, which run until stopped. */
  autoSessions?: boolean;
  /** Cards drivers present for the sessions the station starts by itself (default: random SIM… tags). */
  idTokens?: string[];
  /** Delay between the steps of a firmware update in ms (default 3000). */
  firmwareStepMs?: number;
  /** How long a reboot keeps the station offline in ms (default 2000). */
  rebootDelayMs?: number;
  /**
   * Local Authorization List (1.6 Local Auth List Management profile, 2.0.1 functional block D;
   * default true). Without it the station answers GetLocalListVersion -1 and SendLocalList
   * NotSupported (1.6) or CALLERROR NotSupported to both (2.0.1), and has no list settings.
   */
  localAuthList?: boolean;
  /** Entries the local list holds at most (LocalAuthListMaxLength, Entries' maxLimit; default 1000). */
  localAuthListMaxLength?: number;
  /** Entries one SendLocalList may carry (SendLocalListMaxLength, ItemsPerMessage; default 250). */
  sendLocalListMaxLength?: number;
  /**
   * The station shows price and cost to drivers (default true): the 1.6 OCA cost DataTransfers are
   * Accepted and CustomDisplayCostAndPrice reads true; without it they answer UnknownVendorId, and
   * 2.0.1 costs and personal messages are not shown.
   */
  displayCostAndPrice?: boolean;
  /**
   * How long a screen keeps showing a finished session's price and costs before it returns to the
   * idle screen with the default price, in seconds (default 60).
   */
  finalCostShownSeconds?: number;
  /** Deterministic randomness for tests (defaults to Math.random). */
  random?: () => number;
  /** Called with problems the station meets (refused connection, failed calls). */
  onError?: (error: unknown) => void;
}

/** The station's events (noun:past-verb), for the fleet, the CLI and tests. */
export interface SimulatedStationEvents {
  /** What a connector's screen (or, evseId 0, the price held for the next driver) shows changed. */
  'display:changed': [DisplayChanged];
}

/** A call the station did not send because it is offline (rebooting) or stopped. */
class OfflineError extends Error {}

/** setTimeout's limit; longer waits (a reservation for next month) are chained. */
const maxTimerMs = 2_000_000_000;

export class SimulatedStation implements StationControl {
  readonly client: RPCClient;
  readonly settings: Settings;
  /** Recent activity: what GetDiagnostics and GetLog upload. */
  readonly log = new ActivityLog();
  /** Completed sessions, for tests and the CLI summary. */
  completedSessions = 0;
  /** `display:changed` when what a screen shows changes (listeners run synchronously). */
  readonly events = new EventEmitter<SimulatedStationEvents>();
  /**
   * The Local Authorization List (undefined when the option is off). Kept across reboots, as real
   * stations keep it in flash; the CSMS changes it with SendLocalList.
   */
  readonly localAuthList: LocalAuthList | undefined;
  /**
   * The charging profiles the CSMS installed (smart charging): they cap what the EVs draw. Kept
   * across reboots like the local list; a transaction's own profiles go when it ends.
   */
  readonly chargingProfiles = new ChargingProfiles();
  private readonly options: Required<Omit<SimulatedStationOptions, 'password' | 'onError' | 'idTokens'>> &
    Pick<SimulatedStationOptions, 'password' | 'onError' | 'idTokens'>;
  private readonly connectors: Connector[];
  private readonly screen: CostDisplay;
  private readonly messages: StationMessages;
  private readonly timers = new Set<Timer>();
  /** Last status sent per connector (0 = station), as the version names it. */
  private readonly lastReported = new Map<number, string>();
  private heartbeatTimer?: ReturnType<typeof setInterval>;
  private alignedTimer?: Timer;
  private bootRetry?: Timer;
  private registration?: string;
  private stopped = false;
  /** Between a reboot's disconnect and the next connection. */
  private offline = false;
  private bootReason: BootReason = 'PowerUp';
  /** A reset waiting for the sessions to end; no new sessions meanwhile. */
  private rebootPending = false;
  private operative = true;
  private installedFirmware: string;
  /** The firmware update in progress (job counts updates: a newer one cancels an older one). */
  private firmware: { job: number; status: FirmwareStatus; requestId?: number; holdSessions: boolean } = {
    job: 0,
    status: 'Idle',
    holdSessions: false,
  };
  private upload: { status: UploadStatus; requestId?: number } = { status: 'Idle' };

  constructor(options: SimulatedStationOptions) {
    this.options = {
      vendor: 'ChargeOps',
      model: 'Simulator',
      firmwareVersion: 'sim-1.0',
      connectors: 2,
      maxPowerW: 11_000,
      meterIntervalSeconds: 10,
      sessionSeconds: [120, 600],
      idleSeconds: [30, 180],
      autoSessions: true,
      firmwareStepMs: 3000,
      rebootDelayMs: 2000,
      localAuthList: true,
      localAuthListMaxLength: 1000,
      sendLocalListMaxLength: 250,
      displayCostAndPrice: true,
      finalCostShownSeconds: 60,
      random: Math.random,
      ...options,
    };
    this.installedFirmware = this.options.firmwareVersion;
    this.settings = defaultSettings(this.options.meterIntervalSeconds);
    // Before the handlers are registered: the configuration keys depend on it.
    this.localAuthList = this.options.localAuthList
      ? new LocalAuthList({
          maxEntries: this.options.localAuthListMaxLength,
          maxItemsPerMessage: this.options.sendLocalListMaxLength,
        })
      : undefined;
    this.connectors = Array.from({ length: this.options.connectors }, (_, i) =>
      newConnector(i + 1, Math.round(this.random() * 5_000_000)),
    );
    this.screen = new CostDisplay(this.connectors.length, (evseId, state, changed) =>
      this.events.emit('display:changed', { identity: this.identity, evseId, ...state, changed }),
    );
    this.client = new RPCClient({
      endpoint: options.url,
      identity: options.identity,
      password: options.password ?? null,
      protocols: [options.protocol],
      reconnect: true,
      strictMode: true,
      pingIntervalMs: this.settings.webSocketPingIntervalS * 1000,
      // ocpp-rpc's typings mark every option required; the library fills in defaults.
    } as Partial<ConstructorParameters<typeof RPCClient>[0]> as ConstructorParameters<typeof RPCClient>[0]);
    const identity = {
      vendor: this.options.vendor,
      model: this.options.model,
      serialNumber: `SN-${options.identity}`.slice(0, 25),
      firmwareVersion: () => this.installedFirmware,
    };
    if (this.v16) {
      this.messages = v16Messages(this.call, identity);
      registerV16Handlers(this.client, this);
    } else {
      this.messages = v201Messages(this.call, identity, this);
      registerV201Handlers(this.client, this);
    }
    // After a reconnect the station boots again and re-reports its connectors, like real ones do.
    this.client.on('open', () => {
      this.offline = false;
      this.registration = undefined;
      this.log.add(`connected to ${options.url}`, true);
      const reason = this.bootReason;
      this.bootReason = 'PowerUp';
      void this.boot(reason).catch(this.fail);
    });
    this.client.on('disconnect', ({ code }: { code?: number }) =>
      this.log.add(`disconnected (${code})`, true),
    );
    this.client.on('message', ({ message, outbound }: { message: string; outbound: boolean }) =>
      this.log.add(`${outbound ? '>>' : '<<'} ${message}`),
    );
  }

  /** Connects and starts behaving like a station. Resolves once the WebSocket is open. */
  async start(): Promise<void> {
    await this.client.connect();
  }

  /** Stops every timer and disconnects (open sessions stay open at the CSMS, as after a power cut). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.alignedTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const c of this.connectors) clearInterval(c.session?.timer);
    await this.client.close({ code: 1000, reason: 'Simulator stopping' });
  }

  /** Empties the Local Authorization List (version 0), like a station that lost its storage. */
  clearLocalAuthList(): void {
    this.localAuthList?.clear();
  }

  /**
   * What the connector's screen shows about price and cost; 0: the price held for the next driver.
   * Throws a RangeError for a connector the station does not have.
   */
  display(evseId: number): DisplayState {
    return this.screen.state(evseId);
  }

  /**
   * Puts a connector into (or out of) a fault, ending its session first. A fault that clears on
   * reboot is one a remote reset fixes; others stay until cleared here (a technician's repair).
   */
  async setFaulted(
    connector: number,
    faulted: boolean,
    options: { clearsOnReboot?: boolean } = {},
  ): Promise<void> {
    const c = this.connectorAt(connector);
    if (!c) throw new Error(`No connector ${connector}`);
    if (faulted && c.session) await this.endSession(c.session, 'Fault');
    c.faulted = faulted;
    c.clearsOnReboot = faulted && options.clearsOnReboot === true;
    await this.reportStatus(c.id);
    if (!faulted) this.scheduleAuto(c);
  }

  // ---- StationControl: what the version handlers (v16/, v201/) call ----

  get identity(): string {
    return this.options.identity;
  }
  get vendor(): string {
    return this.options.vendor;
  }
  get model(): string {
    return this.options.model;
  }
  get connectorCount(): number {
    return this.connectors.length;
  }
  get maxPowerW(): number {
    return this.options.maxPowerW;
  }
  /** 1: Basic Auth over ws://, 2: Basic Auth over TLS. */
  get securityProfile(): number {
    return this.options.url.startsWith('wss:') ? 2 : 1;
  }
  get firmwareVersion(): string {
    return this.installedFirmware;
  }
  get accepted(): boolean {
    return this.registration === 'Accepted' && !this.offline;
  }
  get stationOperative(): boolean {
    return this.operative;
  }
  get displaysCostAndPrice(): boolean {
    return this.options.displayCostAndPrice;
  }

  showPriceText(target: { transactionId: string } | { idToken: string }, priceText: string): boolean {
    if (!this.displaysCostAndPrice) return false;
    if ('transactionId' in target) {
      const c = this.connectorOfTransaction(target.transactionId);
      if (c) this.screen.showPriceText(c, priceText);
      return c !== undefined;
    }
    const c = this.screen.connectorOfToken(target.idToken);
    if (c) this.screen.showPriceText(c, priceText);
    else this.screen.holdPriceText(target.idToken, priceText);
    return true;
  }

  showRunningCost(transactionId: string, cost: number, at: Date): boolean {
    const c = this.displaysCostAndPrice ? this.connectorOfTransaction(transactionId) : undefined;
    if (c) this.screen.showRunningCost(c, transactionId, cost, at);
    return c !== undefined;
  }

  showFinalCost(transactionId: string, cost: number, priceText?: string): boolean {
    const c = this.displaysCostAndPrice ? this.connectorOfTransaction(transactionId) : undefined;
    if (c) this.screen.showFinalCost(c, transactionId, cost, priceText);
    return c !== undefined;
  }

  showDefaultPriceText(priceText: string | null): boolean {
    if (!this.displaysCostAndPrice) return false;
    this.screen.showDefaultPriceText(priceText);
    return true;
  }

  hasConnector(connector: number): boolean {
    return this.connectorAt(connector) !== undefined;
  }

  connectorStatus(connector: number): ConnectorStatus {
    const c = this.connectorAt(connector);
    if (c) return statusOf(c, this.operative);
    return this.operative ? 'Available' : 'Unavailable';
  }

  sessionOn(connector: number): Session | undefined {
    return this.connectorAt(connector)?.session;
  }

  send: Call = (action, payload) => this.call(action, payload);

  afterResponse(action: () => Promise<void> | void): void {
    // A timer runs after ocpp-rpc has sent the CALLRESULT (it does so in the same tick).
    this.later(0, action);
  }

  applySetting(effect: SettingEffect): void {
    if (effect === 'heartbeat') this.restartHeartbeat();
    if (effect === 'aligned') this.restartAligned();
    if (effect === 'meter') for (const s of this.sessions()) this.startMeter(s);
  }

  remoteStart(request: { connector?: number; idTag: string; idTokenType: string; remoteStartId?: number }) {
    const { idTag } = request;
    const c =
      request.connector !== undefined
        ? this.connectorAt(request.connector)
        : (this.connectors.find((x) => x.reservation?.idTag === idTag && this.freeFor(x, idTag)) ??
          this.connectors.find((x) => !x.reservation && this.freeFor(x, idTag)));
    if (!c || !this.freeFor(c, idTag)) return false;
    // Claimed now, so a second start for the same connector is refused.
    c.phase = 'Preparing';
    this.cancel(c.autoTimer);
    const { idTokenType, remoteStartId } = request;
    this.afterResponse(() => this.startSession(c, { idTag, idTokenType, remoteStartId, remote: true }));
    return true;
  }

  remoteStop(transactionId: string): boolean {
    const session = this.sessions().find((s) => s.transactionId === transactionId);
    if (!session) return false;
    this.afterResponse(() => this.endSession(session, 'Remote'));
    return true;
  }

  reset({ reason, whenIdle = false }: { reason: StopReason; whenIdle?: boolean }): 'Accepted' | 'Scheduled' {
    const running = this.sessions();
    this.rebootPending = true;
    if (!running.length) {
      this.afterResponse(() => this.reboot('RemoteReset'));
      return 'Accepted';
    }
    // The last session to end triggers the reboot (see sessionEnded).
    if (whenIdle) return 'Scheduled';
    this.afterResponse(async () => {
      for (const session of running) await this.endSession(session, reason);
    });
    return 'Accepted';
  }

  resetConnector(connector: number, whenIdle: boolean): 'Accepted' | 'Scheduled' {
    const c = this.connectorAt(connector);
    const session = c?.session;
    if (!c || !session) {
      this.afterResponse(() => this.reportStatus(connector, true));
      return 'Accepted';
    }
    if (whenIdle) {
      c.resetWhenIdle = true;
      return 'Scheduled';
    }
    this.afterResponse(() => this.endSession(session, 'ImmediateReset'));
    return 'Accepted';
  }

  async unlock(connector: number, stopSession: boolean): Promise<'Unlocked' | 'Occupied'> {
    const session = this.connectorAt(connector)?.session;
    if (!session) return 'Unlocked';
    if (!stopSession) return 'Occupied';
    // 1.6 §5.18: the transaction is stopped (StopTransaction) before the connector is released.
    await this.endSession(session, 'UnlockCommand');
    return 'Unlocked';
  }

  changeAvailability(connector: number | undefined, operative: boolean): Availability {
    let affected = this.connectors;
    if (connector === undefined) {
      this.operative = operative;
    } else {
      const c = this.connectorAt(connector);
      if (!c) return 'Rejected';
      c.operative = operative;
      affected = [c];
    }
    this.afterResponse(async () => {
      if (connector === undefined) await this.reportStatus(0);
      for (const c of affected) await this.reportStatus(c.id);
    });
    // A charging connector becomes Unavailable when its session ends (its status follows then).
    return !operative && affected.some((c) => c.session || c.phase) ? 'Scheduled' : 'Accepted';
  }

  reserve(request: { id: number; connector?: number; idTag: string; expiresAt: Date }): ReserveResult {
    if (!this.settings.reservationsEnabled || !this.accepted) return 'Rejected';
    const expiresAt = request.expiresAt.getTime();
    if (expiresAt <= Date.now()) return 'Rejected';
    const existing = this.reservation(request.id);
    let c: Connector | undefined;
    if (request.connector === undefined) {
      // No EVSE asked for: take a free one (the one it already holds when replacing).
      c = this.connectors.find(
        (x) => (existing && x.reservation === existing) || this.connectorStatus(x.id) === 'Available',
      );
      if (!c) return unreservable(this.connectors, this.operative);
    } else {
      c = this.connectorAt(request.connector);
      if (!c) return 'Rejected';
    }
    const refusal = reserveRefusal(c, request.id, this.operative);
    if (refusal) return refusal;
    // 1.6 §5.13 / 2.0.1 H01: a known reservation id is replaced.
    const previous = existing && this.connectorAt(existing.connector);
    if (existing && previous) this.dropReservation(previous);
    const reservation: Reservation = { id: request.id, connector: c.id, idTag: request.idTag, expiresAt };
    c.reservation = reservation;
    this.scheduleExpiry(c, reservation);
    this.afterResponse(async () => {
      if (previous && previous !== c) await this.reportStatus(previous.id);
      await this.reportStatus(c.id);
    });
    return 'Accepted';
  }

  cancelReservation(id: number): boolean {
    const existing = this.reservation(id);
    const c = existing && this.connectorAt(existing.connector);
    if (!c) return false;
    this.dropReservation(c);
    this.afterResponse(() => this.reportStatus(c.id));
    return true;
  }

  clearCache(): boolean {
    return this.settings.authCacheEnabled;
  }

  updateFirmware(request: FirmwareRequest): boolean {
    const cancelsOne = this.firmware.status !== 'Idle';
    const job = this.firmware.job + 1;
    // "Scheduled" until the first step reports, so that a second update right away cancels this one.
    this.firmware = { job, status: 'DownloadScheduled', requestId: request.requestId, holdSessions: false };
    const current = () => this.firmware.job === job;
    this.afterResponse(async () => {
      await runFirmwareUpdate(
        {
          stepMs: this.options.firmwareStepMs,
          current,
          wait: (ms) => this.wait(ms),
          report: async (status) => {
            this.firmware.status = status;
            this.log.add(`firmware update ${request.location}: ${status}`, true);
            await this.messages.firmwareStatus(status, request.requestId);
          },
          holdSessions: () => (this.firmware.holdSessions = true),
          sessionsRunning: () => this.connectors.some((c) => c.session || c.phase),
          install: async (version) => {
            this.installedFirmware = version;
            this.firmware = { job, status: 'Idle', holdSessions: false };
            await this.reboot('FirmwareUpdate');
          },
        },
        request,
      );
      // Finished, failed or cancelled: nothing in progress any more (unless a newer one runs).
      if (current()) this.firmware = { job, status: 'Idle', holdSessions: false };
    });
    return !cancelsOne;
  }

  uploadLog(request: {
    location: string;
    requestId?: number;
    from?: Date;
    to?: Date;
    securityOnly?: boolean;
    retries?: number;
    retryIntervalS?: number;
  }): string {
    const fileName = logFileName(
      this.identity,
      request.securityOnly ? 'security' : 'diagnostics',
      new Date(),
    );
    this.afterResponse(async () => {
      const { requestId } = request;
      this.upload = { status: 'Uploading', requestId };
      await this.messages.uploadStatus('Uploading', requestId);
      const content = this.log.render(this.logHeader(), request);
      const ok = await uploadFile(request.location, fileName, content, {
        retries: request.retries,
        retryIntervalMs: (request.retryIntervalS ?? 0) * 1000,
        wait: (ms) => this.wait(ms),
      });
      this.log.add(`log ${fileName} ${ok ? 'uploaded' : 'upload failed'} (${request.location})`, true);
      this.upload = { status: 'Idle' };
      await this.messages.uploadStatus(ok ? 'Uploaded' : 'UploadFailed', requestId);
    });
    return fileName;
  }

  async triggerBoot(): Promise<void> {
    await this.boot('Triggered');
  }

  async triggerHeartbeat(): Promise<void> {
    await this.messages.heartbeat();
  }

  async triggerStatus(connector?: number): Promise<void> {
    if (connector !== undefined) return this.reportStatus(connector, true);
    for (const c of this.connectors) await this.reportStatus(c.id, true);
  }

  async triggerMeterValues(connector?: number): Promise<void> {
    // 1.6 §5.17 reports MeterValuesSampledData; 2.0.1 F06 reports AlignedDataCtrlr.Measurands.
    const measurands = this.v16 ? this.settings.sampledMeasurands : this.settings.alignedMeasurands;
    const ids = connector === undefined ? this.connectors.map((c) => c.id) : [connector];
    for (const id of ids) await this.sendMeterValues(id, measurands, 'Trigger');
  }

  hasSessions(connector?: number): boolean {
    return this.sessions().some((s) => connector === undefined || s.connector === connector);
  }

  async triggerTransactionEvent(connector?: number): Promise<void> {
    for (const session of this.sessions()) {
      if (connector !== undefined && session.connector !== connector) continue;
      await this.advanceAndReport(session);
      await this.messages.updateTransaction(
        session,
        this.samples(session, this.settings.sampledMeasurands),
        'Trigger',
      );
    }
  }

  async triggerFirmwareStatus(): Promise<void> {
    await this.messages.firmwareStatus(this.firmware.status, this.firmware.requestId);
  }

  async triggerUploadStatus(): Promise<void> {
    await this.messages.uploadStatus(this.upload.status, this.upload.requestId);
  }

  setChargingProfile(profile: ChargingProfile): InstallResult {
    const result = this.chargingProfiles.install(profile, {
      at: Date.now(),
      evseCount: this.connectors.length,
      transactionOn: (evseId) => this.sessions().find((s) => s.connector === evseId)?.transactionId,
      rules: this.v16 ? '1.6' : '2.0.1',
    });
    const what = `charging profile ${profile.id} (${profile.chargingProfilePurpose}) on ${profile.evseId}`;
    this.log.add(
      result.status === 'Accepted' ? `${what} installed` : `${what} rejected: ${result.reason}`,
      true,
    );
    if (result.status === 'Accepted') this.afterResponse(() => this.followLimits());
    return result;
  }

  clearChargingProfiles(criteria: ClearCriteria): boolean {
    const removed = this.chargingProfiles.clear(criteria);
    if (!removed.length) return false;
    this.log.add(`charging profile(s) ${removed.map((p) => p.id).join(', ')} cleared`, true);
    this.afterResponse(() => this.followLimits());
    return true;
  }

  compositeSchedule(
    evseId: number,
    durationS: number,
    unit: ChargingRateUnit = 'A',
  ): CompositeSchedule | undefined {
    if (evseId !== 0 && !this.connectorAt(evseId)) return undefined;
    // Whole seconds, so that the periods' offsets are whole too.
    const from = Math.floor(Date.now() / 1000) * 1000;
    const supply = this.supply;
    const ratedW = this.options.maxPowerW * (evseId === 0 ? this.connectors.length : 1);
    const session = evseId === 0 ? undefined : this.sessionOn(evseId);
    const chargingSchedulePeriod = compositeSchedule(this.chargingProfiles.list(), {
      evseId,
      from,
      durationS,
      unit,
      supply,
      rated: { amps: ratedW / supply.voltageV / supply.phases, phases: supply.phases },
      transaction: session && { id: session.transactionId, startedAt: session.startedAt },
    });
    return {
      evseId,
      scheduleStart: new Date(from),
      duration: durationS,
      chargingRateUnit: unit,
      chargingSchedulePeriod,
    };
  }

  // ---- Plumbing ----

  private get v16(): boolean {
    return this.options.protocol === 'ocpp1.6';
  }

  private readonly call: Call = (action, payload) => {
    if (this.stopped || this.offline)
      return Promise.reject(new OfflineError(`${action} not sent: the station is offline`));
    return this.client.call(action, payload);
  };

  /** Reports a problem, except the calls cut short by stop() or a reboot. */
  private readonly fail = (error: unknown): void => {
    if (!this.stopped && !this.offline && !(error instanceof OfflineError)) this.options.onError?.(error);
  };

  private random(): number {
    return this.options.random();
  }

  private between([min, max]: [number, number]): number {
    return (min + (max - min) * this.random()) * 1000;
  }

  private later(ms: number, action: () => Promise<void> | void): Timer {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (!this.stopped) void Promise.resolve().then(action).catch(this.fail);
      },
      Math.min(ms, maxTimerMs),
    );
    this.timers.add(timer);
    return timer;
  }

  private cancel(timer: Timer | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Resolves after `ms` (never, if the station stops first). */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }

  private connectorAt(id: number): Connector | undefined {
    return id >= 1 ? this.connectors[id - 1] : undefined;
  }

  /** The connector of a running (or ending) session, else of the session that ended last there. */
  private connectorOfTransaction(transactionId: string): number | undefined {
    const running = this.connectors.find((c) => c.session?.transactionId === transactionId);
    return running?.id ?? this.screen.connectorOfEndedTransaction(transactionId);
  }

  private sessions(): Session[] {
    return this.connectors.flatMap((c) => (c.session && !c.session.ending ? [c.session] : []));
  }

  private logHeader(): string[] {
    return [
      `Station ${this.identity} (${this.vendor} ${this.model}), firmware ${this.installedFirmware}`,
      `Protocol ${this.options.protocol}, ${this.connectors.length} connector(s), generated ${new Date().toISOString()}`,
    ];
  }

  // ---- Registration, heartbeat, reboot ----

  private async boot(reason: BootReason): Promise<void> {
    this.cancel(this.bootRetry);
    const wasAccepted = this.accepted;
    const response = await this.messages.boot(reason);
    this.registration = response.status;
    if (response.status !== 'Accepted') {
      // B02/B03 (1.6 §4.2): try again after the interval the CSMS asked for.
      const seconds = response.interval > 0 ? response.interval : 10;
      this.bootRetry = this.later(seconds * 1000, () => this.boot(reason));
      return;
    }
    if (response.interval > 0) this.settings.heartbeatIntervalS = response.interval;
    this.restartHeartbeat();
    // A triggered BootNotification while registered only refreshes the interval.
    if (wasAccepted) return;
    this.log.add(`boot accepted (${reason}), firmware ${this.installedFirmware}`, true);
    this.restartAligned();
    if (this.v16 && !this.operative) await this.reportStatus(0, true);
    for (const c of this.connectors) {
      await this.reportStatus(c.id, true);
      if (!c.session) this.scheduleAuto(c);
    }
  }

  private restartHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    const seconds = this.settings.heartbeatIntervalS;
    if (!this.accepted || seconds <= 0) return;
    this.heartbeatTimer = setInterval(() => void this.messages.heartbeat().catch(this.fail), seconds * 1000);
  }

  /** Clock-aligned meter values (ClockAlignedDataInterval / AlignedDataCtrlr.Interval). */
  private restartAligned(): void {
    clearTimeout(this.alignedTimer);
    const ms = this.settings.alignedIntervalS * 1000;
    if (!this.accepted || ms <= 0 || !this.settings.alignedDataEnabled) return;
    // Aligned to multiples of the interval since midnight UTC.
    this.alignedTimer = setTimeout(
      () => {
        this.restartAligned();
        void (async () => {
          for (const c of this.connectors)
            await this.sendMeterValues(c.id, this.settings.alignedMeasurands, 'Sample.Clock');
        })().catch(this.fail);
      },
      ms - (Date.now() % ms),
    );
  }

  /** Drops the connection like a restarting station, then connects and boots again. */
  private async reboot(reason: BootReason): Promise<void> {
    if (this.offline || this.stopped) return;
    this.offline = true;
    this.rebootPending = false;
    this.log.add(`rebooting (${reason})`, true);
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.alignedTimer);
    this.cancel(this.bootRetry);
    for (const c of this.connectors) {
      this.cancel(c.autoTimer);
      c.phase = undefined;
      c.resetWhenIdle = false;
      if (c.clearsOnReboot) {
        c.faulted = false;
        c.clearsOnReboot = false;
      }
      if (c.session) {
        clearInterval(c.session.timer);
        c.registerWh = c.session.energyWh;
        this.chargingProfiles.transactionEnded(c.session.transactionId);
        // The screen starts afresh, idle.
        this.screen.sessionEnded(c.id, c.session.transactionId);
        this.screen.clear(c.id, c.session.transactionId);
        c.session = undefined;
      }
    }
    this.lastReported.clear();
    this.registration = undefined;
    this.bootReason = reason;
    await this.client.close({ code: 1012, reason: 'Rebooting' });
    // Settings that answered RebootRequired take effect now.
    this.client.reconfigure({ pingIntervalMs: this.settings.webSocketPingIntervalS * 1000 } as Parameters<
      RPCClient['reconfigure']
    >[0]);
    this.later(this.options.rebootDelayMs, () => this.reconnect());
  }

  private async reconnect(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      if (!this.stopped) this.options.onError?.(error);
      this.later(Math.max(this.options.rebootDelayMs, 5000), () => this.reconnect());
    }
  }

  // ---- Connector status ----

  private async reportStatus(connector: number, force = false): Promise<void> {
    const status = this.connectorStatus(connector);
    const name = this.messages.statusName(status);
    if (!force && this.lastReported.get(connector) === name) return;
    this.lastReported.set(connector, name);
    await this.messages.status(connector, status);
  }

  /** Whether a session for `idTag` may start on the connector now. */
  private freeFor(c: Connector, idTag: string): boolean {
    const stationFree = this.accepted && !this.rebootPending && !this.firmware.holdSessions;
    return stationFree && isFreeFor(c, idTag, this.operative);
  }

  // ---- Reservations ----

  private reservation(id: number): Reservation | undefined {
    return this.connectors.find((c) => c.reservation?.id === id)?.reservation;
  }

  private scheduleExpiry(c: Connector, reservation: Reservation): void {
    reservation.timer = this.later(reservation.expiresAt - Date.now(), async () => {
      if (c.reservation !== reservation) return;
      if (Date.now() < reservation.expiresAt) return this.scheduleExpiry(c, reservation);
      c.reservation = undefined;
      this.log.add(`reservation ${reservation.id} expired`);
      await this.messages.reservationExpired(reservation.id);
      await this.reportStatus(c.id);
    });
  }

  private dropReservation(c: Connector): void {
    this.cancel(c.reservation?.timer);
    c.reservation = undefined;
  }

  // ---- Sessions ----

  private scheduleAuto(c: Connector): void {
    this.cancel(c.autoTimer);
    c.autoTimer = undefined;
    if (!this.options.autoSessions || this.stopped) return;
    c.autoTimer = this.later(this.between(this.options.idleSeconds), () => {
      c.autoTimer = undefined;
      const cards = this.options.idTokens ?? [];
      const idTag =
        cards.length > 0
          ? (cards[Math.floor(this.random() * cards.length)] ?? cards[0]!)
          : `SIM${Math.floor(this.random() * 1e8)
              .toString(16)
              .toUpperCase()}`;
      if (!this.freeFor(c, idTag)) return this.scheduleAuto(c);
      return this.startSession(c, { idTag, idTokenType: 'ISO14443', remote: false });
    });
  }

  private async startSession(
    c: Connector,
    request: { idTag: string; idTokenType: string; remote: boolean; remoteStartId?: number },
  ): Promise<void> {
    c.phase = 'Preparing';
    this.screen.present(c.id, request.idTag);
    const refuse = async () => {
      c.phase = undefined;
      await this.reportStatus(c.id);
      this.scheduleAuto(c);
    };
    try {
      await this.reportStatus(c.id);
      // A card presented at the station is looked up in the local list first (remote starts are
      // not). One the list holds as Blocked, Expired, ... is refused here, unless the station is
      // to ask the CSMS about it (2.0.1 C14.FR.03 with LocalAuthListCtrlr.DisablePostAuthorize false).
      const listed = request.remote ? undefined : this.localListStatus(request.idTag);
      if (listed !== undefined && listed !== 'Accepted' && !this.settings.postAuthorize) {
        this.log.add(`${request.idTag} refused by the local authorization list (${listed})`);
        return await refuse();
      }
      // LocalPreAuthorize (1.6 §9.1, 2.0.1 C14.FR.02): a card the list accepts starts without
      // Authorize. Otherwise a local start asks the CSMS, a remote one only if configured to
      // (1.6 §5.11, 2.0.1 F01).
      const preAuthorized = listed === 'Accepted' && this.settings.localPreAuthorize;
      const authorize = request.remote ? this.settings.authorizeRemoteStart : !preAuthorized;
      if (authorize && !(await this.messages.authorize(request.idTag, request.idTokenType)))
        return await refuse();
      // A reservation held by this token is used up by the session (1.6 §5.13, 2.0.1 H01).
      const reservation = c.reservation?.idTag === request.idTag ? c.reservation : undefined;
      if (reservation) this.dropReservation(c);
      const now = Date.now();
      const session: Session = {
        connector: c.id,
        transactionId: randomUUID(),
        idTag: request.idTag,
        idTokenType: request.idTokenType,
        remote: request.remote,
        remoteStartId: request.remoteStartId,
        reservationId: reservation?.id,
        seqNo: 0,
        energyWh: c.registerWh,
        soc: 15 + this.random() * 40,
        powerW: 0,
        lastReadAt: now,
        startedAt: now,
        suspended: false,
        endsAt: request.remote ? undefined : now + this.between(this.options.sessionSeconds),
        ending: false,
      };
      this.advance(session);
      c.session = session;
      this.screen.sessionStarted(c.id);
      const accepted = await this.messages.startTransaction(
        session,
        this.samples(session, this.settings.startedMeasurands),
      );
      c.phase = undefined;
      this.log.add(`transaction ${session.transactionId} started on ${c.id} for ${session.idTag}`);
      // 1.6 §5.11 / 2.0.1 E05: a token the CSMS refuses at start ends the transaction.
      if (!accepted && this.settings.stopTxOnInvalidId) return this.endSession(session, 'DeAuthorized');
      await this.reportStatus(c.id);
      this.startMeter(session);
      // One more session shares the station maximum, if one is set.
      this.followLimitsSoon();
    } catch (error) {
      if (c.session && !c.session.ending) {
        this.screen.sessionEnded(c.id, c.session.transactionId);
        c.session = undefined;
      }
      c.phase = undefined;
      throw error;
    }
  }

  /** The card's status in the local list as of now; undefined when unlisted or the list is off. */
  private localListStatus(idTag: string): string | undefined {
    if (!this.localAuthList || !this.settings.localAuthListEnabled) return undefined;
    return this.localAuthList.lookup(idTag, new Date())?.status;
  }

  private startMeter(session: Session): void {
    clearInterval(session.timer);
    const seconds = this.settings.meterIntervalS;
    // Without periodic samples the session still has to notice its end or a full battery.
    session.timer = setInterval(
      () => void this.tick(session).catch(this.fail),
      (seconds > 0 ? seconds : 10) * 1000,
    );
  }

  private async tick(session: Session): Promise<void> {
    if (session.ending) return;
    const pausedOrResumed = this.advance(session);
    const due = session.endsAt !== undefined && Date.now() >= session.endsAt;
    if (due || session.soc >= 100) return this.endSession(session, 'EVDisconnected');
    // A schedule's next period paused or resumed the EV: that is news of its own.
    if (pausedOrResumed) return this.reportLimitChange(session);
    if (this.settings.meterIntervalS > 0 && this.settings.sampledDataEnabled)
      await this.messages.updateTransaction(
        session,
        this.samples(session, this.settings.sampledMeasurands),
        'Periodic',
      );
  }

  private async endSession(session: Session, reason: StopReason): Promise<void> {
    if (session.ending) return;
    session.ending = true;
    clearInterval(session.timer);
    const c = this.connectorAt(session.connector);
    if (!c) return;
    this.advance(session);
    session.powerW = 0;
    c.registerWh = session.energyWh;
    c.phase = 'Finishing';
    c.session = undefined;
    this.chargingProfiles.transactionEnded(session.transactionId);
    this.screen.sessionEnded(c.id, session.transactionId);
    this.later(this.options.finalCostShownSeconds * 1000, () =>
      this.screen.clear(c.id, session.transactionId),
    );
    try {
      await this.messages.endTransaction(
        session,
        this.samples(session, this.settings.endedMeasurands),
        reason,
      );
      this.completedSessions++;
      this.log.add(`transaction ${session.transactionId} ended on ${c.id} (${reason})`);
      await this.reportStatus(c.id);
    } finally {
      c.phase = undefined;
    }
    await this.reportStatus(c.id);
    // The other sessions share the station maximum, if one is set, among fewer.
    this.followLimitsSoon();
    await this.sessionEnded(c);
  }

  private async sessionEnded(c: Connector): Promise<void> {
    c.resetWhenIdle = false;
    if (this.rebootPending) {
      if (!this.connectors.some((x) => x.session)) await this.reboot('RemoteReset');
      return;
    }
    this.scheduleAuto(c);
  }

  // ---- Smart charging ----

  private get supply(): Supply {
    return supplyOf(this.options.maxPowerW);
  }

  /**
   * The limit the charging profiles put on a connector now: for its session, or for the next one
   * (0: the station's grid connection). The station maximum is shared equally by the sessions.
   */
  private limitOn(connector: number, session?: Session): CurrentLimit | undefined {
    if (this.chargingProfiles.size === 0) return undefined;
    const others = this.sessions().filter((s) => s !== session).length;
    return this.chargingProfiles.limitAt({
      evseId: connector,
      at: Date.now(),
      supply: this.supply,
      transaction: session && { id: session.transactionId, startedAt: session.startedAt },
      stationMaxShare: connector === 0 ? 1 : others + 1,
    });
  }

  /**
   * Advances the session under the limit in force, which the EV follows at once (a limit below the
   * minimum charging current pauses it). True when the EV paused or resumed.
   */
  private advance(session: Session): boolean {
    const limit = this.limitOn(session.connector, session);
    const capW = powerCapW(limit, this.supply);
    advance(session, Date.now(), this.options.maxPowerW, () => this.random(), capW);
    session.limit = limit;
    const suspended = capW === 0;
    const changed = session.suspended !== suspended;
    session.suspended = suspended;
    return changed;
  }

  /**
   * Brings the sessions whose limit changed (a profile set, cleared or ended; one more or one fewer
   * session sharing the station maximum) to the new limit and tells the CSMS, so that it sees the
   * effect without waiting for the next sample.
   */
  private async followLimits(): Promise<void> {
    for (const session of this.sessions()) {
      if (!this.started(session)) continue;
      if (sameLimit(this.limitOn(session.connector, session), session.limit)) continue;
      this.advance(session);
      await this.reportLimitChange(session);
    }
  }

  /** Advances the session and, when that paused or resumed the EV (a schedule's next period), says so. */
  private async advanceAndReport(session: Session): Promise<void> {
    if (this.advance(session) && this.started(session)) await this.reportLimitChange(session);
  }

  /**
   * The transaction has started at the CSMS (1.6: it has its number). Until then the start messages
   * tell the EV's state.
   */
  private started(session: Session): boolean {
    return !this.connectorAt(session.connector)?.phase;
  }

  /** followLimits on its own, for when the number of sessions changed. */
  private followLimitsSoon(): void {
    if (this.chargingProfiles.size > 0) this.later(0, () => this.followLimits());
  }

  /**
   * 1.6: the connector's status (SuspendedEVSE, or Charging again) and a MeterValues with the new
   * readings; 2.0.1: a TransactionEvent (ChargingRateChanged) with the charging state and readings.
   */
  private async reportLimitChange(session: Session): Promise<void> {
    await this.reportStatus(session.connector);
    await this.messages.updateTransaction(
      session,
      this.samples(session, this.settings.sampledMeasurands),
      'LimitChanged',
    );
  }

  private samples(session: Session, measurands: Measurand[]): Sample[] {
    const { energyWh, powerW, soc, limit } = session;
    return samplesOf(
      read(energyWh, powerW, soc, this.options.maxPowerW, () => this.random(), limit),
      measurands,
    );
  }

  /** One MeterValues for a connector (0 = the station's main meter, the sum of all). */
  private async sendMeterValues(
    connector: number,
    measurands: Measurand[],
    context: 'Sample.Clock' | 'Trigger',
  ): Promise<void> {
    const random = () => this.random();
    if (connector === 0) {
      for (const s of this.sessions()) await this.advanceAndReport(s);
      const registerWh = this.connectors.reduce((sum, c) => sum + (c.session?.energyWh ?? c.registerWh), 0);
      const powerW = this.sessions().reduce((sum, s) => sum + s.powerW, 0);
      const reading = read(
        registerWh,
        powerW,
        undefined,
        this.options.maxPowerW * this.connectors.length,
        random,
        this.limitOn(0),
      );
      return this.messages.meterValues(0, samplesOf(reading, measurands), context);
    }
    const c = this.connectorAt(connector);
    if (!c) return;
    const session = c.session && !c.session.ending ? c.session : undefined;
    if (session) await this.advanceAndReport(session);
    const reading = session
      ? read(session.energyWh, session.powerW, session.soc, this.options.maxPowerW, random, session.limit)
      : read(c.registerWh, 0, undefined, this.options.maxPowerW, random, this.limitOn(connector));
    await this.messages.meterValues(connector, samplesOf(reading, measurands), context, session);
  }
}

function sameLimit(a: CurrentLimit | undefined, b: CurrentLimit | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.amps === b.amps && a.phases === b.phases);
}
