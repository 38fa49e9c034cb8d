'use client';

import dynamic from 'next/dynamic';
import type { NetworkMapProps } from './network-map';

/** Holds the map's place while Leaflet loads, in the same layout as the map and its list. */
function NetworkMapPlaceholder() {
  return (
    <div className="flex flex-col gap-4 md:h-[max(32rem,calc(100vh_-_12rem))] md:flex-row" aria-busy="true">
      <div className="grid h-[55vh] min-h-72 animate-pulse place-items-center rounded-xl border border-slate-200 bg-slate-100 text-sm text-slate-500 md:h-auto md:flex-1">
        Loading map…
      </div>
      <div className="h-64 animate-pulse rounded-xl border border-slate-200 bg-white md:h-auto md:w-80 md:shrink-0" />
    </div>
  );
}

// Leaflet touches window on import: the map only ever renders in the browser.
export const NetworkMapLoader = dynamic<NetworkMapProps>(
  () => import('./network-map').then((m) => m.NetworkMap),
  { ssr: false, loading: NetworkMapPlaceholder },
);
