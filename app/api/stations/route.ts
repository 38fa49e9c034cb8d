import { toMapStations } from '@/components/map/map-data';
import { getCurrentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listStations } from '@/lib/services/stations';
import { maintenanceByStation } from '@/lib/services/work-order-views';

export const dynamic = 'force-dynamic';

/** The stations the signed-in user may see, with state and connectors (the live map's query). */
export async function GET() {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, 'stations:view')) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const db = getDb();
  const [rows, maintenance] = await Promise.all([listStations(db, user), maintenanceByStation(db, user)]);
  const stations = toMapStations(rows, maintenance);
  return Response.json({ stations }, { headers: { 'Cache-Control': 'no-store' } });
}
