import Link from 'next/link';
import { describeWindow, type TimeWindow } from '@/lib/domain/access/authorization';
import { formatPowerW } from '@/components/stations/format';

export interface GrantLine {
  policyId: string;
  target: { kind: 'site'; id: string; name: string } | { kind: 'station'; id: string; identity: string };
  windows: TimeWindow[];
  maxPowerW: number | null;
}

/** Where and when a group may charge, one line per site or station that lists it. */
export function GrantSummary({ grants }: { grants: GrantLine[] }) {
  if (grants.length === 0) return <span className="text-slate-500">Only at public stations</span>;
  return (
    <ul className="space-y-1">
      {grants.map((g) => (
        <li key={g.policyId}>
          {g.target.kind === 'site' ? (
            <Link href="/drivers/access" className="hover:underline">
              {g.target.name}
            </Link>
          ) : (
            <Link href={`/stations/${g.target.id}/access`} className="hover:underline">
              {g.target.identity}
            </Link>
          )}
          <span className="text-slate-600">
            {' '}
            · {g.windows.length === 0 ? 'any time' : g.windows.map(describeWindow).join(', ')}
            {g.maxPowerW !== null ? ` · up to ${formatPowerW(g.maxPowerW)}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
