import type { Handler } from '../context';

/** OCPP 2.0.1 DataTransfer (P01): ChargeOps has no vendor extensions yet, so every vendor is unknown. */
export const dataTransfer: Handler<
  { vendorId: string; messageId?: string; data?: unknown },
  { status: string }
> = () => ({
  status: 'UnknownVendorId',
});
