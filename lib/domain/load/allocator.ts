/**
 * Shares a site's capacity among its charging sessions: every node of the electrical tree (a forest
 * is fine) limits the sum of the currents below it on each phase and, for a power limit, in watts.
 * Sessions first get their minimum (pausing the least deserving while that does not fit), then the
 * spare capacity by weight (progressive filling: a weighted max-min fair share). Pure and
 * deterministic: inputs are sorted by id, so the order of the arrays never changes the answer.
 */
import type {
  AllocationDemand,
  AllocationNode,
  AllocationOutcome,
  AllocationResult,
  NodeAllocation,
  PerPhase,
  PhaseIndex,
  SessionAllocation,
} from './types';

/** An EVSE as safeDefaultLimits sees it: where it hangs, what it draws on and its current range. */
export interface DefaultLimitEvse {
  id: string;
  nodeId: string;
  lines: readonly PhaseIndex[];
  voltage: number;
  minA: number;
  maxA: number;
}

/**
 * Allocates a setpoint (A per phase, rounded down to 0.1 A) to every demand so that no node's
 * limit is exceeded, unless uncontrolled loads alone exceed it (then the node is listed in
 * `overcommitted` and every controllable demand under it is paused). Throws on an unknown node id,
 * a cycle, duplicate ids or a demand whose numbers make no sense (maxA < minA, no lines, ...).
 */
export function allocate(
  nodes: readonly AllocationNode[],
  demands: readonly AllocationDemand[],
): AllocationResult {
  const tree = buildTree(nodes);
  const sorted = sortById(demands);
  sorted.forEach((demand) => assertDemand(demand, tree));
  const constraints = buildConstraints(tree, sorted);
  const state = startState(sorted);

  const overcommitted = findOvercommitted(tree, constraints, state);
  pauseUnder(overcommitted, tree, sorted, state, (node) => `Paused: uncontrolled load alone exceeds ${node}`);
  admitMinimums(tree, sorted, constraints, state);

  const caps = sorted.map(effectiveCap);
  const filling: Filling = {
    x: state.x,
    rate: sorted.map((demand) => demand.priority),
    cap: caps,
    growing: state.status.map((status) => status === 'charging'),
  };
  const limiters = fillProgressively(filling, constraints);

  const sessions = sorted.map((demand, i) =>
    describeSession(demand, state, i, caps[i] ?? demand.maxA, limiters[i] ?? null, constraints, tree),
  );
  return {
    sessions,
    nodes: sumPerNode(tree, sorted, sessions),
    overcommitted: overcommitted.map((node) => node.id),
  };
}

/**
 * The current each EVSE may draw by default while ChargeOps is out of reach (TxDefaultProfile), so
 * that no node is exceeded even if every EVSE draws its default at once: an equal share by the same
 * progressive filling as allocate (all weights 1, every EVSE present), rounded down to 0.1 A. Where a
 * share falls below an EVSE's minimum, EVSEs are left out one at a time (the last by id first) and
 * the rest shared again, so that as many as fit get a usable default and the others get 0: they wait
 * for ChargeOps rather than risk the breaker. Throws like allocate on an unknown node, a cycle or
 * duplicate ids.
 */
export function safeDefaultLimits(
  nodes: readonly AllocationNode[],
  evses: readonly DefaultLimitEvse[],
): Map<string, number> {
  const tree = buildTree(nodes);
  const sorted = sortById(evses);
  sorted.forEach((evse) => assertLoad(evse, tree));
  const included = sorted.map(() => true);
  for (;;) {
    const shares = fairShares(tree, sorted, included);
    const short = sorted.findLastIndex((evse, i) => included[i] && (shares[i] ?? 0) < evse.minA);
    if (short < 0) return new Map(sorted.map((evse, i) => [evse.id, included[i] ? (shares[i] ?? 0) : 0]));
    included[short] = false;
  }
}

/** Equal shares (rounded down) of the EVSEs still included; 0 for the others. */
function fairShares(tree: Tree, evses: readonly DefaultLimitEvse[], included: readonly boolean[]): number[] {
  const filling: Filling = {
    x: evses.map(() => 0),
    rate: evses.map(() => 1),
    cap: evses.map((evse, i) => (included[i] ? evse.maxA : 0)),
    growing: evses.map((_, i) => included[i] ?? false),
  };
  fillProgressively(filling, buildConstraints(tree, evses));
  return evses.map((_, i) => roundDown(filling.x[i] ?? 0));
}

// --- the tree ---------------------------------------------------------------------------------

interface Tree {
  /** Sorted by id. */
  nodes: readonly AllocationNode[];
  byId: ReadonlyMap<string, AllocationNode>;
  /** The node itself first, then its parent, up to its root. */
  pathToRoot: ReadonlyMap<string, readonly string[]>;
}

function buildTree(nodes: readonly AllocationNode[]): Tree {
  const sorted = sortById(nodes);
  sorted.forEach(assertNodeLimit);
  const byId = new Map(sorted.map((node) => [node.id, node]));
  const pathToRoot = new Map(sorted.map((node) => [node.id, walkToRoot(node, byId)]));
  return { nodes: sorted, byId, pathToRoot };
}

function walkToRoot(node: AllocationNode, byId: ReadonlyMap<string, AllocationNode>): string[] {
  const path = [node.id];
  for (let parentId = node.parentId; parentId !== null;) {
    const parent = byId.get(parentId);
    if (!parent) throw new Error(`Node ${path.at(-1)} has an unknown parent ${parentId}`);
    if (path.includes(parent.id)) throw new Error(`Nodes form a cycle: ${[...path, parent.id].join(' -> ')}`);
    path.push(parent.id);
    parentId = parent.parentId;
  }
  return path;
}

function nameOf(tree: Tree, nodeId: string): string {
  return tree.byId.get(nodeId)?.name ?? nodeId;
}

// --- constraints ------------------------------------------------------------------------------

/** What allocate and safeDefaultLimits need of a demand or an EVSE to place it in the tree. */
interface Load {
  id: string;
  nodeId: string;
  lines: readonly PhaseIndex[];
  voltage: number;
  minA: number;
  maxA: number;
}

/** One linear limit: sum of coef * setpoint over its members <= cap. */
interface Constraint {
  nodeId: string;
  cap: number;
  members: readonly { index: number; coef: number }[];
}

const phases: readonly PhaseIndex[] = [0, 1, 2];

/**
 * A constraint per node and phase (only demands drawing on that phase count) and one per power
 * limit (each demand counts voltage x lines watts per ampere). Infinite limits bind nothing and are
 * left out. Ordered deepest node first, so the first tight constraint found for a demand is the one
 * closest to it, which is the one its reason names.
 */
function buildConstraints(tree: Tree, loads: readonly Load[]): Constraint[] {
  const depth = (nodeId: string) => tree.pathToRoot.get(nodeId)?.length ?? 0;
  const ordered = [...tree.nodes].sort((a, b) => depth(b.id) - depth(a.id) || compareIds(a.id, b.id));
  return ordered.flatMap((node) => {
    const below = loads.flatMap((load, index) =>
      tree.pathToRoot.get(load.nodeId)?.includes(node.id) ? [{ load, index }] : [],
    );
    const perPhase = phases
      .filter((p) => Number.isFinite(node.limit.amps[p]))
      .map((p) => ({
        nodeId: node.id,
        cap: node.limit.amps[p],
        members: below.filter(({ load }) => load.lines.includes(p)).map(({ index }) => ({ index, coef: 1 })),
      }));
    const watts = node.limit.watts;
    if (watts === null || !Number.isFinite(watts)) return perPhase;
    const power = {
      nodeId: node.id,
      cap: watts,
      members: below.map(({ load, index }) => ({ index, coef: wattsPerAmp(load) })),
    };
    return [...perPhase, power];
  });
}

function wattsPerAmp(load: Pick<Load, 'voltage' | 'lines'>): number {
  return load.voltage * new Set(load.lines).size;
}

function usedBy(constraint: Constraint, x: readonly number[]): number {
  return constraint.members.reduce((sum, { index, coef }) => sum + coef * (x[index] ?? 0), 0);
}

/** Float sums of a dozen terms drift by far less than this; a real overload is never this small. */
function toleranceOf(cap: number): number {
  return 1e-9 * Math.max(1, Math.abs(cap));
}

function isViolated(constraint: Constraint, x: readonly number[]): boolean {
  return usedBy(constraint, x) > constraint.cap + toleranceOf(constraint.cap);
}

// --- minimums and pauses ----------------------------------------------------------------------

interface State {
  /** Current per demand (sorted by id). */
  x: number[];
  status: AllocationOutcome[];
  /** Why a demand is paused or uncontrolled; charging reasons are worked out at the end. */
  reason: string[];
}

/** Uncontrolled loads count at their maximum and cannot be paused; the operator's pauses are final. */
function startState(demands: readonly AllocationDemand[]): State {
  const state: State = { x: [], status: [], reason: [] };
  for (const demand of demands) {
    if (!demand.controllable) {
      state.x.push(demand.maxA);
      state.status.push('uncontrolled');
      state.reason.push(`Not under control yet: counted at ${formatAmps(demand.maxA)}`);
    } else if (demand.pausedByOperator) {
      state.x.push(0);
      state.status.push('paused');
      state.reason.push('Paused by operator');
    } else {
      state.x.push(0);
      state.status.push('charging');
      state.reason.push('');
    }
  }
  return state;
}

/** Nodes whose uncontrolled loads alone break one of their limits, sorted by id. */
function findOvercommitted(tree: Tree, constraints: readonly Constraint[], state: State): AllocationNode[] {
  const ids = new Set(constraints.filter((c) => isViolated(c, state.x)).map((c) => c.nodeId));
  return tree.nodes.filter((node) => ids.has(node.id));
}

function pauseUnder(
  nodes: readonly AllocationNode[],
  tree: Tree,
  demands: readonly AllocationDemand[],
  state: State,
  reason: (nodeName: string) => string,
): void {
  for (const node of nodes) {
    demands.forEach((demand, i) => {
      if (state.status[i] !== 'charging' || !tree.pathToRoot.get(demand.nodeId)?.includes(node.id)) return;
      pause(state, i, reason(nameOf(tree, node.id)));
    });
  }
}

function pause(state: State, index: number, reason: string): void {
  state.x[index] = 0;
  state.status[index] = 'paused';
  state.reason[index] = reason;
}

/**
 * Gives every charging demand its minimum; while a limit is broken, pauses the first in pause order
 * among the demands drawing on a broken limit. Then re-admits, most deserving first, any paused
 * demand whose minimum fits again: pausing a large demand can leave room for a smaller one paused
 * before it (a 1-phase EV under a power limit after a 3-phase one went). Limits that uncontrolled
 * loads alone break are skipped: everything under them is paused already.
 */
function admitMinimums(
  tree: Tree,
  demands: readonly AllocationDemand[],
  constraints: readonly Constraint[],
  state: State,
): void {
  demands.forEach((demand, i) => {
    if (state.status[i] === 'charging') state.x[i] = demand.minA;
  });
  const fixed = demands.map((demand, i) => (state.status[i] === 'uncontrolled' ? demand.maxA : 0));
  const enforceable = constraints.filter((c) => !isViolated(c, fixed));
  const paused = pauseUntilMinimumsFit(tree, demands, enforceable, state);
  for (const index of paused.reverse()) readmitIfFits(demands, index, enforceable, state);
}

function pauseUntilMinimumsFit(
  tree: Tree,
  demands: readonly AllocationDemand[],
  constraints: readonly Constraint[],
  state: State,
): number[] {
  const paused: number[] = [];
  for (;;) {
    const violated = constraints.filter((c) => isViolated(c, state.x));
    const candidates = violated.flatMap((c) =>
      c.members.filter((m) => state.status[m.index] === 'charging').map((m) => m.index),
    );
    const victim = firstInPauseOrder(demands, candidates);
    if (victim === undefined) return paused;
    // Constraints are deepest first: name the bottleneck closest to the EV.
    const where = violated.find((c) => c.members.some((m) => m.index === victim));
    pause(state, victim, `Paused: not enough capacity on ${nameOf(tree, where?.nodeId ?? '')}`);
    paused.push(victim);
  }
}

/** Lowest priority first, then the latest arrival, then the greatest id (ties must not depend on input order). */
function firstInPauseOrder(
  demands: readonly AllocationDemand[],
  candidates: readonly number[],
): number | undefined {
  let first: number | undefined;
  for (const index of candidates) {
    if (first === undefined || pausesBefore(demands[index], demands[first])) first = index;
  }
  return first;
}

function pausesBefore(a: AllocationDemand | undefined, b: AllocationDemand | undefined): boolean {
  if (!a || !b) return false;
  if (a.priority !== b.priority) return a.priority < b.priority;
  if (a.startedAt !== b.startedAt) return a.startedAt > b.startedAt;
  return compareIds(a.id, b.id) > 0;
}

function readmitIfFits(
  demands: readonly AllocationDemand[],
  index: number,
  constraints: readonly Constraint[],
  state: State,
): void {
  const demand = demands[index];
  if (!demand) return;
  state.x[index] = demand.minA;
  if (constraints.some((c) => isViolated(c, state.x))) {
    state.x[index] = 0;
    return;
  }
  state.status[index] = 'charging';
  state.reason[index] = '';
}

// --- progressive filling ----------------------------------------------------------------------

interface Filling {
  /** Current per load; grown in place. */
  x: number[];
  /** Growth rate per load (its weight). */
  rate: readonly number[];
  /** The most each load may get. */
  cap: readonly number[];
  /** Which loads take part; the others keep their current. */
  growing: readonly boolean[];
}

/** What stopped a load growing: its own cap, or a constraint (index) that became tight. */
type Limiter = 'cap' | number | null;

/**
 * Weighted progressive filling: all growing loads rise together, each at its rate, until a load
 * reaches its cap or a constraint becomes tight; those loads stop, the others go on. The result is
 * the weighted max-min fair share: no load can get more without taking from one that has no more
 * per weight than it. Every round stops at least one load, so it ends after at most n rounds.
 */
function fillProgressively(filling: Filling, constraints: readonly Constraint[]): Limiter[] {
  const growing = [...filling.growing];
  const limiters: Limiter[] = filling.x.map(() => null);
  while (growing.some(Boolean)) {
    const growth = constraints.map((c) => growthOf(c, growing, filling.rate));
    const step = findLargestStep(filling, growing, constraints, growth);
    growing.forEach((isGrowing, i) => {
      if (isGrowing)
        filling.x[i] = Math.min(
          filling.cap[i] ?? 0,
          (filling.x[i] ?? 0) + (filling.rate[i] ?? 0) * step.size,
        );
    });
    freezeLimited(filling, growing, constraints, growth, step.limiter, limiters);
  }
  return limiters;
}

function growthOf(constraint: Constraint, growing: readonly boolean[], rate: readonly number[]): number {
  return constraint.members.reduce(
    (sum, { index, coef }) => sum + (growing[index] ? coef * (rate[index] ?? 0) : 0),
    0,
  );
}

/** The largest step (in units of rate) before a growing load hits its cap or a constraint its limit. */
function findLargestStep(
  filling: Filling,
  growing: readonly boolean[],
  constraints: readonly Constraint[],
  growth: readonly number[],
): { size: number; limiter: { load: number } | { constraint: number } } {
  let size = Infinity;
  let limiter: { load: number } | { constraint: number } = { load: growing.indexOf(true) };
  growing.forEach((isGrowing, i) => {
    if (!isGrowing) return;
    const room = ((filling.cap[i] ?? 0) - (filling.x[i] ?? 0)) / (filling.rate[i] ?? 1);
    if (room < size) [size, limiter] = [room, { load: i }];
  });
  constraints.forEach((constraint, c) => {
    const rising = growth[c] ?? 0;
    if (rising <= 0) return;
    const room = Math.max(0, constraint.cap - usedBy(constraint, filling.x)) / rising;
    if (room < size) [size, limiter] = [room, { constraint: c }];
  });
  return { size: Math.max(0, size), limiter };
}

/**
 * Stops loads at their cap and all loads of constraints that became tight. The load or constraint
 * that set the step is stopped whatever float rounding says, so every round makes progress.
 */
function freezeLimited(
  filling: Filling,
  growing: boolean[],
  constraints: readonly Constraint[],
  growth: readonly number[],
  stepLimiter: { load: number } | { constraint: number },
  limiters: Limiter[],
): void {
  growing.forEach((isGrowing, i) => {
    const atCap = (filling.cap[i] ?? 0) - (filling.x[i] ?? 0) <= 1e-9;
    if (isGrowing && (atCap || ('load' in stepLimiter && stepLimiter.load === i))) {
      growing[i] = false;
      limiters[i] = 'cap';
    }
  });
  constraints.forEach((constraint, c) => {
    if ((growth[c] ?? 0) <= 0) return;
    const slack = constraint.cap - usedBy(constraint, filling.x);
    const tight =
      slack <= toleranceOf(constraint.cap) || ('constraint' in stepLimiter && stepLimiter.constraint === c);
    if (!tight) return;
    for (const { index } of constraint.members) {
      if (!growing[index]) continue;
      growing[index] = false;
      limiters[index] = c;
    }
  });
}

// --- caps and rounding ------------------------------------------------------------------------

/**
 * An EV drawing clearly less than it was given (full battery, its own limit) keeps a little headroom
 * above what it draws; the rest goes to the others. Never below its minimum, never above maxA.
 */
function effectiveCap(demand: AllocationDemand): number {
  return isDrawingLess(demand)
    ? Math.min(demand.maxA, Math.max(demand.minA, (demand.measuredA ?? 0) + 2))
    : demand.maxA;
}

function isDrawingLess(demand: AllocationDemand): boolean {
  return (
    demand.measuredA !== null &&
    demand.previousSetpointA !== null &&
    demand.measuredA < demand.previousSetpointA - 1
  );
}

/**
 * Rounds down to 0.1 A. The nudge keeps 9.599999999 (float noise for 9.6) at 9.6, but never rounds up
 * by more than 1e-9, so a set of rounded setpoints cannot break a limit the unrounded ones meet.
 */
function roundDown(value: number): number {
  const nudged = Math.floor(value * 10 + 1e-6) / 10;
  return nudged <= value + 1e-9 ? nudged : Math.floor(value * 10) / 10;
}

/** A demand that got its minimum keeps it after rounding (minimums are on the 0.1 A grid). */
function roundSetpoint(value: number, minA: number): number {
  const rounded = roundDown(value);
  return value >= minA ? Math.max(minA, rounded) : rounded;
}

// --- results ----------------------------------------------------------------------------------

function describeSession(
  demand: AllocationDemand,
  state: State,
  index: number,
  cap: number,
  limiter: Limiter,
  constraints: readonly Constraint[],
  tree: Tree,
): SessionAllocation {
  const status = state.status[index] ?? 'paused';
  const x = state.x[index] ?? 0;
  if (status === 'uncontrolled')
    return { id: demand.id, setpointA: x, outcome: status, reason: state.reason[index] ?? '' };
  if (status === 'paused')
    return { id: demand.id, setpointA: 0, outcome: status, reason: state.reason[index] ?? '' };
  return {
    id: demand.id,
    setpointA: roundSetpoint(x, demand.minA),
    outcome: 'charging',
    reason: describeCharging(demand, cap, limiter, constraints, tree),
  };
}

function describeCharging(
  demand: AllocationDemand,
  cap: number,
  limiter: Limiter,
  constraints: readonly Constraint[],
  tree: Tree,
): string {
  if (limiter === 'cap') {
    return cap < demand.maxA
      ? `Limited by the EV (drawing ${formatAmps(demand.measuredA ?? 0)})`
      : `At its maximum (${formatAmps(demand.maxA)})`;
  }
  const constraint = limiter === null ? undefined : constraints[limiter];
  if (!constraint) return 'Charging';
  return `Share of ${nameOf(tree, constraint.nodeId)} (priority ${demand.priority})`;
}

function sumPerNode(
  tree: Tree,
  demands: readonly AllocationDemand[],
  sessions: readonly SessionAllocation[],
): NodeAllocation[] {
  const totals = new Map(tree.nodes.map((node) => [node.id, { amps: [0, 0, 0], watts: 0 }]));
  demands.forEach((demand, i) => {
    const setpoint = sessions[i]?.setpointA ?? 0;
    for (const nodeId of tree.pathToRoot.get(demand.nodeId) ?? []) {
      const total = totals.get(nodeId);
      if (!total) continue;
      for (const p of new Set(demand.lines)) total.amps[p] = (total.amps[p] ?? 0) + setpoint;
      total.watts += setpoint * wattsPerAmp(demand);
    }
  });
  return tree.nodes.map((node) => {
    const total = totals.get(node.id) ?? { amps: [0, 0, 0], watts: 0 };
    const amps: PerPhase = [total.amps[0] ?? 0, total.amps[1] ?? 0, total.amps[2] ?? 0];
    return { id: node.id, amps, watts: total.watts };
  });
}

/** 'A 9.8 A' reads badly with float noise: one decimal at most, none when whole. */
function formatAmps(amps: number): string {
  return `${Number(amps.toFixed(1))} A`;
}

// --- checks and order -------------------------------------------------------------------------

/** Plain code-unit order, not localeCompare: the same everywhere, whatever the runtime's locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortById<T extends { id: string }>(items: readonly T[]): T[] {
  const sorted = [...items].sort((a, b) => compareIds(a.id, b.id));
  sorted.forEach((item, i) => {
    if (i > 0 && sorted[i - 1]?.id === item.id) throw new Error(`Id ${item.id} appears twice`);
  });
  return sorted;
}

function assertNodeLimit(node: AllocationNode): void {
  const { amps, watts } = node.limit;
  if (amps.some((a) => Number.isNaN(a)) || (watts !== null && Number.isNaN(watts))) {
    throw new Error(`Node ${node.id} has a limit that is not a number`);
  }
}

function assertLoad(load: Load, tree: Tree): void {
  if (!tree.byId.has(load.nodeId)) throw new Error(`${load.id} hangs from an unknown node ${load.nodeId}`);
  if (load.lines.length === 0 || load.lines.some((p) => !phases.includes(p))) {
    throw new Error(`${load.id} must draw on one or more of the phases 0, 1, 2`);
  }
  if (!(load.voltage > 0) || !Number.isFinite(load.voltage))
    throw new Error(`${load.id} has no valid voltage`);
  if (!(load.minA >= 0 && load.maxA >= load.minA && Number.isFinite(load.maxA))) {
    throw new Error(`${load.id} needs 0 <= minA <= maxA, got ${load.minA}..${load.maxA}`);
  }
}

function assertDemand(demand: AllocationDemand, tree: Tree): void {
  assertLoad(demand, tree);
  if (!(demand.priority > 0) || !Number.isFinite(demand.priority)) {
    throw new Error(`${demand.id} needs a positive priority, got ${demand.priority}`);
  }
}
