'use client';

import { useQuery } from '@tanstack/react-query';
import { stationsQueryKey } from './map-data';
import type { MapStation } from './network-map';
import { NetworkMapLoader } from './network-map-loader';

async function fetchStations(): Promise<MapStation[]> {
  const response = await fetch('/api/stations', { cache: 'no-store' });
  if (!response.ok) throw new Error(`Loading stations failed (${response.status})`);
  return ((await response.json()) as { stations: MapStation[] }).stations;
}

/**
 * The map fed from React Query: server-rendered stations first, then refetched whenever a
 * station event arrives over socket.io (LiveProvider invalidates the stations query).
 */
export function LiveNetworkMap({
  stations,
  tileUrl,
  showPricing,
}: {
  stations: MapStation[];
  tileUrl: string;
  showPricing: boolean;
}) {
  const { data } = useQuery({ queryKey: stationsQueryKey, queryFn: fetchStations, initialData: stations });
  return <NetworkMapLoader stations={data} tileUrl={tileUrl} showPricing={showPricing} />;
}
