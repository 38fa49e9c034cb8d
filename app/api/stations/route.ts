import { toMapStations } from '@/components/map/map-data';
import { getCurrentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listStations } from '@/lib/services/stations';

export const dynamic = 'force-dynamic';

/** The stations the signed-in user may see, with state and connectors (the live map's query). */
export async function GET() {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, 'stations:view')) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const stations = toMapStations(await listStations(getDb(), user));
  return Response.json({ stations }, { headers: { 'Cache-Control': 'no-store' } });
}
