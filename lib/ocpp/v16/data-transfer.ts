import type { Handler } from '../context';

/** OCPP 1.6 DataTransfer (§6.17): ChargeOps has no vendor extensions yet, so every vendor is unknown. */
export const dataTransfer: Handler<
  { vendorId: string; messageId?: string; data?: string },
  { status: string }
> = () => ({
  status: 'UnknownVendorId',
});
