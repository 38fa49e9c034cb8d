import { countStates, type StationState } from './status';

/**
 * Where the network map draws its markers. Stations are placed at their site, so all stations of a
 * site share one coordinate: zoomed out, a site is one cluster marker; zoomed in, its stations sit
 * on a small circle around the site so that each can be seen and clicked.
 */

/** From this zoom on, every station is its own marker; below it, one cluster per site. */
export const stationsZoom = 15;
/** Where clicking a cluster takes the map. */
export const siteZoom = 16;
/** Where choosing a station in the list takes the map. */
export const stationZoom = 17;

/** States from most to least pressing: a cluster takes the colour of the first one present. */
export const statePriority: readonly StationState[] = [
  'faulted',
  'offline',
  'unavailable',
  'charging',
  'available',
  'pending',
];

export interface MapPoint {
  latitude: number;
  longitude: number;
}

/** What the layout needs to know of a station. */
export interface PlaceableStation {
  id: string;
  siteId: string | null;
  latitude: number | null;
  longitude: number | null;
  state: StationState;
}

export interface SiteCluster<T extends PlaceableStation> extends MapPoint {
  /** The site id, or the coordinates for stations with a position but no site. */
  key: string;
  siteId: string | null;
  /** In input order. */
  stations: T[];
  counts: Record<StationState, number>;
  /** The most pressing state of the site's stations. */
  state: StationState;
}

export type MarkerLayout<T extends PlaceableStation> =
  | { kind: 'cluster'; key: string; cluster: SiteCluster<T> }
  | { kind: 'station'; key: string; station: T; position: MapPoint };

/** The most pressing of some states, or null when there are none. */
export function mostPressingState(states: Iterable<StationState>): StationState | null {
  const present = new Set(states);
  return statePriority.find((state) => present.has(state)) ?? null;
}

/** Ranks a state for drawing order: the more pressing, the higher (pending 0 … faulted 5). */
export function stateRank(state: StationState): number {
  return statePriority.length - 1 - statePriority.indexOf(state);
}

function hasPosition<T extends PlaceableStation>(
  station: T,
): station is T & { latitude: number; longitude: number } {
  return (
    station.latitude !== null &&
    station.longitude !== null &&
    Number.isFinite(station.latitude) &&
    Number.isFinite(station.longitude)
  );
}

/**
 * Groups stations by site (in order of first appearance). Stations without coordinates cannot be
 * drawn and come back as `unplaced`.
 */
export function groupBySite<T extends PlaceableStation>(
  stations: readonly T[],
): { clusters: SiteCluster<T>[]; unplaced: T[] } {
  const groups = new Map<string, { siteId: string | null; point: MapPoint; stations: T[] }>();
  const unplaced: T[] = [];
  for (const station of stations) {
    if (!hasPosition(station)) {
      unplaced.push(station);
      continue;
    }
    const key = station.siteId ?? `${station.latitude},${station.longitude}`;
    const group = groups.get(key);
    if (group) group.stations.push(station);
    else
      groups.set(key, {
        siteId: station.siteId,
        point: { latitude: station.latitude, longitude: station.longitude },
        stations: [station],
      });
  }
  const clusters = [...groups.entries()].map(([key, group]) => {
    const states = group.stations.map((s) => s.state);
    return {
      key,
      siteId: group.siteId,
      latitude: group.point.latitude,
      longitude: group.point.longitude,
      stations: group.stations,
      counts: countStates(states),
      // A group always has at least one station.
      state: mostPressingState(states) ?? 'pending',
    };
  });
  return { clusters, unplaced };
}

// Web Mercator, as Leaflet draws it: 256 px tiles, latitude limited to ±85.0511°.
const tileSize = 256;
const maxLatitude = 85.0511287798;

function project(point: MapPoint, zoom: number): { x: number; y: number } {
  const scale = tileSize * 2 ** zoom;
  const lat = (Math.max(-maxLatitude, Math.min(maxLatitude, point.latitude)) * Math.PI) / 180;
  return {
    x: ((point.longitude + 180) / 360) * scale,
    y: ((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * scale,
  };
}

function unproject(x: number, y: number, zoom: number): MapPoint {
  const scale = tileSize * 2 ** zoom;
  return {
    latitude: (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / scale))) * 180) / Math.PI,
    longitude: (x / scale) * 360 - 180,
  };
}

export interface SpreadOptions {
  /**
   * Screen distance between neighbouring markers on the circle, in px. The default, 48, keeps
   * 28×37 px pins from overlapping: two pins 48 px apart are either 37 px apart vertically or
   * more than 28 px apart horizontally.
   */
  spacingPx?: number;
  /** Smallest circle radius, in px (keeps two markers clear of each other and of the centre). */
  minRadiusPx?: number;
}

/**
 * `count` positions on a circle around `center`, clockwise from the top, spaced `spacingPx` apart
 * on screen at `zoom`, so that markers never overlap (the spread is constant on screen: from about
 * 150 m at zoom 15 down to a few metres at the highest zooms). One station stays on the centre.
 */
export function spreadAround(
  center: MapPoint,
  count: number,
  zoom: number,
  { spacingPx = 48, minRadiusPx = 24 }: SpreadOptions = {},
): MapPoint[] {
  if (count <= 0) return [];
  if (count === 1) return [{ latitude: center.latitude, longitude: center.longitude }];
  const radius = Math.max(minRadiusPx, spacingPx / (2 * Math.sin(Math.PI / count)));
  const origin = project(center, zoom);
  return Array.from({ length: count }, (_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / count;
    return unproject(origin.x + radius * Math.cos(angle), origin.y + radius * Math.sin(angle), zoom);
  });
}

/** Where each station of a cluster is drawn at `zoom` (at or above `stationsZoom`), by station id. */
export function stationPositions<T extends PlaceableStation>(
  cluster: SiteCluster<T>,
  zoom: number,
  options?: SpreadOptions,
): Map<string, MapPoint> {
  const points = spreadAround(cluster, cluster.stations.length, Math.round(zoom), options);
  const positions = new Map<string, MapPoint>();
  cluster.stations.forEach((station, i) => {
    const point = points[i];
    if (point) positions.set(station.id, point);
  });
  return positions;
}

/** The markers to draw at `zoom`: one per site below `stationsZoom`, else one per station. */
export function layoutMarkers<T extends PlaceableStation>(
  clusters: readonly SiteCluster<T>[],
  zoom: number,
  options?: SpreadOptions,
): MarkerLayout<T>[] {
  if (zoom < stationsZoom) {
    return clusters.map((cluster) => ({ kind: 'cluster', key: `site:${cluster.key}`, cluster }));
  }
  return clusters.flatMap((cluster) => {
    const positions = stationPositions(cluster, zoom, options);
    return cluster.stations.flatMap((station): MarkerLayout<T>[] => {
      const position = positions.get(station.id);
      return position ? [{ kind: 'station', key: `station:${station.id}`, station, position }] : [];
    });
  });
}

/** The south-west and north-east corners around some points, or null when there are none. */
export function boundsOf(points: readonly MapPoint[]): [[number, number], [number, number]] | null {
  const first = points[0];
  if (!first) return null;
  let south = first.latitude;
  let north = first.latitude;
  let west = first.longitude;
  let east = first.longitude;
  for (const { latitude, longitude } of points) {
    south = Math.min(south, latitude);
    north = Math.max(north, latitude);
    west = Math.min(west, longitude);
    east = Math.max(east, longitude);
  }
  return [
    [south, west],
    [north, east],
  ];
}
