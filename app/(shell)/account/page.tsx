import type { Metadata } from 'next';
import Link from 'next/link';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/page-header';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listOwnSiteNames } from '@/lib/services/sites';
import { roleLabels } from '@/lib/domain/access/roles';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<{ password?: string }>;
}) {
  const { password } = await searchParams;
  const user = await requirePermission('account:manage-own', { isPasswordChangePage: true });
  const siteNames = await listOwnSiteNames(getDb(), user);
  return (
    <>
      <PageHeader title="Your account" description="Your profile and sign-in." />
      {password === 'changed' && !user.mustChangePassword ? (
        <div className="mb-6 max-w-xl">
          <Alert tone="success">
            Password changed. Other sessions of yours have been signed out.{' '}
            <Link href="/" className="font-medium underline">
              Continue
            </Link>
          </Alert>
        </div>
      ) : null}
      {user.mustChangePassword ? (
        <div className="mb-6 max-w-xl">
          <Alert tone="info">
            Your password was set by an administrator. Choose your own password to continue.
          </Alert>
        </div>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-2">
        <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
          <h2 className="mb-4 font-semibold">Profile</h2>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd>{user.name}</dd>
            <dt className="text-slate-500">Email</dt>
            <dd className="break-all">{user.email}</dd>
            <dt className="text-slate-500">Role</dt>
            <dd>{roleLabels[user.role]}</dd>
            <dt className="text-slate-500">Sites</dt>
            <dd>{user.role === 'admin' ? 'All sites' : siteNames.join(', ') || 'None assigned'}</dd>
          </dl>
        </section>
        <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs">
          <h2 className="mb-4 font-semibold">Change password</h2>
          <ChangePasswordForm />
        </section>
      </div>
    </>
  );
}
