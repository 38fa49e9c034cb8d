import type { BadgeTone } from '@/components/ui/badge';
import type { StationState } from '@/lib/domain/stations/status';

/** Badge colour of each station state, shared by lists and the station page. */
export const stateTone: Record<StationState, BadgeTone> = {
  available: 'green',
  charging: 'blue',
  faulted: 'red',
  unavailable: 'amber',
  offline: 'slate',
  pending: 'amber',
};
