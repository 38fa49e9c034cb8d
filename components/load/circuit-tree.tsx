import Link from 'next/link';
import type { NodeSnapshot, SessionSnapshot, StationSnapshot } from '@/lib/domain/load/snapshot';
import type { LoadNodeView, LoadSiteView, LoadStationView } from '@/lib/services/load-views';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import {
  formatAmps,
  formatClock,
  formatKw,
  formatLimit,
  formatPerPhase,
  highestPhase,
  nodeKindLabels,
  priorityLabels,
} from './format';
import { wattsOf } from '@/lib/domain/load/units';
import { LoadBar } from './load-bar';
import { DeleteNodeButton, NodeDialog, type ParentOption } from './node-form';
import { ReadBack } from './read-back';
import { SessionActions } from './session-actions';
import { EvseLoadDialog, StationLoadDialog } from './station-forms';

interface TreeContext {
  view: LoadSiteView;
  canManage: boolean;
  parents: ParentOption[];
  /** Whether allocations run (the snapshot is null while load management is off). */
  live: boolean;
}

const outcomeTones: Record<SessionSnapshot['outcome'], BadgeTone> = {
  charging: 'green',
  paused: 'amber',
  uncontrolled: 'red',
};
const outcomeLabels: Record<SessionSnapshot['outcome'], string> = {
  charging: 'Charging',
  paused: 'Paused',
  uncontrolled: 'Uncontrolled',
};
const deliveryLabels: Record<string, { tone: BadgeTone; label: string }> = {
  confirmed: { tone: 'green', label: 'Limit confirmed' },
  sending: { tone: 'amber', label: 'Sending limit…' },
  failed: { tone: 'red', label: 'Limit not taken' },
};
const purposeLabels: Record<string, string> = {
  TxProfile: 'Session limit',
  TxDefaultProfile: 'Offline default',
  ChargingStationMaxProfile: 'Station maximum',
};

/** A node's limit in force in its own unit first, the other in brackets. */
function limitText(node: LoadNodeView, shown: NodeSnapshot): string {
  if (shown.limitA === null && shown.limitW === null) return 'No limit';
  if (shown.unit === 'W' && shown.limitW !== null)
    return `${formatKw(shown.limitW)} (${formatAmps(shown.limitA)} per phase)`;
  if (shown.limitA === null) return formatKw(shown.limitW);
  return `${formatAmps(shown.limitA)} per phase (${formatKw(wattsOf(shown.limitA, node.voltage, node.phases))})`;
}

function NodeFigures({
  node,
  shown,
  live,
}: {
  node: LoadNodeView;
  shown: NodeSnapshot | undefined;
  live: boolean;
}) {
  if (!shown)
    return (
      <div className="mt-2 text-sm text-slate-600">
        <p>
          Limit <strong className="text-slate-900">{formatLimit(node.limitUnit, node.limitValue)}</strong>
          {node.safetyMarginPercent > 0 ? `, ${node.safetyMarginPercent} % margin` : ''}
        </p>
        <p className="text-xs text-slate-500">
          {live ? 'Waiting for the first allocation.' : 'Load management is off: nothing is allocated.'}
        </p>
      </div>
    );
  const inKw = shown.unit === 'W';
  const bar = inKw
    ? {
        limit: shown.limitW === null ? null : shown.limitW / 1000,
        allocated: shown.allocatedW / 1000,
        measured: shown.measuredW === null ? null : shown.measuredW / 1000,
        unit: 'kW',
      }
    : {
        limit: shown.limitA,
        allocated: highestPhase(shown.allocatedA, node.phases) ?? 0,
        measured: highestPhase(shown.measuredA, node.phases),
        unit: 'A',
      };
  return (
    <div className="mt-2 space-y-2">
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
        <div className="min-w-0">
          <dt className="text-xs text-slate-500">Limit now</dt>
          <dd className="font-medium text-slate-900" data-testid="node-limit">
            {limitText(node, shown)}
          </dd>
          <dd className="text-xs break-words text-slate-500">{shown.source}</dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs text-slate-500">Allocated</dt>
          <dd className="text-slate-900">
            {formatPerPhase(shown.allocatedA, node.phases)} · {formatKw(shown.allocatedW)}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs text-slate-500">Measured</dt>
          <dd className="text-slate-900">
            {shown.measuredA === null && shown.measuredW === null
              ? 'Nothing reported'
              : `${formatPerPhase(shown.measuredA, node.phases)} · ${formatKw(shown.measuredW)}`}
          </dd>
        </div>
      </dl>
      <LoadBar limit={bar.limit} allocated={bar.allocated} measured={bar.measured} unit={bar.unit} />
    </div>
  );
}

function NodeItem({ node, depth, ctx }: { node: LoadNodeView; depth: number; ctx: TreeContext }) {
  const { view, canManage, parents } = ctx;
  const snapshot = view.snapshot;
  const shown = snapshot?.nodes.find((n) => n.id === node.id);
  const isRoot = node.parentId === null;
  const children = view.nodes.filter((n) => n.parentId === node.id);
  const known = new Set(view.nodes.map((n) => n.id));
  const stations = view.stations.filter((s) =>
    isRoot ? s.nodeId === null || !known.has(s.nodeId) || s.nodeId === node.id : s.nodeId === node.id,
  );
  const overcommitted = snapshot?.overcommitted.includes(node.id) ?? false;
  return (
    <li data-testid="load-node" data-node-id={node.id} data-node-name={node.name}>
      <div
        className={`rounded-lg border bg-white p-3 sm:p-4 ${overcommitted ? 'border-rose-300' : 'border-slate-200'}`}
      >
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="flex min-w-0 flex-wrap items-center gap-2">
            <h3 className="font-semibold break-words text-slate-900">{node.name}</h3>
            {isRoot && node.name === nodeKindLabels.site ? null : (
              <Badge tone={isRoot ? 'blue' : 'slate'}>{nodeKindLabels[node.kind] ?? node.kind}</Badge>
            )}
            {node.phases === 1 ? <Badge>Single-phase</Badge> : null}
            {shown?.fallback ? <Badge tone="amber">Fallback</Badge> : null}
            {overcommitted ? <Badge tone="red">Overcommitted</Badge> : null}
          </div>
          {canManage ? (
            <div className="flex flex-wrap gap-1.5">
              <NodeDialog
                siteId={view.site.id}
                node={node}
                isRoot={isRoot}
                parents={parents}
                gridCapacityW={view.site.gridCapacityW}
                timeZone={view.site.timezone}
                triggerLabel="Edit"
                triggerAriaLabel={`Edit ${node.name}`}
                compact
              />
              {!isRoot ? <DeleteNodeButton node={node} /> : null}
            </div>
          ) : null}
        </div>
        <NodeFigures node={node} shown={shown} live={ctx.live} />
        {node.note ? <p className="mt-2 text-sm text-amber-700">{node.note}</p> : null}
        {overcommitted ? (
          <p className="mt-2 text-sm text-rose-700" role="alert">
            Loads ChargeOps cannot steer (chargers that have not confirmed a limit) are above this limit on
            their own.
          </p>
        ) : null}
      </div>
      {children.length > 0 || stations.length > 0 ? (
        <ul className="mt-2 ml-2 space-y-2 border-l-2 border-slate-200 pl-2 sm:ml-4 sm:pl-4">
          {children.map((child) => (
            <NodeItem key={child.id} node={child} depth={depth + 1} ctx={ctx} />
          ))}
          {stations.map((station) => (
            <StationItem key={station.id} station={station} node={node} ctx={ctx} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Whether the station holds the limits ChargeOps set: the worst state of its setpoints. */
function limitsState(station: LoadStationView): { tone: BadgeTone; label: string } {
  const states = station.setpoints.map((p) => p.state);
  if (states.length === 0) return { tone: 'slate', label: 'No limits set' };
  if (states.includes('failed')) return { tone: 'red', label: 'Limits not taken' };
  if (states.includes('sending')) return { tone: 'amber', label: 'Sending limits…' };
  return { tone: 'green', label: 'Limits confirmed' };
}

function StationItem({
  station,
  node,
  ctx,
}: {
  station: LoadStationView;
  node: LoadNodeView;
  ctx: TreeContext;
}) {
  const { view, canManage, parents } = ctx;
  const live: StationSnapshot | undefined = view.snapshot?.stations.find((s) => s.stationId === station.id);
  const sessions = view.snapshot?.sessions.filter((s) => s.stationId === station.id) ?? [];
  const limits = limitsState(station);
  const failed = station.setpoints.filter((p) => p.state === 'failed' && p.lastError);
  return (
    <li data-testid="load-station" data-identity={station.identity}>
      <div className="rounded-lg border border-slate-200 bg-slate-50 p-3 sm:p-4">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="flex min-w-0 flex-wrap items-center gap-2">
            <Link
              href={`/stations/${station.id}`}
              className="font-medium break-all text-slate-900 hover:underline"
            >
              {station.identity}
            </Link>
            <Badge tone={station.online ? 'green' : 'slate'}>{station.online ? 'Online' : 'Offline'}</Badge>
            <span data-testid="station-limits" data-state={limits.label}>
              <Badge tone={limits.tone}>{limits.label}</Badge>
            </span>
            {station.pinnedMaxA !== null ? (
              <Badge tone="amber">Pinned max {formatAmps(station.pinnedMaxA)}</Badge>
            ) : null}
          </div>
          {canManage ? (
            <div className="flex flex-wrap gap-1.5">
              <StationLoadDialog station={station} nodes={parents} />
              {station.evses.map((evse) => (
                <EvseLoadDialog key={evse.evseId} station={station} evse={evse} voltage={node.voltage} />
              ))}
            </div>
          ) : null}
        </div>
        <ul className="mt-2 space-y-0.5 text-xs text-slate-600">
          {station.evses.map((evse) => {
            const offlineDefault = live?.defaults.find((d) => d.evseId === evse.evseId);
            return (
              <li key={evse.evseId}>
                EVSE {evse.evseId} · {evse.phases === 1 ? `single-phase on L${evse.line + 1}` : 'three-phase'}{' '}
                · min {formatAmps(evse.minCurrentA)} · max{' '}
                {evse.maxCurrentA !== null
                  ? `${formatAmps(evse.maxCurrentA)} per phase`
                  : evse.ratedPowerW !== null
                    ? `its rating (${formatKw(evse.ratedPowerW)})`
                    : 'its rating'}
                {offlineDefault ? ` · offline default ${formatAmps(offlineDefault.limitA)}` : ''}
              </li>
            );
          })}
        </ul>
        {station.setpoints.length > 0 ? (
          <details className="mt-2 text-xs text-slate-600">
            <summary className="cursor-pointer text-slate-700">Limits on the charger</summary>
            <ul className="mt-1 space-y-1">
              {station.setpoints.map((p) => {
                const delivery = deliveryLabels[p.state] ?? { tone: 'slate' as const, label: p.state };
                return (
                  <li key={`${p.evseId}-${p.purpose}`} className="flex flex-wrap items-center gap-1.5">
                    {purposeLabels[p.purpose] ?? p.purpose}
                    {p.purpose === 'ChargingStationMaxProfile' ? '' : ` on EVSE ${p.evseId}`}:{' '}
                    {formatAmps(p.limitA)}
                    <Badge tone={delivery.tone}>{delivery.label}</Badge>
                    {p.lastError ? <span className="text-rose-700">{p.lastError}</span> : null}
                  </li>
                );
              })}
            </ul>
            {station.online ? (
              <div className="mt-2 space-y-1">
                {station.evses.map((evse) => (
                  <ReadBack
                    key={evse.evseId}
                    stationId={station.id}
                    evseId={evse.evseId}
                    identity={station.identity}
                  />
                ))}
              </div>
            ) : null}
          </details>
        ) : null}
        {failed.length > 0 ? (
          <p className="mt-1 text-xs text-rose-700">The charger refused a limit: {failed[0]!.lastError}</p>
        ) : null}
        {sessions.length > 0 ? (
          <ul className="mt-3 space-y-2" aria-label={`Sessions at ${station.identity}`}>
            {sessions.map((session) => (
              <SessionItem
                key={session.transactionId}
                session={session}
                canManage={canManage}
                timeZone={view.site.timezone}
              />
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  );
}

function SessionItem({
  session,
  canManage,
  timeZone,
}: {
  session: SessionSnapshot;
  canManage: boolean;
  timeZone: string;
}) {
  const driver = session.driverName ?? 'Unknown driver';
  const delivery = session.delivery ? deliveryLabels[session.delivery] : undefined;
  const label = `${driver} at ${session.identity} EVSE ${session.evseId}`;
  return (
    <li
      data-testid="load-session"
      data-identity={session.identity}
      data-outcome={session.outcome}
      data-setpoint={String(session.setpointA)}
      data-delivery={session.delivery ?? ''}
      className="rounded-md border border-slate-200 bg-white p-3"
    >
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-1 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900">{driver}</span>
            <Badge tone={outcomeTones[session.outcome]}>{outcomeLabels[session.outcome]}</Badge>
            {delivery ? <Badge tone={delivery.tone}>{delivery.label}</Badge> : null}
          </p>
          <p className="text-slate-700">
            Setpoint <strong data-testid="session-setpoint">{formatAmps(session.setpointA)}</strong> per phase
            · measured {formatAmps(session.measuredA)}
          </p>
          <p className="text-xs text-slate-500">
            EVSE {session.evseId} · priority {session.priority} {priorityLabels[session.priority] ?? ''}
            {session.startedAt ? ` · since ${formatClock(session.startedAt, timeZone)}` : ''}
          </p>
          <p className="text-xs break-words text-slate-500">{session.reason}</p>
          {session.pausedByOperator ? (
            <p className="text-xs font-medium text-amber-800">Paused by an operator</p>
          ) : session.capA !== null ? (
            <p className="text-xs font-medium text-amber-800">
              Capped at {formatAmps(session.capA)} by an operator
            </p>
          ) : null}
        </div>
        {canManage ? (
          <SessionActions
            transactionId={session.transactionId}
            label={label}
            pausedByOperator={session.pausedByOperator}
            capA={session.capA}
            setpointA={session.setpointA}
          />
        ) : null}
      </div>
    </li>
  );
}

/** The nodes a station or a new node can hang under, in tree order with their depth. */
export function parentOptionsOf(nodes: LoadNodeView[]): ParentOption[] {
  const out: ParentOption[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const n of nodes.filter((x) => x.parentId === parentId)) {
      out.push({ id: n.id, name: n.name, depth, phases: n.phases });
      walk(n.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/**
 * The site's electrical tree as it stands now: the grid connection, the feeders, panels and
 * circuits under it, the stations on each, and their running sessions, each with its limit in
 * force, what is allocated and what is measured.
 */
export function CircuitTree({ view, canManage }: { view: LoadSiteView; canManage: boolean }) {
  const root = view.nodes.find((n) => n.parentId === null);
  if (!root) return null;
  const ctx: TreeContext = {
    view,
    canManage,
    parents: parentOptionsOf(view.nodes),
    live: view.root?.enabled ?? false,
  };
  return (
    <ul aria-label="Circuit tree" className="space-y-2">
      <NodeItem node={root} depth={0} ctx={ctx} />
    </ul>
  );
}
