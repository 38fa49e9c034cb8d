/** What a station is doing, in one word for maps and lists, from its connection and connectors. */
export type StationState = 'available' | 'charging' | 'faulted' | 'unavailable' | 'offline' | 'pending';

export const stationStateLabels: Record<StationState, string> = {
  available: 'Available',
  charging: 'Charging',
  faulted: 'Faulted',
  unavailable: 'Unavailable',
  offline: 'Offline',
  pending: 'Not accepted',
};

// OCPP connector statuses of both versions that mean "in use".
const inUse = new Set([
  'Charging',
  'Occupied',
  'Preparing',
  'SuspendedEV',
  'SuspendedEVSE',
  'Finishing',
  'Reserved',
]);

/**
 * The state of a station: offline when its socket is closed; otherwise the most pressing of its
 * connectors (a fault outranks charging, charging outranks available; unknown counts as unavailable).
 */
export function stationState(input: {
  online: boolean;
  registrationStatus: 'accepted' | 'pending' | 'rejected';
  connectorStatuses: readonly string[];
}): StationState {
  if (input.registrationStatus !== 'accepted') return 'pending';
  if (!input.online) return 'offline';
  const statuses = input.connectorStatuses;
  if (statuses.some((s) => s === 'Faulted')) return 'faulted';
  if (statuses.some((s) => inUse.has(s))) return 'charging';
  if (statuses.some((s) => s === 'Available')) return 'available';
  return 'unavailable';
}

/** Counts stations per state (for legends and site summaries). */
export function countStates(states: readonly StationState[]): Record<StationState, number> {
  const counts: Record<StationState, number> = {
    available: 0,
    charging: 0,
    faulted: 0,
    unavailable: 0,
    offline: 0,
    pending: 0,
  };
  for (const state of states) counts[state]++;
  return counts;
}
