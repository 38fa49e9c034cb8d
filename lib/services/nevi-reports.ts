import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import {
  chargeDetailRecords,
  chargingStations,
  outages,
  transactions,
  type OutageExclusion,
} from '@/lib/db/schema';
import {
  lastCompleteQuarter,
  neviUptime,
  outagesModuleRows,
  overlongIds,
  parseQuarter,
  sessionsModuleRows,
  uptimeModuleRows,
  uptimeWindows,
  type ExclusionReason,
  type NeviUptime,
  type OutageReportRecord,
  type PortUptimeRecord,
  type Quarter,
  type ReportPort,
  type SessionRecord,
  type UptimeWindow,
} from '@/lib/domain/maintenance/nevi';
import { isTokenRefusedFlag } from '@/lib/domain/sessions/flags';
import { AppError, invalid } from '@/lib/errors';
import { assertCan } from './authorize';
import { loadMaintenancePolicy } from './maintenance-settings';
import { listPorts } from './outages';
import { stationSiteScope } from './scope';
import { peakPowerSql } from './sessions';
import type { SessionUser } from './users';

/**
 * US NEVI quarterly reporting (23 CFR 680.112 and 680.116(b)): uptime per port over the three
 * trailing-twelve-month windows of a quarter, and EV-ChART's CSV modules 2 (sessions), 3 (uptime)
 * and 4 (outages) for the ports the user may see.
 */

/** The EV-ChART modules ChargeOps exports, by the name used in URLs. */
export const evChartModules = {
  sessions: { number: 2, title: 'Charging Sessions' },
  uptime: { number: 3, title: 'Uptime' },
  outages: { number: 4, title: 'Outages' },
} as const;
export type EvChartModule = keyof typeof evChartModules;

export function isEvChartModule(value: string): value is EvChartModule {
  return Object.hasOwn(evChartModules, value);
}

/**
 * The quarter asked for (?quarter=2026-Q3): the last complete quarter when nothing is asked; a
 * malformed one, or one that has not begun, is a validation error.
 */
export function resolveQuarter(asked: unknown, now: Date): Quarter {
  if (asked === undefined || asked === null || asked === '') return lastCompleteQuarter(now);
  const quarter = parseQuarter(asked);
  if (!quarter) throw invalid('Ask for a quarter like 2026-Q3');
  if (quarter.from.getTime() > now.getTime()) throw invalid(`${quarter.label} has not begun yet`);
  return quarter;
}

// Compile-time check that every reason the database can hold is one the EV-ChART mapping knows.
const exclusionOf = (reason: OutageExclusion | null): ExclusionReason | null => reason;

/** One port's uptime for each window of the quarter. */
export interface NeviPortUptime {
  stationId: string;
  stationIdentity: string;
  siteName: string | null;
  evseId: number;
  /** When ChargeOps first saw the port; null for a port known only from its outages. */
  firstSeenAt: Date | null;
  windows: { window: UptimeWindow; uptime: NeviUptime }[];
}

export interface NeviUptimeReport {
  quarter: Quarter;
  /** False while the quarter runs: its windows count outages up to now only. */
  complete: boolean;
  windows: UptimeWindow[];
  /** Every port the user may see, outage or not, by station identity and EVSE. */
  ports: NeviPortUptime[];
  /** Station and port ids longer than EV-ChART's 36 characters. */
  overlongIds: string[];
}

interface PortInfo {
  stationId: string;
  stationIdentity: string;
  siteName: string | null;
  evseId: number;
  firstSeenAt: Date | null;
}

const keyOf = (stationId: string, evseId: number) => `${stationId}\u0000${evseId}`;
const reportPort = (port: { stationIdentity: string; evseId: number }): ReportPort => ({
  stationId: port.stationIdentity,
  portId: String(port.evseId),
});

/** The outages of the user's ports overlapping [from, to), with their station's identity. */
function loadOutages(db: Db, actor: SessionUser, from: Date, to: Date) {
  return db
    .select({
      stationId: outages.stationId,
      stationIdentity: chargingStations.identity,
      evseId: outages.evseId,
      startedAt: outages.startedAt,
      endedAt: outages.endedAt,
      excludedReason: outages.excludedReason,
      excludedNotes: outages.excludedNotes,
    })
    .from(outages)
    .innerJoin(chargingStations, eq(chargingStations.id, outages.stationId))
    .where(
      and(
        eq(outages.organisationId, actor.organisationId),
        stationSiteScope(actor),
        lt(outages.startedAt, to),
        or(isNull(outages.endedAt), gt(outages.endedAt, from)),
      ),
    )
    .orderBy(asc(outages.startedAt));
}

/** The ports the report covers: those in service before the quarter ended, and any that had an outage. */
async function portsOf(
  db: Db,
  actor: SessionUser,
  quarter: Quarter,
  outageRows: readonly { stationId: string; stationIdentity: string; evseId: number }[],
): Promise<PortInfo[]> {
  const ports = new Map<string, PortInfo>();
  for (const port of await listPorts(db, actor, quarter.to))
    ports.set(keyOf(port.stationId, port.evseId), port);
  for (const outage of outageRows) {
    const key = keyOf(outage.stationId, outage.evseId);
    if (!ports.has(key))
      ports.set(key, {
        stationId: outage.stationId,
        stationIdentity: outage.stationIdentity,
        siteName: null,
        evseId: outage.evseId,
        firstSeenAt: null,
      });
  }
  return [...ports.values()].sort(
    (a, b) => a.stationIdentity.localeCompare(b.stationIdentity) || a.evseId - b.evseId,
  );
}

/**
 * Uptime per port for the quarter's three windows (680.116(b)): every port the user may see, those
 * without an outage included.
 */
export async function getNeviUptimeReport(
  db: Db,
  actor: SessionUser,
  quarter: Quarter,
  now: Date,
): Promise<NeviUptimeReport> {
  assertCan(actor, 'maintenance:view');
  const windows = uptimeWindows(quarter);
  const outageRows = await loadOutages(db, actor, windows[0]!.start, quarter.to);
  const ports = await portsOf(db, actor, quarter, outageRows);
  const spansOf = new Map<string, { startedAt: Date; endedAt: Date | null; excluded: boolean }[]>();
  for (const o of outageRows) {
    const key = keyOf(o.stationId, o.evseId);
    const spans = spansOf.get(key) ?? [];
    spans.push({ startedAt: o.startedAt, endedAt: o.endedAt, excluded: o.excludedReason !== null });
    spansOf.set(key, spans);
  }
  return {
    quarter,
    complete: quarter.to.getTime() <= now.getTime(),
    windows,
    ports: ports.map((port) => ({
      ...port,
      windows: windows.map((window) => ({
        window,
        uptime: neviUptime(
          spansOf.get(keyOf(port.stationId, port.evseId)) ?? [],
          window,
          port.firstSeenAt,
          now,
        ),
      })),
    })),
    overlongIds: overlongIds(ports.flatMap((p) => [p.stationIdentity, String(p.evseId)])),
  };
}

/** The sessions of the user's stations that began in the quarter, as Module 2 needs them. */
async function loadSessions(db: Db, actor: SessionUser, quarter: Quarter): Promise<SessionRecord[]> {
  // A stop whose start never arrived has no start time: it belongs to the quarter of its stop.
  const began = sql`coalesce(${transactions.startedAt}, ${transactions.stoppedAt}, ${transactions.createdAt})`;
  const rows = await db
    .select({
      id: transactions.id,
      stationIdentity: chargingStations.identity,
      evseId: transactions.evseId,
      connectorId: transactions.connectorId,
      startedAt: transactions.startedAt,
      stoppedAt: transactions.stoppedAt,
      status: transactions.status,
      energyWh: transactions.energyWh,
      stopReason: transactions.stopReason,
      flags: transactions.flags,
      // The session page's peak power.
      peakPowerW: peakPowerSql(transactions.id),
      cdrTotal: chargeDetailRecords.total,
      cdrMethod: chargeDetailRecords.paymentMethod,
    })
    .from(transactions)
    .innerJoin(chargingStations, eq(chargingStations.id, transactions.stationId))
    .leftJoin(chargeDetailRecords, eq(chargeDetailRecords.transactionId, transactions.id))
    .where(
      and(
        eq(transactions.organisationId, actor.organisationId),
        stationSiteScope(actor),
        // ISO text with a cast: postgres.js cannot bind a Date to a parameter of a bare expression.
        sql`${began} >= ${quarter.from.toISOString()}::timestamptz`,
        sql`${began} < ${quarter.to.toISOString()}::timestamptz`,
      ),
    );
  return rows.map((r) => ({
    ...reportPort(r),
    chargerId: r.stationIdentity,
    sessionId: r.id,
    connectorId: r.connectorId,
    startedAt: r.startedAt,
    endedAt: r.status === 'completed' ? (r.stoppedAt ?? null) : null,
    energyWh: r.energyWh,
    peakPowerW: r.peakPowerW === null ? null : Number(r.peakPowerW),
    stopReason: r.stopReason,
    tokenRefused: r.flags.some(isTokenRefusedFlag),
    payment: r.cdrTotal === null ? null : { method: r.cdrMethod, total: r.cdrTotal },
  }));
}

/**
 * One EV-ChART module of a quarter as CSV rows (header first) for the ports the user may see, and
 * the file name to save it under. Refused while the network provider key is not configured:
 * EV-ChART needs it in every row, and a file without it would only come back rejected.
 */
export async function evChartModuleRows(
  db: Db,
  actor: SessionUser,
  module: EvChartModule,
  quarter: Quarter,
  networkProvider: string | undefined,
  now: Date,
): Promise<{ fileName: string; rows: string[][] }> {
  assertCan(actor, 'maintenance:view');
  if (!networkProvider)
    throw new AppError(
      'precondition_failed',
      'The EV-ChART network provider is not configured: set NEVI_NETWORK_PROVIDER to your network’s key from EV-ChART’s provider list and restart ChargeOps.',
    );
  const fileName = `ev-chart-module${evChartModules[module].number}-${module}-${quarter.label}.csv`;
  if (module === 'uptime') {
    const report = await getNeviUptimeReport(db, actor, quarter, now);
    const records: PortUptimeRecord[] = report.ports.map((port) => ({
      ...reportPort(port),
      windows: port.windows,
    }));
    return { fileName, rows: uptimeModuleRows(records, networkProvider) };
  }
  const outageRows = await loadOutages(db, actor, quarter.from, quarter.to);
  const ports = (await portsOf(db, actor, quarter, outageRows)).map(reportPort);
  if (module === 'outages') {
    const records: OutageReportRecord[] = outageRows.map((o) => ({
      ...reportPort(o),
      startedAt: o.startedAt,
      endedAt: o.endedAt,
      excludedReason: exclusionOf(o.excludedReason),
      excludedNotes: o.excludedNotes,
    }));
    return { fileName, rows: outagesModuleRows(ports, records, quarter, now, networkProvider) };
  }
  const { rules } = await loadMaintenancePolicy(db, actor.organisationId);
  const sessions = await loadSessions(db, actor, quarter);
  return { fileName, rows: sessionsModuleRows(ports, sessions, networkProvider, rules.minSessionWh) };
}
