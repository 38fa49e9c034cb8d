/**
 * US NEVI reporting (23 CFR 680): uptime per port over a trailing twelve months (680.116(b)), the
 * quarter a report covers, and the rows of EV-ChART's CSV modules 2 (charging sessions), 3 (uptime)
 * and 4 (outages). Pure: the clock, the ports' first-seen times and the network provider key are
 * parameters.
 *
 * Time is UTC throughout: EV-ChART takes RFC 3339 timestamps, so a month ends at midnight UTC and
 * every timestamp is written with a Z. A site's local month would shift each window by its offset,
 * which EV-ChART has no way to express.
 */
import { coveredMs, msToMinutes, rfc3339 } from './uptime';

/** The minutes of a year as 680.116(b) prints them: the divisor even when the window holds a 29 February. */
export const neviYearMinutes = 525_600;
/** NEVI's minimum average annual uptime per port, in percent. */
export const neviMinimumUptime = 97;

/** Whether an uptime (percent; null: none yet) falls short of NEVI's minimum. */
export function belowNeviMinimum(uptimePercent: number | null): boolean {
  return uptimePercent !== null && uptimePercent < neviMinimumUptime;
}
/** EV-ChART's longest id (station_id, port_id, session_id …). */
export const evChartMaxIdLength = 36;
/** EV-ChART's longest free text (session_error, payment_method, excluded_outage_notes). */
export const evChartMaxTextLength = 255;

const minuteMs = 60_000;
const yearMs = neviYearMinutes * minuteMs;

// ---------------------------------------------------------------------------------------------
// Quarters and windows

/** A calendar quarter in UTC: [from, to). */
export interface Quarter {
  /** E.g. 2026-Q3. */
  label: string;
  year: number;
  index: 1 | 2 | 3 | 4;
  from: Date;
  /** Exclusive: midnight UTC of the first day of the next quarter. */
  to: Date;
}

function quarterFrom(year: number, index: 1 | 2 | 3 | 4): Quarter {
  const firstMonth = (index - 1) * 3;
  return {
    label: `${year}-Q${index}`,
    year,
    index,
    from: new Date(Date.UTC(year, firstMonth, 1)),
    to: new Date(Date.UTC(year, firstMonth + 3, 1)),
  };
}

/** The quarter written like 2026-Q3 (a lowercase q is accepted), or null for anything else. */
export function parseQuarter(value: unknown): Quarter | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-[Qq]([1-4])$/.exec(value.trim());
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000) return null;
  return quarterFrom(year, Number(match[2]) as Quarter['index']);
}

/** The quarter an instant falls in. */
export function quarterOf(instant: Date): Quarter {
  return quarterFrom(
    instant.getUTCFullYear(),
    (Math.floor(instant.getUTCMonth() / 3) + 1) as Quarter['index'],
  );
}

/** The quarter before this one. */
export function previousQuarter(quarter: Quarter): Quarter {
  return quarter.index === 1
    ? quarterFrom(quarter.year - 1, 4)
    : quarterFrom(quarter.year, (quarter.index - 1) as Quarter['index']);
}

/** The quarter a report is due for now: the last one that has ended. */
export function lastCompleteQuarter(now: Date): Quarter {
  return previousQuarter(quarterOf(now));
}

/** The last `count` quarters, newest first; the first is the current one, still incomplete. */
export function recentQuarters(now: Date, count = 8): { quarter: Quarter; complete: boolean }[] {
  const result: { quarter: Quarter; complete: boolean }[] = [];
  let quarter = quarterOf(now);
  for (let i = 0; i < count; i++) {
    result.push({ quarter, complete: quarter.to.getTime() <= now.getTime() });
    quarter = previousQuarter(quarter);
  }
  return result;
}

/** A trailing-twelve-month uptime window ending at the end of one month: [start, end). */
export interface UptimeWindow {
  /** The month it ends with, YYYY-MM. */
  month: string;
  start: Date;
  /** Exclusive: midnight UTC of the first day of the next month. */
  end: Date;
}

/**
 * The three windows of a quarterly Module 3 report (680.112: uptime for each of the quarter's
 * months over the previous twelve months): each ends at the end of one month of the quarter and
 * starts twelve months earlier, so it holds 365 or, across a 29 February, 366 days.
 */
export function uptimeWindows(quarter: Quarter): UptimeWindow[] {
  const firstMonth = (quarter.index - 1) * 3;
  return [0, 1, 2].map((offset) => {
    const month = firstMonth + offset;
    return {
      month: `${quarter.year}-${String(month + 1).padStart(2, '0')}`,
      start: new Date(Date.UTC(quarter.year, month - 11, 1)),
      end: new Date(Date.UTC(quarter.year, month + 1, 1)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Uptime

/** An outage of one port as uptime needs it. */
export interface PortOutageSpan {
  startedAt: Date;
  /** Null while it lasts: it runs up to now. */
  endedAt: Date | null;
  /** Excluded for a cause outside the operator's control (680.116(b)). */
  excluded: boolean;
}

/** One port's NEVI uptime over one window. */
export interface NeviUptime {
  /** T_outage: minutes inside the window the port was out, for any reason (2 decimals). */
  outageMinutes: number;
  /** T_excluded: minutes of those it was out for excluded causes only (2 decimals). */
  excludedMinutes: number;
  /** Percent, 2 decimals, rounded down; null when the port has not been in service the whole window. */
  uptimePercent: number | null;
}

/**
 * A port's uptime over a window by 680.116(b): ((525600 − (T_outage − T_excluded)) / 525600) × 100.
 *
 * Outages are cut at the window's edges and at now (an ongoing one runs up to now; the future
 * part of a window counts as up). Overlapping outages of the port count once. A minute the port
 * was out for an excluded cause and, at the same time, for one that counts is not excluded: the
 * operator cannot show the port would otherwise have worked. So T_outage − T_excluded is the time
 * covered by the outages that count.
 *
 * `firstSeenAt` is when the port came into service; the uptime is left blank (null, as EV-ChART
 * wants for a port operational less than a year) unless it was in service at the window's start.
 * The result is rounded down to 2 decimals, so any outage keeps it below 100.00, and never goes
 * below 0 (a 366-day window can hold more outage minutes than 525,600).
 */
export function neviUptime(
  spans: readonly PortOutageSpan[],
  window: { start: Date; end: Date },
  firstSeenAt: Date | null,
  now: Date,
): NeviUptime {
  const from = window.start.getTime();
  const to = Math.min(window.end.getTime(), now.getTime());
  const clip = (span: PortOutageSpan): [number, number] => [
    Math.max(span.startedAt.getTime(), from),
    Math.min((span.endedAt ?? now).getTime(), to),
  ];
  const outageMs = coveredMs(spans.map(clip));
  const countedMs = coveredMs(spans.filter((s) => !s.excluded).map(clip));
  const inService = firstSeenAt !== null && firstSeenAt.getTime() <= from;
  return {
    outageMinutes: msToMinutes(outageMs),
    excludedMinutes: msToMinutes(outageMs - countedMs),
    // Whole milliseconds keep the products exact (3.2e14 < 2^53), so floor is safe.
    uptimePercent: inService ? Math.max(0, Math.floor(((yearMs - countedMs) * 10_000) / yearMs) / 100) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Exclusion reasons

/**
 * Our reasons for excluding an outage: the values of the outage_exclusion enum
 * (lib/db/schema/maintenance.ts). The service that reads outages assigns the schema's type to
 * this one, so a new value there fails to compile until it is mapped here.
 */
export type ExclusionReason =
  | 'utility_interruption'
  | 'vehicle_fault'
  | 'scheduled_maintenance'
  | 'vandalism'
  | 'natural_disaster'
  | 'outside_hours';

// EV-ChART stores excluded_outage_reason as an integer from 1 to 6; the meaning of each code is
// given in its data input guidance (a PDF), not in its code. The numbers below follow the order in
// which 680.116(b) lists the excluded causes: utility service interruption, failure due to the
// vehicle, scheduled maintenance, vandalism, natural disaster, time outside the hours of
// operation. Every one of our reasons has a counterpart, so no "other" code is needed.
// CHECK this table against the current EV-ChART data input guidance before a submission.
const evChartExclusionCodes: Record<ExclusionReason, number> = {
  utility_interruption: 1,
  vehicle_fault: 2,
  scheduled_maintenance: 3,
  vandalism: 4,
  natural_disaster: 5,
  outside_hours: 6,
};

/** EV-ChART's excluded_outage_reason code (1–6) for one of our exclusion reasons. */
export function evChartExclusionCode(reason: ExclusionReason): number {
  return evChartExclusionCodes[reason];
}

// ---------------------------------------------------------------------------------------------
// CSV modules

/** Header of Module 2, Charging Sessions, in EV-ChART's column order. */
export const sessionsModuleHeader = [
  'station_id',
  'port_id',
  'network_provider',
  'charger_id',
  'session_id',
  'connector_id',
  'session_start',
  'session_end',
  'session_error',
  'error_other',
  'energy_kwh',
  'power_kw',
  'payment_method',
  'payment_other',
] as const;

/** Header of Module 3, Uptime. */
export const uptimeModuleHeader = [
  'station_id',
  'port_id',
  'network_provider',
  'uptime_reporting_start',
  'uptime_reporting_end',
  'uptime',
  'total_outage',
  'total_outage_excl',
] as const;

/** Header of Module 4, Outages. */
export const outagesModuleHeader = [
  'station_id',
  'port_id',
  'network_provider',
  'outage_id',
  'outage_duration',
  'excluded_outage',
  'excluded_outage_reason',
  'excluded_outage_notes',
] as const;

/** A number with 2 decimals (EV-ChART's decimal(n,2) columns). */
export function evChartDecimal(value: number): string {
  return value.toFixed(2);
}

/** A boolean as EV-ChART writes it. */
export function evChartBoolean(value: boolean): 'TRUE' | 'FALSE' {
  return value ? 'TRUE' : 'FALSE';
}

const text = (value: string | null | undefined) => (value ?? '').slice(0, evChartMaxTextLength);

/** The ids that start every row of a port: EV-ChART's station and port. */
export interface ReportPort {
  /** station_id: the charging station's OCPP identity. */
  stationId: string;
  /** port_id: the EVSE number. */
  portId: string;
}

const byPort = (a: ReportPort, b: ReportPort) =>
  a.stationId.localeCompare(b.stationId) || a.portId.localeCompare(b.portId, 'en', { numeric: true });
const portKey = (port: ReportPort) => `${port.stationId}\u0000${port.portId}`;

/**
 * The ids (of the values given) longer than EV-ChART takes, each once, sorted. EV-ChART would
 * refuse their rows; they are reported rather than cut, since a shortened id names nothing.
 */
export function overlongIds(ids: Iterable<string>): string[] {
  return [...new Set([...ids].filter((id) => id.length > evChartMaxIdLength))].sort();
}

/**
 * Rows grouped per port in port order; a port with nothing in the period gets EV-ChART's "no data"
 * row: its ids filled and every other column blank.
 */
function perPort<T extends ReportPort>(
  ports: readonly ReportPort[],
  items: readonly T[],
  width: number,
  networkProvider: string,
  toRows: (items: T[]) => string[][],
): string[][] {
  const grouped = new Map<string, { port: ReportPort; items: T[] }>();
  for (const port of [...ports, ...items].sort(byPort)) {
    const key = portKey(port);
    if (!grouped.has(key))
      grouped.set(key, { port: { stationId: port.stationId, portId: port.portId }, items: [] });
  }
  for (const item of items) grouped.get(portKey(item))?.items.push(item);
  const rows: string[][] = [];
  for (const { port, items: mine } of grouped.values()) {
    const produced = mine.length > 0 ? toRows(mine) : [];
    if (produced.length === 0)
      rows.push([port.stationId, port.portId, networkProvider, ...Array<string>(width - 3).fill('')]);
    else rows.push(...produced);
  }
  return rows;
}

// Module 2 ------------------------------------------------------------------------------------

// OCPP stop reasons that mean the session ended on a failure rather than by the driver, the EV or a
// limit they chose (1.6 Reason and 2.0.1 ReasonEnumType). Local, Remote, EVDisconnected,
// StoppedByEV, the limit reasons and Other are ordinary ends.
const failureStopReasons: ReadonlySet<string> = new Set([
  'DeAuthorized',
  'EmergencyStop',
  'GroundFault',
  'HardReset',
  'ImmediateReset',
  'OvercurrentFault',
  'PowerLoss',
  'PowerQuality',
  'Reboot',
  'SoftReset',
  'Timeout',
]);

/** How a session was paid, as its charge detail record says. */
export interface SessionPayment {
  /** The driver's billing method when the record was made; null when no driver was billed. */
  method: 'account' | 'prepaid' | 'card' | null;
  /** Total in minor units. */
  total: number;
}

/** A charging session as Module 2 needs it. */
export interface SessionRecord extends ReportPort {
  chargerId: string;
  sessionId: string;
  connectorId: number | null;
  /** Null when the start was never received. */
  startedAt: Date | null;
  /** Null while it runs (or if the stop never came). */
  endedAt: Date | null;
  energyWh: number | null;
  /** Highest Power.Active.Import sample, in W; null without power samples. */
  peakPowerW: number | null;
  /** OCPP stop reason as the charger sent it. */
  stopReason: string | null;
  /** The token was refused and the charger charged anyway (flag token-refused). */
  tokenRefused: boolean;
  /** Null when no charge detail record exists for it. */
  payment: SessionPayment | null;
}

/**
 * The session_error of a session: empty for a successful one, otherwise its failure codes joined
 * by semicolons: the OCPP stop reason when it names a failure, TokenRefused, and
 * BelowMinimumEnergy for a finished session that delivered less than `minSessionWh` (the same
 * threshold that counts failed starts for incidents).
 */
export function sessionError(session: SessionRecord, minSessionWh: number): string {
  const codes: string[] = [];
  if (session.stopReason && failureStopReasons.has(session.stopReason)) codes.push(session.stopReason);
  if (session.tokenRefused) codes.push('TokenRefused');
  if (session.endedAt && (session.energyWh === null || session.energyWh < minSessionWh))
    codes.push('BelowMinimumEnergy');
  return text(codes.join(';'));
}

/**
 * payment_method in our own short words: free (nothing to pay), card (a saved card charged through
 * the payment provider; whether credit or debit is not known), account (invoiced), prepaid
 * (taken from a prepaid balance); blank when there is no record or nobody was billed.
 */
export function paymentMethodOf(payment: SessionPayment | null): string {
  if (!payment) return '';
  if (payment.total === 0) return 'free';
  return payment.method ?? '';
}

/** kWh (from Wh) or kW (from W) with 2 decimals; blank when unknown or negative (a meter reset). */
const kilo = (value: number | null) => (value === null || value < 0 ? '' : evChartDecimal(value / 1000));

/**
 * Module 2 (Charging Sessions), header first: one row per session, by station, port and start, and
 * the "no data" row for a port without sessions. power_kw is the highest power sample; blank when
 * the charger sent none.
 */
export function sessionsModuleRows(
  ports: readonly ReportPort[],
  sessions: readonly SessionRecord[],
  networkProvider: string,
  minSessionWh: number,
): string[][] {
  const rows = perPort(ports, sessions, sessionsModuleHeader.length, networkProvider, (mine) =>
    [...mine]
      .sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0))
      .map((s) => [
        s.stationId,
        s.portId,
        networkProvider,
        s.chargerId,
        s.sessionId,
        s.connectorId === null ? '' : String(s.connectorId),
        s.startedAt ? rfc3339(s.startedAt) : '',
        s.endedAt ? rfc3339(s.endedAt) : '',
        sessionError(s, minSessionWh),
        '',
        kilo(s.energyWh),
        kilo(s.peakPowerW),
        paymentMethodOf(s.payment),
        '',
      ]),
  );
  return [[...sessionsModuleHeader], ...rows];
}

// Module 3 ------------------------------------------------------------------------------------

/** One port's uptime over the quarter's windows, in window order. */
export interface PortUptimeRecord extends ReportPort {
  windows: { window: UptimeWindow; uptime: NeviUptime }[];
}

/**
 * Module 3 (Uptime), header first: a row per port and window. uptime_reporting_end is the last
 * second of the window (RFC 3339 has no end-exclusive form); uptime is blank for a port in service
 * less than the whole window.
 */
export function uptimeModuleRows(ports: readonly PortUptimeRecord[], networkProvider: string): string[][] {
  const rows = perPort([], ports, uptimeModuleHeader.length, networkProvider, (mine) =>
    mine.flatMap((port) =>
      port.windows.map(({ window, uptime }) => [
        port.stationId,
        port.portId,
        networkProvider,
        rfc3339(window.start),
        rfc3339(new Date(window.end.getTime() - 1000)),
        uptime.uptimePercent === null ? '' : evChartDecimal(uptime.uptimePercent),
        evChartDecimal(uptime.outageMinutes),
        evChartDecimal(uptime.excludedMinutes),
      ]),
    ),
  );
  return [[...uptimeModuleHeader], ...rows];
}

// Module 4 ------------------------------------------------------------------------------------

/** An outage of one port as Module 4 needs it. */
export interface OutageReportRecord extends ReportPort {
  startedAt: Date;
  endedAt: Date | null;
  excludedReason: ExclusionReason | null;
  excludedNotes: string | null;
}

/**
 * Module 4 (Outages), header first: one row per outage overlapping the quarter, by station, port
 * and start, and the "no data" row for a port without one. outage_id is the outage's start
 * (RFC 3339, to the second; it may lie before the quarter); outage_duration counts the minutes
 * inside the quarter and up to now, at least 0.01 (EV-ChART's minimum). Outages of one port that
 * start in the same second share an id, so they become one row: the longer duration, excluded only
 * if all of them are.
 */
export function outagesModuleRows(
  ports: readonly ReportPort[],
  outages: readonly OutageReportRecord[],
  quarter: { from: Date; to: Date },
  now: Date,
  networkProvider: string,
): string[][] {
  const to = Math.min(quarter.to.getTime(), now.getTime());
  interface Row extends ReportPort {
    id: string;
    start: number;
    ms: number;
    excludedReason: ExclusionReason | null;
    excludedNotes: string | null;
  }
  const merged = new Map<string, Row>();
  for (const outage of outages) {
    const start = Math.max(outage.startedAt.getTime(), quarter.from.getTime());
    const ms = Math.min((outage.endedAt ?? now).getTime(), to) - start;
    if (ms <= 0) continue;
    const id = rfc3339(outage.startedAt);
    const key = `${portKey(outage)}\u0000${id}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...outage, id, start: outage.startedAt.getTime(), ms });
      continue;
    }
    seen.ms = Math.max(seen.ms, ms);
    if (!outage.excludedReason) {
      seen.excludedReason = null;
      seen.excludedNotes = null;
    }
  }
  const rows = perPort(ports, [...merged.values()], outagesModuleHeader.length, networkProvider, (mine) =>
    [...mine]
      .sort((a, b) => a.start - b.start)
      .map((o) => [
        o.stationId,
        o.portId,
        networkProvider,
        o.id,
        evChartDecimal(Math.max(0.01, msToMinutes(o.ms))),
        evChartBoolean(o.excludedReason !== null),
        o.excludedReason ? String(evChartExclusionCode(o.excludedReason)) : '',
        o.excludedReason ? text(o.excludedNotes) : '',
      ]),
  );
  return [[...outagesModuleHeader], ...rows];
}
