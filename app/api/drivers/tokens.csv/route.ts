import { getCurrentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { exportTokensCsv } from '@/lib/services/drivers';

export const dynamic = 'force-dynamic';

/** Every token of the organisation as CSV, with its driver, for spreadsheets and other systems. */
export async function GET() {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, 'drivers:view')) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const csv = await exportTokensCsv(getDb(), user);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tokens-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
