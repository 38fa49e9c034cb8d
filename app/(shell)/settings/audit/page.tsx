import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { CardLabel } from '@/components/ui/card-label';
import { CardTableHead } from '@/components/ui/card-table';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAuditEntries } from '@/lib/services/audit';

export const metadata: Metadata = { title: 'Audit log' };

/** Readable names for the actions services record; unknown ones are shown as recorded. */
const actionLabels: Record<string, string> = {
  'user.create': 'Created user',
  'user.create-initial-admin': 'Created the first administrator',
  'user.update': 'Changed user',
  'user.deactivate': 'Deactivated user',
  'user.reactivate': 'Reactivated user',
  'user.reset-password': 'Reset password of',
  'user.change-password': 'Changed own password',
  'site.create': 'Created site',
  'site.update': 'Changed site',
  'demo.seed': 'Seeded the demo network',
};

function summary(details: Record<string, unknown>): string {
  const text = JSON.stringify(details);
  return text === '{}' ? '' : text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const user = await requirePermission('audit:view');
  const { before } = await searchParams;
  const beforeId = before && /^\d+$/.test(before) ? Number(before) : undefined;
  const { entries, nextBefore } = await listAuditEntries(getDb(), user, { before: beforeId, limit: 50 });
  return (
    <section aria-label="Audit log">
      <div className="mb-4">
        <h2 className="text-lg font-semibold text-slate-900">Audit log</h2>
        <p className="text-sm text-slate-600">
          Every change to users, sites and (later) chargers and money: who, what, when, and the result.
        </p>
      </div>
      {entries.length === 0 ? (
        <EmptyState title={beforeId ? 'No older entries' : 'Nothing recorded yet'} />
      ) : (
        <div className="rounded-xl border border-slate-200 bg-white shadow-xs">
          <table className="block w-full text-sm md:table">
            <CardTableHead
              columns={[
                { label: 'When' },
                { label: 'Who' },
                { label: 'What' },
                { label: 'Result' },
                { label: 'Details' },
              ]}
            />
            <tbody className="block divide-y divide-slate-100 md:table-row-group">
              {entries.map((entry) => (
                <tr
                  key={entry.id}
                  data-testid="audit-row"
                  className="block space-y-1.5 p-4 md:table-row md:p-0"
                >
                  <td className="flex gap-2 text-slate-600 md:table-cell md:px-4 md:py-3 md:whitespace-nowrap">
                    <CardLabel>When</CardLabel>
                    <LocalTime iso={entry.createdAt.toISOString()} />
                  </td>
                  <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                    <CardLabel>Who</CardLabel>
                    <span className="[overflow-wrap:anywhere] text-slate-900 md:whitespace-nowrap">
                      {entry.actorLabel}
                    </span>
                  </td>
                  <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                    <CardLabel>What</CardLabel>
                    <span>
                      {actionLabels[entry.action] ?? entry.action}{' '}
                      <span className="text-slate-500">
                        {entry.targetType}
                        {typeof entry.details.email === 'string' ? ` ${entry.details.email}` : ''}
                      </span>
                    </span>
                  </td>
                  <td className="flex gap-2 md:table-cell md:px-4 md:py-3">
                    <CardLabel>Result</CardLabel>
                    <Badge tone={entry.result === 'ok' ? 'green' : 'red'}>{entry.result}</Badge>
                  </td>
                  <td className="block max-w-md font-mono text-xs [overflow-wrap:anywhere] text-slate-500 md:table-cell md:px-4 md:py-3">
                    {summary(entry.details)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-4 flex gap-2">
        {beforeId ? (
          <Link href="/settings/audit" className={buttonClass('secondary')}>
            Newest
          </Link>
        ) : null}
        {nextBefore ? (
          <Link href={`/settings/audit?before=${nextBefore}`} className={buttonClass('secondary')}>
            Older entries
          </Link>
        ) : null}
      </div>
    </section>
  );
}
