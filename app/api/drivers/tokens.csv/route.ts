import { getCurrentUser } from '@/lib/auth/session';
import { toCsv } from '@/lib/csv';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listTokens } from '@/lib/services/drivers';

export const dynamic = 'force-dynamic';

/** Every token of the organisation as CSV, with its driver, for spreadsheets and other systems. */
export async function GET() {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, 'drivers:view')) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const tokens = await listTokens(getDb(), user, { limit: 100_000 });
  const csv = toCsv([
    [
      'id_token',
      'kind',
      'ocpp_type',
      'status',
      'blocked_reason',
      'expires_at',
      'parent_id_tag',
      'label',
      'driver',
    ],
    ...tokens.map((t) => [
      t.idToken,
      t.kind,
      t.ocppType,
      t.status,
      t.blockedReason,
      t.expiresAt?.toISOString(),
      t.parentIdTag,
      t.label,
      t.driverName,
    ]),
  ]);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tokens-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
