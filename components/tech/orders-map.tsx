'use client';

import 'leaflet/dist/leaflet.css';
import { divIcon, latLngBounds, type LatLngTuple } from 'leaflet';
import Link from 'next/link';
import { MapContainer, Marker, Popup } from 'react-leaflet';
import { BaseTiles, KeepSized } from '@/components/map/base-layers';

export interface MapOrder {
  id: string;
  number: number;
  title: string;
  priority: string;
  stationIdentity: string;
  siteName: string | null;
  latitude: number;
  longitude: number;
}

const pinColour: Record<string, string> = {
  critical: '#e11d48',
  high: '#d97706',
  normal: '#2563eb',
  low: '#64748b',
};

const pin = (order: MapOrder) =>
  divIcon({
    className: '',
    iconSize: [34, 34],
    iconAnchor: [17, 17],
    html: `<span style="display:grid;place-items:center;width:34px;height:34px;border-radius:9999px;background:${pinColour[order.priority] ?? '#2563eb'};color:white;font:600 11px system-ui;border:2px solid white;box-shadow:0 1px 3px rgb(0 0 0/.4)">${order.number}</span>`,
  });

/** The technician's work orders on a map, one numbered pin per order, coloured by priority. */
export function OrdersMap({ orders, tileUrl }: { orders: MapOrder[]; tileUrl: string }) {
  const points = orders.map((o) => [o.latitude, o.longitude] as LatLngTuple);
  const bounds = latLngBounds(points).pad(0.3);
  return (
    <div className="h-[60vh] min-h-80 overflow-hidden rounded-xl border border-slate-200">
      <MapContainer bounds={bounds} maxZoom={16} className="h-full w-full" scrollWheelZoom={false}>
        <KeepSized />
        <BaseTiles tileUrl={tileUrl} />
        {orders.map((o) => (
          <Marker key={o.id} position={[o.latitude, o.longitude]} icon={pin(o)} title={`WO-${o.number}`}>
            <Popup>
              <strong>WO-{o.number}</strong> · {o.title}
              <br />
              {o.stationIdentity}
              {o.siteName ? ` · ${o.siteName}` : ''}
              <br />
              <Link href={`/tech/work-orders/${o.id}`}>Open</Link>
            </Popup>
          </Marker>
        ))}
      </MapContainer>
    </div>
  );
}
