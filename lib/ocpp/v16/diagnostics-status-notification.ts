import { keepNotification } from '../notification';

/** OCPP 1.6 DiagnosticsStatusNotification (§6.19): kept on the station's event list. */
export const diagnosticsStatusNotification = keepNotification<{ status: string }>(
  'DiagnosticsStatusNotification',
  (r) => r.status,
);
