import type { Metadata } from 'next';
import Link from 'next/link';
import { EditorSection } from '@/components/billing/editor-section';
import { formValuesOf } from '@/components/billing/form-values';
import { stationOptionsOf } from '@/components/billing/pickers';
import { ResolverPanel } from '@/components/billing/resolver-panel';
import { AssignmentChips, HeadlinePrices } from '@/components/billing/version-summary';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { listGroups } from '@/lib/services/driver-groups';
import { listSites } from '@/lib/services/sites';
import { listStations } from '@/lib/services/stations';
import { listTariffs } from '@/lib/services/tariffs';

export const metadata: Metadata = { title: 'Tariffs' };

/** Where the preview starts when the organisation has no site yet. */
const fallbackTimeZone = 'America/Chicago';

const versionsPhrase = (n: number) => (n === 1 ? '1 version' : `${n} versions`);

export default async function TariffsPage() {
  const user = await requirePermission('billing:view');
  const db = getDb();
  const [tariffs, sites, stations, groups] = await Promise.all([
    listTariffs(db, user),
    listSites(db, user),
    listStations(db, user),
    listGroups(db, user),
  ]);
  const canManage = roleCan(user.role, 'billing:manage');
  const timeZones = [...new Set(sites.map((s) => s.timezone))];
  // A new tariff most likely uses the currency the others do.
  const currency = tariffs.map((t) => t.current ?? t.upcoming).find((v) => v)?.currency ?? 'USD';
  return (
    <div className="space-y-6">
      <EditorSection
        heading={
          <p className="max-w-2xl text-sm text-slate-600">
            A tariff’s prices change through versions, each from a date; a session pays the version in force
            when it started. Assign a tariff to the organisation, a site, a station or a driver group.
          </p>
        }
        buttonLabel="New tariff"
        title="New tariff"
        mode={{ kind: 'create' }}
        initial={formValuesOf(null, currency)}
        timeZones={timeZones}
        defaultTimeZone={sites[0]?.timezone ?? fallbackTimeZone}
        canEdit={canManage}
      />

      {tariffs.length === 0 ? (
        <EmptyState title="No tariffs yet">
          Until one applies, sessions are recorded at no charge.
          {canManage ? ' Create a tariff, then assign it where it should apply.' : ''}
        </EmptyState>
      ) : (
        <div className="rounded-xl border border-slate-200 bg-white shadow-xs">
          <div
            aria-hidden="true"
            className="hidden border-b border-slate-200 bg-slate-50 px-4 py-2.5 text-xs font-medium text-slate-500 md:grid md:grid-cols-[minmax(0,13rem)_minmax(0,1fr)_minmax(0,16rem)] md:gap-6"
          >
            <span>Tariff</span>
            <span>Prices now</span>
            <span>Applies to</span>
          </div>
          <ul aria-label="Tariffs" className="divide-y divide-slate-100">
            {tariffs.map((t) => {
              const shown = t.current ?? t.upcoming;
              return (
                <li
                  key={t.id}
                  className="grid gap-3 px-4 py-4 text-sm md:grid-cols-[minmax(0,13rem)_minmax(0,1fr)_minmax(0,16rem)] md:gap-6"
                  data-testid="tariff-row"
                >
                  <div className="min-w-0">
                    <Link
                      href={`/billing/tariffs/${t.id}`}
                      className="font-medium break-words text-slate-900 hover:underline"
                    >
                      {t.name}
                    </Link>
                    {t.description ? <p className="text-xs text-slate-500">{t.description}</p> : null}
                    <p className="text-xs text-slate-500">{versionsPhrase(t.versionCount)}</p>
                  </div>
                  <div className="min-w-0">
                    <p className="mb-1 text-xs font-medium text-slate-500 md:hidden">Prices</p>
                    {shown ? (
                      <HeadlinePrices version={shown} />
                    ) : (
                      <span className="text-slate-500">No prices</span>
                    )}
                    {!t.current && t.upcoming ? (
                      <p className="mt-1 text-xs text-amber-800">
                        Not in force yet: from <LocalTime iso={t.upcoming.validFrom.toISOString()} />
                      </p>
                    ) : t.upcoming ? (
                      <p className="mt-1 text-xs text-sky-800">
                        Upcoming version from <LocalTime iso={t.upcoming.validFrom.toISOString()} />
                      </p>
                    ) : null}
                  </div>
                  <div className="min-w-0">
                    <p className="mb-1 text-xs font-medium text-slate-500 md:hidden">Applies to</p>
                    <AssignmentChips assignments={t.assignments} />
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      )}

      {tariffs.length > 0 ? (
        <Card title="Which tariff applies?">
          <ResolverPanel
            stations={stationOptionsOf(stations)}
            groups={groups.map((g) => ({ id: g.id, name: g.name }))}
          />
        </Card>
      ) : null}
    </div>
  );
}
