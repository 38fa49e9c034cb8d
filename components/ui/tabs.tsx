'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface Tab {
  href: string;
  label: string;
  /** Highlight only on this exact path (a section's first tab, whose path prefixes the others). */
  exact?: boolean;
  /** Other path prefixes this tab stands for (its detail pages living elsewhere). */
  covers?: string[];
}

/** A row of links to a section's pages; the current one is highlighted and scrolls on phones. */
export function Tabs({ label, tabs }: { label: string; tabs: Tab[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-6 overflow-x-auto border-b border-slate-200">
      <ul className="-mb-px flex gap-5 whitespace-nowrap">
        {tabs.map((tab) => {
          const active =
            (tab.exact
              ? pathname === tab.href
              : pathname === tab.href || pathname.startsWith(`${tab.href}/`)) ||
            (tab.covers ?? []).some((prefix) => pathname.startsWith(prefix));
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? 'page' : undefined}
                className={`inline-block border-b-2 px-1 pb-3 text-sm font-medium transition-colors ${
                  active
                    ? 'border-brand-600 text-brand-700'
                    : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
