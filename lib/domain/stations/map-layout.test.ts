import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  groupBySite,
  layoutMarkers,
  mostPressingState,
  spreadAround,
  stateRank,
  stationPositions,
  stationsZoom,
  type MapPoint,
  type PlaceableStation,
} from './map-layout';
import type { StationState } from './status';

const denver: MapPoint = { latitude: 39.6155, longitude: -104.8956 };
const chicago: MapPoint = { latitude: 41.8787, longitude: -87.6403 };

function station(
  id: string,
  state: StationState,
  site: { id: string; at: MapPoint } | null,
): PlaceableStation {
  return {
    id,
    siteId: site?.id ?? null,
    latitude: site?.at.latitude ?? null,
    longitude: site?.at.longitude ?? null,
    state,
  };
}

// Leaflet's Web Mercator pixel coordinates, written out independently of the module under test.
function toPixels(point: MapPoint, zoom: number): { x: number; y: number } {
  const scale = 256 * 2 ** zoom;
  const sin = Math.sin((point.latitude * Math.PI) / 180);
  return {
    x: ((point.longitude + 180) / 360) * scale,
    y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale,
  };
}

function pixelDistance(a: MapPoint, b: MapPoint, zoom: number): number {
  const p = toPixels(a, zoom);
  const q = toPixels(b, zoom);
  return Math.hypot(p.x - q.x, p.y - q.y);
}

/** Great-circle distance in metres. */
function metres(a: MapPoint, b: MapPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLng = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

describe('mostPressingState', () => {
  it.each<[StationState[], StationState | null]>([
    [[], null],
    [['available'], 'available'],
    [['pending', 'available'], 'available'],
    [['available', 'charging'], 'charging'],
    [['charging', 'unavailable'], 'unavailable'],
    [['unavailable', 'offline', 'charging'], 'offline'],
    [['offline', 'faulted', 'available'], 'faulted'],
    [['pending', 'pending'], 'pending'],
  ])('%j -> %s', (states, expected) => {
    expect(mostPressingState(states)).toBe(expected);
  });
});

describe('stateRank', () => {
  it('orders faulted > offline > unavailable > charging > available > pending', () => {
    const ranked: StationState[] = ['pending', 'available', 'charging', 'unavailable', 'offline', 'faulted'];
    expect(ranked.map(stateRank)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('groupBySite', () => {
  const den = { id: 'site-den', at: denver };
  const chi = { id: 'site-chi', at: chicago };

  it.each<{
    name: string;
    stations: PlaceableStation[];
    clusters: { key: string; ids: string[]; state: StationState }[];
    unplaced: string[];
  }>([
    { name: 'nothing', stations: [], clusters: [], unplaced: [] },
    {
      name: 'one site',
      stations: [station('a', 'available', den), station('b', 'charging', den)],
      clusters: [{ key: 'site-den', ids: ['a', 'b'], state: 'charging' }],
      unplaced: [],
    },
    {
      name: 'two sites, interleaved, in order of first appearance',
      stations: [
        station('c1', 'offline', chi),
        station('d1', 'available', den),
        station('c2', 'faulted', chi),
        station('d2', 'pending', den),
      ],
      clusters: [
        { key: 'site-chi', ids: ['c1', 'c2'], state: 'faulted' },
        { key: 'site-den', ids: ['d1', 'd2'], state: 'available' },
      ],
      unplaced: [],
    },
    {
      name: 'stations without coordinates are left out',
      stations: [station('x', 'pending', null), station('d1', 'offline', den)],
      clusters: [{ key: 'site-den', ids: ['d1'], state: 'offline' }],
      unplaced: ['x'],
    },
    {
      name: 'a position without a site groups by coordinates',
      stations: [
        { id: 'p1', siteId: null, latitude: 1.5, longitude: 2.5, state: 'available' },
        { id: 'p2', siteId: null, latitude: 1.5, longitude: 2.5, state: 'unavailable' },
      ],
      clusters: [{ key: '1.5,2.5', ids: ['p1', 'p2'], state: 'unavailable' }],
      unplaced: [],
    },
  ])('$name', ({ stations, clusters, unplaced }) => {
    const result = groupBySite(stations);
    expect(
      result.clusters.map((c) => ({ key: c.key, ids: c.stations.map((s) => s.id), state: c.state })),
    ).toEqual(clusters);
    expect(result.unplaced.map((s) => s.id)).toEqual(unplaced);
  });

  it('counts the states of a site and keeps its coordinates', () => {
    const [cluster] = groupBySite([
      station('a', 'available', den),
      station('b', 'available', den),
      station('c', 'faulted', den),
    ]).clusters;
    expect(cluster).toMatchObject({
      siteId: 'site-den',
      latitude: denver.latitude,
      longitude: denver.longitude,
    });
    expect(cluster?.counts).toEqual({
      available: 2,
      charging: 0,
      faulted: 1,
      unavailable: 0,
      offline: 0,
      pending: 0,
    });
  });
});

describe('spreadAround', () => {
  it.each([0, -1])('gives no positions for %i stations', (count) => {
    expect(spreadAround(denver, count, 16)).toEqual([]);
  });

  it('keeps a single station on the site', () => {
    expect(spreadAround(denver, 1, 16)).toEqual([denver]);
  });

  it.each([
    { count: 2, zoom: 15 },
    { count: 3, zoom: 16 },
    { count: 5, zoom: 16 },
    { count: 5, zoom: 18 },
    { count: 12, zoom: 17 },
    { count: 40, zoom: 19 },
  ])('places $count stations at zoom $zoom on a circle, neighbours 48 px apart', ({ count, zoom }) => {
    const points = spreadAround(denver, count, zoom);
    expect(points).toHaveLength(count);
    const radii = points.map((p) => pixelDistance(p, denver, zoom));
    for (const radius of radii) {
      expect(radius).toBeCloseTo(radii[0] ?? 0, 6);
      expect(radius).toBeGreaterThanOrEqual(24 - 1e-6);
    }
    for (let i = 0; i < count; i++) {
      const a = points[i];
      const b = points[(i + 1) % count];
      if (!a || !b) throw new Error('missing point');
      // Neighbours sit the spacing apart (or further when the minimum radius applies).
      expect(pixelDistance(a, b, zoom)).toBeGreaterThanOrEqual(48 - 1e-6);
    }
    // Any two markers are at least the spacing apart: nothing overlaps.
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) {
        expect(pixelDistance(points[i]!, points[j]!, zoom)).toBeGreaterThanOrEqual(48 - 1e-6);
      }
    }
  });

  it.each([2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 24])(
    'the 28×37 px pins of %i stations never overlap',
    (count) => {
      const pixels = spreadAround(chicago, count, 16).map((p) => toPixels(p, 16));
      for (let i = 0; i < count; i++) {
        for (let j = i + 1; j < count; j++) {
          const dx = Math.abs(pixels[i]!.x - pixels[j]!.x);
          const dy = Math.abs(pixels[i]!.y - pixels[j]!.y);
          expect(dx >= 28 - 1e-6 || dy >= 37 - 1e-6, `pins ${i} and ${j}: ${dx} × ${dy}`).toBe(true);
        }
      }
    },
  );

  it('starts at the top and goes clockwise', () => {
    const [top, right, bottom, left] = spreadAround(denver, 4, 16);
    expect(top!.latitude).toBeGreaterThan(denver.latitude);
    expect(top!.longitude).toBeCloseTo(denver.longitude, 9);
    expect(right!.longitude).toBeGreaterThan(denver.longitude);
    expect(bottom!.latitude).toBeLessThan(denver.latitude);
    expect(left!.longitude).toBeLessThan(denver.longitude);
  });

  it.each([
    { zoom: 15, min: 100, max: 200 },
    { zoom: 17, min: 25, max: 50 },
    { zoom: 19, min: 6, max: 13 },
  ])('at zoom $zoom, five stations sit $min–$max m from the site', ({ zoom, min, max }) => {
    for (const point of spreadAround(denver, 5, zoom)) {
      const distance = metres(denver, point);
      expect(distance).toBeGreaterThan(min);
      expect(distance).toBeLessThan(max);
    }
  });

  it('honours custom spacing', () => {
    const points = spreadAround(chicago, 6, 17, { spacingPx: 50, minRadiusPx: 0 });
    expect(pixelDistance(points[0]!, points[1]!, 17)).toBeCloseTo(50, 6);
  });
});

describe('stationPositions', () => {
  it('maps every station of a cluster to its spot, rounding fractional zoom', () => {
    const den = { id: 'site-den', at: denver };
    const [cluster] = groupBySite([station('a', 'available', den), station('b', 'offline', den)]).clusters;
    if (!cluster) throw new Error('no cluster');
    const positions = stationPositions(cluster, 16.4);
    expect([...positions.keys()]).toEqual(['a', 'b']);
    expect([...positions.values()]).toEqual(spreadAround(denver, 2, 16));
  });
});

describe('layoutMarkers', () => {
  const den = { id: 'site-den', at: denver };
  const chi = { id: 'site-chi', at: chicago };
  const { clusters } = groupBySite([
    station('d1', 'available', den),
    station('d2', 'offline', den),
    station('d3', 'charging', den),
    station('c1', 'faulted', chi),
    station('x', 'pending', null),
  ]);

  it.each<{ zoom: number; keys: string[] }>([
    { zoom: 3, keys: ['site:site-den', 'site:site-chi'] },
    { zoom: stationsZoom - 1, keys: ['site:site-den', 'site:site-chi'] },
    { zoom: stationsZoom, keys: ['station:d1', 'station:d2', 'station:d3', 'station:c1'] },
    { zoom: 18, keys: ['station:d1', 'station:d2', 'station:d3', 'station:c1'] },
  ])('at zoom $zoom draws $keys', ({ zoom, keys }) => {
    expect(layoutMarkers(clusters, zoom).map((m) => m.key)).toEqual(keys);
  });

  it('puts a lone station on its site and spreads the others', () => {
    const markers = layoutMarkers(clusters, 17);
    const positions = new Map(
      markers.flatMap((m) => (m.kind === 'station' ? [[m.station.id, m.position]] : [])),
    );
    expect(positions.get('c1')).toEqual(chicago);
    expect(positions.get('d1')).not.toEqual(denver);
    expect(pixelDistance(positions.get('d1')!, positions.get('d2')!, 17)).toBeGreaterThanOrEqual(48 - 1e-6);
  });
});

describe('boundsOf', () => {
  it.each<{ points: MapPoint[]; expected: ReturnType<typeof boundsOf> }>([
    { points: [], expected: null },
    {
      points: [denver],
      expected: [
        [denver.latitude, denver.longitude],
        [denver.latitude, denver.longitude],
      ],
    },
    {
      points: [denver, chicago, { latitude: 38.5766, longitude: -121.4934 }],
      expected: [
        [38.5766, -121.4934],
        [chicago.latitude, chicago.longitude],
      ],
    },
  ])('$points.length points', ({ points, expected }) => {
    expect(boundsOf(points)).toEqual(expected);
  });
});
