'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The tab bar of a station's pages. */
export function StationTabs({ stationId }: { stationId: string }) {
  const pathname = usePathname();
  const base = `/stations/${stationId}`;
  const tabs = [
    { href: base, label: 'Overview' },
    { href: `${base}/commands`, label: 'Commands' },
    { href: `${base}/configuration`, label: 'Configuration' },
    { href: `${base}/files`, label: 'Firmware & files' },
    { href: `${base}/log`, label: 'Log' },
  ];
  return (
    <nav aria-label="Station" className="overflow-x-auto border-b border-slate-200">
      <ul className="-mb-px flex gap-5 whitespace-nowrap">
        {tabs.map((tab) => {
          const active = tab.href === base ? pathname === base : pathname.startsWith(tab.href);
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
