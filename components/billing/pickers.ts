import type { StationSummary } from '@/lib/services/stations';

/** A station to choose in the assignment form and the "which tariff applies" panel. */
export interface StationOption {
  id: string;
  identity: string;
  siteName: string | null;
  /** The station's EVSE numbers, from its connectors. */
  evseIds: number[];
}

export interface NamedOption {
  id: string;
  name: string;
}

/** The stations list as the pickers need it. */
export function stationOptionsOf(stations: StationSummary[]): StationOption[] {
  return stations.map((s) => ({
    id: s.id,
    identity: s.identity,
    siteName: s.siteName,
    evseIds: [...new Set(s.connectors.map((c) => c.evseId))].sort((a, b) => a - b),
  }));
}

/** "CHI-L2-01 (Chicago Loop)". */
export const stationLabel = (s: StationOption) => (s.siteName ? `${s.identity} (${s.siteName})` : s.identity);
