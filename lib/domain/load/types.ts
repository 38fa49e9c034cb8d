import type { TimeWindow } from '@/lib/domain/access/authorization';

/**
 * The vocabulary of load management. Currents are amperes per phase (RMS), powers are watts, times
 * are ms since the epoch. Phases are indexed 0, 1, 2 for L1, L2, L3.
 */

export type PhaseIndex = 0 | 1 | 2;

/** A value per phase, L1..L3. */
export type PerPhase = readonly [number, number, number];

/** A configured limit: amperes on each phase, or watts over all phases together. */
export interface LimitValue {
  unit: 'A' | 'W';
  value: number;
}

/** A limit that replaces the node's base limit in a weekly window of the site's local time. */
export interface ScheduledLimit extends TimeWindow {
  limit: LimitValue;
  /** What operators call the window ('Peak hours'), shown on the Load page; 'Scheduled' when absent. */
  label?: string;
}

/**
 * How a node of the site's electrical tree is configured: the site's grid connection (the root),
 * a feeder, panel or circuit under it, or a station. Stored per node; resolved for an instant by
 * resolveNodeLimit (limits.ts).
 */
export interface LoadNodeConfig {
  id: string;
  /** Null for the root (the site's grid connection). */
  parentId: string | null;
  name: string;
  /** Line-to-neutral voltage, e.g. 230 (EU) or 120 (US 208Y/120); converts W to A. */
  voltage: number;
  /** Phases the node carries: 1 (L1 only) or 3. */
  phases: 1 | 3;
  /** The limit in force outside every scheduled window; null = no limit of its own. */
  limit: LimitValue | null;
  /** Limits for weekly windows; the first window that contains the instant wins. */
  schedule: readonly ScheduledLimit[];
  /** Kept free below the limit, 0..50 percent. */
  safetyMarginPercent: number;
}

/** The site's building (non-EV) consumption, where it is measured. */
export interface NonEvLoad {
  /** Amperes per phase when the meter reports currents; otherwise null and `watts` is spread evenly. */
  amps: PerPhase | null;
  watts: number | null;
  /** When the reading was taken. */
  at: number;
}

/** What to do about the building's own consumption at the root. */
export interface NonEvLoadPolicy {
  /** The latest reading, or null when none has arrived. */
  reading: NonEvLoad | null;
  /** A reading older than this (ms) is stale. */
  staleAfterMs: number;
  /** The limit chargers get at the root while the reading is missing or stale. */
  fallbackLimit: LimitValue;
}

/** A node's limit at one instant, after schedule, margin and (root) building load. */
export interface ResolvedLimit {
  /** Amperes available per phase; Infinity where the node sets no limit. */
  amps: PerPhase;
  /** Watts over all phases; null = no power limit. */
  watts: number | null;
  /** Why it is what it is, for the Load page ("Peak hours 08:00–18:00, 10 % margin"). */
  source: string;
  /** The building load was unknown or stale and the fallback limit applied. */
  fallback: boolean;
}

/** A node as the allocator sees it. */
export interface AllocationNode {
  id: string;
  parentId: string | null;
  /** Named in reasons ('Paused: not enough capacity on Panel B'); the id when absent. */
  name?: string;
  limit: ResolvedLimit;
}

/** One session (or uncontrolled load) competing for capacity. */
export interface AllocationDemand {
  id: string;
  /** The node it hangs from (usually its station's node). */
  nodeId: string;
  /** Phases it draws on, e.g. [0] or [0, 1, 2]. */
  lines: readonly PhaseIndex[];
  /** Line-to-neutral voltage at the EVSE, for W limits. */
  voltage: number;
  /** The least current that keeps an EV charging (IEC 61851: 6 A); below it the session is paused. */
  minA: number;
  /** The most it may get: EVSE max, group max power, operator cap; >= minA. */
  maxA: number;
  /** Weight for sharing spare capacity and order of pausing; 1 (low) .. 5 (high). */
  priority: number;
  /** Session start, ms: later arrivals are paused first among equal priorities. */
  startedAt: number;
  /** Highest per-phase current measured now, or null when unknown. */
  measuredA: number | null;
  /** The setpoint the charger last confirmed, or null. */
  previousSetpointA: number | null;
  /**
   * False for a load ChargeOps cannot steer yet (a station that has not confirmed its profile): it
   * is counted at maxA and never paused.
   */
  controllable: boolean;
  /** The operator paused it: setpoint 0. */
  pausedByOperator: boolean;
}

export type AllocationOutcome = 'charging' | 'paused' | 'uncontrolled';

export interface SessionAllocation {
  id: string;
  /** Amperes per phase; 0 when paused. Rounded down to 0.1 A (an uncontrolled load: its maxA as given). */
  setpointA: number;
  outcome: AllocationOutcome;
  /** One line for the Load page: 'Share of Chicago Loop (priority 3)', 'Paused: not enough capacity on Panel B', 'Limited by the EV (drawing 9.8 A)'. */
  reason: string;
}

export interface NodeAllocation {
  id: string;
  /** Sum of setpoints under the node, per phase. */
  amps: PerPhase;
  /** Sum of setpoint powers under the node. */
  watts: number;
}

export interface AllocationResult {
  sessions: SessionAllocation[];
  nodes: NodeAllocation[];
  /** Nodes whose uncontrolled loads alone exceed their limit (nothing the allocator can do). */
  overcommitted: string[];
}
