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

interface RequireOptions {
  /** The page where users replace an admin-set password; every other page sends them there first. */
  isPasswordChangePage?: boolean;
}

/**
 * The signed-in user, or a redirect to /login. A user whose password was set by an admin is sent
 * to /account to choose their own first. Pages call this (or requirePermission) themselves: layouts
 * do not re-render on client navigation, so a check there would not see every page.
 */
export async function requireUser(options: RequireOptions = {}): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  if (user.mustChangePassword && !options.isPasswordChangePage) redirect('/account');
  return user;
}

/** The signed-in user holding a permission; otherwise /login or the 403 page. For pages. */
export async function requirePermission(
  permission: Permission,
  options: RequireOptions = {},
): Promise<SessionUser> {
  const user = await requireUser(options);
  if (!roleCan(user.role, permission)) forbidden();
  return user;
}
