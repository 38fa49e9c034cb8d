import { AppShell } from '@/components/shell/app-shell';
import { navItems } from '@/components/shell/nav';
import { LiveProvider } from '@/components/realtime/live-provider';
import { requireUser } from '@/lib/auth/session';
import { roleCan, roleLabels } from '@/lib/domain/access/roles';

export default async function ShellLayout({ children }: { children: React.ReactNode }) {
  // The shell only needs to know who is signed in; each page checks its own permission.
  const user = await requireUser({ isPasswordChangePage: true });
  const items = navItems.filter((item) => roleCan(user.role, item.permission));
  return (
    <LiveProvider>
      <AppShell items={items} user={{ name: user.name, email: user.email, roleLabel: roleLabels[user.role] }}>
        {children}
      </AppShell>
    </LiveProvider>
  );
}
