'use client';

import { useEffect } from 'react';
import { TileLayer, useMap } from 'react-leaflet';

/** Leaflet measures its container once; it must measure again when the layout (or a dialog) changes size. */
export function KeepSized() {
  const map = useMap();
  useEffect(() => {
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);
  return null;
}

/** The tile layer of MAP_TILE_URL, credited to OpenStreetMap when the tiles are theirs. */
export function BaseTiles({ tileUrl }: { tileUrl: string }) {
  const osm = tileUrl.includes('openstreetmap.org');
  return (
    <TileLayer
      url={tileUrl}
      maxZoom={19}
      attribution={
        osm
          ? '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
          : undefined
      }
    />
  );
}
