'use client';

import 'leaflet/dist/leaflet.css';
import { BaseTiles, KeepSized } from './base-layers';
import {
  divIcon,
  type DivIcon,
  type LatLngTuple,
  type Map as LeafletMap,
  type Marker as LeafletMarker,
} from 'leaflet';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MapContainer, Marker, Popup, useMapEvents } from 'react-leaflet';
import { connectorTypeLabel, formatInZone, formatPowerW } from '@/components/stations/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectField, TextField } from '@/components/ui/field';
import {
  boundsOf,
  groupBySite,
  layoutMarkers,
  siteZoom,
  stateRank,
  stationPositions,
  stationZoom,
  stationsZoom,
  type MapPoint,
  type SiteCluster,
} from '@/lib/domain/stations/map-layout';
import { countStates, stationStateLabels, type StationState } from '@/lib/domain/stations/status';
import { formatMoney } from '@/lib/domain/pricing/money';
import type { StationPricing } from '@/lib/services/map-pricing';
import { useQuery } from '@tanstack/react-query';
import type { StationSummary } from '@/lib/services/stations';
import type { StationMaintenance } from '@/lib/services/work-order-views';
import { statusLabels } from '@/lib/domain/maintenance/work-orders';

/** A station as the map page hands it to the browser (dates as ISO strings). */
export type MapStation = Pick<
  StationSummary,
  | 'id'
  | 'identity'
  | 'siteId'
  | 'siteName'
  | 'siteTimezone'
  | 'latitude'
  | 'longitude'
  | 'state'
  | 'vendor'
  | 'model'
  | 'online'
  | 'connectors'
> & { lastSeenAt: string | null; maintenance: StationMaintenance | null };

export interface NetworkMapProps {
  stations: MapStation[];
  /** Tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png */
  tileUrl: string;
  /** The viewer sees billing: a popup shows the station's price and its sessions' running costs. */
  showPricing?: boolean;
}

type StateFilter = StationState | 'all';
/** 'all', a site id, or 'none' for stations not placed on a site. */
type SiteFilter = string;

// Legend, filter and list order.
const states: StationState[] = ['available', 'charging', 'faulted', 'unavailable', 'offline', 'pending'];

/** Marker colours (hex for Leaflet's HTML icons, classes for the page) and the text colour on them. */
const stateColours: Record<StationState, { fill: string; ink: string; dot: string }> = {
  available: { fill: '#059669', ink: '#ffffff', dot: 'bg-emerald-600' },
  charging: { fill: '#0284c7', ink: '#ffffff', dot: 'bg-sky-600' },
  faulted: { fill: '#e11d48', ink: '#ffffff', dot: 'bg-rose-600' },
  unavailable: { fill: '#f59e0b', ink: '#451a03', dot: 'bg-amber-500' },
  offline: { fill: '#64748b', ink: '#ffffff', dot: 'bg-slate-500' },
  pending: { fill: '#7c3aed', ink: '#ffffff', dot: 'bg-violet-600' },
};

// A glyph in each pin, so that colour is not the only cue (drawn in a 30×40 box, white disc at 15,14.5).
const stateGlyphs: Record<StationState, string> = {
  available: '<path d="M12 14.7l2.2 2.2 4-4.4" fill="none" stroke-width="2"/>',
  charging: '<path d="M15.9 9.8l-4 5.6h2.8l-.8 4.3 4-5.6h-2.8z" stroke="none"/>',
  faulted:
    '<path d="M15 11v4.2" fill="none" stroke-width="2.2"/><circle cx="15" cy="18" r="1.2" stroke="none"/>',
  unavailable: '<path d="M12 14.5h6" fill="none" stroke-width="2.2"/>',
  offline: '<path d="M12.6 12.1l4.8 4.8M17.4 12.1l-4.8 4.8" fill="none" stroke-width="2"/>',
  pending:
    '<circle cx="12" cy="14.5" r="1.1" stroke="none"/><circle cx="15" cy="14.5" r="1.1" stroke="none"/><circle cx="18" cy="14.5" r="1.1" stroke="none"/>',
};

const connectorTone: Record<string, BadgeTone> = {
  Available: 'green',
  Charging: 'blue',
  Occupied: 'blue',
  Preparing: 'blue',
  SuspendedEV: 'blue',
  SuspendedEVSE: 'blue',
  Finishing: 'blue',
  Reserved: 'blue',
  Faulted: 'red',
  Unavailable: 'amber',
};

/** The contiguous United States, when no station has a place yet. */
const usView = { center: [39.5, -98.35] as LatLngTuple, zoom: 4 };
const fitPadding: [number, number] = [48, 48];
const flyDuration = 0.6;

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// Icons are immutable: share them so that Leaflet only swaps a marker's icon when it really changes.
const iconCache = new Map<string, DivIcon>();
function cachedIcon(key: string, make: () => DivIcon): DivIcon {
  const cached = iconCache.get(key);
  if (cached) return cached;
  if (iconCache.size > 1000) iconCache.clear();
  const icon = make();
  iconCache.set(key, icon);
  return icon;
}

// Pins are 28×37 px (the layout spreads a site's stations so that pins of this size never overlap).
// A selected pin grows by CSS transform from its tip, so its anchor and popup anchor stay put.
const pinWidth = 28;
const pinHeight = 37;
const selectedScale = 1.25;

function stationIcon(identity: string, state: StationState, selected: boolean, incident: boolean): DivIcon {
  return cachedIcon(`station\u0000${identity}\u0000${state}\u0000${selected}\u0000${incident}`, () => {
    const { fill } = stateColours[state];
    const shadow = selected ? '0 2px 4px rgb(15 23 42 / 0.55)' : '0 1px 2px rgb(15 23 42 / 0.45)';
    const transform = selected ? `transform:scale(${selectedScale});transform-origin:50% 100%;` : '';
    return divIcon({
      className: '',
      html:
        `<div data-testid="station-marker" data-identity="${escapeHtml(identity)}" data-state="${state}"` +
        ` data-selected="${selected}" data-incident="${incident}" style="position:relative;width:${pinWidth}px;height:${pinHeight}px;${transform}">` +
        // An open incident: a small red flag on the pin's shoulder, whatever the station's state.
        (incident
          ? `<span aria-hidden="true" style="position:absolute;top:-4px;right:-5px;z-index:1;display:grid;place-items:center;width:14px;height:14px;border-radius:9999px;background:#e11d48;border:2px solid #ffffff;color:#ffffff;font:700 9px/1 ui-sans-serif,system-ui,sans-serif">!</span>`
          : '') +
        `<svg xmlns="http://www.w3.org/2000/svg" width="${pinWidth}" height="${pinHeight}" viewBox="0 0 30 40" aria-hidden="true" style="display:block;overflow:visible;filter:drop-shadow(${shadow})">` +
        `<path d="M15 1.5C7.5 1.5 1.5 7.4 1.5 14.8c0 9.4 11.9 22.3 12.9 23.4a.8.8 0 0 0 1.2 0c1-1.1 12.9-14 12.9-23.4C28.5 7.4 22.5 1.5 15 1.5z" fill="${fill}" stroke="#ffffff" stroke-width="2"/>` +
        `<circle cx="15" cy="14.5" r="6.5" fill="#ffffff"/>` +
        `<g fill="${fill}" stroke="${fill}" stroke-linecap="round" stroke-linejoin="round">${stateGlyphs[state]}</g>` +
        `</svg><span class="sr-only">${escapeHtml(identity)}: ${stationStateLabels[state]}${incident ? ', open incident' : ''}</span></div>`,
      iconSize: [pinWidth, pinHeight],
      iconAnchor: [pinWidth / 2, pinHeight - 1],
      // Clear of the pin at its selected size (a pin with an open popup is the selected one).
      popupAnchor: [0, -Math.round(pinHeight * selectedScale) + 4],
    });
  });
}

function clusterIcon(name: string, cluster: SiteCluster<MapStation>): DivIcon {
  const total = cluster.stations.length;
  const present = states.filter((state) => cluster.counts[state] > 0);
  const key = `cluster\u0000${name}\u0000${present.map((s) => `${s}:${cluster.counts[s]}`).join(',')}`;
  return cachedIcon(key, () => {
    const size = total >= 100 ? 54 : total >= 10 ? 48 : 42;
    // The ring shows the share of each state; the disc has the colour of the most pressing one.
    let from = 0;
    const segments = present.map((state) => {
      const to = from + (cluster.counts[state] / total) * 360;
      const segment = `${stateColours[state].fill} ${from.toFixed(2)}deg ${to.toFixed(2)}deg`;
      from = to;
      return segment;
    });
    const { fill, ink } = stateColours[cluster.state];
    const summary = present.map(
      (state) => `${cluster.counts[state]} ${stationStateLabels[state].toLowerCase()}`,
    );
    return divIcon({
      className: '',
      html:
        `<div data-testid="site-cluster" data-site-name="${escapeHtml(name)}" data-state="${cluster.state}" data-count="${total}"` +
        ` style="box-sizing:border-box;width:${size}px;height:${size}px;padding:4px;border-radius:9999px;background:conic-gradient(${segments.join(',')});box-shadow:0 0 0 2px #ffffff,0 2px 6px rgb(15 23 42 / 0.4);cursor:pointer">` +
        `<div aria-hidden="true" style="box-sizing:border-box;display:flex;align-items:center;justify-content:center;width:100%;height:100%;border-radius:9999px;border:2px solid #ffffff;background:${fill};color:${ink};font:600 ${total >= 100 ? 13 : 14}px/1 ui-sans-serif,system-ui,sans-serif">${total}</div>` +
        `<span class="sr-only">${escapeHtml(name)}: ${plural(total, 'station')} (${summary.join(', ')}). Zoom in.</span></div>`,
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
  });
}

function StateDot({ state, className = 'size-2.5' }: { state: StationState; className?: string }) {
  return (
    <span
      aria-hidden
      className={`inline-block shrink-0 rounded-full ring-2 ring-white ${stateColours[state].dot} ${className}`}
    />
  );
}

function StatePill({ state }: { state: StationState }) {
  return (
    <span className="inline-flex items-center gap-1.5 rounded-md bg-slate-50 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-slate-700 ring-1 ring-slate-200 ring-inset">
      <StateDot state={state} className="size-2" />
      {stationStateLabels[state]}
    </span>
  );
}

function describeStation(station: MapStation): string {
  return [station.vendor, station.model].filter(Boolean).join(' ');
}

function matchesQuery(station: MapStation, query: string): boolean {
  if (query === '') return true;
  return [station.identity, station.vendor, station.model, station.siteName].some((field) =>
    field?.toLowerCase().includes(query),
  );
}

function matchesSite(station: MapStation, site: SiteFilter): boolean {
  if (site === 'all') return true;
  if (site === 'none') return station.siteId === null;
  return station.siteId === site;
}

/** The first view: all placed stations, one site up close, or the United States. */
function initialViewOf(
  stations: readonly MapStation[],
): { center: LatLngTuple; zoom: number } | { bounds: [LatLngTuple, LatLngTuple] } {
  const bounds = boundsOf(placedPoints(stations));
  if (!bounds) return usView;
  const [[south, west], [north, east]] = bounds;
  if (south === north && west === east) return { center: [south, west], zoom: siteZoom };
  return { bounds };
}

function placedPoints(stations: readonly MapStation[]): MapPoint[] {
  return stations.flatMap((s) =>
    s.latitude !== null && s.longitude !== null ? [{ latitude: s.latitude, longitude: s.longitude }] : [],
  );
}

function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Shows some points: one spot at site zoom, several fitted with padding. */
function showPoints(map: LeafletMap, points: readonly MapPoint[]): void {
  const bounds = boundsOf(points);
  if (!bounds) return;
  const animate = !prefersReducedMotion();
  const [[south, west], [north, east]] = bounds;
  if (south === north && west === east) {
    map.flyTo([south, west], siteZoom, { animate, duration: flyDuration });
  } else {
    map.flyToBounds(bounds, { padding: fitPadding, maxZoom: siteZoom, animate, duration: flyDuration });
  }
}

/** Reports the zoom (now and after every change) and the start and end of every move. */
function ViewEvents({
  onZoom,
  onMoveStart,
  onMoveEnd,
}: {
  onZoom: (zoom: number) => void;
  onMoveStart: () => void;
  onMoveEnd: () => void;
}) {
  const map = useMapEvents({
    zoomend: () => onZoom(map.getZoom()),
    movestart: onMoveStart,
    moveend: onMoveEnd,
  });
  useEffect(() => {
    onZoom(map.getZoom());
  }, [map, onZoom]);
  return null;
}

/** The station's open incident and work order (for people who see maintenance). */
function MaintenanceLine({ station }: { station: MapStation }) {
  const m = station.maintenance;
  if (!m || (m.openIncidents === 0 && !m.workOrder)) return null;
  return (
    <div data-testid="station-maintenance" className="space-y-1 rounded-md bg-rose-50 px-2 py-1.5 text-xs">
      {m.incidentTitle ? (
        <div className="font-medium text-rose-800">
          {m.incidentTitle}
          {m.openIncidents > 1 ? ` (+${m.openIncidents - 1} more)` : ''}
        </div>
      ) : null}
      {m.workOrder ? (
        <Link href={`/maintenance/work-orders/${m.workOrder.id}`} className="text-rose-900! underline">
          WO-{m.workOrder.number} · {statusLabels[m.workOrder.status]}
        </Link>
      ) : (
        <div className="text-rose-800">No work order yet</div>
      )}
    </div>
  );
}

type SessionCost = StationPricing['sessions'][number];

/**
 * The running session shown on a connector row: the one naming this connector, or, when the session
 * names none (or one the station never reported), on the EVSE's first connector.
 */
function sessionOn(
  station: MapStation,
  pricing: StationPricing | undefined,
  connector: MapStation['connectors'][number],
  index: number,
): SessionCost | undefined {
  const sessions = pricing?.sessions.filter((s) => s.evseId === connector.evseId) ?? [];
  const named = sessions.find((s) => s.connectorId === connector.connectorId);
  if (named) return named;
  const first = station.connectors.findIndex((c) => c.evseId === connector.evseId) === index;
  return first
    ? sessions.find(
        (s) =>
          s.connectorId === null ||
          !station.connectors.some((c) => c.evseId === s.evseId && c.connectorId === s.connectorId),
      )
    : undefined;
}

/** A station's price and running costs, fetched when its popup opens and refreshed with live updates. */
async function fetchStationPricing(stationId: string): Promise<StationPricing> {
  const response = await fetch(`/api/stations/${stationId}/pricing`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`Prices could not be loaded (${response.status})`);
  return ((await response.json()) as { pricing: StationPricing }).pricing;
}

function StationPopup({ station, showPricing }: { station: MapStation; showPricing: boolean }) {
  // react-leaflet renders a popup's content only while it is open: the query runs for open popups.
  const { data: pricing } = useQuery({
    queryKey: ['station-pricing', station.id],
    queryFn: () => fetchStationPricing(station.id),
    enabled: showPricing,
  });
  // Leaflet's stylesheet gives popup paragraphs and links their own margins and colours: divs only,
  // and the link's colours marked important.
  return (
    <div data-testid="station-popup" className="w-60 space-y-3 font-sans text-sm text-slate-700">
      {/* Right padding: Leaflet's close button sits in the popup's top-right corner. */}
      <div className="flex items-start justify-between gap-2 pr-3">
        <div className="min-w-0">
          <div className="truncate text-base font-semibold text-slate-900">{station.identity}</div>
          <div className="truncate text-xs text-slate-500">{station.siteName ?? 'Not placed on a site'}</div>
        </div>
        <StatePill state={station.state} />
      </div>
      {describeStation(station) ? (
        <div className="text-xs text-slate-600">{describeStation(station)}</div>
      ) : null}
      {pricing ? (
        <div data-testid="station-price" className="text-xs">
          <span className="font-medium text-slate-900">Price now </span>
          <span className="text-slate-500">(no driver group)</span>
          <div className="text-slate-700">{pricing.priceText ?? 'No tariff'}</div>
        </div>
      ) : null}
      {station.connectors.length > 0 ? (
        <ul className="space-y-1.5" aria-label="Connectors">
          {station.connectors.map((c, i) => {
            const session = sessionOn(station, pricing, c, i);
            return (
              <li
                key={`${c.evseId}-${c.connectorId}`}
                className="text-xs"
                title={`EVSE ${c.evseId}, connector ${c.connectorId}`}
              >
                <div className="flex items-center justify-between gap-2">
                  <span className="min-w-0 truncate text-slate-700">
                    #{c.evseId} {connectorTypeLabel(c.connectorType)} · {formatPowerW(c.maxPowerW)}
                  </span>
                  <Badge tone={connectorTone[c.status] ?? 'slate'}>{c.status}</Badge>
                </div>
                {session ? (
                  <div
                    data-testid="session-cost"
                    className="mt-0.5 flex items-baseline justify-between gap-2 text-slate-500"
                  >
                    <span>Session cost so far</span>
                    <span className="font-medium text-slate-900 tabular-nums">
                      {formatMoney(session.total, session.currency)}
                    </span>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <div className="text-xs text-slate-500">No connectors reported yet.</div>
      )}
      <MaintenanceLine station={station} />
      <div className="text-xs text-slate-500">
        Last seen{' '}
        {formatInZone(station.lastSeenAt ? new Date(station.lastSeenAt) : null, station.siteTimezone)}
      </div>
      <Link
        href={`/stations/${station.id}`}
        className={buttonClass('primary', 'w-full text-white! no-underline hover:text-white!')}
      >
        Open station
      </Link>
    </div>
  );
}

/**
 * The network map: every station coloured by state, one cluster per site when zoomed out, and a
 * searchable, filterable list beside it. New props (live updates) change the markers in place; the
 * map's view, the selection and the filters stay as they are. Works without tiles (offline).
 */
export function NetworkMap({ stations, tileUrl, showPricing = false }: NetworkMapProps) {
  const [query, setQuery] = useState('');
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  const [siteFilter, setSiteFilter] = useState<SiteFilter>('all');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [map, setMap] = useState<LeafletMap | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);
  // MapContainer reads its view once; later props never move the map.
  const [initialView] = useState(() => initialViewOf(stations));

  const markerRefs = useRef(new Map<string, LeafletMarker>());
  const pendingPopup = useRef<string | null>(null);
  const flying = useRef(false);
  const mapAreaRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const siteOptions = useMemo(() => {
    const sites = new Map<string, { name: string; count: number }>();
    let unplaced = 0;
    for (const s of stations) {
      if (s.siteId === null) {
        unplaced++;
        continue;
      }
      const site = sites.get(s.siteId);
      if (site) site.count++;
      else sites.set(s.siteId, { name: s.siteName ?? 'Unnamed site', count: 1 });
    }
    const options = [...sites.entries()]
      .map(([value, { name, count }]) => ({ value, name, count }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return unplaced > 0
      ? [...options, { value: 'none', name: 'Not placed on a site', count: unplaced }]
      : options;
  }, [stations]);
  // A site that disappeared (live update) no longer filters.
  const site = siteFilter !== 'all' && siteOptions.some((o) => o.value === siteFilter) ? siteFilter : 'all';

  const needle = query.trim().toLowerCase();
  const searched = useMemo(
    () => stations.filter((s) => matchesQuery(s, needle) && matchesSite(s, site)),
    [stations, needle, site],
  );
  const counts = useMemo(() => countStates(searched.map((s) => s.state)), [searched]);
  const visible = useMemo(
    () => (stateFilter === 'all' ? searched : searched.filter((s) => s.state === stateFilter)),
    [searched, stateFilter],
  );
  const { clusters } = useMemo(() => groupBySite(visible), [visible]);
  const markers = useMemo(
    () =>
      zoom === null
        ? []
        : layoutMarkers(clusters, zoom).map((marker) => {
            const point = marker.kind === 'cluster' ? marker.cluster : marker.position;
            return { ...marker, latLng: [point.latitude, point.longitude] as LatLngTuple };
          }),
    [clusters, zoom],
  );
  const filtered = needle !== '' || stateFilter !== 'all' || site !== 'all';

  const openPendingPopup = useCallback(() => {
    const id = pendingPopup.current;
    if (id === null || flying.current) return;
    const marker = markerRefs.current.get(id);
    if (!marker) return;
    pendingPopup.current = null;
    marker.openPopup();
  }, []);

  // After every render: the marker of a station chosen in the list may just have appeared.
  useEffect(() => {
    openPendingPopup();
  });

  // Keep the selected station in view in the list's own scroll area (desktop), never the page's.
  useEffect(() => {
    const list = listRef.current;
    if (selectedId === null || !list || list.scrollHeight <= list.clientHeight) return;
    const item = list.querySelector<HTMLElement>(`[data-station-id="${CSS.escape(selectedId)}"]`);
    if (!item) return;
    if (item.offsetTop < list.scrollTop) list.scrollTop = item.offsetTop;
    else if (item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = item.offsetTop + item.offsetHeight - list.clientHeight;
  }, [selectedId]);

  // The user moving the map themselves cancels a popup still waiting for the end of a flight.
  const onMoveStart = useCallback(() => {
    if (!flying.current) pendingPopup.current = null;
  }, []);
  const onMoveEnd = useCallback(() => {
    flying.current = false;
    openPendingPopup();
  }, [openPendingPopup]);

  /** Flies to a station at street zoom and opens its popup once there. */
  const focusStation = (station: MapStation) => {
    setSelectedId(station.id);
    const cluster = clusters.find((c) => c.stations.some((s) => s.id === station.id));
    const position = cluster ? stationPositions(cluster, stationZoom).get(station.id) : undefined;
    if (!map || !position) return;
    pendingPopup.current = station.id;
    flying.current = true;
    map.closePopup();
    map.flyTo([position.latitude, position.longitude], stationZoom, {
      animate: !prefersReducedMotion(),
      duration: flyDuration,
    });
    // On phones the list is below the map: bring the map back into view.
    mapAreaRef.current?.scrollIntoView({
      block: 'nearest',
      behavior: prefersReducedMotion() ? 'auto' : 'smooth',
    });
  };

  const zoomToSite = (cluster: SiteCluster<MapStation>) => {
    map?.flyTo([cluster.latitude, cluster.longitude], Math.max(siteZoom, map.getZoom()), {
      animate: !prefersReducedMotion(),
      duration: flyDuration,
    });
  };

  const chooseSite = (value: SiteFilter) => {
    setSiteFilter(value);
    if (!map || value === 'none') return;
    showPoints(map, placedPoints(value === 'all' ? stations : stations.filter((s) => s.siteId === value)));
  };

  const clearFilters = () => {
    setQuery('');
    setStateFilter('all');
    setSiteFilter('all');
  };

  const placedVisible = placedPoints(visible);
  const stationsShown = zoom !== null && zoom >= stationsZoom;

  return (
    <div className="flex flex-col gap-4 md:h-[max(32rem,calc(100vh_-_12rem))] md:flex-row">
      <section
        aria-label="Network map"
        className="flex min-w-0 flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs md:flex-1"
      >
        <div
          ref={mapAreaRef}
          data-testid="network-map"
          className="relative isolate h-[55vh] min-h-72 scroll-mt-20 md:h-auto md:min-h-0 md:flex-1"
        >
          <MapContainer
            ref={setMap}
            {...('bounds' in initialView
              ? { bounds: initialView.bounds, boundsOptions: { padding: fitPadding, maxZoom: siteZoom } }
              : { center: initialView.center, zoom: initialView.zoom })}
            minZoom={2}
            maxZoom={19}
            scrollWheelZoom
            worldCopyJump
            className="h-full w-full bg-slate-100"
          >
            <BaseTiles tileUrl={tileUrl} />
            <KeepSized />
            <ViewEvents onZoom={setZoom} onMoveStart={onMoveStart} onMoveEnd={onMoveEnd} />
            {markers.map((marker) => {
              if (marker.kind === 'cluster') {
                const { cluster } = marker;
                const name = cluster.stations[0]?.siteName ?? 'Stations';
                return (
                  <Marker
                    key={marker.key}
                    position={marker.latLng}
                    icon={clusterIcon(name, cluster)}
                    title={name}
                    zIndexOffset={stateRank(cluster.state) * 100}
                    eventHandlers={{ click: () => zoomToSite(cluster) }}
                  />
                );
              }
              const { station } = marker;
              const selected = station.id === selectedId;
              return (
                <Marker
                  key={marker.key}
                  ref={(instance) => {
                    if (instance) markerRefs.current.set(station.id, instance);
                    else markerRefs.current.delete(station.id);
                  }}
                  position={marker.latLng}
                  icon={stationIcon(
                    station.identity,
                    station.state,
                    selected,
                    (station.maintenance?.openIncidents ?? 0) > 0,
                  )}
                  title={station.identity}
                  riseOnHover
                  zIndexOffset={stateRank(station.state) * 100 + (selected ? 1000 : 0)}
                  eventHandlers={{
                    popupopen: () => setSelectedId(station.id),
                    popupclose: () => setSelectedId((current) => (current === station.id ? null : current)),
                  }}
                >
                  <Popup minWidth={240} maxWidth={280} autoPanPadding={[24, 24]}>
                    <StationPopup station={station} showPricing={showPricing} />
                  </Popup>
                </Marker>
              );
            })}
          </MapContainer>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-t border-slate-200 px-4 py-2.5">
          <ul aria-label="Legend" className="flex flex-wrap gap-x-4 gap-y-1.5 text-xs text-slate-600">
            {states.map((state) => (
              <li key={state} className="inline-flex items-center gap-1.5">
                <StateDot state={state} />
                {stationStateLabels[state]}
              </li>
            ))}
          </ul>
          <div className="flex items-center gap-3">
            <p className="text-xs text-slate-500" aria-live="polite">
              {stationsShown ? 'Each pin is a station' : 'Circles are sites: zoom in or click for stations'}
            </p>
            <button
              type="button"
              onClick={() => map && showPoints(map, placedVisible)}
              disabled={placedVisible.length === 0}
              className="focus-visible:outline-brand-600 shrink-0 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:text-slate-400"
            >
              Show all
            </button>
          </div>
        </div>
      </section>

      <section
        aria-label="Station list"
        className="flex min-w-0 flex-col rounded-xl border border-slate-200 bg-white shadow-xs md:w-80 md:shrink-0"
      >
        <div className="space-y-3 border-b border-slate-200 p-4">
          <TextField
            label="Search stations"
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Identity, vendor, model, site"
            autoComplete="off"
          />
          <div className="grid grid-cols-2 gap-3">
            <SelectField
              label="State"
              value={stateFilter}
              onChange={(e) => setStateFilter(e.target.value as StateFilter)}
            >
              <option value="all">All ({searched.length})</option>
              {states.map((state) => (
                <option key={state} value={state}>
                  {stationStateLabels[state]} ({counts[state]})
                </option>
              ))}
            </SelectField>
            <SelectField label="Site" value={site} onChange={(e) => chooseSite(e.target.value)}>
              <option value="all">All sites</option>
              {siteOptions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.name} ({option.count})
                </option>
              ))}
            </SelectField>
          </div>
          <div className="flex items-center justify-between gap-2 text-xs text-slate-500">
            <span aria-live="polite">
              {filtered
                ? `Showing ${visible.length} of ${plural(stations.length, 'station')}`
                : plural(stations.length, 'station')}
            </span>
            {filtered ? (
              <button
                type="button"
                onClick={clearFilters}
                className="text-brand-700 hover:text-brand-900 focus-visible:outline-brand-600 font-medium focus-visible:outline-2 focus-visible:outline-offset-2"
              >
                Clear filters
              </button>
            ) : null}
          </div>
        </div>
        {visible.length === 0 ? (
          <div className="p-4">
            <EmptyState title="No stations match">Try another search, state or site.</EmptyState>
          </div>
        ) : (
          <ul
            ref={listRef}
            aria-label="Stations"
            className="relative divide-y divide-slate-100 md:min-h-0 md:flex-1 md:overflow-y-auto"
          >
            {visible.map((station) => {
              const selected = station.id === selectedId;
              const placed = station.latitude !== null && station.longitude !== null;
              const details = [station.siteName, describeStation(station)].filter(Boolean).join(' · ');
              const body = (
                <>
                  <StateDot state={station.state} className="mt-1 size-2.5" />
                  <span className="min-w-0 flex-1">
                    <span className="flex items-baseline justify-between gap-2">
                      <span className="truncate font-medium text-slate-900">{station.identity}</span>
                      <span className="shrink-0 text-xs text-slate-600">
                        {stationStateLabels[station.state]}
                      </span>
                    </span>
                    {details ? (
                      <span className="block truncate text-xs text-slate-500">{details}</span>
                    ) : null}
                    {station.maintenance?.openIncidents ? (
                      <span className="mt-0.5 block truncate text-xs font-medium text-rose-700">
                        {station.maintenance.incidentTitle}
                        {station.maintenance.workOrder ? ` · WO-${station.maintenance.workOrder.number}` : ''}
                      </span>
                    ) : null}
                    {placed ? null : (
                      <span className="mt-0.5 block text-xs text-amber-700">
                        Not placed on a site: no pin
                      </span>
                    )}
                  </span>
                </>
              );
              return (
                <li
                  key={station.id}
                  data-testid="map-list-item"
                  data-identity={station.identity}
                  data-station-id={station.id}
                >
                  {placed ? (
                    <button
                      type="button"
                      onClick={() => focusStation(station)}
                      aria-current={selected ? 'true' : undefined}
                      className={`focus-visible:outline-brand-600 flex w-full items-start gap-3 px-4 py-3 text-left text-sm transition-colors focus-visible:outline-2 focus-visible:-outline-offset-2 ${
                        selected ? 'bg-brand-50' : 'hover:bg-slate-50'
                      }`}
                    >
                      {body}
                    </button>
                  ) : (
                    <div className="flex items-start gap-3 px-4 py-3 text-sm">
                      {body}
                      <Link
                        href={`/stations/${station.id}`}
                        className="text-brand-700 hover:text-brand-900 shrink-0 text-xs font-medium"
                      >
                        Open<span className="sr-only"> {station.identity}</span>
                      </Link>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
