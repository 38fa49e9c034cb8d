import type { AllocationOutcome, PerPhase } from './types';

/**
 * The picture of a site's load after an allocation run, as stored (JSON: no Infinity, so "no limit"
 * is null) and shown on the Load page.
 */

export interface NodeSnapshot {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
  /** The unit the node is configured in; null = no limit of its own. */
  unit: 'A' | 'W' | null;
  /** Amperes per phase in force now (after schedule, margin, building load); null = unlimited. */
  limitA: number | null;
  limitW: number | null;
  /** Why the limit is what it is. */
  source: string;
  fallback: boolean;
  allocatedA: PerPhase;
  allocatedW: number;
  /** Measured EV load under the node; null when nothing under it reports current or power. */
  measuredA: PerPhase | null;
  measuredW: number | null;
}

export interface SessionSnapshot {
  transactionId: string;
  stationId: string;
  identity: string;
  evseId: number;
  nodeId: string;
  driverName: string | null;
  priority: number;
  minA: number;
  maxA: number;
  setpointA: number;
  outcome: AllocationOutcome;
  reason: string;
  measuredA: number | null;
  startedAt: string;
  pausedByOperator: boolean;
  capA: number | null;
  /** Whether the station confirmed the limit: sending, confirmed, failed, or null before the first. */
  delivery: 'sending' | 'confirmed' | 'failed' | null;
}

export interface StationSnapshot {
  stationId: string;
  identity: string;
  nodeId: string;
  online: boolean;
  pinnedMaxA: number | null;
  /** The offline default (TxDefaultProfile) per EVSE. */
  defaults: { evseId: number; limitA: number }[];
}

export interface AllocationSnapshot {
  at: string;
  nodes: NodeSnapshot[];
  sessions: SessionSnapshot[];
  stations: StationSnapshot[];
  /** Node ids whose uncontrolled load alone is above the limit. */
  overcommitted: string[];
}
