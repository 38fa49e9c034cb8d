import { getCurrentUser } from '@/lib/auth/session';
import { getDb, type Db } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import type { SessionUser } from '@/lib/services/users';

/** A CSV download of the organisation's drivers data for someone who may see drivers; dated file name. */
export async function driversCsvDownload(
  name: string,
  produce: (db: Db, user: SessionUser) => Promise<string>,
): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, 'drivers:view')) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const csv = await produce(getDb(), user);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
