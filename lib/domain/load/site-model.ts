import type {
  AllocationDemand,
  AllocationNode,
  AllocationResult,
  LoadNodeConfig,
  NonEvLoadPolicy,
  PerPhase,
  PhaseIndex,
  ResolvedLimit,
} from './types';
import { allocate } from './allocator';
import { ampsPerPhaseOf } from './units';

/**
 * A site as load management sees it (read from the database by lib/services/load-inputs.ts), and
 * the pure steps from it to the charging limits each station should hold: the allocator's input,
 * the setpoints wanted, and the order to send them in.
 */

export interface EvseModel {
  evseId: number;
  minA: number;
  /** Configured maximum; null = from the rated power. */
  maxA: number | null;
  ratedPowerW: number | null;
  phases: 1 | 3;
  line: PhaseIndex;
}

export interface StationModel {
  id: string;
  identity: string;
  online: boolean;
  /** The tree node it hangs from; null = the grid connection. */
  nodeId: string | null;
  pinnedMaxA: number | null;
  evses: EvseModel[];
}

export interface SessionModel {
  id: string;
  stationId: string;
  evseId: number;
  chargerTransactionId: string;
  startedAt: number;
  driverName: string | null;
  /** The highest load priority of the driver's groups; 3 when none. */
  priority: number;
  /** The per-group maximum power of the access grant it charges under, W. */
  groupMaxPowerW: number | null;
  override: { paused: boolean; capA: number | null } | null;
  /** Latest measurement: amperes per phase (null where a phase was not reported) and power. */
  measuredA: readonly (number | null)[] | null;
  measuredW: number | null;
  /** When that measurement was taken (ms); null when there is none. */
  measuredAt: number | null;
}

export type ProfilePurpose = 'ChargingStationMaxProfile' | 'TxDefaultProfile' | 'TxProfile';

export interface SetpointModel {
  stationId: string;
  evseId: number;
  purpose: ProfilePurpose;
  transactionId: string | null;
  limitA: number;
  state: 'sending' | 'confirmed' | 'failed';
  /** A failed one is due again at this time (ms); null = now. */
  retryAt: number | null;
  /** When the station confirmed it (ms). */
  confirmedAt: number | null;
}

export interface SiteModel {
  siteId: string;
  organisationId: string;
  timeZone: string;
  nodes: (LoadNodeConfig & { kind: string })[];
  rootId: string;
  nonEv: NonEvLoadPolicy | undefined;
  stations: StationModel[];
  sessions: SessionModel[];
  setpoints: SetpointModel[];
}

/** The node id a station's own cap (its pinned maximum) gets in the allocator's tree. */
export const stationNodeId = (stationId: string) => `station:${stationId}`;

/** Used when an EVSE reports no rated power and none is configured (a common 32 A wallbox). */
export const fallbackEvseMaxA = 32;
export const defaultPriority = 3;

/** The voltage at a node: the nearest ancestor's (every node has one; the root's is the site's). */
export function voltageAt(model: SiteModel, nodeId: string | null): number {
  const node = model.nodes.find((n) => n.id === (nodeId ?? model.rootId));
  return node?.voltage ?? 230;
}

/** The most an EVSE can draw per phase: its configured maximum, or its rated power at the node's voltage. */
export function evseMaxA(evse: EvseModel, voltage: number): number {
  if (evse.maxA !== null) return evse.maxA;
  if (evse.ratedPowerW) return Math.max(evse.minA, evse.ratedPowerW / (voltage * evse.phases));
  return fallbackEvseMaxA;
}

export function linesOf(evse: EvseModel): PhaseIndex[] {
  return evse.phases === 3 ? [0, 1, 2] : [evse.line];
}

const unlimited: ResolvedLimit = {
  amps: [Infinity, Infinity, Infinity],
  watts: null,
  source: 'No limit of its own',
  fallback: false,
};

/** The stations' own nodes: a pinned maximum caps the station, otherwise they only group its EVSEs. */
export function stationNodes(model: SiteModel): AllocationNode[] {
  return model.stations.map((s) => ({
    id: stationNodeId(s.id),
    parentId: s.nodeId ?? model.rootId,
    name: s.identity,
    limit:
      s.pinnedMaxA === null
        ? unlimited
        : { ...unlimited, amps: [s.pinnedMaxA, s.pinnedMaxA, s.pinnedMaxA], source: 'Pinned by an operator' },
  }));
}

function evseOf(model: SiteModel, session: SessionModel): { station: StationModel; evse: EvseModel } | null {
  const station = model.stations.find((s) => s.id === session.stationId);
  const evse = station?.evses.find((e) => e.evseId === session.evseId);
  return station && evse ? { station, evse } : null;
}

function highestOf(values: readonly (number | null)[] | null): number | null {
  const known = (values ?? []).filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}

/** The highest per-phase current a session draws now, from currents or else from power. */
export function measuredAmps(session: SessionModel, voltage: number, phases: number): number | null {
  return (
    highestOf(session.measuredA) ??
    (session.measuredW === null ? null : session.measuredW / (voltage * phases))
  );
}

/** What the station has confirmed for a session's EVSE, and what it could draw until it confirms more. */
function deliveryOf(model: SiteModel, session: SessionModel, maxA: number) {
  const tx = model.setpoints.find(
    (p) => p.stationId === session.stationId && p.purpose === 'TxProfile' && p.transactionId === session.id,
  );
  if (tx?.state === 'confirmed') return { confirmed: true, limitA: tx.limitA, possibleA: tx.limitA };
  // Nothing sent for this session yet: the station's default holds, if it confirmed one.
  const fallback = model.setpoints.find(
    (p) =>
      p.stationId === session.stationId && p.purpose === 'TxDefaultProfile' && p.evseId === session.evseId,
  );
  const possibleA = !tx && fallback?.state === 'confirmed' ? Math.min(maxA, fallback.limitA) : maxA;
  return { confirmed: false, limitA: null, possibleA };
}

/**
 * The allocator's demands, one per running session. `steerable`: a session whose station has not
 * confirmed its limit counts as uncontrolled at what it could draw (ARCHITECTURE: treat it as drawing
 * its max until it confirms); pass false to ask what every session should get once all confirm.
 */
export function demandsOf(model: SiteModel, options: { respectDelivery: boolean }): AllocationDemand[] {
  const demands: AllocationDemand[] = [];
  for (const session of model.sessions) {
    const found = evseOf(model, session);
    if (!found) continue;
    const { station, evse } = found;
    const voltage = voltageAt(model, station.nodeId);
    const caps = [evseMaxA(evse, voltage)];
    if (session.groupMaxPowerW !== null) caps.push(session.groupMaxPowerW / (voltage * evse.phases));
    if (session.override?.capA != null) caps.push(session.override.capA);
    const cap = Math.min(...caps);
    const delivery = deliveryOf(model, session, Math.max(evse.minA, cap));
    const uncontrolled = options.respectDelivery && (!delivery.confirmed || !station.online);
    demands.push({
      id: session.id,
      nodeId: stationNodeId(station.id),
      lines: linesOf(evse),
      voltage,
      minA: uncontrolled ? Math.min(evse.minA, delivery.possibleA) : evse.minA,
      maxA: uncontrolled ? delivery.possibleA : Math.max(evse.minA, cap),
      priority: session.priority,
      startedAt: session.startedAt,
      measuredA: measuredAmps(session, voltage, evse.phases),
      previousSetpointA: delivery.limitA,
      controllable: !uncontrolled,
      // A cap below the minimum cannot keep an EV charging: it is a pause.
      pausedByOperator: Boolean(session.override?.paused) || cap < evse.minA,
    });
  }
  return demands;
}

/** The allocation that is safe to send now, with the demands it was made from (unconfirmed stations counted at what they may draw). */
export interface SafeAllocation {
  demands: AllocationDemand[];
  result: AllocationResult;
}

export function allocateNow(tree: readonly AllocationNode[], model: SiteModel): SafeAllocation {
  const demands = demandsOf(model, { respectDelivery: true });
  return { demands, result: allocate(tree, demands) };
}

/** Every EVSE of the site, for the offline defaults. */
export function evseSlotsOf(model: SiteModel) {
  return model.stations.flatMap((station) => {
    const voltage = voltageAt(model, station.nodeId);
    return station.evses.map((evse) => ({
      id: `${station.id}#${evse.evseId}`,
      nodeId: stationNodeId(station.id),
      lines: linesOf(evse),
      voltage,
      minA: evse.minA,
      maxA: evseMaxA(evse, voltage),
    }));
  });
}

/** A limit ChargeOps wants a station to hold. */
export interface WantedSetpoint {
  stationId: string;
  evseId: number;
  purpose: ProfilePurpose;
  transactionId: string | null;
  chargerTransactionId: string | null;
  limitA: number;
  numberPhases: 1 | 3;
}

/**
 * The limits wanted: each session's (a confirmed one gets its safe share now; an unconfirmed one the
 * share it will have, but no more than it could draw already), each EVSE's offline default, each
 * pinned station maximum.
 */
export function wantedSetpoints(
  model: SiteModel,
  safeNow: SafeAllocation,
  onceConfirmed: AllocationResult,
  defaults: ReadonlyMap<string, number>,
): WantedSetpoint[] {
  const wanted: WantedSetpoint[] = [];
  const steered = new Map(safeNow.demands.map((d) => [d.id, d]));
  for (const session of model.sessions) {
    const found = evseOf(model, session);
    if (!found) continue;
    const demand = steered.get(session.id);
    const now = safeNow.result.sessions.find((s) => s.id === session.id);
    const later = onceConfirmed.sessions.find((s) => s.id === session.id);
    if (!demand || !now || !later) continue;
    const limitA = demand.controllable ? now.setpointA : Math.min(later.setpointA, demand.maxA);
    wanted.push({
      stationId: session.stationId,
      evseId: session.evseId,
      purpose: 'TxProfile',
      transactionId: session.id,
      chargerTransactionId: session.chargerTransactionId,
      limitA,
      numberPhases: found.evse.phases,
    });
  }
  for (const station of model.stations) {
    for (const evse of station.evses) {
      wanted.push({
        stationId: station.id,
        evseId: evse.evseId,
        purpose: 'TxDefaultProfile',
        transactionId: null,
        chargerTransactionId: null,
        limitA: defaults.get(`${station.id}#${evse.evseId}`) ?? 0,
        numberPhases: evse.phases,
      });
    }
    if (station.pinnedMaxA !== null)
      wanted.push({
        stationId: station.id,
        evseId: 0,
        purpose: 'ChargingStationMaxProfile',
        transactionId: null,
        chargerTransactionId: null,
        limitA: station.pinnedMaxA,
        numberPhases: 3,
      });
  }
  return wanted;
}

/**
 * A smaller rise is not worth a command (chargers regulate in whole amperes at best); every fall
 * is sent, however small: the others' shares were computed assuming it, and a station left above its
 * share would put the node over.
 */
export const significantRiseA = 0.5;

export interface SetpointPlan {
  /** Lower limits first: they make room before anything grows. */
  decreases: WantedSetpoint[];
  increases: WantedSetpoint[];
  /** Station maximums no longer pinned, to clear. */
  clears: SetpointModel[];
}

/**
 * What to send: setpoints that are new, lower than held, higher by at least significantRiseA (or
 * from zero), or not confirmed and due again. Only stations that are online are sent to.
 */
export function planSetpoints(
  model: SiteModel,
  wanted: readonly WantedSetpoint[],
  now: number,
): SetpointPlan {
  const online = new Set(model.stations.filter((s) => s.online).map((s) => s.id));
  const plan: SetpointPlan = { decreases: [], increases: [], clears: [] };
  for (const want of wanted) {
    if (!online.has(want.stationId)) continue;
    const held = model.setpoints.find(
      (p) => p.stationId === want.stationId && p.evseId === want.evseId && p.purpose === want.purpose,
    );
    const sameTarget = held && held.transactionId === want.transactionId;
    if (sameTarget && held.state === 'sending') continue;
    if (sameTarget && held.state === 'failed' && held.retryAt !== null && held.retryAt > now) continue;
    const changed =
      !sameTarget ||
      held.state !== 'confirmed' ||
      want.limitA < held.limitA - 0.01 ||
      want.limitA - held.limitA >= significantRiseA ||
      (held.limitA === 0 && want.limitA > 0);
    if (!changed) continue;
    const lower = sameTarget && held.state === 'confirmed' && want.limitA < held.limitA;
    (lower || !sameTarget ? plan.decreases : plan.increases).push(want);
  }
  for (const held of model.setpoints) {
    if (held.purpose !== 'ChargingStationMaxProfile' || !online.has(held.stationId)) continue;
    const station = model.stations.find((s) => s.id === held.stationId);
    if (station && station.pinnedMaxA === null) plan.clears.push(held);
  }
  return plan;
}

/** Sum of a per-phase figure over sessions, or null when none reported. */
export function sumPerPhase(values: readonly (PerPhase | null)[]): PerPhase | null {
  const known = values.filter((v): v is PerPhase => v !== null);
  if (known.length === 0) return null;
  return [0, 1, 2].map((p) => known.reduce((sum, v) => sum + v[p as PhaseIndex], 0)) as unknown as PerPhase;
}

/** A session's measured draw spread over its lines (the same current on each phase it uses). */
export function measuredPerPhase(model: SiteModel, session: SessionModel): PerPhase | null {
  const found = evseOf(model, session);
  if (!found) return null;
  const voltage = voltageAt(model, found.station.nodeId);
  const amps = measuredAmps(session, voltage, found.evse.phases);
  if (amps === null) return null;
  const lines = linesOf(found.evse);
  return [0, 1, 2].map((p) => (lines.includes(p as PhaseIndex) ? amps : 0)) as unknown as PerPhase;
}

/** An EV takes this long to follow a lower limit (IEC 61851-1 allows 5 s), plus a meter interval's worth. */
export const settleMs = 10_000;

/**
 * A session's draw for overrun warnings: what was measured, except that a reading taken before
 * its current limit could have taken effect counts at most at that limit. Lowering a limit is not an
 * overrun because the last reading still shows the old draw.
 */
export function settledPerPhase(model: SiteModel, session: SessionModel): PerPhase | null {
  const measured = measuredPerPhase(model, session);
  const held = model.setpoints.find(
    (p) => p.purpose === 'TxProfile' && p.transactionId === session.id && p.state === 'confirmed',
  );
  if (!measured || !held?.confirmedAt) return measured;
  if (session.measuredAt !== null && session.measuredAt >= held.confirmedAt + settleMs) return measured;
  return measured.map((a) => Math.min(a, held.limitA)) as unknown as PerPhase;
}

/** The configured limit of a node, converted for comparison with measurements, before margin. */
export function configuredAmps(node: LoadNodeConfig): number | null {
  return node.limit ? ampsPerPhaseOf(node.limit, node.voltage, node.phases) : null;
}

/**
 * The offline default of each idle EVSE: what is left once the running sessions have their share
 * (never more than its fair offline share `staticDefaults`), so that a car plugging in draws at once
 * only capacity that is free; it gets its share when ChargeOps reruns, a second later. Busy EVSEs keep
 * their fair share as default: it only applies if ChargeOps is unreachable when their session ends and
 * the next begins, and the fair shares together fit every node.
 */
export function idleDefaultLimits(
  tree: readonly AllocationNode[],
  model: SiteModel,
  safeNow: SafeAllocation,
  staticDefaults: ReadonlyMap<string, number>,
): Map<string, number> {
  const busy = new Set(model.sessions.map((s) => `${s.stationId}#${s.evseId}`));
  const demands: AllocationDemand[] = [];
  for (const d of safeNow.demands) {
    const setpointA = safeNow.result.sessions.find((s) => s.id === d.id)?.setpointA ?? d.maxA;
    demands.push({ ...d, minA: 0, maxA: setpointA, controllable: false, pausedByOperator: false });
  }
  for (const slot of evseSlotsOf(model)) {
    const share = staticDefaults.get(slot.id) ?? 0;
    if (busy.has(slot.id) || share <= 0) continue;
    demands.push({
      id: slot.id,
      nodeId: slot.nodeId,
      lines: slot.lines,
      voltage: slot.voltage,
      minA: Math.min(slot.minA, share),
      maxA: share,
      priority: 1,
      startedAt: 0,
      measuredA: null,
      previousSetpointA: null,
      controllable: true,
      pausedByOperator: false,
    });
  }
  const result = allocate(tree, demands);
  const defaults = new Map<string, number>();
  for (const slot of evseSlotsOf(model)) {
    const share = staticDefaults.get(slot.id) ?? 0;
    defaults.set(
      slot.id,
      busy.has(slot.id) ? share : (result.sessions.find((s) => s.id === slot.id)?.setpointA ?? 0),
    );
  }
  return defaults;
}
