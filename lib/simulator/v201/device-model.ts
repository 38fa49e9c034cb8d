import {
  booleanEntry,
  decimalEntry,
  field,
  integerEntry,
  measurandsEntry,
  readonlyEntry,
  stored,
  type Entry,
} from '../config-store';
import { measurands } from '../meter';
import type { StationControl } from '../protocol';
import { connectorStatuses } from './messages';

/**
 * The station's OCPP 2.0.1 device model (part 2, appendix 3 "standardized components"): the
 * controllers' configuration variables, the station's identity and state, and an EVSE and a
 * Connector component per EVSE. Values with behaviour behind them read and write the station's
 * settings; the others are kept so that reports look like a real station's.
 */

type DataType = 'string' | 'decimal' | 'integer' | 'dateTime' | 'boolean' | 'OptionList' | 'MemberList';

export interface ComponentRef {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

export interface VariableRef {
  name: string;
  instance?: string;
}

export interface Variable {
  component: ComponentRef;
  variable: VariableRef;
  entry: Entry;
  dataType: DataType;
  unit?: string;
  maxLimit?: number;
  valuesList?: string;
  /** A MaxSet attribute besides Actual (read-only), e.g. an EVSE's maximum power. */
  maxSet?: () => string;
}

type Attribute = 'Actual' | 'Target' | 'MinSet' | 'MaxSet';

/** Items per NotifyReport (DeviceDataCtrlr.ItemsPerMessage[GetReport]). */
export const reportItemsPerMessage = 10;

/**
 * LocalAuthListCtrlr.BytesPerMessage: room for ItemsPerMessage (250 by default) entries of the
 * largest kind. Reported for the CSMS to size its messages (D01.FR.11), not checked: the station
 * holds the CSMS to ItemsPerMessage.
 */
export const localListBytesPerMessage = 65_536;

const availabilityStates = 'Available,Occupied,Reserved,Unavailable,Faulted';

/** The connector type the simulated EVSEs have: a Type 2 cable for AC, CCS2 for DC. */
export function connectorType(maxPowerW: number): string {
  return maxPowerW > 22_000 ? 'cCCS2' : 'cType2';
}

export function deviceModel(station: StationControl): Variable[] {
  const s = station.settings;
  const apply = (effect: Parameters<StationControl['applySetting']>[0]) => () => station.applySetting(effect);
  const measurandList = measurands.join(',');
  const phases = station.maxPowerW > 22_000 ? '0' : '3';
  const model: Variable[] = [];
  const add = (
    component: string | ComponentRef,
    variable: string | VariableRef,
    entry: Entry,
    characteristics: Omit<Variable, 'component' | 'variable' | 'entry'>,
  ) =>
    model.push({
      component: typeof component === 'string' ? { name: component } : component,
      variable: typeof variable === 'string' ? { name: variable } : variable,
      entry,
      ...characteristics,
    });
  const integer = { dataType: 'integer' } as const;
  const seconds = { dataType: 'integer', unit: 's' } as const;
  const boolean = { dataType: 'boolean' } as const;
  const text = { dataType: 'string' } as const;
  const measurandsType = { dataType: 'MemberList', valuesList: measurandList } as const;

  add(
    'ChargingStation',
    'AvailabilityState',
    readonlyEntry(() => (station.stationOperative ? 'Available' : 'Unavailable')),
    {
      dataType: 'OptionList',
      valuesList: availabilityStates,
    },
  );
  add(
    'ChargingStation',
    'Available',
    readonlyEntry(() => 'true'),
    boolean,
  );
  add(
    'ChargingStation',
    'SupplyPhases',
    readonlyEntry(() => phases),
    integer,
  );
  add(
    'ChargingStation',
    'VendorName',
    readonlyEntry(() => station.vendor),
    text,
  );
  add(
    'ChargingStation',
    'Model',
    readonlyEntry(() => station.model),
    text,
  );
  add(
    'ChargingStation',
    'FirmwareVersion',
    readonlyEntry(() => station.firmwareVersion),
    text,
  );

  add(
    'OCPPCommCtrlr',
    'HeartbeatInterval',
    integerEntry(field(s, 'heartbeatIntervalS', apply('heartbeat')), { min: 1 }),
    seconds,
  );
  // The WebSocket is set up when the station connects: a new ping interval needs a reboot.
  add(
    'OCPPCommCtrlr',
    'WebSocketPingInterval',
    integerEntry(field(s, 'webSocketPingIntervalS'), { reboot: true }),
    seconds,
  );
  add('OCPPCommCtrlr', 'OfflineThreshold', integerEntry(stored(60)), seconds);
  add('OCPPCommCtrlr', 'ResetRetries', integerEntry(stored(3), { max: 10 }), integer);
  add(
    'OCPPCommCtrlr',
    { name: 'MessageAttempts', instance: 'TransactionEvent' },
    integerEntry(stored(3), { max: 10 }),
    integer,
  );
  add(
    'OCPPCommCtrlr',
    { name: 'MessageAttemptInterval', instance: 'TransactionEvent' },
    integerEntry(stored(60)),
    seconds,
  );
  add(
    'OCPPCommCtrlr',
    'FileTransferProtocols',
    readonlyEntry(() => 'HTTP,HTTPS'),
    {
      dataType: 'MemberList',
      valuesList: 'FTP,FTPS,HTTP,HTTPS,SFTP',
    },
  );

  add('SampledDataCtrlr', 'Enabled', booleanEntry(field(s, 'sampledDataEnabled')), boolean);
  add(
    'SampledDataCtrlr',
    'TxUpdatedInterval',
    integerEntry(field(s, 'meterIntervalS', apply('meter'))),
    seconds,
  );
  add(
    'SampledDataCtrlr',
    'TxStartedMeasurands',
    measurandsEntry(field(s, 'startedMeasurands')),
    measurandsType,
  );
  add(
    'SampledDataCtrlr',
    'TxUpdatedMeasurands',
    measurandsEntry(field(s, 'sampledMeasurands')),
    measurandsType,
  );
  add('SampledDataCtrlr', 'TxEndedMeasurands', measurandsEntry(field(s, 'endedMeasurands')), measurandsType);

  add('AlignedDataCtrlr', 'Enabled', booleanEntry(field(s, 'alignedDataEnabled', apply('aligned'))), boolean);
  add('AlignedDataCtrlr', 'Interval', integerEntry(field(s, 'alignedIntervalS', apply('aligned'))), seconds);
  add('AlignedDataCtrlr', 'Measurands', measurandsEntry(field(s, 'alignedMeasurands')), measurandsType);

  add('AuthCtrlr', 'Enabled', booleanEntry(stored(true)), boolean);
  add('AuthCtrlr', 'AuthorizeRemoteStart', booleanEntry(field(s, 'authorizeRemoteStart')), boolean);
  add('AuthCtrlr', 'LocalAuthorizeOffline', booleanEntry(stored(true)), boolean);
  add('AuthCtrlr', 'LocalPreAuthorize', booleanEntry(field(s, 'localPreAuthorize')), boolean);
  add('AuthCacheCtrlr', 'Enabled', booleanEntry(field(s, 'authCacheEnabled')), boolean);

  // Functional block D: only a station with a Local Authorization List has the component.
  const list = station.localAuthList;
  if (list) {
    add(
      'LocalAuthListCtrlr',
      'Available',
      readonlyEntry(() => 'true'),
      boolean,
    );
    add('LocalAuthListCtrlr', 'Enabled', booleanEntry(field(s, 'localAuthListEnabled')), boolean);
    // The maxLimit is the list's capacity, which the CSMS keeps to (D01.FR.12).
    add(
      'LocalAuthListCtrlr',
      'Entries',
      readonlyEntry(() => String(list.size)),
      { ...integer, maxLimit: list.limits.maxEntries },
    );
    add(
      'LocalAuthListCtrlr',
      'ItemsPerMessage',
      readonlyEntry(() => String(list.limits.maxItemsPerMessage)),
      integer,
    );
    add(
      'LocalAuthListCtrlr',
      'BytesPerMessage',
      readonlyEntry(() => String(localListBytesPerMessage)),
      integer,
    );
    // C14.FR.03 asks the CSMS about a card the list does not accept; true makes the station refuse it.
    const disablePostAuthorize = {
      get: () => !s.postAuthorize,
      set: (value: boolean) => (s.postAuthorize = !value),
    };
    add('LocalAuthListCtrlr', 'DisablePostAuthorize', booleanEntry(disablePostAuthorize), boolean);
  }

  add('TxCtrlr', 'EVConnectionTimeOut', integerEntry(stored(60), { min: 1, max: 3600 }), seconds);
  add('TxCtrlr', 'StopTxOnInvalidId', booleanEntry(field(s, 'stopTxOnInvalidId')), boolean);
  add(
    'TxCtrlr',
    'StopTxOnEVSideDisconnect',
    readonlyEntry(() => 'true'),
    boolean,
  );

  // Functional block K: what SetChargingProfile takes (properties of the firmware, so read-only).
  const profiles = station.chargingProfiles;
  add(
    'SmartChargingCtrlr',
    'Available',
    readonlyEntry(() => 'true'),
    boolean,
  );
  add(
    'SmartChargingCtrlr',
    'Enabled',
    readonlyEntry(() => 'true'),
    boolean,
  );
  // Kept for the CSMS to read back: the station reports every change of limit.
  add('SmartChargingCtrlr', 'LimitChangeSignificance', decimalEntry(stored(10), { max: 100 }), {
    dataType: 'decimal',
    unit: 'Percent',
  });
  add(
    'SmartChargingCtrlr',
    'PeriodsPerSchedule',
    readonlyEntry(() => String(profiles.limits.maxPeriods)),
    integer,
  );
  add(
    'SmartChargingCtrlr',
    'ProfileStackLevel',
    readonlyEntry(() => String(profiles.limits.maxStackLevel)),
    integer,
  );
  add(
    'SmartChargingCtrlr',
    'RateUnit',
    readonlyEntry(() => 'A,W'),
    { dataType: 'MemberList', valuesList: 'A,W' },
  );
  add(
    'SmartChargingCtrlr',
    { name: 'Entries', instance: 'ChargingProfiles' },
    readonlyEntry(() => String(profiles.size)),
    { ...integer, maxLimit: profiles.limits.maxProfiles },
  );

  // Functional block I (tariff and cost): only a station with a display for them has the controller.
  if (station.displaysCostAndPrice) {
    for (const instance of ['Tariff', 'Cost'])
      add(
        'TariffCostCtrlr',
        { name: 'Available', instance },
        readonlyEntry(() => 'true'),
        boolean,
      );
    // The fallback message is shown while Enabled[Tariff] is true.
    const tariff = { enabled: true, fallback: '' };
    const showFallback = () => station.showDefaultPriceText((tariff.enabled && tariff.fallback) || null);
    add(
      'TariffCostCtrlr',
      { name: 'Enabled', instance: 'Tariff' },
      booleanEntry({
        get: () => tariff.enabled,
        set: (value) => {
          tariff.enabled = value;
          showFallback();
        },
      }),
      boolean,
    );
    add('TariffCostCtrlr', { name: 'Enabled', instance: 'Cost' }, booleanEntry(stored(true)), boolean);
    // I01: what the station shows when it has no driver-specific price; the CSMS keeps it current.
    add(
      'TariffCostCtrlr',
      'TariffFallbackMessage',
      textEntry({
        get: () => tariff.fallback,
        set: (value) => {
          tariff.fallback = value;
          showFallback();
        },
      }),
      text,
    );
    add('TariffCostCtrlr', 'TotalCostFallbackMessage', textEntry(stored('')), text);
  }

  add('ReservationCtrlr', 'Enabled', booleanEntry(field(s, 'reservationsEnabled')), boolean);
  add(
    'ReservationCtrlr',
    'NonEvseSpecific',
    readonlyEntry(() => 'true'),
    boolean,
  );

  add(
    'DeviceDataCtrlr',
    { name: 'ItemsPerMessage', instance: 'GetReport' },
    readonlyEntry(() => String(reportItemsPerMessage)),
    integer,
  );
  add(
    'DeviceDataCtrlr',
    { name: 'ItemsPerMessage', instance: 'GetVariables' },
    readonlyEntry(() => '50'),
    integer,
  );
  add(
    'DeviceDataCtrlr',
    { name: 'ItemsPerMessage', instance: 'SetVariables' },
    readonlyEntry(() => '50'),
    integer,
  );
  add(
    'SecurityCtrlr',
    'SecurityProfile',
    readonlyEntry(() => String(station.securityProfile)),
    integer,
  );
  add(
    'SecurityCtrlr',
    'Identity',
    readonlyEntry(() => station.identity),
    text,
  );
  add(
    'ClockCtrlr',
    'DateTime',
    readonlyEntry(() => new Date().toISOString()),
    { dataType: 'dateTime' },
  );

  for (let id = 1; id <= station.connectorCount; id++) {
    const evse = { name: 'EVSE', evse: { id } };
    const connector = { name: 'Connector', evse: { id, connectorId: 1 } };
    const state = readonlyEntry(() => connectorStatuses[station.connectorStatus(id)]);
    add(evse, 'AvailabilityState', state, { dataType: 'OptionList', valuesList: availabilityStates });
    add(
      evse,
      'Available',
      readonlyEntry(() => 'true'),
      boolean,
    );
    add(
      evse,
      'Power',
      readonlyEntry(() => String(Math.round(station.sessionOn(id)?.powerW ?? 0))),
      {
        dataType: 'decimal',
        unit: 'W',
        maxLimit: station.maxPowerW,
        maxSet: () => String(station.maxPowerW),
      },
    );
    add(
      evse,
      'SupplyPhases',
      readonlyEntry(() => phases),
      integer,
    );
    add(connector, 'AvailabilityState', state, { dataType: 'OptionList', valuesList: availabilityStates });
    add(
      connector,
      'Available',
      readonlyEntry(() => 'true'),
      boolean,
    );
    add(
      connector,
      'ConnectorType',
      readonlyEntry(() => connectorType(station.maxPowerW)),
      text,
    );
    add(
      connector,
      'SupplyPhases',
      readonlyEntry(() => phases),
      integer,
    );
  }
  return model;
}

/** A free text (SetVariables' attributeValue holds up to 1000 characters). */
function textEntry(target: { get(): string; set(value: string): void }): Entry {
  return {
    readonly: false,
    get: () => target.get(),
    set: (value) => {
      if (value.length > 1000) return 'Rejected';
      target.set(value);
      return 'Accepted';
    },
  };
}

interface VariableRequest {
  component: ComponentRef;
  variable: VariableRef;
  attributeType?: Attribute;
}

/** The variable a request names, or why there is none (B06 / B05). */
function find(model: Variable[], req: VariableRequest): Variable | 'UnknownComponent' | 'UnknownVariable' {
  const component = model.filter(
    (v) =>
      v.component.name === req.component.name &&
      v.component.instance === req.component.instance &&
      v.component.evse?.id === req.component.evse?.id &&
      (req.component.evse?.connectorId === undefined ||
        v.component.evse?.connectorId === req.component.evse.connectorId),
  );
  if (!component.length) return 'UnknownComponent';
  const named = component.filter((v) => v.variable.name === req.variable.name);
  // Lenient on a missing variable instance: "ItemsPerMessage" finds its first instance.
  const variable =
    named.find((v) => v.variable.instance === req.variable.instance) ??
    (req.variable.instance === undefined ? named[0] : undefined);
  return variable ?? 'UnknownVariable';
}

function echo(req: VariableRequest) {
  return {
    component: req.component,
    variable: req.variable,
    ...(req.attributeType && { attributeType: req.attributeType }),
  };
}

export function getVariable(model: Variable[], req: VariableRequest) {
  const found = find(model, req);
  if (typeof found === 'string') return { ...echo(req), attributeStatus: found };
  const type = req.attributeType ?? 'Actual';
  const value = type === 'Actual' ? found.entry.get() : type === 'MaxSet' ? found.maxSet?.() : undefined;
  if (value === undefined) return { ...echo(req), attributeStatus: 'NotSupportedAttributeType' as const };
  return { ...echo(req), attributeStatus: 'Accepted' as const, attributeValue: value };
}

export function setVariable(model: Variable[], req: VariableRequest & { attributeValue: string }) {
  const found = find(model, req);
  if (typeof found === 'string') return { ...echo(req), attributeStatus: found };
  const type = req.attributeType ?? 'Actual';
  if (type !== 'Actual')
    return {
      ...echo(req),
      attributeStatus: found.maxSet && type === 'MaxSet' ? 'Rejected' : 'NotSupportedAttributeType',
    };
  // B05: a read-only variable is Rejected, as is a value of the wrong type or out of range.
  return {
    ...echo(req),
    attributeStatus: found.entry.readonly ? 'Rejected' : found.entry.set(req.attributeValue),
  };
}

/** ReportData for GetBaseReport: everything, or (ConfigurationInventory) the writable variables. */
export function reportData(model: Variable[], base: 'FullInventory' | 'ConfigurationInventory') {
  return model
    .filter((v) => base === 'FullInventory' || !v.entry.readonly)
    .map((v) => ({
      component: v.component,
      variable: v.variable,
      variableAttribute: [
        { type: 'Actual', value: v.entry.get(), mutability: v.entry.readonly ? 'ReadOnly' : 'ReadWrite' },
        ...(v.maxSet ? [{ type: 'MaxSet', value: v.maxSet(), mutability: 'ReadOnly' }] : []),
      ],
      variableCharacteristics: {
        dataType: v.dataType,
        ...(v.unit && { unit: v.unit }),
        ...(v.maxLimit !== undefined && { maxLimit: v.maxLimit }),
        ...(v.valuesList && { valuesList: v.valuesList }),
        supportsMonitoring: false,
      },
    }));
}
