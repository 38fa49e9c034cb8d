import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { executeRows } from '@/lib/db/rows';
import {
  chargingStations,
  evses,
  incidentEvents,
  incidents,
  maintenanceSettings,
  outages,
  sites,
  transactions,
  workOrders,
  type Incident,
  type IncidentEvent,
} from '@/lib/db/schema';
import {
  classifyStatus,
  countsAsOutage,
  defaultIncidentRules,
  failedStartStreak,
  incidentTitle,
  isFirmwareFailure,
  isFailedStart,
  opensSecurityIncident,
  remediable,
  type DeviceProblem,
  type IncidentKind,
} from '@/lib/domain/maintenance/incidents';
import type { WorkOrderStatus } from '@/lib/domain/maintenance/work-orders';
import { notFound } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import { publish, subscribe } from '@/lib/realtime/bus';
import type { DomainEvent } from '@/lib/realtime/events';
import { isUuid } from '@/lib/validation/ids';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { stationSiteScope } from './scope';
import { loadMaintenancePolicy } from './maintenance-settings';
import type { SessionUser } from './users';
import { actorOf } from './users';
import { createOrderForIncident, noteIncidentCleared, verifyAfterReport } from './work-orders';

/**
 * Incidents: problems ChargeOps sees in what chargers report (a faulted connector, a station gone
 * quiet, sessions that never deliver, a rejected boot, a failed firmware update, a security event),
 * one open incident per problem, each with its timeline of evidence. An incident that makes ports
 * unusable records an outage per port, which ends when the incident clears. Opening one starts the
 * organisation's remote remediation or creates a work order; clearing one is noticed by the OCPP
 * handlers below, so nobody has to close what the charger itself says is fixed.
 */

/** The station an incident concerns, as the OCPP handlers know it. */
export interface StationRef {
  stationId: string;
  organisationId: string;
  siteId: string | null;
}

export interface IncidentTrigger {
  kind: IncidentKind;
  evseId: number;
  errorCode?: string | null;
  vendorErrorCode?: string | null;
  info?: string | null;
  /** When the problem began. */
  startedAt: Date;
  /** What the charger said, for the timeline. */
  evidence: { summary: string; details?: unknown };
  count?: number;
}

const incidentEvent = (
  station: StationRef,
  incident: Pick<Incident, 'id' | 'state'>,
): Extract<DomainEvent, { type: 'incident:updated' }> => ({
  type: 'incident:updated',
  organisationId: station.organisationId,
  siteId: station.siteId,
  stationId: station.stationId,
  incidentId: incident.id,
  state: incident.state,
});

/** Publishes events after the change committed. */
function publishAll(events: DomainEvent[]): void {
  for (const event of events) publish(event);
}

/**
 * Opens an incident for a problem, or adds the report as evidence to the one already open for it.
 * A new incident records an outage per affected port (when the kind makes ports unusable), then
 * either starts remote remediation or creates a work order, as the organisation's policy says.
 */
export async function openIncident(
  db: Db,
  station: StationRef,
  trigger: IncidentTrigger,
  now: Date,
): Promise<{ incident: Incident; created: boolean }> {
  const events: DomainEvent[] = [];
  const result = await db.transaction(async (tx) => {
    const policy = await loadMaintenancePolicy(tx, station.organisationId);
    const remediate =
      policy.remediationEnabled && remediable(trigger.kind) && policy.remediationPlan.length > 0;
    const [created] = await tx
      .insert(incidents)
      .values({
        organisationId: station.organisationId,
        stationId: station.stationId,
        evseId: trigger.evseId,
        kind: trigger.kind,
        title: incidentTitle(trigger.kind, {
          evseId: trigger.evseId,
          errorCode: trigger.errorCode,
          detail: trigger.info,
          count: trigger.count,
        }),
        errorCode: trigger.errorCode ?? null,
        vendorErrorCode: trigger.vendorErrorCode ?? null,
        info: trigger.info ?? null,
        startedAt: trigger.startedAt,
        detectedAt: now,
        remediationState: remediate ? 'running' : 'none',
        remediationPlan: remediate ? policy.remediationPlan : [],
        remediationDueAt: remediate ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({
        target: [incidents.stationId, incidents.evseId, incidents.kind],
        where: sql`state = 'open'`,
      })
      .returning();
    if (!created) {
      const [open] = await tx
        .select()
        .from(incidents)
        .where(
          and(
            eq(incidents.stationId, station.stationId),
            eq(incidents.evseId, trigger.evseId),
            eq(incidents.kind, trigger.kind),
            eq(incidents.state, 'open'),
          ),
        );
      if (!open) throw new Error('incident conflict without an open incident');
      await addIncidentEvent(
        tx,
        open.id,
        now,
        'evidence',
        trigger.evidence.summary,
        trigger.evidence.details,
      );
      // A 2.0.1 fault opens from a status report without a code; a later NotifyEvent names it.
      const named =
        open.errorCode === null && trigger.errorCode
          ? {
              errorCode: trigger.errorCode,
              info: open.info ?? trigger.info ?? null,
              title: incidentTitle(open.kind, {
                evseId: open.evseId,
                errorCode: trigger.errorCode,
                detail: open.info ?? trigger.info,
                count: trigger.count,
              }),
            }
          : {};
      const [updated] = await tx
        .update(incidents)
        .set({ updatedAt: now, ...named })
        .where(eq(incidents.id, open.id))
        .returning();
      events.push(incidentEvent(station, open));
      return { incident: updated ?? open, created: false };
    }
    await addIncidentEvent(
      tx,
      created.id,
      now,
      'detected',
      trigger.evidence.summary,
      trigger.evidence.details,
    );
    if (countsAsOutage(trigger.kind)) await startOutages(tx, created);
    if (remediate) {
      await addIncidentEvent(
        tx,
        created.id,
        now,
        'remediation',
        `Automatic remediation started: ${policy.remediationPlan.length} steps`,
      );
    } else if (policy.autoWorkOrder) {
      events.push(...(await createOrderForIncident(tx, created, policy, now)));
    }
    events.push({ ...incidentEvent(station, created), opened: true });
    return { incident: created, created: true };
  });
  publishAll(events);
  return result;
}

/** Records an outage for each port the incident takes out of service (all of them for evse 0). */
async function startOutages(tx: DbOrTx, incident: Incident): Promise<void> {
  const ports =
    incident.evseId > 0
      ? [incident.evseId]
      : (
          await tx.select({ evseId: evses.evseId }).from(evses).where(eq(evses.stationId, incident.stationId))
        ).map((row) => row.evseId);
  if (ports.length === 0) return;
  const maintenance = await preventiveWorkAt(tx, incident.stationId);
  const inserted = await tx
    .insert(outages)
    .values(
      ports.map((evseId) => ({
        organisationId: incident.organisationId,
        stationId: incident.stationId,
        evseId,
        incidentId: incident.id,
        startedAt: incident.startedAt,
        ...(maintenance && {
          excludedReason: 'scheduled_maintenance' as const,
          excludedNotes: `Preventive work order WO-${maintenance.number} was in progress at the station`,
        }),
      })),
    )
    .onConflictDoNothing()
    .returning({ id: outages.id });
  if (maintenance && inserted.length > 0) {
    await addIncidentEvent(
      tx,
      incident.id,
      incident.detectedAt,
      'evidence',
      `Excluded from uptime as scheduled maintenance: preventive work order WO-${maintenance.number} was in progress`,
    );
    for (const { id } of inserted)
      await recordAudit(
        tx,
        { kind: 'system', label: 'Maintenance', organisationId: incident.organisationId },
        {
          action: 'outage.exclude',
          targetType: 'outage',
          targetId: id,
          details: { to: { reason: 'scheduled_maintenance' }, workOrderNumber: maintenance.number },
        },
      );
  }
}

/**
 * A preventive work order a technician is carrying out at the station (on site or in progress): a
 * port going down meanwhile is the scheduled maintenance NEVI excludes from uptime (680.116(b)), not
 * a failure. A manager can count such an outage again on the Outages page.
 */
async function preventiveWorkAt(tx: DbOrTx, stationId: string): Promise<{ number: number } | null> {
  const [order] = await tx
    .select({ number: workOrders.number })
    .from(workOrders)
    .where(
      and(
        eq(workOrders.stationId, stationId),
        eq(workOrders.kind, 'preventive'),
        inArray(workOrders.status, ['on_site', 'in_progress']),
      ),
    )
    .limit(1);
  return order ?? null;
}

export async function addIncidentEvent(
  tx: DbOrTx,
  incidentId: string,
  at: Date,
  kind: string,
  summary: string,
  details?: unknown,
): Promise<void> {
  await tx.insert(incidentEvents).values({
    incidentId,
    at,
    kind,
    summary: summary.slice(0, 500),
    details: details === undefined ? null : (details as object),
  });
}

export interface ClearedRow {
  /** incident: cleared; order: a resolved work order; open: another fault of the station still open. */
  what: 'incident' | 'order' | 'open';
  id: string;
}

/** What a clearing found: the incidents it cleared and the station's resolved work orders. */
export interface Cleared {
  cleared: string[];
  resolvedOrders: string[];
}

export const clearedOf = (rows: ClearedRow[]): Cleared => ({
  cleared: rows.filter((r) => r.what === 'incident').map((r) => r.id),
  resolvedOrders: rows.filter((r) => r.what === 'order').map((r) => r.id),
});

/**
 * The SQL that clears the open incidents of the given kinds on a station's EVSEs (all EVSEs when
 * evseIds is null), ends their outages and writes their timelines: data-modifying CTEs (`ctes`,
 * to follow other CTEs after a comma) and the final `select` of ClearedRow, which also lists the
 * station's resolved work orders (the same report may verify them). A caller with a statement of its
 * own (a status report) runs them in it, so a healthy report, the most common message there is and
 * one that nearly always clears nothing, stays one round trip.
 */
export function clearingSql(
  station: StationRef,
  match: { evseIds: number[] | null; kinds: IncidentKind[] },
  resolution: string,
  at: Date,
): { ctes: SQL; select: SQL } {
  const evseCondition: SQL = match.evseIds
    ? sql`and evse_id in (${sql.join(
        match.evseIds.map((id) => sql`${id}::int`),
        sql`, `,
      )})`
    : sql``;
  const kinds = sql.join(
    match.kinds.map((kind) => sql`${kind}`),
    sql`, `,
  );
  const when = at.toISOString();
  return {
    ctes: sql`
      cleared as (
        update ${incidents}
        set state = 'resolved', resolved_at = ${when}::timestamptz, resolution = ${resolution},
          updated_at = ${when}::timestamptz,
          remediation_state = case when remediation_state = 'running' then 'recovered'::remediation_state
            else remediation_state end,
          remediation_due_at = null
        where station_id = ${station.stationId} and state = 'open' and kind::text in (${kinds}) ${evseCondition}
        returning id
      ),
      ended as (
        update ${outages} set ended_at = ${when}::timestamptz
        where incident_id in (select id from cleared) and ended_at is null
      ),
      logged as (
        insert into ${incidentEvents} (incident_id, at, kind, summary)
        select id, ${when}::timestamptz, 'resolved', ${resolution} from cleared
      )`,
    select: sql`
      select 'incident' as what, id::text as id from cleared
      union all
      select 'order' as what, id::text as id from ${workOrders}
      where station_id = ${station.stationId} and status = 'resolved'`,
  };
}

/** Clears incidents in a statement of its own (see clearingSql). */
async function clearIncidents(
  db: Db,
  station: StationRef,
  match: { evseIds: number[] | null; kinds: IncidentKind[] },
  resolution: string,
  at: Date,
): Promise<Cleared> {
  const { ctes, select } = clearingSql(station, match, resolution, at);
  return clearedOf(await executeRows<ClearedRow>(db, sql`with ${ctes} ${select}`));
}

/**
 * Stations a healthy status report may have something to do for: an open fault incident to clear,
 * or a resolved work order to verify. Healthy reports are most of what chargers send, and for every
 * other station the clearing is left out of the report's statement (measured with the throughput
 * benchmark: clearing on every report made status reports a third dearer and the p95 latency of a
 * busy 2-core machine several times longer). The set is loaded once from the database; until then
 * every station counts. Events that can give a station something to clear (an incident, a work order
 * resolved — published by any bundle or, through the bus, any instance) add it, and bump its epoch so
 * that a clearing that raced with one does not take it out again.
 */
let pendingStations: Set<string> | null = null;
let loadingPending = false;
const addedWhileLoading = new Set<string>();
const stationEpochs = new Map<string, number>();

function markPending(stationId: string): void {
  (pendingStations ?? addedWhileLoading).add(stationId);
  stationEpochs.set(stationId, (stationEpochs.get(stationId) ?? 0) + 1);
}

function loadPendingStations(db: Db): void {
  if (pendingStations || loadingPending) return;
  loadingPending = true;
  subscribe((event) => {
    if (
      event.type === 'incident:updated' ||
      (event.type === 'work-order:updated' && event.status === 'resolved')
    )
      markPending(event.stationId);
  });
  void executeRows<{ stationId: string }>(
    db,
    sql`select station_id::text as "stationId" from ${incidents} where state = 'open' and kind = 'connector_faulted'
      union select station_id::text from ${workOrders} where status = 'resolved'`,
  )
    .then((rows) => {
      const loaded = new Set(rows.map((r) => r.stationId));
      for (const id of addedWhileLoading) loaded.add(id);
      addedWhileLoading.clear();
      pendingStations = loaded;
    })
    .catch((err: unknown) => {
      getLogger().warn({ err }, 'could not load the stations with open faults; clearing on every report');
      loadingPending = false;
    });
}

/** What a healthy status report must clear, for recordStatus's statement; null when nothing can be. */
export function statusClearingSql(
  db: Db,
  station: StationRef,
  report: ReportedStatus,
  now: Date,
): { ctes: SQL; select: SQL; epoch: number } | null {
  loadPendingStations(db);
  if (classifyStatus(report.status) !== 'healthy') return null;
  if (pendingStations && !pendingStations.has(station.stationId)) return null;
  const { ctes, select } = clearingSql(
    station,
    { evseIds: [report.evseId], kinds: ['connector_faulted'] },
    statusResolution(report),
    reportTime(report, now),
  );
  return {
    ctes,
    // Also the station's other open faults (other EVSEs): while there are some, it stays pending.
    select: sql`${select}
      union all
      select 'open' as what, id::text as id from ${incidents}
      where station_id = ${station.stationId} and state = 'open' and kind = 'connector_faulted'
        and id not in (select id from cleared)`,
    epoch: stationEpochs.get(station.stationId) ?? 0,
  };
}

/**
 * After a status report's clearing: a station left with no open fault and no resolved work order
 * has nothing for healthy reports to do until an event says otherwise.
 */
export function noteClearingResult(stationId: string, epoch: number, rows: ClearedRow[]): void {
  if (rows.length > 0 || (stationEpochs.get(stationId) ?? 0) !== epoch) return;
  pendingStations?.delete(stationId);
}

const where = (report: ReportedStatus) => (report.evseId === 0 ? 'Station' : `EVSE ${report.evseId}`);
const statusResolution = (report: ReportedStatus) => `${where(report)} reported ${report.status}`;
const reportTime = (report: ReportedStatus, now: Date) =>
  report.chargerTime && report.chargerTime < now ? report.chargerTime : now;

/** After incidents cleared: tell their work orders and the dashboards. */
async function afterCleared(db: Db, station: StationRef, cleared: string[], resolution: string, at: Date) {
  if (cleared.length === 0) return;
  const events: DomainEvent[] = cleared.map((id) => incidentEvent(station, { id, state: 'resolved' }));
  events.push(...(await noteIncidentCleared(db, station, cleared, resolution, at)));
  publishAll(events);
}

/** Runs an incident hook without letting its failure reach the charger's answer. */
async function guarded(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    getLogger().error({ err }, `incident detection failed: ${what}`);
  }
}

export interface ReportedStatus {
  evseId: number;
  connectorId: number;
  status: string;
  errorCode: string | null;
  vendorErrorCode?: string | null;
  info?: string | null;
  chargerTime?: Date | null;
}

/**
 * After a status report was recorded: Faulted opens (or adds evidence to) the EVSE's fault
 * incident; a healthy report cleared it in recordStatus's own statement (`cleared`, from
 * statusClearingSql), and here the work orders hear of it. Either may settle a resolved work
 * order's verification.
 */
export async function noteStatusReport(
  db: Db,
  station: StationRef,
  report: ReportedStatus,
  cleared: Cleared | null,
  now: Date,
) {
  await guarded('status report', async () => {
    const verdict = classifyStatus(report.status);
    if (verdict === 'problem') {
      const code = report.errorCode ?? 'no error code';
      await openIncident(
        db,
        station,
        {
          kind: 'connector_faulted',
          evseId: report.evseId,
          errorCode: report.errorCode,
          vendorErrorCode: report.vendorErrorCode ?? null,
          info: report.info ?? null,
          startedAt: reportTime(report, now),
          evidence: {
            summary: `${where(report)} reported ${report.status} (${code}${report.vendorErrorCode ? `, vendor code ${report.vendorErrorCode}` : ''}${report.info ? `: ${report.info}` : ''})`,
            details: report,
          },
        },
        now,
      );
      publishAll(
        await verifyAfterReport(db, station, { evseId: report.evseId, healthy: false, report }, now),
      );
      return;
    }
    if (verdict !== 'healthy' || !cleared) return;
    await afterCleared(db, station, cleared.cleared, statusResolution(report), reportTime(report, now));
    if (cleared.resolvedOrders.length > 0)
      publishAll(await verifyAfterReport(db, station, { evseId: report.evseId, healthy: true, report }, now));
  });
}

/** The station's connection opened: a station-offline incident ends (at the reconnection). */
export async function noteConnected(db: Db, station: StationRef, now: Date): Promise<void> {
  await guarded('connection', async () => {
    const resolution = 'Station connected again';
    const { cleared } = await clearIncidents(
      db,
      station,
      { evseIds: [0], kinds: ['station_offline'] },
      resolution,
      now,
    );
    await afterCleared(db, station, cleared, resolution, now);
  });
}

/** A BootNotification was answered: Rejected opens an incident, Accepted clears one. */
export async function noteBoot(db: Db, station: StationRef, status: string, now: Date): Promise<void> {
  await guarded('boot', async () => {
    if (status === 'rejected') {
      await openIncident(
        db,
        station,
        {
          kind: 'boot_rejected',
          evseId: 0,
          startedAt: now,
          evidence: {
            summary: 'BootNotification answered Rejected: the station is not accepted on this network',
          },
        },
        now,
      );
      return;
    }
    if (status !== 'accepted') return;
    const resolution = 'Boot accepted';
    const { cleared } = await clearIncidents(
      db,
      station,
      { evseIds: [0], kinds: ['boot_rejected'] },
      resolution,
      now,
    );
    await afterCleared(db, station, cleared, resolution, now);
  });
}

/** A firmware update status: a failure opens an incident; Installed clears it. */
export async function noteFirmwareStatus(
  db: Db,
  station: StationRef,
  status: string,
  now: Date,
): Promise<void> {
  await guarded('firmware status', async () => {
    if (isFirmwareFailure(status)) {
      await openIncident(
        db,
        station,
        {
          kind: 'firmware_failed',
          evseId: 0,
          errorCode: status,
          startedAt: now,
          evidence: { summary: `FirmwareStatusNotification: ${status}` },
        },
        now,
      );
      return;
    }
    if (status !== 'Installed') return;
    const resolution = 'Firmware installed';
    const { cleared } = await clearIncidents(
      db,
      station,
      { evseIds: [0], kinds: ['firmware_failed'] },
      resolution,
      now,
    );
    await afterCleared(db, station, cleared, resolution, now);
  });
}

/** A critical security event (tampering, bad certificates ...) opens an incident a person must close. */
export async function noteSecurityEvent(
  db: Db,
  station: StationRef,
  event: { type: string; techInfo?: string | null; at: Date | null; ocppVersion: '1.6' | '2.0.1' },
  now: Date,
): Promise<void> {
  await guarded('security event', async () => {
    // Critical events a station sends in normal life (its own boot, our resets) are not incidents.
    if (!opensSecurityIncident(event.type, event.ocppVersion)) return;
    await openIncident(
      db,
      station,
      {
        kind: 'security_event',
        evseId: 0,
        errorCode: event.type,
        info: event.techInfo ?? null,
        startedAt: event.at && event.at < now ? event.at : now,
        evidence: {
          summary: `SecurityEventNotification: ${event.type}${event.techInfo ? ` (${event.techInfo})` : ''}`,
        },
      },
      now,
    );
  });
}

/**
 * Faults a 2.0.1 station reported through its device model (NotifyEvent: a Problem turning true):
 * each opens its EVSE's connector-faulted incident, or adds to the open one and gives it the
 * charger's error code, which 2.0.1 status reports do not carry.
 */
export async function noteDeviceProblems(
  db: Db,
  station: StationRef,
  problems: readonly DeviceProblem[],
  at: Date | null,
  now: Date,
): Promise<void> {
  for (const problem of problems)
    await guarded('device problem', async () => {
      await openIncident(
        db,
        station,
        {
          kind: 'connector_faulted',
          evseId: problem.evseId,
          errorCode: problem.errorCode,
          info: problem.info,
          startedAt: at && at < now ? at : now,
          evidence: {
            summary: `NotifyEvent: ${problem.errorCode}${problem.info ? ` (${problem.info})` : ''}`,
            details: problem,
          },
        },
        now,
      );
    });
}

/**
 * A session ended: one that delivered energy clears the EVSE's failed-starts incident and may
 * verify a repair (a test session); the Nth failed start in a row opens the incident.
 */
export async function noteSessionEnded(
  db: Db,
  station: StationRef,
  session: { id: string; evseId: number; energyWh: number | null },
  now: Date,
): Promise<void> {
  await guarded('session end', async () => {
    if (session.evseId <= 0) return;
    const policy = await loadMaintenancePolicy(db, station.organisationId);
    if (!isFailedStart(session, policy.rules)) {
      const resolution = `A session delivered ${((session.energyWh ?? 0) / 1000).toFixed(2)} kWh`;
      const { cleared, resolvedOrders } = await clearIncidents(
        db,
        station,
        { evseIds: [session.evseId], kinds: ['failed_starts'] },
        resolution,
        now,
      );
      await afterCleared(db, station, cleared, resolution, now);
      if (resolvedOrders.length > 0)
        publishAll(
          await verifyAfterReport(db, station, { evseId: session.evseId, healthy: true, session }, now),
        );
      return;
    }
    const recent = await db
      .select({ energyWh: transactions.energyWh, startedAt: transactions.startedAt })
      .from(transactions)
      .where(
        and(
          eq(transactions.stationId, station.stationId),
          eq(transactions.evseId, session.evseId),
          eq(transactions.status, 'completed'),
        ),
      )
      .orderBy(desc(transactions.stoppedAt))
      .limit(policy.rules.failedStartsInARow);
    const streak = failedStartStreak(recent, policy.rules);
    if (streak < policy.rules.failedStartsInARow) return;
    const first = recent[streak - 1]?.startedAt ?? now;
    await openIncident(
      db,
      station,
      {
        kind: 'failed_starts',
        evseId: session.evseId,
        count: streak,
        startedAt: first < now ? first : now,
        evidence: {
          summary: `${streak} sessions in a row on EVSE ${session.evseId} delivered less than ${policy.rules.minSessionWh} Wh`,
          details: { transactionId: session.id, energyWh: session.energyWh },
        },
      },
      now,
    );
  });
}

/**
 * Opens a station-offline incident for each accepted station unreachable for longer than its
 * organisation's threshold. The outage starts at the station's last sign of life, not at detection.
 * Returns how many incidents opened.
 */
export async function detectOfflineStations(db: Db, now: Date): Promise<number> {
  const threshold = sql`coalesce(${maintenanceSettings.offlineAfterMinutes}, ${defaultIncidentRules.offlineAfterMinutes})`;
  const quiet = await db
    .select({
      stationId: chargingStations.id,
      organisationId: chargingStations.organisationId,
      siteId: chargingStations.siteId,
      lastSeenAt: chargingStations.lastSeenAt,
    })
    .from(chargingStations)
    .leftJoin(maintenanceSettings, eq(maintenanceSettings.organisationId, chargingStations.organisationId))
    .where(
      and(
        eq(chargingStations.online, false),
        eq(chargingStations.registrationStatus, 'accepted'),
        lt(
          chargingStations.lastSeenAt,
          sql`${now.toISOString()}::timestamptz - make_interval(mins => ${threshold})`,
        ),
        sql`not exists (select 1 from ${incidents} where ${incidents.stationId} = ${chargingStations.id}
          and ${incidents.kind} = 'station_offline' and ${incidents.state} = 'open')`,
      ),
    );
  let opened = 0;
  for (const station of quiet) {
    const since = station.lastSeenAt ?? now;
    const { created } = await openIncident(
      db,
      station,
      {
        kind: 'station_offline',
        evseId: 0,
        startedAt: since,
        evidence: { summary: `No connection since ${since.toISOString()}` },
      },
      now,
    );
    if (created) opened++;
  }
  return opened;
}

// ---- Views and manual actions ----

/** A row of the incidents list. */
export interface IncidentSummary extends Incident {
  stationIdentity: string;
  siteName: string | null;
  /** The site's IANA zone (times are shown in it); null for a station not placed on a site. */
  siteTimezone: string | null;
  /** The incident's latest work order, if any, and where it stands (cancelled ones may be replaced). */
  workOrderId: string | null;
  workOrderNumber: number | null;
  workOrderStatus: WorkOrderStatus | null;
}

export interface IncidentFilter {
  state?: 'open' | 'resolved';
  stationId?: string;
  limit?: number;
}

/** Incidents the caller may see, newest first. */
export async function listIncidents(
  db: Db,
  actor: SessionUser,
  filter: IncidentFilter = {},
): Promise<IncidentSummary[]> {
  assertCan(actor, 'maintenance:view');
  const rows = await db
    .select({
      incident: incidents,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
      workOrderId: workOrders.id,
      workOrderNumber: workOrders.number,
      workOrderStatus: workOrders.status,
    })
    .from(incidents)
    .innerJoin(chargingStations, eq(chargingStations.id, incidents.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .leftJoin(workOrders, eq(workOrders.incidentId, incidents.id))
    .where(
      and(
        eq(incidents.organisationId, actor.organisationId),
        stationSiteScope(actor),
        filter.state ? eq(incidents.state, filter.state) : undefined,
        filter.stationId && isUuid(filter.stationId) ? eq(incidents.stationId, filter.stationId) : undefined,
      ),
    )
    // Open ones first, each group newest first.
    .orderBy(sql`${incidents.state} = 'open' desc`, desc(incidents.startedAt))
    .limit(filter.limit ?? 200);
  // An incident may have had several work orders (one cancelled, a new one): show the latest.
  const byId = new Map<string, IncidentSummary>();
  for (const row of rows) {
    const seen = byId.get(row.incident.id);
    if (seen && (seen.workOrderNumber ?? 0) > (row.workOrderNumber ?? 0)) continue;
    byId.set(row.incident.id, {
      ...row.incident,
      stationIdentity: row.stationIdentity,
      siteName: row.siteName,
      siteTimezone: row.siteTimezone,
      workOrderId: row.workOrderId,
      workOrderNumber: row.workOrderNumber,
      workOrderStatus: row.workOrderStatus,
    });
  }
  return [...byId.values()];
}

export interface IncidentDetail extends IncidentSummary {
  timeline: IncidentEvent[];
  outages: { evseId: number; startedAt: Date; endedAt: Date | null }[];
}

/** One incident with its timeline and outages. */
export async function getIncident(db: Db, actor: SessionUser, id: string): Promise<IncidentDetail> {
  assertCan(actor, 'maintenance:view');
  if (!isUuid(id)) throw notFound('Incident');
  const [row] = await db
    .select({
      incident: incidents,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
    })
    .from(incidents)
    .innerJoin(chargingStations, eq(chargingStations.id, incidents.stationId))
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(
      and(eq(incidents.id, id), eq(incidents.organisationId, actor.organisationId), stationSiteScope(actor)),
    );
  if (!row) throw notFound('Incident');
  const [timeline, ports, [order]] = await Promise.all([
    db
      .select()
      .from(incidentEvents)
      .where(eq(incidentEvents.incidentId, id))
      .orderBy(incidentEvents.at, incidentEvents.id),
    db
      .select({ evseId: outages.evseId, startedAt: outages.startedAt, endedAt: outages.endedAt })
      .from(outages)
      .where(eq(outages.incidentId, id))
      .orderBy(outages.evseId),
    db
      .select({ id: workOrders.id, number: workOrders.number, status: workOrders.status })
      .from(workOrders)
      .where(eq(workOrders.incidentId, id))
      .orderBy(desc(workOrders.number))
      .limit(1),
  ]);
  return {
    ...row.incident,
    stationIdentity: row.stationIdentity,
    siteName: row.siteName,
    siteTimezone: row.siteTimezone,
    workOrderId: order?.id ?? null,
    workOrderNumber: order?.number ?? null,
    workOrderStatus: order?.status ?? null,
    timeline,
    outages: ports,
  };
}

/**
 * Closes an open incident by hand (a security event someone checked, a fault the charger will not
 * report cleared), ending its outages now.
 */
export async function closeIncident(db: Db, actor: SessionUser, id: string, note: string): Promise<void> {
  assertCan(actor, 'maintenance:manage');
  const incident = await getIncident(db, actor, id);
  if (incident.state !== 'open') return;
  const now = new Date();
  const resolution = `Closed by ${actor.name}${note ? `: ${note}` : ''}`;
  await db.transaction(async (tx) => {
    await tx
      .update(incidents)
      .set({
        state: 'resolved',
        resolvedAt: now,
        resolution,
        updatedAt: now,
        remediationState: incident.remediationState === 'running' ? 'exhausted' : incident.remediationState,
        remediationDueAt: null,
      })
      .where(and(eq(incidents.id, id), eq(incidents.state, 'open')));
    await tx
      .update(outages)
      .set({ endedAt: now })
      .where(and(eq(outages.incidentId, id), isNull(outages.endedAt)));
    await addIncidentEvent(tx, id, now, 'resolved', resolution);
    await recordAudit(tx, actorOf(actor), {
      action: 'incident.close',
      targetType: 'incident',
      targetId: id,
      details: { title: incident.title, note },
    });
  });
  const [station] = await db
    .select({ siteId: chargingStations.siteId })
    .from(chargingStations)
    .where(eq(chargingStations.id, incident.stationId));
  publish(
    incidentEvent(
      {
        stationId: incident.stationId,
        organisationId: actor.organisationId,
        siteId: station?.siteId ?? null,
      },
      { id, state: 'resolved' },
    ),
  );
}

/** Open incidents per station, for the map and the stations list. */
export async function openIncidentCounts(db: Db, actor: SessionUser): Promise<Map<string, number>> {
  if (!(actor.role === 'admin' || actor.role === 'manager')) return new Map();
  const rows = await db
    .select({ stationId: incidents.stationId, n: sql<number>`count(*)::int` })
    .from(incidents)
    .innerJoin(chargingStations, eq(chargingStations.id, incidents.stationId))
    .where(
      and(
        eq(incidents.organisationId, actor.organisationId),
        eq(incidents.state, 'open'),
        stationSiteScope(actor),
      ),
    )
    .groupBy(incidents.stationId);
  return new Map(rows.map((r) => [r.stationId, r.n]));
}

/** Internal: open incidents of a station (the technician's and the station page's view). */
export async function openIncidentsOfStation(db: DbOrTx, stationId: string): Promise<Incident[]> {
  return db
    .select()
    .from(incidents)
    .where(and(eq(incidents.stationId, stationId), eq(incidents.state, 'open')))
    .orderBy(desc(incidents.startedAt));
}
