import { getCurrentUser } from '@/lib/auth/session';
import { getDb, type Db } from '@/lib/db';
import { roleCan, type Permission } from '@/lib/domain/access/roles';
import type { SessionUser } from '@/lib/services/users';

/** A CSV download for someone signed in who holds `permission`; 401/403 as JSON otherwise. */
export async function csvDownload(
  permission: Permission,
  produce: (db: Db, user: SessionUser) => Promise<{ fileName: string; csv: string }>,
): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, permission)) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const { fileName, csv } = await produce(getDb(), user);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
