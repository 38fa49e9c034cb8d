import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AppShell } from '@/components/shell/app-shell';
import { navItems } from '@/components/shell/nav';
import { LiveProvider } from '@/components/realtime/live-provider';
import { requireUser } from '@/lib/auth/session';
import { roleCan, roleLabels } from '@/lib/domain/access/roles';

export default async function ShellLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const pathname = (await headers()).get('x-pathname') ?? '';
  // A password an admin chose (or a generated one) is replaced before anything else.
  if (user.mustChangePassword && pathname !== '/account') redirect('/account');
  const items = navItems.filter((item) => roleCan(user.role, item.permission));
  return (
    <LiveProvider>
      <AppShell items={items} user={{ name: user.name, email: user.email, roleLabel: roleLabels[user.role] }}>
        {children}
      </AppShell>
    </LiveProvider>
  );
}
