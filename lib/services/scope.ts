import { inArray, sql, type SQL } from 'drizzle-orm';
import { chargingStations } from '@/lib/db/schema';
import { siteScope, type Principal } from '@/lib/domain/access/roles';

/**
 * The condition that limits a query joined to charging_stations to the caller's sites: nothing for
 * admins, no rows at all for someone without sites.
 */
export function stationSiteScope(actor: Principal): SQL | undefined {
  const scope = siteScope(actor);
  if (scope === 'all') return undefined;
  if (scope.length === 0) return sql`false`;
  return inArray(chargingStations.siteId, [...scope]);
}
