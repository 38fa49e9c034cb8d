import type { Sample } from '../meter';
import type {
  Call,
  ConnectorStatus,
  Session,
  StationDisplay,
  StationIdentity,
  StationMessages,
  StopReason,
  UpdateReason,
} from '../protocol';

/** How a stop reason shows in TransactionEvent Ended: triggerReason and stoppedReason (E06). */
const endReasons: Record<StopReason, { triggerReason: string; stoppedReason: string }> = {
  EVDisconnected: { triggerReason: 'EVDeparted', stoppedReason: 'EVDisconnected' },
  Remote: { triggerReason: 'RemoteStop', stoppedReason: 'Remote' },
  SoftReset: { triggerReason: 'ResetCommand', stoppedReason: 'ImmediateReset' },
  HardReset: { triggerReason: 'ResetCommand', stoppedReason: 'ImmediateReset' },
  ImmediateReset: { triggerReason: 'ResetCommand', stoppedReason: 'ImmediateReset' },
  UnlockCommand: { triggerReason: 'UnlockCommand', stoppedReason: 'Other' },
  DeAuthorized: { triggerReason: 'Deauthorized', stoppedReason: 'DeAuthorized' },
  Fault: { triggerReason: 'AbnormalCondition', stoppedReason: 'Other' },
};

/** 2.0.1 ConnectorStatusEnumType for each status (also the EVSE's AvailabilityState). */
export const connectorStatuses: Record<ConnectorStatus, string> = {
  Available: 'Available',
  Preparing: 'Occupied',
  Charging: 'Occupied',
  SuspendedEVSE: 'Occupied',
  Finishing: 'Occupied',
  Reserved: 'Reserved',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
};

/** TransactionEvent Updated: its triggerReason and the context of its meter values. */
const updates: Record<UpdateReason, { triggerReason: string; context: string }> = {
  Periodic: { triggerReason: 'MeterValuePeriodic', context: 'Sample.Periodic' },
  Trigger: { triggerReason: 'Trigger', context: 'Trigger' },
  LimitChanged: { triggerReason: 'ChargingRateChanged', context: 'Other' },
};

/** A running session charges, or waits for a limit of at least the minimum current. */
function chargingState(session: Session): string {
  return session.suspended ? 'SuspendedEVSE' : 'Charging';
}

function meterValue(samples: Sample[], context: string) {
  if (!samples.length) return undefined;
  return [
    {
      timestamp: new Date().toISOString(),
      sampledValue: samples.map((s) => ({
        value: s.value,
        context,
        measurand: s.measurand,
        ...(s.phase && { phase: s.phase }),
        ...(s.location && { location: s.location }),
        unitOfMeasure: { unit: s.unit },
      })),
    },
  ];
}

function withMeterValue(samples: Sample[], context: string) {
  const values = meterValue(samples, context);
  return values ? { meterValue: values } : {};
}

type TransactionEventResponse = {
  idTokenInfo?: { status: string };
  totalCost?: number;
  updatedPersonalMessage?: { format: string; content: string; language?: string };
};

/**
 * Shows what a TransactionEventResponse tells the driver. I03: totalCost answering Ended is the final
 * cost; a CSMS that sends it earlier (the schema allows it) gives the running cost.
 * I01/I02: updatedPersonalMessage replaces the price text (shown as is, whatever its format).
 */
function showResponse(
  display: StationDisplay,
  transactionId: string,
  response: TransactionEventResponse,
  ended: boolean,
): void {
  const message = response.updatedPersonalMessage;
  if (message) display.showPriceText({ transactionId }, message.content);
  const cost = response.totalCost;
  if (cost === undefined) return;
  if (ended) display.showFinalCost(transactionId, cost);
  else display.showRunningCost(transactionId, cost, new Date());
}

/** The station's outbound messages in OCPP 2.0.1 (each EVSE has one connector, id 1). */
export function v201Messages(call: Call, id: StationIdentity, display: StationDisplay): StationMessages {
  return {
    async boot(reason) {
      return (await call('BootNotification', {
        chargingStation: {
          serialNumber: id.serialNumber,
          model: id.model,
          vendorName: id.vendor,
          firmwareVersion: id.firmwareVersion(),
        },
        reason,
      })) as { status: string; interval: number };
    },

    async heartbeat() {
      await call('Heartbeat', {});
    },

    statusName: (status) => connectorStatuses[status],

    async status(evseId, status) {
      // 2.0.1 has no "connector 0": the station's availability shows per EVSE.
      if (evseId === 0) return;
      await call('StatusNotification', {
        timestamp: new Date().toISOString(),
        connectorStatus: connectorStatuses[status],
        evseId,
        connectorId: 1,
      });
    },

    async authorize(idToken, type) {
      const res = (await call('Authorize', { idToken: { idToken, type } })) as {
        idTokenInfo: { status: string };
      };
      return res.idTokenInfo.status === 'Accepted';
    },

    async startTransaction(session, samples) {
      const res = (await call('TransactionEvent', {
        eventType: 'Started',
        timestamp: new Date().toISOString(),
        triggerReason: session.remote ? 'RemoteStart' : 'Authorized',
        seqNo: session.seqNo++,
        transactionInfo: {
          transactionId: session.transactionId,
          chargingState: chargingState(session),
          ...(session.remoteStartId !== undefined && { remoteStartId: session.remoteStartId }),
        },
        idToken: { idToken: session.idTag, type: session.idTokenType },
        evse: { id: session.connector, connectorId: 1 },
        ...(session.reservationId !== undefined && { reservationId: session.reservationId }),
        ...withMeterValue(samples, 'Transaction.Begin'),
      })) as TransactionEventResponse;
      showResponse(display, session.transactionId, res, false);
      return !res.idTokenInfo || res.idTokenInfo.status === 'Accepted';
    },

    async updateTransaction(session, samples, reason) {
      // A trigger or a new limit is reported even without samples: the event itself tells.
      if (!samples.length && reason === 'Periodic') return;
      const { triggerReason, context } = updates[reason];
      const res = (await call('TransactionEvent', {
        eventType: 'Updated',
        timestamp: new Date().toISOString(),
        triggerReason,
        seqNo: session.seqNo++,
        transactionInfo: { transactionId: session.transactionId, chargingState: chargingState(session) },
        ...withMeterValue(samples, context),
      })) as TransactionEventResponse;
      showResponse(display, session.transactionId, res, false);
    },

    async endTransaction(session, samples, reason) {
      const { triggerReason, stoppedReason } = endReasons[reason];
      const res = (await call('TransactionEvent', {
        eventType: 'Ended',
        timestamp: new Date().toISOString(),
        triggerReason,
        seqNo: session.seqNo++,
        transactionInfo: {
          transactionId: session.transactionId,
          // The cable is out only when the EV left; otherwise it is still plugged in.
          chargingState: reason === 'EVDisconnected' ? 'Idle' : 'EVConnected',
          stoppedReason,
        },
        ...withMeterValue(samples, 'Transaction.End'),
      })) as TransactionEventResponse;
      showResponse(display, session.transactionId, res, true);
    },

    async meterValues(evseId, samples, context) {
      const values = meterValue(samples, context);
      if (!values) return;
      await call('MeterValues', { evseId, meterValue: values });
    },

    async firmwareStatus(status, requestId) {
      // L01: requestId on every status of an update; none when Idle (nothing in progress).
      await call('FirmwareStatusNotification', {
        status,
        ...(status !== 'Idle' && requestId !== undefined && { requestId }),
      });
    },

    async uploadStatus(status, requestId) {
      await call('LogStatusNotification', {
        status: status === 'UploadFailed' ? 'UploadFailure' : status,
        ...(status !== 'Idle' && requestId !== undefined && { requestId }),
      });
    },

    async reservationExpired(reservationId) {
      // H01: an expired reservation is reported; a cancelled one is not (the CSMS knows).
      await call('ReservationStatusUpdate', { reservationId, reservationUpdateStatus: 'Expired' });
    },
  };
}
