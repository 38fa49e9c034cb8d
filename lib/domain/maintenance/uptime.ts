/**
 * Outage reporting: the period a report covers, uptime per port over it and the CSV rows of the
 * outages. Pure: the clock is a parameter.
 */

const dayMs = 86_400_000;
/** Longest period a report covers: a year (NEVI reports uptime over 365 days), plus a leap day. */
export const maxPeriodDays = 366;
/** The default period: the last 30 days, today included. */
export const defaultPeriodDays = 30;

/** A period of whole UTC days: [from, to), and the first and last day as YYYY-MM-DD. */
export interface ReportingPeriod {
  from: Date;
  /** Exclusive: midnight UTC after the last day. */
  to: Date;
  fromDay: string;
  toDay: string;
}

/** The YYYY-MM-DD of a date in UTC. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC of a YYYY-MM-DD day (as a date field sends it), or null for anything else. */
export function parseDay(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  // 2026-02-30 parses as 2 March: refuse it rather than report on another day than asked.
  return Number.isNaN(date.getTime()) || dayOf(date) !== value ? null : date;
}

const addDays = (date: Date, days: number) => new Date(date.getTime() + days * dayMs);

/** Midnight UTC of the day of `now`. */
const startOfDay = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

function periodOf(first: Date, last: Date): ReportingPeriod {
  return { from: first, to: addDays(last, 1), fromDay: dayOf(first), toDay: dayOf(last) };
}

/**
 * The period a report asks for with `from` and `to` (YYYY-MM-DD, UTC days, both included). A
 * missing end is today, a missing start 30 days before the end; a bad date counts as missing;
 * reversed dates are swapped, and a period longer than maxPeriodDays keeps its last day.
 * `adjusted` says the period shown is not what was asked.
 */
export function reportingPeriod(
  asked: { from?: unknown; to?: unknown },
  now: Date,
): ReportingPeriod & { adjusted: boolean } {
  const today = startOfDay(now);
  const wanted = (value: unknown) => value !== undefined && value !== null && value !== '';
  let from = parseDay(asked.from);
  let to = parseDay(asked.to);
  let adjusted = (wanted(asked.from) && !from) || (wanted(asked.to) && !to);
  to ??= from && from > today ? from : today;
  from ??= addDays(to, -(defaultPeriodDays - 1));
  if (from > to) {
    [from, to] = [to, from];
    adjusted = true;
  }
  if ((to.getTime() - from.getTime()) / dayMs + 1 > maxPeriodDays) {
    from = addDays(to, -(maxPeriodDays - 1));
    adjusted = true;
  }
  return { ...periodOf(from, to), adjusted };
}

/** The periods offered as shortcuts: the last 30 days, this month, last month, the last 90 days. */
export function quickPeriods(now: Date): { label: string; period: ReportingPeriod }[] {
  const today = startOfDay(now);
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth();
  const firstOfMonth = new Date(Date.UTC(year, month, 1));
  return [
    { label: 'Last 30 days', period: periodOf(addDays(today, -(defaultPeriodDays - 1)), today) },
    { label: 'This month', period: periodOf(firstOfMonth, today) },
    {
      label: 'Last month',
      period: periodOf(new Date(Date.UTC(year, month - 1, 1)), addDays(firstOfMonth, -1)),
    },
    { label: 'Last 90 days', period: periodOf(addDays(today, -89), today) },
  ];
}

/**
 * Minutes of the period up to now: a period that ends in the future counts only its past, so an
 * outage-free port is not credited with time that has not happened yet.
 */
export function elapsedMs(period: { from: Date; to: Date }, now: Date): number {
  const end = Math.min(period.to.getTime(), now.getTime());
  return Math.max(0, end - period.from.getTime());
}

/**
 * Uptime in percent with 2 decimals: (period - outage) / period. Rounded down, so a port that was
 * out for a minute never shows 100.00 %; null for an empty period.
 */
export function uptimePercent(periodMs: number, outageMs: number): number | null {
  if (periodMs <= 0) return null;
  const upMs = Math.min(periodMs, Math.max(0, periodMs - outageMs));
  // Whole numbers of milliseconds keep the division exact enough for floor to be safe.
  return Math.floor((upMs * 10_000) / periodMs) / 100;
}

/** Milliseconds to minutes with 2 decimals, as outage minutes are reported. */
export function msToMinutes(ms: number): number {
  return Math.round(ms / 600) / 100;
}

/** An outage as the uptime summary needs it. */
export interface OutageSpan {
  stationId: string;
  evseId: number;
  startedAt: Date;
  /** Null while it lasts. */
  endedAt: Date | null;
  /** Excluded from uptime (a utility interruption, vandalism … NEVI 23 CFR 680.116(b)). */
  excluded: boolean;
}

export interface PortUptime {
  stationId: string;
  evseId: number;
  /** Outages overlapping the period, excluded ones included. */
  outages: number;
  excludedOutages: number;
  /** Minutes inside the period the port was out, excluded outages left out and overlaps counted once. */
  outageMinutes: number;
  /** Null when the period has not started yet. */
  uptimePercent: number | null;
}

/** Milliseconds covered by a set of intervals, overlaps counted once. */
export function coveredMs(intervals: [number, number][]): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let runStart = 0;
  let runEnd = -Infinity;
  for (const [start, stop] of sorted) {
    if (start > runEnd) {
      if (runEnd > runStart) total += runEnd - runStart;
      runStart = start;
      runEnd = stop;
    } else if (stop > runEnd) {
      runEnd = stop;
    }
  }
  if (runEnd > runStart) total += runEnd - runStart;
  return total;
}

/**
 * Uptime per port over a period: every port in `ports` (those without an outage at 100 %) and every
 * port that had an outage. Outages are cut at the period's edges and at now; overlapping outages of
 * one port (the station went offline while a connector was faulted) count once. Sorted by station
 * id, then port.
 */
export function summarisePortUptime(
  spans: readonly OutageSpan[],
  period: { from: Date; to: Date },
  now: Date,
  allPorts: readonly { stationId: string; evseId: number }[] = [],
): PortUptime[] {
  const periodMs = elapsedMs(period, now);
  const end = Math.min(period.to.getTime(), now.getTime());
  const ports = new Map<string, { stationId: string; evseId: number; spans: OutageSpan[] }>();
  for (const port of allPorts)
    ports.set(`${port.stationId}\u0000${port.evseId}`, {
      stationId: port.stationId,
      evseId: port.evseId,
      spans: [],
    });
  for (const span of spans) {
    const key = `${span.stationId}\u0000${span.evseId}`;
    const port = ports.get(key) ?? { stationId: span.stationId, evseId: span.evseId, spans: [] };
    port.spans.push(span);
    ports.set(key, port);
  }
  const result: PortUptime[] = [];
  for (const port of ports.values()) {
    const outageMs = coveredMs(
      port.spans
        .filter((s) => !s.excluded)
        .map((s): [number, number] => [
          Math.max(s.startedAt.getTime(), period.from.getTime()),
          Math.min((s.endedAt ?? now).getTime(), end),
        ]),
    );
    result.push({
      stationId: port.stationId,
      evseId: port.evseId,
      outages: port.spans.length,
      excludedOutages: port.spans.filter((s) => s.excluded).length,
      outageMinutes: msToMinutes(outageMs),
      uptimePercent: uptimePercent(periodMs, outageMs),
    });
  }
  return result.sort((a, b) =>
    a.stationId === b.stationId ? a.evseId - b.evseId : a.stationId < b.stationId ? -1 : 1,
  );
}

/** An instant as RFC 3339 in UTC to the second, e.g. 2026-03-01T14:05:09Z. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export const outageCsvHeader = [
  'station_id',
  'port_id',
  'outage_id',
  'outage_start',
  'outage_end',
  'outage_duration_minutes',
  'excluded',
  'work_order',
] as const;

/** An outage as the CSV report needs it. */
export interface OutageRecord {
  stationIdentity: string;
  evseId: number;
  startedAt: Date;
  endedAt: Date | null;
  /** Minutes inside the reported period. */
  minutes: number;
  excludedReason: string | null;
  workOrderNumber: number | null;
}

/**
 * The rows of the outages CSV (header first), by station, port and start. station_id is the
 * station's OCPP identity and port_id its EVSE number; outage_id is the start instant, which is
 * unique per port; outage_end is empty while the outage lasts; the duration counts the minutes
 * inside the period, 2 decimals.
 */
export function outageCsvRows(outages: readonly OutageRecord[]): string[][] {
  const sorted = [...outages].sort(
    (a, b) =>
      a.stationIdentity.localeCompare(b.stationIdentity) ||
      a.evseId - b.evseId ||
      a.startedAt.getTime() - b.startedAt.getTime(),
  );
  return [
    [...outageCsvHeader],
    ...sorted.map((o) => [
      o.stationIdentity,
      String(o.evseId),
      rfc3339(o.startedAt),
      rfc3339(o.startedAt),
      o.endedAt ? rfc3339(o.endedAt) : '',
      o.minutes.toFixed(2),
      o.excludedReason ? 'true' : 'false',
      o.workOrderNumber === null ? '' : `WO-${o.workOrderNumber}`,
    ]),
  ];
}
