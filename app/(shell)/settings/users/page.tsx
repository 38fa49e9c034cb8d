import type { Metadata } from 'next';
import { UsersPanel, type UserRow } from '@/components/settings/users-panel';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listSites } from '@/lib/services/sites';
import { listUsers } from '@/lib/services/users';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersSettingsPage() {
  const user = await requirePermission('users:manage');
  const db = getDb();
  const [users, sites] = await Promise.all([listUsers(db, user), listSites(db, user)]);
  const rows: UserRow[] = users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    lastSignInAt: u.lastSignInAt ? u.lastSignInAt.toISOString() : null,
    siteIds: u.siteIds,
  }));
  return (
    <UsersPanel users={rows} sites={sites.map((s) => ({ id: s.id, name: s.name }))} currentUserId={user.id} />
  );
}
