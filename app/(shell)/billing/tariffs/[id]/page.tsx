import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AssignForm } from '@/components/billing/assign-form';
import { AssignmentList } from '@/components/billing/assignment-list';
import { EditorSection } from '@/components/billing/editor-section';
import { formValuesOf } from '@/components/billing/form-values';
import { stationOptionsOf } from '@/components/billing/pickers';
import { RenameDialog } from '@/components/billing/rename-dialog';
import { HeadlinePrices, VersionDetails } from '@/components/billing/version-summary';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { describeAssignment } from '@/lib/domain/pricing/assignment';
import { roleCan } from '@/lib/domain/access/roles';
import type { TariffVersion } from '@/lib/domain/pricing/tariff';
import { AppError } from '@/lib/errors';
import { listGroups } from '@/lib/services/driver-groups';
import { listSites } from '@/lib/services/sites';
import { listStations } from '@/lib/services/stations';
import { getTariff } from '@/lib/services/tariffs';

export const metadata: Metadata = { title: 'Tariff' };

/** Where the preview starts when the organisation has no site yet. */
const fallbackTimeZone = 'America/Chicago';

function VersionState({
  version,
  current,
  now,
}: {
  version: TariffVersion;
  current: TariffVersion | null;
  now: Date;
}) {
  if (version.id === current?.id) return <Badge tone="green">In force</Badge>;
  if (version.validFrom.getTime() > now.getTime()) return <Badge tone="blue">Upcoming</Badge>;
  return <Badge>Earlier</Badge>;
}

export default async function TariffPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission('billing:view');
  const { id } = await params;
  const db = getDb();
  const now = new Date();
  const tariff = await getTariff(db, user, id, now).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    throw error;
  });
  const canManage = roleCan(user.role, 'billing:manage');
  const [sites, stations, groups] = canManage
    ? await Promise.all([listSites(db, user), listStations(db, user), listGroups(db, user)])
    : [[], [], []];
  // What the page shows first, and where a new version starts from: the prices in force, or before
  // any is, the first to come.
  const shown = tariff.current ?? tariff.upcoming;
  const isAdmin = user.role === 'admin';

  return (
    <div className="space-y-6">
      <EditorSection
        heading={
          <>
            <p className="text-sm text-slate-500">
              <Link href="/billing/tariffs" className="hover:underline">
                Tariffs
              </Link>
            </p>
            <h2 className="mt-1 text-xl font-semibold break-words text-slate-900">{tariff.name}</h2>
            {tariff.description ? <p className="text-sm text-slate-600">{tariff.description}</p> : null}
          </>
        }
        actions={
          <RenameDialog tariff={{ id: tariff.id, name: tariff.name, description: tariff.description }} />
        }
        buttonLabel="New version"
        title={`New version of ${tariff.name}`}
        mode={{ kind: 'version', tariffId: tariff.id, tariffName: tariff.name }}
        initial={formValuesOf(shown, shown?.currency ?? 'USD')}
        timeZones={[...new Set(sites.map((s) => s.timezone))]}
        defaultTimeZone={sites[0]?.timezone ?? fallbackTimeZone}
        canEdit={canManage}
      />

      {!tariff.current && tariff.upcoming ? (
        <Alert tone="info">
          No version is in force yet: these prices apply to sessions that start from{' '}
          <LocalTime iso={tariff.upcoming.validFrom.toISOString()} />. Until then this tariff prices nothing.
        </Alert>
      ) : null}

      <Card title={tariff.current ? 'Prices in force' : 'Prices'}>
        {shown ? (
          <div className="space-y-4">
            <p className="text-sm text-slate-600">
              {tariff.current ? 'Since' : 'From'} <LocalTime iso={shown.validFrom.toISOString()} />
              {tariff.current && tariff.upcoming ? (
                <>
                  {' '}
                  · a new version takes over on <LocalTime
                    iso={tariff.upcoming.validFrom.toISOString()}
                  />{' '}
                  (see the history below)
                </>
              ) : null}
            </p>
            <VersionDetails version={shown} />
          </div>
        ) : (
          <p className="text-sm text-slate-600">This tariff has no version.</p>
        )}
      </Card>

      <Card title={`Version history (${tariff.versions.length})`}>
        <ol className="-mx-5 -my-5 divide-y divide-slate-100" aria-label="Versions, newest first">
          {tariff.versions.map((v) => (
            <li
              key={v.id}
              className="grid gap-2 px-5 py-3 text-sm md:grid-cols-[14rem_minmax(0,1fr)] md:gap-6"
              data-testid="version-row"
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium text-slate-900">
                  <LocalTime iso={v.validFrom.toISOString()} />
                </span>
                <VersionState version={v} current={tariff.current} now={now} />
              </div>
              <HeadlinePrices version={v} />
            </li>
          ))}
        </ol>
      </Card>

      <Card title="Where it applies">
        <div className="space-y-6">
          <AssignmentList
            tariffName={tariff.name}
            rows={tariff.assignments.map((a) => ({
              id: a.id,
              where: describeAssignment(a),
              isGroup: a.groupId !== null,
              // Organisation-wide assignments are the administrators'.
              canRemove: canManage && (isAdmin || a.siteId !== null || a.stationId !== null),
            }))}
          />
          {canManage ? (
            <div className="space-y-3 border-t border-slate-100 pt-5">
              <h3 className="text-sm font-semibold text-slate-900">Assign</h3>
              <AssignForm
                tariffId={tariff.id}
                tariffName={tariff.name}
                sites={sites.map((s) => ({ id: s.id, name: s.name }))}
                stations={stationOptionsOf(stations)}
                groups={groups.map((g) => ({ id: g.id, name: g.name }))}
                canAssignOrganisation={isAdmin}
              />
            </div>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
