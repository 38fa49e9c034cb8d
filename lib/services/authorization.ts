import type { Db } from '@/lib/db';
import type { StationLink } from './charger-link';

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';

/**
 * Whether an id token may charge at a station. The one place every path asks (Authorize, start of
 * a transaction, later remote start). Interim rule until access control exists (issue 5): ChargeOps
 * has no tokens yet, so none can be blocked, and every token is accepted.
 */
export async function authorizeToken(
  _db: Db,
  _station: StationLink,
  _token: { idToken: string; type: string | null },
): Promise<{ status: AuthorizationStatus }> {
  return { status: 'Accepted' };
}
