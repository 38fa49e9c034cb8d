import { RPCClient } from 'ocpp-rpc';

/**
 * A simulated charging station speaking real OCPP-J (1.6 or 2.0.1) over a WebSocket: it boots,
 * reports connector status, heartbeats, and runs plausible charging sessions with meter values
 * (energy, power, current, voltage, SoC). Used by `npm run sim`, the live demo, tests and e2e.
 */
export interface SimulatedStationOptions {
  /** Base URL of the OCPP endpoint, e.g. ws://localhost:3000/ocpp (the identity is appended). */
  url: string;
  identity: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  password?: string;
  vendor?: string;
  model?: string;
  /** Number of connectors (1.6) or EVSEs with one connector each (2.0.1). */
  connectors?: number;
  /** Nominal power per connector in W. */
  maxPowerW?: number;
  /** Seconds between meter values during a session. */
  meterIntervalSeconds?: number;
  /** Session length range in seconds. */
  sessionSeconds?: [number, number];
  /** Idle time range between sessions in seconds. */
  idleSeconds?: [number, number];
  /** Deterministic randomness for tests (defaults to Math.random). */
  random?: () => number;
  /** Called with problems the station meets (refused connection, failed calls). */
  onError?: (error: unknown) => void;
}

interface Session {
  connector: number;
  transactionId: string;
  idTag: string;
  meterWh: number;
  soc: number;
  seqNo: number;
  endsAt: number;
  timer?: ReturnType<typeof setInterval>;
}

export class SimulatedStation {
  readonly client: RPCClient;
  private readonly options: Required<Omit<SimulatedStationOptions, 'password' | 'onError'>> &
    Pick<SimulatedStationOptions, 'password' | 'onError'>;
  private readonly sessions = new Map<number, Session>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private heartbeat?: ReturnType<typeof setInterval>;
  private registerWh: number[];
  private stopped = false;
  /** Completed sessions, for tests and the CLI summary. */
  completedSessions = 0;

  constructor(options: SimulatedStationOptions) {
    this.options = {
      vendor: 'ChargeOps',
      model: 'Simulator',
      connectors: 2,
      maxPowerW: 11_000,
      meterIntervalSeconds: 10,
      sessionSeconds: [120, 600],
      idleSeconds: [30, 180],
      random: Math.random,
      ...options,
    };
    this.registerWh = Array.from({ length: this.options.connectors }, () =>
      Math.round(this.random() * 5_000_000),
    );
    this.client = new RPCClient({
      endpoint: options.url,
      identity: options.identity,
      password: options.password ?? null,
      protocols: [options.protocol],
      reconnect: true,
      strictMode: true,
      // ocpp-rpc's typings mark every option required; the library fills in defaults.
    } as Partial<ConstructorParameters<typeof RPCClient>[0]> as ConstructorParameters<typeof RPCClient>[0]);
    // After a reconnect the station boots again and re-reports its connectors, like real ones do.
    this.client.on('open', () => void this.boot().catch(this.fail));
  }

  /** Reports a problem, except the calls cut short by stop(). */
  private readonly fail = (error: unknown): void => {
    if (!this.stopped) this.options.onError?.(error);
  };

  private random(): number {
    return this.options.random();
  }

  private get v16(): boolean {
    return this.options.protocol === 'ocpp1.6';
  }

  private between([min, max]: [number, number]): number {
    return (min + (max - min) * this.random()) * 1000;
  }

  private later(ms: number, action: () => Promise<void> | void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void Promise.resolve(action()).catch(this.fail);
    }, ms);
    this.timers.add(timer);
  }

  /** Connects and starts behaving like a station. Resolves once the WebSocket is open. */
  async start(): Promise<void> {
    await this.client.connect();
  }

  /** Ends open sessions cleanly where it can, then disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    for (const timer of this.timers) clearTimeout(timer);
    for (const session of this.sessions.values()) clearInterval(session.timer);
    await this.client.close({ code: 1000, reason: 'Simulator stopping' });
  }

  private async boot(): Promise<void> {
    const response = (await this.client.call(
      'BootNotification',
      this.v16
        ? {
            chargePointVendor: this.options.vendor,
            chargePointModel: this.options.model,
            firmwareVersion: 'sim-1.0',
          }
        : {
            chargingStation: {
              vendorName: this.options.vendor,
              model: this.options.model,
              firmwareVersion: 'sim-1.0',
            },
            reason: 'PowerUp',
          },
    )) as { status: string; interval: number };
    if (response.status !== 'Accepted') {
      this.later(Math.max(response.interval, 5) * 1000, () => this.boot());
      return;
    }
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(
      () => void this.client.call('Heartbeat', {}).catch(this.fail),
      response.interval * 1000,
    );
    for (let connector = 1; connector <= this.options.connectors; connector++) {
      await this.reportStatus(connector, this.sessions.has(connector) ? 'busy' : 'free');
      if (!this.sessions.has(connector))
        this.later(this.between(this.options.idleSeconds), () => this.startSession(connector));
    }
  }

  private async reportStatus(connector: number, state: 'free' | 'busy' | 'faulted'): Promise<void> {
    const now = new Date().toISOString();
    if (this.v16) {
      const status = { free: 'Available', busy: 'Charging', faulted: 'Faulted' }[state];
      await this.client.call('StatusNotification', {
        connectorId: connector,
        errorCode: state === 'faulted' ? 'GroundFailure' : 'NoError',
        status,
        timestamp: now,
      });
    } else {
      const connectorStatus = { free: 'Available', busy: 'Occupied', faulted: 'Faulted' }[state];
      await this.client.call('StatusNotification', {
        timestamp: now,
        connectorStatus,
        evseId: connector,
        connectorId: 1,
      });
    }
  }

  private sampledValues(session: Session, powerW: number, context: string) {
    const voltage = 228 + this.random() * 6;
    const current = powerW / voltage / (this.options.maxPowerW > 22_000 ? 1 : 3);
    if (this.v16) {
      return [
        { value: String(session.meterWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh', context },
        { value: powerW.toFixed(0), measurand: 'Power.Active.Import', unit: 'W', context },
        { value: current.toFixed(1), measurand: 'Current.Import', unit: 'A', phase: 'L1', context },
        { value: voltage.toFixed(1), measurand: 'Voltage', unit: 'V', phase: 'L1-N', context },
        { value: session.soc.toFixed(0), measurand: 'SoC', unit: 'Percent', location: 'EV', context },
      ];
    }
    return [
      {
        value: session.meterWh,
        measurand: 'Energy.Active.Import.Register',
        unitOfMeasure: { unit: 'Wh' },
        context,
      },
      { value: Math.round(powerW), measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' }, context },
      {
        value: Number(current.toFixed(1)),
        measurand: 'Current.Import',
        phase: 'L1',
        unitOfMeasure: { unit: 'A' },
        context,
      },
      {
        value: Number(voltage.toFixed(1)),
        measurand: 'Voltage',
        phase: 'L1-N',
        unitOfMeasure: { unit: 'V' },
        context,
      },
      {
        value: Math.round(session.soc),
        measurand: 'SoC',
        location: 'EV',
        unitOfMeasure: { unit: 'Percent' },
        context,
      },
    ];
  }

  private async startSession(connector: number): Promise<void> {
    if (this.sessions.has(connector)) return;
    const idTag = `SIM${Math.floor(this.random() * 1e8)
      .toString(16)
      .toUpperCase()}`;
    const session: Session = {
      connector,
      transactionId: `${this.options.identity}-${connector}-${Date.now()}`,
      idTag,
      meterWh: this.registerWh[connector - 1] ?? 0,
      soc: 15 + this.random() * 40,
      seqNo: 0,
      endsAt: Date.now() + this.between(this.options.sessionSeconds),
    };
    const timestamp = new Date().toISOString();
    if (this.v16) {
      await this.client.call('Authorize', { idTag });
      const started = (await this.client.call('StartTransaction', {
        connectorId: connector,
        idTag,
        meterStart: session.meterWh,
        timestamp,
      })) as { transactionId: number; idTagInfo: { status: string } };
      if (started.idTagInfo.status !== 'Accepted') return;
      session.transactionId = String(started.transactionId);
    } else {
      await this.client.call('TransactionEvent', {
        eventType: 'Started',
        timestamp,
        triggerReason: 'Authorized',
        seqNo: session.seqNo++,
        transactionInfo: { transactionId: session.transactionId, chargingState: 'Charging' },
        idToken: { idToken: idTag, type: 'ISO14443' },
        evse: { id: connector, connectorId: 1 },
        meterValue: [{ timestamp, sampledValue: this.sampledValues(session, 0, 'Transaction.Begin') }],
      });
    }
    this.sessions.set(connector, session);
    await this.reportStatus(connector, 'busy');
    session.timer = setInterval(
      () => void this.meter(session).catch(this.fail),
      this.options.meterIntervalSeconds * 1000,
    );
  }

  private async meter(session: Session): Promise<void> {
    if (Date.now() >= session.endsAt || session.soc >= 100) return this.endSession(session);
    // Power tapers as the battery fills; a little noise like a real charger.
    const taper = session.soc > 80 ? (100 - session.soc) / 20 : 1;
    const powerW = this.options.maxPowerW * taper * (0.9 + this.random() * 0.1);
    const energy = (powerW * this.options.meterIntervalSeconds) / 3600;
    session.meterWh = Math.round(session.meterWh + energy);
    session.soc = Math.min(100, session.soc + energy / 600);
    const timestamp = new Date().toISOString();
    if (this.v16) {
      await this.client.call('MeterValues', {
        connectorId: session.connector,
        transactionId: Number(session.transactionId),
        meterValue: [{ timestamp, sampledValue: this.sampledValues(session, powerW, 'Sample.Periodic') }],
      });
    } else {
      await this.client.call('TransactionEvent', {
        eventType: 'Updated',
        timestamp,
        triggerReason: 'MeterValuePeriodic',
        seqNo: session.seqNo++,
        transactionInfo: { transactionId: session.transactionId, chargingState: 'Charging' },
        meterValue: [{ timestamp, sampledValue: this.sampledValues(session, powerW, 'Sample.Periodic') }],
      });
    }
  }

  private async endSession(session: Session): Promise<void> {
    clearInterval(session.timer);
    if (!this.sessions.has(session.connector)) return;
    this.sessions.delete(session.connector);
    this.registerWh[session.connector - 1] = session.meterWh;
    const timestamp = new Date().toISOString();
    if (this.v16) {
      await this.client.call('StopTransaction', {
        transactionId: Number(session.transactionId),
        idTag: session.idTag,
        meterStop: session.meterWh,
        timestamp,
        reason: 'EVDisconnected',
      });
    } else {
      await this.client.call('TransactionEvent', {
        eventType: 'Ended',
        timestamp,
        triggerReason: 'EVCommunicationLost',
        seqNo: session.seqNo++,
        transactionInfo: {
          transactionId: session.transactionId,
          chargingState: 'Idle',
          stoppedReason: 'EVDisconnected',
        },
        meterValue: [{ timestamp, sampledValue: this.sampledValues(session, 0, 'Transaction.End') }],
      });
    }
    this.completedSessions++;
    await this.reportStatus(session.connector, 'free');
    this.later(this.between(this.options.idleSeconds), () => this.startSession(session.connector));
  }
}
