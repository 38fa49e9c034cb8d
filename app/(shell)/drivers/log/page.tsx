import type { Metadata } from 'next';
import Link from 'next/link';
import { formatInZone } from '@/components/stations/format';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { parseDay } from '@/lib/domain/maintenance/uptime';
import { listAuthorizationAttempts } from '@/lib/services/authorization-log';
import { listStations } from '@/lib/services/stations';
import { isUuid } from '@/lib/validation/ids';

export const metadata: Metadata = { title: 'Authorisation log' };

const statuses = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'NotAtThisLocation', 'NotAtThisTime'];

/** Every authorisation decision, newest first: which token, where, what was decided and why. */
export default async function AuthorizationLogPage({
  searchParams,
}: {
  searchParams: Promise<{
    idToken?: string;
    status?: string;
    stationId?: string;
    transactionId?: string;
    from?: string;
    to?: string;
    before?: string;
  }>;
}) {
  const user = await requirePermission('drivers:view');
  const filters = await searchParams;
  const before = filters.before && /^\d+$/.test(filters.before) ? Number(filters.before) : undefined;
  const status = statuses.includes(filters.status ?? '') ? filters.status : undefined;
  const stationId = filters.stationId && isUuid(filters.stationId) ? filters.stationId : undefined;
  const transactionId =
    filters.transactionId && isUuid(filters.transactionId) ? filters.transactionId : undefined;
  // Days as the date fields give them (UTC, like the sessions list); "to" includes its whole day.
  const from = parseDay(filters.from);
  const toDay = parseDay(filters.to);
  const db = getDb();
  const [stations, { attempts, nextBefore }] = await Promise.all([
    listStations(db, user),
    listAuthorizationAttempts(db, user, {
      idToken: filters.idToken?.trim() || undefined,
      status,
      stationId,
      transactionId,
      from: from ?? undefined,
      to: toDay ? new Date(toDay.getTime() + 86_400_000) : undefined,
      before,
      limit: 50,
    }),
  ]);
  const kept = {
    idToken: filters.idToken ?? '',
    status: status ?? '',
    stationId: stationId ?? '',
    transactionId: transactionId ?? '',
    from: from ? filters.from! : '',
    to: toDay ? filters.to! : '',
  };
  const query = (extra: Record<string, string>) =>
    new URLSearchParams(Object.entries({ ...kept, ...extra }).filter(([, v]) => v)).toString();
  const filtered = Object.values(kept).some(Boolean);
  return (
    <div className="space-y-5">
      {transactionId ? (
        <p className="text-sm text-slate-700">
          The attempts of{' '}
          <Link href={`/sessions/${transactionId}`} className="text-brand-700 hover:underline">
            one session
          </Link>
          .
        </p>
      ) : null}
      <form method="get" role="search" className="flex flex-wrap items-end gap-3">
        {transactionId ? <input type="hidden" name="transactionId" value={transactionId} /> : null}
        <div className="w-full sm:w-56">
          <TextField
            label="Token"
            name="idToken"
            defaultValue={filters.idToken ?? ''}
            placeholder="Exact token value"
          />
        </div>
        <div className="w-full sm:w-48">
          <SelectField label="Decision" name="status" defaultValue={status ?? ''}>
            <option value="">Any decision</option>
            {statuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </SelectField>
        </div>
        <div className="w-full sm:w-44">
          <SelectField label="Station" name="stationId" defaultValue={stationId ?? ''}>
            <option value="">All stations</option>
            {stations.map((s) => (
              <option key={s.id} value={s.id}>
                {s.identity}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-40">
          <TextField label="From" name="from" type="date" defaultValue={kept.from} />
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-40">
          <TextField label="To" name="to" type="date" defaultValue={kept.to} />
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered ? (
          <Link href="/drivers/log" className="py-2 text-sm text-slate-600 hover:text-slate-900">
            Clear
          </Link>
        ) : null}
      </form>
      {attempts.length === 0 ? (
        <EmptyState title="No authorisation attempts match">
          Every Authorize, session start and remote start is logged here with the reason for the decision.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="w-full min-w-[44rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium text-slate-500">
              <tr>
                <th className="px-4 py-2.5">When</th>
                <th className="px-4 py-2.5">Token</th>
                <th className="px-4 py-2.5">Station</th>
                <th className="px-4 py-2.5">Decision</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {attempts.map((a) => (
                <tr key={a.id} data-testid="attempt-row" data-status={a.status}>
                  <td className="px-4 py-2.5 whitespace-nowrap text-slate-600">
                    {formatInZone(a.at, a.siteTimezone)}
                  </td>
                  <td className="px-4 py-2.5">
                    <Link
                      href={`/drivers/log?${query({ idToken: a.idToken })}`}
                      className="font-mono text-xs hover:underline"
                    >
                      {a.idToken}
                    </Link>
                    <span className="block text-xs text-slate-500">
                      {a.driverName ?? 'Unknown driver'} · {a.source}
                    </span>
                  </td>
                  <td className="px-4 py-2.5">
                    <Link href={`/stations/${a.stationId}`} className="hover:underline">
                      {a.stationIdentity}
                    </Link>
                  </td>
                  <td className="px-4 py-2.5">
                    <Badge tone={a.status === 'Accepted' ? 'green' : 'red'}>{a.status}</Badge>
                    <span className="block text-xs text-slate-700">{a.reason}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore ? (
        <Link
          href={`/drivers/log?${query({ before: String(nextBefore) })}`}
          className={buttonClass('secondary')}
        >
          Older attempts
        </Link>
      ) : null}
    </div>
  );
}
