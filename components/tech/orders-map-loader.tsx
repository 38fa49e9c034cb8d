'use client';

import dynamic from 'next/dynamic';

// Leaflet touches window on import: the map only ever renders in the browser.
export const OrdersMapLoader = dynamic(() => import('./orders-map').then((m) => m.OrdersMap), {
  ssr: false,
  loading: () => (
    <div className="grid h-[60vh] min-h-80 animate-pulse place-items-center rounded-xl border border-slate-200 bg-slate-100 text-sm text-slate-500">
      Loading map…
    </div>
  ),
});
