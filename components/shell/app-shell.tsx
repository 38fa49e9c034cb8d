'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { signOutAction } from '@/lib/actions/auth';
import { useLiveStatus } from '@/components/realtime/live-provider';
import type { NavItem } from './nav';

interface ShellUser {
  name: string;
  email: string;
  roleLabel: string;
}

function LiveIndicator() {
  const status = useLiveStatus();
  const label = { connecting: 'Connecting…', live: 'Live', offline: 'Offline: updates paused' }[status];
  const dot = { connecting: 'bg-amber-400', live: 'bg-emerald-500', offline: 'bg-rose-500' }[status];
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-slate-500"
      data-live-status={status}
      title="Live updates"
    >
      <span className={`size-2 rounded-full ${dot}`} aria-hidden />
      {label}
    </span>
  );
}

function NavLinks({ items, onNavigate }: { items: NavItem[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-1">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? 'page' : undefined}
              className={`block rounded-md px-3 py-2 text-sm font-medium ${
                active ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'
              }`}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function UserBox({ user }: { user: ShellUser }) {
  return (
    <div className="border-t border-slate-200 p-3">
      <Link href="/account" className="block rounded-md px-2 py-1.5 hover:bg-slate-100">
        <span className="block truncate text-sm font-medium text-slate-900">{user.name}</span>
        <span className="block truncate text-xs text-slate-500">
          {user.roleLabel} · {user.email}
        </span>
      </Link>
      <form action={signOutAction} className="mt-2 px-2">
        <button type="submit" className="text-sm font-medium text-slate-600 hover:text-slate-900">
          Sign out
        </button>
      </form>
    </div>
  );
}

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
      <span className="bg-brand-600 grid size-7 place-items-center rounded-md text-white" aria-hidden>
        ⚡
      </span>
      ChargeOps
    </Link>
  );
}

/** The signed-in layout: a sidebar on desktop, a top bar with a slide-down menu on phones. */
export function AppShell({
  items,
  user,
  children,
}: {
  items: NavItem[];
  user: ShellUser;
  children: React.ReactNode;
}) {
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="min-h-full lg:flex">
      <aside className="hidden w-64 shrink-0 flex-col border-r border-slate-200 bg-white lg:flex lg:min-h-screen">
        <div className="flex h-16 items-center justify-between px-4">
          <Brand />
          <LiveIndicator />
        </div>
        <nav aria-label="Main" className="flex-1 px-3 py-2">
          <NavLinks items={items} />
        </nav>
        <UserBox user={user} />
      </aside>

      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white lg:hidden">
        <div className="flex h-14 items-center justify-between px-4">
          <Brand />
          <div className="flex items-center gap-3">
            <LiveIndicator />
            <button
              type="button"
              onClick={() => setMenuOpen((v) => !v)}
              aria-expanded={menuOpen}
              aria-controls="mobile-menu"
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium"
            >
              Menu
            </button>
          </div>
        </div>
        {menuOpen ? (
          <div id="mobile-menu" className="border-t border-slate-200">
            <nav aria-label="Main" className="px-3 py-2">
              <NavLinks items={items} onNavigate={() => setMenuOpen(false)} />
            </nav>
            <UserBox user={user} />
          </div>
        ) : null}
      </header>

      <main className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-10 lg:py-8">{children}</main>
    </div>
  );
}
