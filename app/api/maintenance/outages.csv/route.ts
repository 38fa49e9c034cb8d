import { toCsv } from '@/lib/csv';
import { outageCsvRows, reportingPeriod } from '@/lib/domain/maintenance/uptime';
import { listOutages } from '@/lib/services/outages';
import { csvDownload } from '../../csv-download';

export const dynamic = 'force-dynamic';

/**
 * The outages per port of a period (?from=YYYY-MM-DD&to=YYYY-MM-DD, UTC days, both included; the
 * last 30 days without them) as CSV, one row per outage, for uptime reports (EV-ChART style).
 */
export async function GET(request: Request) {
  return csvDownload('maintenance:view', async (db, user) => {
    const params = new URL(request.url).searchParams;
    const now = new Date();
    const period = reportingPeriod(
      { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined },
      now,
    );
    return {
      fileName: `outages-${period.fromDay}-to-${period.toDay}.csv`,
      csv: toCsv(outageCsvRows(await listOutages(db, user, period, now))),
    };
  });
}
