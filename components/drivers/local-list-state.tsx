import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { LocalListState } from '@/lib/db/schema';

const labels: Record<LocalListState, string> = {
  in_sync: 'In sync',
  pending: 'Pending',
  failed: 'Failed',
  unsupported: 'Not supported',
};

const tones: Record<LocalListState, BadgeTone> = {
  in_sync: 'green',
  pending: 'blue',
  failed: 'red',
  unsupported: 'slate',
};

/** Where a station's local authorisation list stands; null before its first boot with ChargeOps. */
export function LocalListBadge({ state }: { state: LocalListState | null }) {
  if (state === null) return <Badge tone="slate">Not synced yet</Badge>;
  return <Badge tone={tones[state]}>{labels[state]}</Badge>;
}

/** What each state means, for the line under the badge. */
export function describeLocalListState(state: LocalListState | null, online: boolean): string {
  switch (state) {
    case null:
      return 'ChargeOps sends the list when the station next boots.';
    case 'in_sync':
      return 'The station holds the tokens the access rules allow here.';
    case 'pending':
      return online
        ? 'A change is being sent to the station.'
        : 'A change waits for the station to come back online.';
    case 'failed':
      return 'The last update failed; ChargeOps tries again by itself.';
    case 'unsupported':
      return 'The station has no local list: it asks ChargeOps about every token (and cannot check them offline).';
  }
}

/** The error worth showing beside the state: only a failed update has one (the other states say it all). */
export function localListProblem(state: LocalListState | null, lastError: string | null): string | null {
  return state === 'failed' ? lastError : null;
}
