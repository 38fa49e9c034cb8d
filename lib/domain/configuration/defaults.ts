import { formatVariableKey, parseVariableKey } from './keys';

export type ConfigurableVersion = '1.6' | '2.0.1';
export const configurableVersions: readonly ConfigurableVersion[] = ['1.6', '2.0.1'];

export interface ConfigurationSetting {
  key: string;
  value: string;
}

const measurands = 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC';

/**
 * What a new organisation starts with: live power and energy every minute, and the heartbeat
 * ChargeOps expects (OCPP 1.6 §9.1 configuration keys; 2.0.1 OCPPCommCtrlr and SampledDataCtrlr).
 */
export const recommendedDefaults: Record<ConfigurableVersion, readonly ConfigurationSetting[]> = {
  '1.6': [
    { key: 'HeartbeatInterval', value: '300' },
    { key: 'MeterValueSampleInterval', value: '60' },
    { key: 'MeterValuesSampledData', value: measurands },
  ],
  '2.0.1': [
    { key: 'OCPPCommCtrlr.HeartbeatInterval', value: '300' },
    { key: 'SampledDataCtrlr.TxUpdatedInterval', value: '60' },
    { key: 'SampledDataCtrlr.TxUpdatedMeasurands', value: measurands },
  ],
};

/** The settings that apply to a station: the organisation's, with the site's values on top. */
export function resolveDefaults(
  organisation: readonly ConfigurationSetting[],
  site: readonly ConfigurationSetting[],
): ConfigurationSetting[] {
  const merged = new Map(organisation.map((s) => [s.key, s.value]));
  for (const s of site) merged.set(s.key, s.value);
  return [...merged].map(([key, value]) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key));
}

/** Checks a key for a version; returns why it is not usable, or null. */
export function keyProblem(version: ConfigurableVersion, key: string): string | null {
  const address = parseVariableKey(key);
  if (!address) return 'is not a configuration key';
  if (version === '1.6' && address.component)
    return 'OCPP 1.6 keys have no component (e.g. MeterValueSampleInterval)';
  if (version === '2.0.1' && !address.component)
    return 'OCPP 2.0.1 keys name a component, e.g. SampledDataCtrlr.TxUpdatedInterval';
  if (formatVariableKey(address) !== key) return `is written ${formatVariableKey(address)}`;
  return null;
}

/**
 * Whether a station's value means the same as the wanted one: charger spellings of booleans
 * (True/true), numbers (060/60) and comma lists with spaces differ without differing.
 */
export function sameConfigurationValue(wanted: string, actual: string): boolean {
  const norm = (v: string) => {
    const t = v.trim();
    if (/^(true|false)$/i.test(t)) return t.toLowerCase();
    if (/^-?\d+(\.\d+)?$/.test(t)) return String(Number(t));
    return t
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .join(',');
  };
  return norm(wanted) === norm(actual);
}

export type DriftState = 'in-sync' | 'drift' | 'not-reported' | 'read-only';

export interface DriftRow {
  key: string;
  wanted: string;
  actual: string | null;
  state: DriftState;
}

/** Wanted against reported values, key by key. */
export function configurationDrift(
  wanted: readonly ConfigurationSetting[],
  actual: ReadonlyMap<string, { value: string | null; readonly: boolean }>,
): DriftRow[] {
  return wanted.map(({ key, value }) => {
    const reported = actual.get(key);
    if (!reported || reported.value === null)
      return { key, wanted: value, actual: null, state: 'not-reported' };
    if (sameConfigurationValue(value, reported.value))
      return { key, wanted: value, actual: reported.value, state: 'in-sync' };
    return { key, wanted: value, actual: reported.value, state: reported.readonly ? 'read-only' : 'drift' };
  });
}
