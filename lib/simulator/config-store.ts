import { isMeasurand, type Measurand } from './meter';

/**
 * The settings the simulated station acts on, whichever version's configuration (1.6 keys or the
 * 2.0.1 device model) they are read and written through. Intervals are in seconds.
 */
export interface Settings {
  heartbeatIntervalS: number;
  /** MeterValueSampleInterval (1.6) / SampledDataCtrlr.TxUpdatedInterval (2.0.1); 0 = no samples. */
  meterIntervalS: number;
  sampledDataEnabled: boolean;
  /** MeterValuesSampledData / TxUpdatedMeasurands: periodic and triggered samples. */
  sampledMeasurands: Measurand[];
  /** TxStartedMeasurands (2.0.1 only; 1.6 has meterStart). */
  startedMeasurands: Measurand[];
  /** StopTxnSampledData / TxEndedMeasurands. */
  endedMeasurands: Measurand[];
  /** ClockAlignedDataInterval / AlignedDataCtrlr.Interval; 0 = off. */
  alignedIntervalS: number;
  alignedDataEnabled: boolean;
  alignedMeasurands: Measurand[];
  authorizeRemoteStart: boolean;
  stopTxOnInvalidId: boolean;
  reservationsEnabled: boolean;
  authCacheEnabled: boolean;
  /** LocalAuthListEnabled / LocalAuthListCtrlr.Enabled: consult the local list when a card is presented. */
  localAuthListEnabled: boolean;
  /** LocalPreAuthorize / AuthCtrlr.LocalPreAuthorize: a card the local list accepts starts without Authorize. */
  localPreAuthorize: boolean;
  /**
   * Ask the CSMS (Authorize) about a card the local list holds with another status than Accepted
   * (2.0.1 C14.FR.03, off when LocalAuthListCtrlr.DisablePostAuthorize is true); false: refuse it
   * at the station. 1.6 has no key for it.
   */
  postAuthorize: boolean;
  /** Applied to the WebSocket on the next reboot (changing it answers RebootRequired). */
  webSocketPingIntervalS: number;
}

/** What a setting change needs the station to redo. */
export type SettingEffect = 'heartbeat' | 'meter' | 'aligned';

export const defaultMeasurands: Measurand[] = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Voltage',
  'SoC',
];

export function defaultSettings(meterIntervalS: number): Settings {
  return {
    heartbeatIntervalS: 300,
    meterIntervalS,
    sampledDataEnabled: true,
    sampledMeasurands: [...defaultMeasurands],
    startedMeasurands: ['Energy.Active.Import.Register'],
    endedMeasurands: ['Energy.Active.Import.Register'],
    alignedIntervalS: 0,
    alignedDataEnabled: true,
    alignedMeasurands: ['Energy.Active.Import.Register', 'Power.Active.Import'],
    authorizeRemoteStart: false,
    stopTxOnInvalidId: true,
    reservationsEnabled: true,
    authCacheEnabled: true,
    localAuthListEnabled: true,
    localPreAuthorize: false,
    postAuthorize: false,
    webSocketPingIntervalS: 30,
  };
}

export type SetResult = 'Accepted' | 'Rejected' | 'RebootRequired';

/** One configuration value: read as a string, written from a string (validated). */
export interface Entry {
  readonly: boolean;
  get(): string;
  set(value: string): SetResult;
}

type Field<T> = { get(): T; set(value: T): void };

/** A field of Settings, plus the effect a change has. */
export function field<K extends keyof Settings>(
  settings: Settings,
  key: K,
  onChange?: () => void,
): Field<Settings[K]> {
  return {
    get: () => settings[key],
    set: (value) => {
      settings[key] = value;
      onChange?.();
    },
  };
}

/** A value kept only to be read back: the simulator has no behaviour behind it. */
export function stored<T>(initial: T): Field<T> {
  let value = initial;
  return { get: () => value, set: (v) => (value = v) };
}

function entry<T>(
  target: Field<T>,
  format: (value: T) => string,
  parse: (text: string) => T | undefined,
  options: { reboot?: boolean } = {},
): Entry {
  return {
    readonly: false,
    get: () => format(target.get()),
    set: (text) => {
      const value = parse(text.trim());
      if (value === undefined) return 'Rejected';
      target.set(value);
      return options.reboot ? 'RebootRequired' : 'Accepted';
    },
  };
}

/** A whole number within [min, max]. */
export function integerEntry(
  target: Field<number>,
  { min = 0, max = 86_400, reboot = false }: { min?: number; max?: number; reboot?: boolean } = {},
): Entry {
  return entry(target, String, (text) => parseInteger(text, min, max), { reboot });
}

/** A decimal number within [min, max]. */
export function decimalEntry(target: Field<number>, { min = 0, max = Infinity } = {}): Entry {
  return entry(target, String, (text) => {
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    return n >= min && n <= max ? n : undefined;
  });
}

export function booleanEntry(target: Field<boolean>): Entry {
  return entry(target, String, parseBoolean);
}

/** A comma-separated list of measurands this simulator can sample. */
export function measurandsEntry(target: Field<Measurand[]>, maxLength = 7): Entry {
  return entry(
    target,
    (list) => list.join(','),
    (text) => parseMeasurands(text, maxLength),
  );
}

/** A comma-separated list drawn from a fixed set of values. */
export function memberListEntry(target: Field<string>, allowed: readonly string[]): Entry {
  return entry(
    target,
    (value) => value,
    (text) => {
      const items = splitList(text);
      return items.every((item) => allowed.includes(item)) ? items.join(',') : undefined;
    },
  );
}

export function readonlyEntry(get: () => string): Entry {
  return { readonly: true, get, set: () => 'Rejected' };
}

export function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

export function parseMeasurands(text: string, maxLength: number): Measurand[] | undefined {
  const items = splitList(text);
  if (items.length > maxLength || new Set(items).size !== items.length) return undefined;
  return items.every(isMeasurand) ? items : undefined;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
