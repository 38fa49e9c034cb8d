import type { LimitValue, LoadNodeConfig } from './types';

/** A limit as amperes on each phase a node carries: watts are spread evenly over its phases. */
export function ampsPerPhaseOf(limit: LimitValue, voltage: number, phases: number): number {
  return limit.unit === 'A' ? limit.value : limit.value / (voltage * phases);
}

/** Watts drawn by a current on each of `phases` phases at a line-to-neutral voltage. */
export function wattsOf(ampsPerPhase: number, voltage: number, phases: number): number {
  return ampsPerPhase * voltage * phases;
}

/**
 * The highest current per phase a node's configuration could ever allow (its base or any scheduled
 * limit); Infinity when it has no base limit (it is unlimited outside its windows).
 */
export function ceilingAmps(
  node: Pick<LoadNodeConfig, 'limit' | 'schedule' | 'voltage'> & { phases: number },
): number {
  if (!node.limit) return Infinity;
  const limits = [node.limit, ...node.schedule.map((s) => s.limit)];
  return Math.max(...limits.map((l) => ampsPerPhaseOf(l, node.voltage, node.phases)));
}
