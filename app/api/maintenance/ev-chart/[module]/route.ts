import { toCsv } from '@/lib/csv';
import { getEnv } from '@/lib/env';
import { AppError, httpStatusOf } from '@/lib/errors';
import { evChartModuleRows, isEvChartModule, resolveQuarter } from '@/lib/services/nevi-reports';
import { csvDownload } from '../../../csv-download';

export const dynamic = 'force-dynamic';

/**
 * One EV-ChART module of a quarter as CSV (/api/maintenance/ev-chart/{sessions|uptime|outages}
 * ?quarter=2026-Q3; the last complete quarter without it). 422 for a bad quarter, 412 while
 * NEVI_NETWORK_PROVIDER is not set.
 */
export async function GET(request: Request, { params }: { params: Promise<{ module: string }> }) {
  const { module } = await params;
  if (!isEvChartModule(module)) return Response.json({ error: 'No such EV-ChART module' }, { status: 404 });
  try {
    return await csvDownload('maintenance:view', async (db, user) => {
      const now = new Date();
      const quarter = resolveQuarter(new URL(request.url).searchParams.get('quarter') ?? undefined, now);
      const { fileName, rows } = await evChartModuleRows(
        db,
        user,
        module,
        quarter,
        getEnv().NEVI_NETWORK_PROVIDER,
        now,
      );
      return { fileName, csv: toCsv(rows) };
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return Response.json({ error: error.message }, { status: httpStatusOf(error.kind) });
  }
}
