import type { Db } from '@/lib/db';
import type { SessionUser } from '@/lib/services/users';
import { csvDownload } from '../csv-download';

/** A CSV download of the organisation's drivers data for someone who may see drivers; dated file name. */
export function driversCsvDownload(
  name: string,
  produce: (db: Db, user: SessionUser) => Promise<string>,
): Promise<Response> {
  return csvDownload('drivers:view', async (db, user) => ({
    fileName: `${name}-${new Date().toISOString().slice(0, 10)}.csv`,
    csv: await produce(db, user),
  }));
}
