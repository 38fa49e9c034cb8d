import Link from 'next/link';
import type { Transaction } from '@/lib/db/schema';
import { Badge } from '@/components/ui/badge';
import { describeSessionFlag } from '@/lib/domain/sessions/flags';
import { formatInZone } from './format';
import { formatDuration, formatEnergyWh } from './format-session';

type SessionRow = Pick<
  Transaction,
  | 'id'
  | 'startedAt'
  | 'stoppedAt'
  | 'evseId'
  | 'idToken'
  | 'energyWh'
  | 'status'
  | 'stopReason'
  | 'flags'
  | 'reviewedAt'
> & { stationIdentity?: string; siteName?: string | null; siteTimezone?: string | null };

/**
 * Sessions as a table, newest first: on a station's page (`timeZone` of its site) or across
 * stations (`showPlace`, each row in its own site's zone).
 */
export function SessionsTable({
  sessions,
  timeZone,
  showPlace = false,
}: {
  sessions: SessionRow[];
  timeZone?: string;
  showPlace?: boolean;
}) {
  const headers = [
    'Started',
    ...(showPlace ? ['Station', 'Site'] : ['EVSE']),
    'Token',
    'Duration',
    'Energy',
    'Status',
  ];
  return (
    <div className="overflow-x-auto">
      <table className={`w-full text-sm ${showPlace ? 'min-w-[48rem]' : 'min-w-[36rem]'}`}>
        <thead className="text-left text-xs font-medium text-slate-500">
          <tr>
            {headers.map((h) => (
              <th key={h} className="px-3 py-2 first:pl-0">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td className="py-2 pr-3 whitespace-nowrap">
                <Link href={`/sessions/${s.id}`} className="hover:text-brand-700 font-medium hover:underline">
                  {formatInZone(s.startedAt, timeZone ?? s.siteTimezone ?? 'UTC')}
                </Link>
              </td>
              {showPlace ? (
                <>
                  <td className="px-3 py-2">
                    {s.stationIdentity} #{s.evseId}
                  </td>
                  <td className="px-3 py-2">{s.siteName ?? '—'}</td>
                </>
              ) : (
                <td className="px-3 py-2">#{s.evseId}</td>
              )}
              <td className="px-3 py-2">{s.idToken ?? '—'}</td>
              <td className="px-3 py-2">{formatDuration(s.startedAt, s.stoppedAt)}</td>
              <td className="px-3 py-2">{formatEnergyWh(s.energyWh)}</td>
              <td className="px-3 py-2">
                {s.status === 'active' ? (
                  <Badge tone="blue">In progress</Badge>
                ) : (
                  <>
                    <Badge tone="slate">Completed</Badge>
                    {s.stopReason ? (
                      <span className="ml-1.5 text-xs text-slate-500">{s.stopReason}</span>
                    ) : null}
                  </>
                )}
                {s.flags.length > 0 && s.reviewedAt === null ? (
                  <span
                    className="ml-1.5 text-xs text-amber-700"
                    title={s.flags.map((f) => describeSessionFlag(f).text).join('; ')}
                  >
                    review
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
