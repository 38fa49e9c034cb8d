import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { getCurrentUser } from '@/lib/auth/session';
import { homePathFor } from '@/lib/domain/access/roles';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  const { callbackUrl } = await searchParams;
  const user = await getCurrentUser();
  if (user) redirect(homePathFor(user.role));
  return (
    <main className="to-brand-50 flex min-h-full items-center justify-center bg-gradient-to-br from-slate-50 p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-xl font-semibold">
          <span className="bg-brand-600 grid size-9 place-items-center rounded-lg text-white" aria-hidden>
            ⚡
          </span>
          ChargeOps
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-1 text-lg font-semibold">Sign in</h1>
          <p className="mb-5 text-sm text-slate-600">Charge point management for your network.</p>
          <LoginForm callbackUrl={callbackUrl ?? '/'} />
        </div>
      </div>
    </main>
  );
}
