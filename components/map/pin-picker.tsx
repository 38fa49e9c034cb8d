'use client';

import 'leaflet/dist/leaflet.css';
import { BaseTiles, KeepSized } from './base-layers';
import { divIcon, type LatLngTuple, type Marker as LeafletMarker } from 'leaflet';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { MapContainer, Marker, useMap, useMapEvents } from 'react-leaflet';

export interface PinPickerProps {
  latitude: number | null;
  longitude: number | null;
  /** Called with the new position (longitude wrapped to -180..180, 6 decimals) on click or drag. */
  onChange: (latitude: number, longitude: number) => void;
  /** Tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png */
  tileUrl: string;
}

/** Callers' loading placeholders use the same height (260px). */
const height = 260;

// Leaflet's default marker images break under bundlers: the pin is an inline SVG instead.
const pinIcon = divIcon({
  className: '',
  html:
    '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="40" viewBox="0 0 30 40" aria-hidden="true" style="filter:drop-shadow(0 1px 2px rgb(15 23 42 / 0.45))">' +
    '<path d="M15 1.5C7.5 1.5 1.5 7.4 1.5 14.8c0 9.4 11.9 22.3 12.9 23.4a.8.8 0 0 0 1.2 0c1-1.1 12.9-14 12.9-23.4C28.5 7.4 22.5 1.5 15 1.5z" fill="#059669" stroke="#ffffff" stroke-width="2"/>' +
    '<circle cx="15" cy="14.5" r="4.75" fill="#ffffff"/></svg>',
  iconSize: [30, 40],
  iconAnchor: [15, 39],
});

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
const clampLatitude = (value: number) => Math.max(-90, Math.min(90, value));

/** Clicking the map places the pin. */
function ClickToPlace({ onPick }: { onPick: (latitude: number, longitude: number) => void }) {
  useMapEvents({
    click(event) {
      const at = event.latlng.wrap();
      onPick(at.lat, at.lng);
    },
  });
  return null;
}

/** Brings a pin that moved from outside (typed coordinates) into view; the map's own picks stay put. */
function FollowPin({
  position,
  picked,
}: {
  position: LatLngTuple | null;
  picked: RefObject<LatLngTuple | null>;
}) {
  const map = useMap();
  const latitude = position?.[0];
  const longitude = position?.[1];
  useEffect(() => {
    if (latitude === undefined || longitude === undefined) return;
    const own = picked.current;
    if (own && own[0] === latitude && own[1] === longitude) return;
    map.setView([latitude, longitude], Math.max(map.getZoom(), 13));
  }, [map, latitude, longitude, picked]);
  return null;
}

/**
 * A map to choose a location: click to place the pin, drag it to adjust; coordinates set from
 * outside move it. Works without tiles (offline): the pin and clicks do not depend on them.
 */
export function PinPicker({ latitude, longitude, onChange, tileUrl }: PinPickerProps) {
  const position: LatLngTuple | null = latitude !== null && longitude !== null ? [latitude, longitude] : null;
  // The first view: the pin if there is one, else the world. MapContainer ignores later changes.
  const [initialView] = useState(() => ({
    center: position ?? ([20, 0] as LatLngTuple),
    zoom: position ? 15 : 2,
  }));
  const picked = useRef<LatLngTuple | null>(null);
  const markerRef = useRef<LeafletMarker>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  // Stable handlers: Leaflet listeners are bound once and read the latest onChange through the ref.
  const { pick, markerHandlers } = useMemo(() => {
    const pickAt = (lat: number, lng: number) => {
      const next: LatLngTuple = [round6(clampLatitude(lat)), round6(lng)];
      picked.current = next;
      onChangeRef.current(next[0], next[1]);
    };
    return {
      pick: pickAt,
      markerHandlers: {
        dragend() {
          const at = markerRef.current?.getLatLng().wrap();
          if (at) pickAt(at.lat, at.lng);
        },
      },
    };
  }, []);

  return (
    <div
      data-testid="pin-picker"
      role="group"
      aria-label="Site location map"
      className="relative isolate overflow-hidden rounded-lg border border-slate-300 bg-slate-100"
      style={{ height }}
    >
      <MapContainer
        center={initialView.center}
        zoom={initialView.zoom}
        minZoom={1}
        maxZoom={19}
        scrollWheelZoom
        className="h-full w-full"
      >
        <BaseTiles tileUrl={tileUrl} />
        <KeepSized />
        <ClickToPlace onPick={pick} />
        <FollowPin position={position} picked={picked} />
        {position ? (
          <Marker
            ref={markerRef}
            position={position}
            icon={pinIcon}
            draggable
            autoPan
            keyboard
            title="Site location: drag to adjust"
            alt="Site location"
            eventHandlers={markerHandlers}
          />
        ) : null}
      </MapContainer>
    </div>
  );
}
