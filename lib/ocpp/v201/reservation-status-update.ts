import { endReservation } from '@/lib/services/reservations';
import type { Handler } from '../context';

/** OCPP 2.0.1 ReservationStatusUpdateRequest (H05): a reservation expired or was removed at the station. */
export interface ReservationStatusUpdateRequest {
  reservationId: number;
  reservationUpdateStatus: 'Expired' | 'Removed';
}

export const reservationStatusUpdate: Handler<ReservationStatusUpdateRequest, Record<string, never>> = async (
  ctx,
  req,
) => {
  await endReservation(
    ctx.db,
    ctx.station,
    req.reservationId,
    req.reservationUpdateStatus === 'Expired' ? 'expired' : 'cancelled',
    ctx.now(),
  );
  return {};
};
