import { getCurrentUser } from '@/lib/auth/session';
import { toCsv } from '@/lib/csv';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { outageCsvRows, reportingPeriod } from '@/lib/domain/maintenance/uptime';
import { listOutages } from '@/lib/services/outages';

export const dynamic = 'force-dynamic';

/**
 * The outages per port of a period (?from=YYYY-MM-DD&to=YYYY-MM-DD, UTC days, both included; the
 * last 30 days without them) as CSV, one row per outage, for uptime reports (EV-ChART style).
 */
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, 'maintenance:view')) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const params = new URL(request.url).searchParams;
  const now = new Date();
  const period = reportingPeriod(
    { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined },
    now,
  );
  const outages = await listOutages(getDb(), user, period, now);
  return new Response(toCsv(outageCsvRows(outages)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="outages-${period.fromDay}-to-${period.toDay}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
