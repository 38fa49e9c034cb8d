import type { Metadata } from 'next';
import Link from 'next/link';
import { SessionsTable } from '@/components/stations/sessions-table';
import { Button, buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listSessions, sessionFilters } from '@/lib/services/sessions';
import { listSites } from '@/lib/services/sites';
import { listStations } from '@/lib/services/stations';

export const metadata: Metadata = { title: 'Sessions' };

type Search = {
  site?: string;
  station?: string;
  status?: string;
  from?: string;
  to?: string;
  review?: string;
  before?: string;
};

/** Drops empty filter fields, so the URL stays clean and zod sees only what was chosen. */
function given(search: Search): Record<string, string> {
  return Object.fromEntries(Object.entries(search).filter(([, v]) => typeof v === 'string' && v !== ''));
}

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePermission('stations:view');
  const search = await searchParams;
  const raw = given(search);
  const parsed = sessionFilters.safeParse({
    siteId: raw.site,
    stationId: raw.station,
    status: raw.status,
    // Dates from the form are days; "to" includes the whole day.
    from: raw.from,
    to: raw.to ? new Date(Date.parse(raw.to) + 86_400_000).toISOString() : undefined,
    review: raw.review,
    before: raw.before,
  });
  const db = getDb();
  const [sites, stations, result] = await Promise.all([
    listSites(db, user),
    listStations(db, user),
    parsed.success
      ? listSessions(db, user, parsed.data)
      : Promise.resolve({ sessions: [], nextBefore: null }),
  ]);
  const { sessions, nextBefore } = result;
  const filtered = Object.keys(raw).some((k) => k !== 'before');
  const olderQuery = new URLSearchParams({ ...raw, before: String(nextBefore ?? '') });

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Charging sessions as the chargers report them, newest first."
      />
      <form method="get" className="mb-6 flex flex-wrap items-end gap-3" role="search">
        <div className="w-full sm:w-52">
          <SelectField label="Site" name="site" defaultValue={raw.site ?? ''}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-full sm:w-44">
          <SelectField label="Station" name="station" defaultValue={raw.station ?? ''}>
            <option value="">All stations</option>
            {stations.map((s) => (
              <option key={s.id} value={s.id}>
                {s.identity}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-36">
          <SelectField label="Status" name="status" defaultValue={raw.status ?? ''}>
            <option value="">Any</option>
            <option value="active">In progress</option>
            <option value="completed">Completed</option>
          </SelectField>
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-40">
          <SelectField label="Review" name="review" defaultValue={raw.review ?? ''}>
            <option value="">Any</option>
            <option value="open">Awaiting review</option>
            <option value="reviewed">Reviewed</option>
          </SelectField>
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-40">
          <TextField label="From" name="from" type="date" defaultValue={raw.from ?? ''} />
        </div>
        <div className="w-[calc(50%-0.375rem)] sm:w-40">
          <TextField label="To" name="to" type="date" defaultValue={raw.to ?? ''} />
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered ? (
          <Link href="/sessions" className="py-2 text-sm font-medium text-slate-600 hover:text-slate-900">
            Clear
          </Link>
        ) : null}
      </form>
      {!parsed.success ? (
        <EmptyState title="These filters are not valid">Choose the filters again.</EmptyState>
      ) : sessions.length === 0 ? (
        <EmptyState title={filtered ? 'No session matches these filters' : 'No sessions yet'}>
          {filtered ? null : 'Sessions appear as soon as a charger starts one.'}
        </EmptyState>
      ) : (
        <div className="rounded-xl border border-slate-200 bg-white px-5 py-3 shadow-xs">
          <SessionsTable sessions={sessions} showPlace />
        </div>
      )}
      {nextBefore ? (
        <div className="mt-4">
          <Link href={`/sessions?${olderQuery.toString()}`} className={buttonClass('secondary')}>
            Older sessions
          </Link>
        </div>
      ) : null}
    </>
  );
}
