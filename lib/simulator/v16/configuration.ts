import {
  booleanEntry,
  field,
  integerEntry,
  measurandsEntry,
  readonlyEntry,
  stored,
  type Entry,
  type SetResult,
} from '../config-store';
import type { LocalListLimits } from '../local-list';
import { parseDefaultPrice } from './cost-messages';
import { measurands } from '../meter';
import type { StationControl } from '../protocol';

/** The longest measurand lists the station takes (*MaxLength keys). */
const maxMeasurands = measurands.length;

/**
 * The station's OCPP 1.6 configuration keys (§9.1 Core, §9.2 Local Auth List Management, §9.3
 * Firmware Management, §9.4 Reservation, the Smart Charging keys, and the OCA California pricing
 * keys): the ones with behaviour behind them read and write the station's settings; the others are
 * kept so that GetConfiguration looks like a real charge point's.
 */
export function v16Configuration(station: StationControl): Map<string, Entry> {
  const s = station.settings;
  const list = station.localAuthList;
  const profileLimits = station.chargingProfiles.limits;
  // §9.2: only a charge point with the Local Auth List Management profile has its keys.
  const withLocalList = (keys: (limits: LocalListLimits) => [string, Entry][]) =>
    list ? keys(list.limits) : [];
  const profiles = [
    'Core',
    'FirmwareManagement',
    list && 'LocalAuthListManagement',
    'RemoteTrigger',
    'Reservation',
    'SmartCharging',
  ]
    .filter(Boolean)
    .join(',');
  const apply = (effect: Parameters<StationControl['applySetting']>[0]) => () => station.applySetting(effect);
  const keys: [string, Entry][] = [
    ['AllowOfflineTxForUnknownId', booleanEntry(stored(false))],
    ['AuthorizationCacheEnabled', booleanEntry(field(s, 'authCacheEnabled'))],
    ['AuthorizeRemoteTxRequests', booleanEntry(field(s, 'authorizeRemoteStart'))],
    // Smart Charging: what SetChargingProfile takes (a property of the firmware, so read-only).
    ['ChargeProfileMaxStackLevel', readonlyEntry(() => String(profileLimits.maxStackLevel))],
    ['ChargingScheduleAllowedChargingRateUnit', readonlyEntry(() => 'Current,Power')],
    ['ChargingScheduleMaxPeriods', readonlyEntry(() => String(profileLimits.maxPeriods))],
    ['ClockAlignedDataInterval', integerEntry(field(s, 'alignedIntervalS', apply('aligned')))],
    ['ConnectionTimeOut', integerEntry(stored(60), { min: 1, max: 3600 })],
    [
      'ConnectorPhaseRotation',
      readonlyEntry(() => Array.from({ length: station.connectorCount }, (_, i) => `${i + 1}.RST`).join(',')),
    ],
    // OCA California pricing: whether the cost DataTransfers are shown (a property of the hardware).
    ['CustomDisplayCostAndPrice', readonlyEntry(() => String(station.displaysCostAndPrice))],
    // OCA California pricing: the price shown before anyone identifies (only with a cost display).
    ...(station.displaysCostAndPrice
      ? ([['DefaultPrice', defaultPriceEntry(station)]] as [string, Entry][])
      : []),
    ['GetConfigurationMaxKeys', readonlyEntry(() => '50')],
    ['HeartbeatInterval', integerEntry(field(s, 'heartbeatIntervalS', apply('heartbeat')), { min: 1 })],
    ...withLocalList(({ maxEntries }) => [
      ['LocalAuthListEnabled', booleanEntry(field(s, 'localAuthListEnabled'))],
      ['LocalAuthListMaxLength', readonlyEntry(() => String(maxEntries))],
    ]),
    ['LocalAuthorizeOffline', booleanEntry(stored(true))],
    ['LocalPreAuthorize', booleanEntry(field(s, 'localPreAuthorize'))],
    ['MaxChargingProfilesInstalled', readonlyEntry(() => String(profileLimits.maxProfiles))],
    ['MeterValuesAlignedData', measurandsEntry(field(s, 'alignedMeasurands'), maxMeasurands)],
    ['MeterValuesAlignedDataMaxLength', readonlyEntry(() => String(maxMeasurands))],
    ['MeterValuesSampledData', measurandsEntry(field(s, 'sampledMeasurands'), maxMeasurands)],
    ['MeterValuesSampledDataMaxLength', readonlyEntry(() => String(maxMeasurands))],
    ['MeterValueSampleInterval', integerEntry(field(s, 'meterIntervalS', apply('meter')))],
    ['NumberOfConnectors', readonlyEntry(() => String(station.connectorCount))],
    ['ResetRetries', integerEntry(stored(3), { max: 10 })],
    ['ReserveConnectorZeroSupported', readonlyEntry(() => 'false')],
    ...withLocalList(({ maxItemsPerMessage }) => [
      ['SendLocalListMaxLength', readonlyEntry(() => String(maxItemsPerMessage))],
    ]),
    ['StopTransactionOnEVSideDisconnect', booleanEntry(stored(true))],
    ['StopTransactionOnInvalidId', booleanEntry(field(s, 'stopTxOnInvalidId'))],
    ['StopTxnAlignedData', measurandsEntry(stored([]), maxMeasurands)],
    ['StopTxnAlignedDataMaxLength', readonlyEntry(() => String(maxMeasurands))],
    ['StopTxnSampledData', measurandsEntry(field(s, 'endedMeasurands'), maxMeasurands)],
    ['StopTxnSampledDataMaxLength', readonlyEntry(() => String(maxMeasurands))],
    ['SupportedFeatureProfiles', readonlyEntry(() => profiles)],
    ['SupportedFileTransferProtocols', readonlyEntry(() => 'HTTP,HTTPS')],
    ['TransactionMessageAttempts', integerEntry(stored(3), { max: 10 })],
    ['TransactionMessageRetryInterval', integerEntry(stored(60))],
    ['UnlockConnectorOnEVSideDisconnect', booleanEntry(stored(true))],
    // The WebSocket is set up when the station connects: a new ping interval needs a reboot.
    ['WebSocketPingInterval', integerEntry(field(s, 'webSocketPingIntervalS'), { reboot: true })],
  ];
  return new Map(keys);
}

export type ChangeConfigurationStatus = SetResult | 'NotSupported';

/**
 * DefaultPrice holds the OCA JSON as written; a value of another shape is Rejected. Its priceText
 * shows on idle screens (an empty one shows nothing).
 */
function defaultPriceEntry(station: StationControl): Entry {
  let value = '';
  return {
    readonly: false,
    get: () => value,
    set: (text) => {
      const parsed = parseDefaultPrice(text);
      if (!parsed) return 'Rejected';
      value = text;
      station.showDefaultPriceText(parsed.priceText || null);
      return 'Accepted';
    },
  };
}
