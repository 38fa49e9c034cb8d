import { toCsv } from '@/lib/csv';
import { AppError, httpStatusOf } from '@/lib/errors';
import { cdrsCsv } from '@/lib/services/cdrs';
import { csvDownload } from '../../csv-download';

export const dynamic = 'force-dynamic';

/**
 * The charge detail records the user may see as CSV, filtered by the query string as the CDR list
 * is (?from&to as ISO instants on the end time, `to` excluded; siteId, stationId, groupId, driverId,
 * tariffId, paymentStatus). Every matching record, oldest first; a bad filter is a 422.
 */
export async function GET(request: Request) {
  const filters = Object.fromEntries(new URL(request.url).searchParams);
  try {
    return await csvDownload('billing:view', async (db, user) => ({
      fileName: `cdrs-${new Date().toISOString().slice(0, 10)}.csv`,
      csv: toCsv(await cdrsCsv(db, user, filters)),
    }));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return Response.json(
      { error: error.message, fieldErrors: error.fieldErrors },
      { status: httpStatusOf(error.kind) },
    );
  }
}
