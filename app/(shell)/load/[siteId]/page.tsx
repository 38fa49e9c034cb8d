import type { Metadata } from 'next';
import Link from 'next/link';
import { forbidden, notFound } from 'next/navigation';
import { AllocationChart } from '@/components/load/allocation-chart';
import { chartSeriesOf } from '@/components/load/chart-data';
import { CircuitTree, parentOptionsOf } from '@/components/load/circuit-tree';
import { DayView } from '@/components/load/day-view';
import { formatClock, formatKw, formatLimit, formatWhen, zoneName } from '@/components/load/format';
import { GroupPriorities } from '@/components/load/group-priorities';
import { GridSetupForm, NodeDialog } from '@/components/load/node-form';
import { OverrunList } from '@/components/load/overrun-list';
import { BuildingLoadDialog, LoadSwitch } from '@/components/load/site-settings';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requirePermission } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError } from '@/lib/errors';
import { getSiteLoadView, type LoadSiteView } from '@/lib/services/load-views';

export const metadata: Metadata = { title: 'Site load' };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const chartHours = 3;

const sourceLabels: Record<string, string> = {
  none: 'Not counted: the limit is for the chargers alone',
  api: 'Sent by a building management system (API)',
  meter: 'Measured by a station’s meter',
};

function BuildingLoad({
  view,
  root,
  now,
  canManage,
}: {
  view: LoadSiteView;
  root: NonNullable<LoadSiteView['root']>;
  now: number;
  canManage: boolean;
}) {
  const zone = view.site.timezone;
  const meter = view.stations.find((s) => s.id === root.nonEvStationId);
  const stale = root.nonEvAt !== null && now - Date.parse(root.nonEvAt) > root.nonEvStaleSeconds * 1000;
  const reading =
    root.nonEvAmps !== null
      ? `${root.nonEvAmps.map((a, i) => `L${i + 1} ${Math.round(a * 10) / 10}`).join(' · ')} A`
      : root.nonEvWatts !== null
        ? formatKw(root.nonEvWatts)
        : null;
  return (
    <Card
      title="Building load"
      actions={
        canManage ? (
          <BuildingLoadDialog
            siteId={view.site.id}
            root={root}
            stations={view.stations.map((s) => ({ id: s.id, identity: s.identity }))}
          />
        ) : undefined
      }
    >
      <dl className="grid gap-y-2 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
        <dt className="text-slate-500">Consumption</dt>
        <dd>
          {sourceLabels[root.nonEvSource] ?? root.nonEvSource}
          {meter ? `: ${meter.identity}` : ''}
        </dd>
        {root.nonEvSource !== 'none' ? (
          <>
            <dt className="text-slate-500">Latest reading</dt>
            <dd className="flex flex-wrap items-center gap-2">
              {reading && root.nonEvAt ? (
                <>
                  {reading} at {formatWhen(root.nonEvAt, zone)}
                  {stale ? <Badge tone="amber">Stale</Badge> : null}
                </>
              ) : (
                <span className="text-slate-500">None received yet</span>
              )}
            </dd>
            <dt className="text-slate-500">Stale after</dt>
            <dd>{root.nonEvStaleSeconds} s</dd>
            <dt className="text-slate-500">Fallback limit</dt>
            <dd>{formatLimit(root.fallbackUnit, root.fallbackValue)}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

export default async function SiteLoadPage({ params }: { params: Promise<{ siteId: string }> }) {
  const user = await requirePermission('load:view');
  const { siteId } = await params;
  if (!uuidPattern.test(siteId)) notFound();
  const now = new Date();
  const view = await getSiteLoadView(getDb(), user, siteId, now, chartHours).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') notFound();
    if (error instanceof AppError && error.kind === 'forbidden') forbidden();
    throw error;
  });
  const canManage = roleCan(user.role, 'load:manage');
  const { site, root, snapshot } = view;
  const zone = site.timezone;
  const rootNode = view.nodes.find((n) => n.parentId === null);
  const to = Math.max(now.getTime(), snapshot ? Date.parse(snapshot.at) : 0);
  const from = to - chartHours * 3_600_000;
  const ongoing = view.overruns.filter((o) => o.endedAt === null);

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          <p className="text-sm text-slate-500">
            <Link href="/load" className="hover:underline">
              Load
            </Link>{' '}
            · {zone}
          </p>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight break-words text-slate-900">
            {site.name}
          </h1>
          {root ? (
            <p className="mt-1 text-sm text-slate-600" data-testid="last-allocation">
              {snapshot
                ? `Last allocation ${formatClock(snapshot.at, zone, true)} ${zoneName(zone, snapshot.at)}`
                : root.enabled
                  ? 'No allocation yet'
                  : 'Chargers get no limits from ChargeOps while load management is off'}
            </p>
          ) : null}
        </div>
        {root ? <LoadSwitch siteId={site.id} root={root} canManage={canManage} /> : null}
      </div>

      {!root || !rootNode ? (
        <Card title="Set up load management">
          <div className="space-y-4">
            <div className="max-w-3xl space-y-2 text-sm text-slate-700">
              <p>
                Load management keeps this site within what its grid connection can carry. ChargeOps shares
                the available power between the cars charging, by priority, and sends each charger its limit;
                chargers also get a safe default for when they lose the connection.
              </p>
              <p>
                Start with the grid connection: its limit in amperes per phase (the main breaker) or in kW
                (the utility contract). Feeders, panels and circuits with their own limits, schedules and the
                building&apos;s consumption can follow.
              </p>
            </div>
            {canManage ? (
              <GridSetupForm siteId={site.id} gridCapacityW={site.gridCapacityW} timeZone={zone} />
            ) : (
              <p className="text-sm text-slate-500">An administrator or site manager can set it up.</p>
            )}
          </div>
        </Card>
      ) : (
        <>
          {!root.enabled ? (
            <Alert tone="info">
              Load management is off at this site: chargers draw what they are rated for. The tree and its
              limits are kept; switch it on to share the power again.
            </Alert>
          ) : null}
          {ongoing.length > 0 ? (
            <Alert tone="error">
              {ongoing.length === 1
                ? `${ongoing[0]!.nodeName} measures more than its limit right now.`
                : `${ongoing.length} nodes measure more than their limit right now.`}{' '}
              See Warnings below.
            </Alert>
          ) : null}

          <Card title={`Load over the last ${chartHours} hours`}>
            <AllocationChart
              series={chartSeriesOf(view, snapshot, from, to)}
              defaultNodeId={rootNode.id}
              from={from}
              to={to}
              timeZone={zone}
            />
          </Card>

          <Card
            title="Circuits and chargers"
            actions={
              canManage ? (
                <NodeDialog
                  siteId={site.id}
                  node={null}
                  parents={parentOptionsOf(view.nodes)}
                  defaultParentId={rootNode.id}
                  gridCapacityW={site.gridCapacityW}
                  timeZone={zone}
                  triggerLabel="Add node"
                />
              ) : undefined
            }
          >
            <p className="mb-3 text-sm text-slate-600">
              Limits in force now (after schedules and margins), what ChargeOps allocated and what the
              chargers measure. The bar fills with the allocation; the line marks the measurement.
            </p>
            <CircuitTree view={view} canManage={canManage} />
            {view.stations.length === 0 ? (
              <p className="mt-3 text-sm text-slate-500">This site has no stations yet.</p>
            ) : null}
          </Card>

          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Today's limits">
              <DayView nodes={view.nodes} day={view.day} now={now.getTime()} timeZone={zone} />
            </Card>
            <Card title="Warnings">
              <OverrunList overruns={view.overruns} timeZone={zone} />
            </Card>
          </div>

          <div className="grid gap-6 lg:grid-cols-2">
            <BuildingLoad view={view} root={root} now={now.getTime()} canManage={canManage} />
            <Card title="Driver group priorities">
              {view.groups.length === 0 ? (
                <EmptyState title="No driver groups">
                  Every session has priority 3 (Normal). Groups are kept under Drivers.
                </EmptyState>
              ) : (
                <>
                  <p className="mb-2 text-sm text-slate-600">
                    When power is short, higher priorities get a larger share and lower ones are paused first.
                    Applies at every site.
                  </p>
                  <GroupPriorities groups={view.groups} canManage={canManage} />
                </>
              )}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
