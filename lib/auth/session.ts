import { cache } from 'react';
import { forbidden, redirect } from 'next/navigation';
import { getDb } from '@/lib/db';
import { roleCan, type Permission } from '@/lib/domain/access/roles';
import { loadSessionUser, type SessionUser } from '@/lib/services/users';
import { auth } from './config';

/**
 * The signed-in user of this request, reloaded from the database (so a deactivation or role
 * change applies at once), or null. Cached per request.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId || session.sv === undefined) return null;
  return loadSessionUser(getDb(), userId, session.sv);
});

/** The signed-in user, or a redirect to /login. For pages and layouts. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return user;
}

/** The signed-in user holding a permission; otherwise /login or the 403 page. For pages. */
export async function requirePermission(permission: Permission): Promise<SessionUser> {
  const user = await requireUser();
  if (!roleCan(user.role, permission)) forbidden();
  return user;
}
