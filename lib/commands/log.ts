import { desc, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { stationCommands, type StationCommand } from '@/lib/db/schema';
import { getStation } from '@/lib/services/stations';
import type { SessionUser } from '@/lib/services/users';

/** The station's command log, newest first. */
export async function listStationCommands(
  db: Db,
  actor: SessionUser,
  stationId: string,
  limit = 50,
): Promise<StationCommand[]> {
  await getStation(db, actor, stationId);
  return db
    .select()
    .from(stationCommands)
    .where(eq(stationCommands.stationId, stationId))
    .orderBy(desc(stationCommands.createdAt), desc(stationCommands.requestId))
    .limit(Math.min(Math.max(limit, 1), 200));
}
