/**
 * What a node of the site's electrical tree may carry at an instant: its base limit or the scheduled
 * limit in force, in amperes per phase and (for a power limit) watts, less the safety margin and, at
 * the root, less the building's own consumption. Pure: the instant and the site's zone are parameters.
 */
import { describeWindow, isInWindow, isValidTimeZone } from '@/lib/domain/access/authorization';
import { localEdgesBetween, wallClockOf } from '@/lib/domain/pricing/local-time';
import type {
  LimitValue,
  LoadNodeConfig,
  NonEvLoad,
  NonEvLoadPolicy,
  PerPhase,
  PhaseIndex,
  ResolvedLimit,
  ScheduledLimit,
} from './types';
import { ampsPerPhaseOf } from './units';

/** One stretch of a day view: the configured limit in force (before margin) and what it is. */
export interface LimitSegment {
  from: number;
  to: number;
  /** Null when the node has no limit of its own then. */
  limit: LimitValue | null;
  /** 'Peak hours Mon–Fri 08:00–18:00: 60 kW', 'Base limit 32 A per phase', 'No limit'. */
  label: string;
}

/**
 * Resolves a node's limit at `at`: the first scheduled window containing it (site's local time),
 * else the base limit, as amperes per carried phase and watts, less the safety margin. When `nonEv`
 * is given (the root, whose meter sees the building), the building load is subtracted; while its
 * reading is missing or stale the fallback limit applies instead, capped by the margined limit
 * (with the building unknown, chargers can never get more than the whole connection).
 * Throws on an unknown time zone, an invalid instant, a margin outside 0..50, a voltage <= 0 or a negative limit.
 */
export function resolveNodeLimit(
  node: LoadNodeConfig,
  timeZone: string,
  at: number,
  nonEv?: NonEvLoadPolicy,
): ResolvedLimit {
  assertTimeZone(timeZone);
  assertInstant(at, 'at');
  assertNode(node);
  const scheduled = findScheduledLimit(node, timeZone, at);
  const margin = node.safetyMarginPercent;
  const capacity = scaleCapacity(toCapacity(node, configuredLimit(node, scheduled)), 1 - margin / 100);
  const source =
    describeConfigured(node, scheduled) + (margin > 0 ? `, ${formatNumber(margin)} % margin` : '');
  if (nonEv === undefined) return { ...capacity, source, fallback: false };

  const reading = nonEv.reading;
  if (reading === null || !hasValue(reading) || at - reading.at > nonEv.staleAfterMs) {
    return applyFallback(node, timeZone, nonEv, capacity, source);
  }
  const building = buildingLoad(node, reading);
  return {
    amps: mapPhases((p) => Math.max(0, capacity.amps[p] - building.amps[p])),
    watts: capacity.watts === null ? null : Math.max(0, capacity.watts - building.watts),
    source: `${source}, minus building load ${formatPower(building.watts)}`,
    fallback: false,
  };
}

/**
 * The next instant after `from` (within 8 days) at which a different scheduled window (or the
 * base limit) comes into force, or null if none does; the service reruns the allocator there.
 * Edges follow the site's wall clock, so they move with DST. Throws on an unknown time zone.
 */
export function nextLimitChange(node: LoadNodeConfig, timeZone: string, from: number): number | null {
  assertTimeZone(timeZone);
  assertInstant(from, 'from');
  return findNextChange(node, timeZone, from, from + lookAheadMs);
}

/**
 * The configured limit (before margin) in force over [dayStart, dayEnd), as contiguous segments in
 * time order, for the Load page's day view. Empty when dayEnd <= dayStart. Throws on an unknown zone.
 */
export function scheduleDay(
  node: LoadNodeConfig,
  timeZone: string,
  dayStart: number,
  dayEnd: number,
): LimitSegment[] {
  assertTimeZone(timeZone);
  assertInstant(dayStart, 'dayStart');
  assertInstant(dayEnd, 'dayEnd');
  const segments: LimitSegment[] = [];
  for (let from = dayStart; from < dayEnd;) {
    const scheduled = findScheduledLimit(node, timeZone, from);
    const to = findNextChange(node, timeZone, from, dayEnd) ?? dayEnd;
    segments.push({
      from,
      to,
      limit: configuredLimit(node, scheduled),
      label: describeConfigured(node, scheduled),
    });
    from = to;
  }
  return segments;
}

// --- schedule ---------------------------------------------------------------------------------

const dayMs = 86_400_000;
const lookAheadMs = 8 * dayMs;

function findScheduledLimit(node: LoadNodeConfig, timeZone: string, at: number): ScheduledLimit | undefined {
  const instant = new Date(at);
  return node.schedule.find((window) => isInWindow(window, timeZone, instant));
}

function configuredLimit(node: LoadNodeConfig, scheduled: ScheduledLimit | undefined): LimitValue | null {
  return scheduled ? scheduled.limit : node.limit;
}

/** The first instant in (from, until) where the schedule entry in force differs from the one at `from`. */
function findNextChange(node: LoadNodeConfig, timeZone: string, from: number, until: number): number | null {
  if (node.schedule.length === 0) return null;
  const current = findScheduledLimit(node, timeZone, from);
  // Which window is in force depends only on the local weekday and minute, so it can change only
  // where the wall clock crosses a window edge, midnight, or jumps (DST): localEdgesBetween yields those.
  const edges = localEdgesBetween(timeZone, from, until, windowEdges(node.schedule));
  return edges.find((edge) => findScheduledLimit(node, timeZone, edge) !== current) ?? null;
}

/** Start and end of every window, in minutes after local midnight ('24:00' is midnight). */
function windowEdges(schedule: readonly ScheduledLimit[]): number[] {
  return schedule
    .flatMap((window) => [window.start, window.end])
    .map((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)))
    .filter((minutes) => Number.isFinite(minutes));
}

// --- amperes and watts ------------------------------------------------------------------------

interface Capacity {
  amps: PerPhase;
  watts: number | null;
}

const allPhases: readonly PhaseIndex[] = [0, 1, 2];

function mapPhases(value: (phase: PhaseIndex) => number): PerPhase {
  return [value(0), value(1), value(2)];
}

/** A 1-phase node carries L1 only, so L2 and L3 have nothing to give. */
function carries(node: LoadNodeConfig, phase: PhaseIndex): boolean {
  return node.phases === 3 || phase === 0;
}

function toCapacity(node: LoadNodeConfig, limit: LimitValue | null): Capacity {
  if (limit !== null) assertLimit(limit);
  const perPhase = limit === null ? Infinity : ampsPerPhaseOf(limit, node.voltage, node.phases);
  return {
    amps: mapPhases((p) => (carries(node, p) ? perPhase : 0)),
    watts: limit !== null && limit.unit === 'W' ? limit.value : null,
  };
}

function scaleCapacity(capacity: Capacity, factor: number): Capacity {
  return {
    amps: mapPhases((p) => capacity.amps[p] * factor),
    watts: capacity.watts === null ? null : capacity.watts * factor,
  };
}

function minCapacity(a: Capacity, b: Capacity): Capacity {
  return {
    amps: mapPhases((p) => Math.min(a.amps[p], b.amps[p])),
    watts: a.watts === null ? b.watts : b.watts === null ? a.watts : Math.min(a.watts, b.watts),
  };
}

function sameCapacity(a: Capacity, b: Capacity): boolean {
  return a.watts === b.watts && allPhases.every((p) => a.amps[p] === b.amps[p]);
}

// --- building load ----------------------------------------------------------------------------

function hasValue(reading: NonEvLoad): boolean {
  return reading.amps !== null || reading.watts !== null;
}

/**
 * The building's draw per phase and in total. A negative reading (PV exporting) counts as 0: we do
 * not lend chargers capacity that a passing cloud takes back before the next reading.
 */
function buildingLoad(node: LoadNodeConfig, reading: NonEvLoad): { amps: PerPhase; watts: number } {
  const { amps: measured, watts: power } = reading;
  const amps = measured
    ? mapPhases((p) => Math.max(0, measured[p]))
    : mapPhases((p) => (carries(node, p) ? Math.max(0, power ?? 0) / (node.voltage * node.phases) : 0));
  const watts = power !== null ? Math.max(0, power) : (amps[0] + amps[1] + amps[2]) * node.voltage;
  return { amps, watts };
}

function applyFallback(
  node: LoadNodeConfig,
  timeZone: string,
  nonEv: NonEvLoadPolicy,
  normal: Capacity,
  normalSource: string,
): ResolvedLimit {
  const fallback = toCapacity(node, nonEv.fallbackLimit);
  const capacity = minCapacity(fallback, normal);
  const reading = nonEv.reading;
  const why =
    reading === null || !hasValue(reading)
      ? 'Building load unknown'
      : `Building load stale since ${wallClockOf(new Date(reading.at), timeZone).replace('T', ' ')}`;
  const capped = sameCapacity(capacity, fallback) ? '' : ` (capped by ${normalSource})`;
  return {
    ...capacity,
    source: `${why}, fallback limit ${formatLimit(node, nonEv.fallbackLimit)}${capped}`,
    fallback: true,
  };
}

// --- words ------------------------------------------------------------------------------------

function describeConfigured(node: LoadNodeConfig, scheduled: ScheduledLimit | undefined): string {
  if (scheduled) {
    return `${scheduled.label?.trim() || 'Scheduled'} ${describeWindow(scheduled)}: ${formatLimit(node, scheduled.limit)}`;
  }
  return node.limit === null ? 'No limit' : `Base limit ${formatLimit(node, node.limit)}`;
}

function formatLimit(node: LoadNodeConfig, limit: LimitValue): string {
  if (limit.unit === 'W') return formatPower(limit.value);
  return `${formatNumber(limit.value)} A${node.phases === 3 ? ' per phase' : ''}`;
}

function formatPower(watts: number): string {
  return watts >= 1000 ? `${formatNumber(watts / 1000)} kW` : `${formatNumber(watts)} W`;
}

/** Up to two decimals, no trailing zeros: 32, 7.4, 11.04. */
function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

// --- checks -----------------------------------------------------------------------------------

/** Fails for a bad zone even when the node has no schedule, so a misconfigured site shows at once. */
function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new Error(
      `Unknown time zone ${JSON.stringify(timeZone)}: expected an IANA zone such as 'Europe/Berlin'`,
    );
  }
}

function assertInstant(at: number, name: string): void {
  if (!Number.isFinite(at)) throw new Error(`${name} is not a valid instant`);
}

function assertNode(node: LoadNodeConfig): void {
  const margin = node.safetyMarginPercent;
  if (!(margin >= 0 && margin <= 50)) {
    throw new Error(`Safety margin of ${node.name} must be 0..50 %, got ${margin}`);
  }
  // The voltage converts watts to amperes; zero would turn a power limit into no limit at all.
  if (!(node.voltage > 0) || !Number.isFinite(node.voltage)) {
    throw new Error(`Voltage of ${node.name} must be a positive number, got ${node.voltage}`);
  }
}

function assertLimit(limit: LimitValue): void {
  if (!(limit.value >= 0) || !Number.isFinite(limit.value)) {
    throw new Error(`A limit must be a finite value >= 0, got ${limit.value} ${limit.unit}`);
  }
}
