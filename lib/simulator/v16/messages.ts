import type { Sample } from '../meter';
import type {
  Call,
  ConnectorStatus,
  Session,
  StationIdentity,
  StationMessages,
  StopReason,
  UpdateReason,
} from '../protocol';

/** OCPP 1.6 StopTransaction.req reasons (§7.42). */
const stopReasons: Record<StopReason, string> = {
  EVDisconnected: 'EVDisconnected',
  Remote: 'Remote',
  SoftReset: 'SoftReset',
  HardReset: 'HardReset',
  ImmediateReset: 'HardReset',
  UnlockCommand: 'UnlockCommand',
  DeAuthorized: 'DeAuthorized',
  Fault: 'Other',
};

/** The ReadingContext of a transaction's MeterValues (a new limit has none of its own: Other). */
const updateContexts: Record<UpdateReason, string> = {
  Periodic: 'Sample.Periodic',
  Trigger: 'Trigger',
  LimitChanged: 'Other',
};

function sampledValues(samples: Sample[], context: string) {
  return samples.map((s) => ({
    value: String(s.value),
    context,
    measurand: s.measurand,
    ...(s.phase && { phase: s.phase }),
    ...(s.location && { location: s.location }),
    unit: s.unit,
  }));
}

function meterValue(samples: Sample[], context: string) {
  return [{ timestamp: new Date().toISOString(), sampledValue: sampledValues(samples, context) }];
}

/** The station's outbound messages in OCPP 1.6J. */
export function v16Messages(call: Call, id: StationIdentity): StationMessages {
  return {
    async boot() {
      return (await call('BootNotification', {
        chargePointVendor: id.vendor,
        chargePointModel: id.model,
        chargePointSerialNumber: id.serialNumber,
        firmwareVersion: id.firmwareVersion(),
      })) as { status: string; interval: number };
    },

    async heartbeat() {
      await call('Heartbeat', {});
    },

    statusName: (status: ConnectorStatus) => status,

    async status(connector, status) {
      await call('StatusNotification', {
        connectorId: connector,
        errorCode: status === 'Faulted' ? 'GroundFailure' : 'NoError',
        status,
        timestamp: new Date().toISOString(),
      });
    },

    async authorize(idTag) {
      const res = (await call('Authorize', { idTag })) as { idTagInfo: { status: string } };
      return res.idTagInfo.status === 'Accepted';
    },

    async startTransaction(session) {
      const res = (await call('StartTransaction', {
        connectorId: session.connector,
        idTag: session.idTag,
        meterStart: Math.round(session.energyWh),
        ...(session.reservationId !== undefined && { reservationId: session.reservationId }),
        timestamp: new Date().toISOString(),
      })) as { transactionId: number; idTagInfo: { status: string } };
      session.transactionId = String(res.transactionId);
      return res.idTagInfo.status === 'Accepted';
    },

    async updateTransaction(session, samples, reason) {
      if (!samples.length) return;
      await call('MeterValues', {
        connectorId: session.connector,
        transactionId: Number(session.transactionId),
        meterValue: meterValue(samples, updateContexts[reason]),
      });
    },

    async endTransaction(session: Session, samples, reason) {
      await call('StopTransaction', {
        transactionId: Number(session.transactionId),
        idTag: session.idTag,
        meterStop: Math.round(session.energyWh),
        timestamp: new Date().toISOString(),
        reason: stopReasons[reason],
        // StopTxnSampledData (§9.1.35): the readings at the end of the transaction.
        ...(samples.length && { transactionData: meterValue(samples, 'Transaction.End') }),
      });
    },

    async meterValues(connector, samples, context, session) {
      if (!samples.length) return;
      await call('MeterValues', {
        connectorId: connector,
        ...(session && { transactionId: Number(session.transactionId) }),
        meterValue: meterValue(samples, context),
      });
    },

    async firmwareStatus(status) {
      // 1.6 FirmwareStatus has no DownloadScheduled / InstallScheduled: those steps stay silent.
      if (status === 'DownloadScheduled' || status === 'InstallScheduled') return;
      await call('FirmwareStatusNotification', { status });
    },

    async uploadStatus(status) {
      await call('DiagnosticsStatusNotification', { status });
    },

    // 1.6 reports an expired reservation only through the connector's StatusNotification.
    async reservationExpired() {},
  };
}
