import { keepNotification } from '../notification';

/** OCPP 1.6 FirmwareStatusNotification (§6.29): kept on the station's event list. */
export const firmwareStatusNotification = keepNotification<{ status: string }>(
  'FirmwareStatusNotification',
  (r) => r.status,
);
