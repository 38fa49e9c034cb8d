import { asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { executeRows } from '@/lib/db/rows';
import {
  chargingStations,
  connectors,
  connectorStatusHistory,
  evses,
  ocppMessages,
  organisations,
  type RegistrationStatus,
} from '@/lib/db/schema';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { publish } from '@/lib/realtime/bus';
import { recordAudit } from './audit';
import {
  clearedOf,
  noteBoot,
  noteClearingResult,
  noteConnected,
  noteFirmwareStatus,
  noteStatusReport,
  statusClearingSql,
  type ClearedRow,
} from './incidents';

/**
 * Version-neutral use cases of a charger's connection: admission at the handshake, boot, liveness,
 * status reports and the raw message log. The OCPP adapters (lib/ocpp/v16, v201) translate their
 * messages into these calls; nothing here knows an OCPP message shape.
 */

export type AutoRegister = 'off' | 'pending' | 'accept';

/** What the endpoint knows about a connected station for the life of its connection. */
export interface StationLink {
  stationId: string;
  organisationId: string;
  siteId: string | null;
  identity: string;
  registrationStatus: RegistrationStatus;
}

export type Admission = { ok: true; station: StationLink; created: boolean } | { ok: false; reason: string };

/**
 * Decides at the WebSocket handshake whether a station may connect (OCPP security profile 1: HTTP
 * Basic auth with a per-station password). Unknown identities are refused unless auto-registration
 * admits them; in that mode the first password presented is stored and required from then on.
 */
export async function admitStation(
  db: Db,
  input: { identity: string; password: string | undefined; autoRegister: AutoRegister },
): Promise<Admission> {
  const [station] = await db
    .select()
    .from(chargingStations)
    .where(eq(chargingStations.identity, input.identity));
  if (station) {
    if (station.passwordHash) {
      if (input.password === undefined || !(await verifyPassword(station.passwordHash, input.password))) {
        return { ok: false, reason: 'wrong or missing password' };
      }
    } else if (input.autoRegister === 'off') {
      return { ok: false, reason: 'no password set for this station' };
    } else if (input.password !== undefined) {
      await db
        .update(chargingStations)
        .set({ passwordHash: await hashPassword(input.password), updatedAt: new Date() })
        .where(eq(chargingStations.id, station.id));
    }
    return { ok: true, created: false, station: toLink(station) };
  }
  if (input.autoRegister === 'off') return { ok: false, reason: 'unknown station' };
  // Auto-registered stations belong to the installation's first organisation; an operator places
  // them on a site.
  const [organisation] = await db.select().from(organisations).orderBy(asc(organisations.createdAt)).limit(1);
  if (!organisation) return { ok: false, reason: 'no organisation to register the station in' };
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const registrationStatus: RegistrationStatus = input.autoRegister === 'accept' ? 'accepted' : 'pending';
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(chargingStations)
      .values({ organisationId: organisation.id, identity: input.identity, passwordHash, registrationStatus })
      .onConflictDoNothing({ target: chargingStations.identity })
      .returning();
    if (!row) return null; // registered by a concurrent connection a moment ago
    await recordAudit(
      tx,
      { kind: 'system', label: `station ${input.identity}`, organisationId: organisation.id },
      {
        action: 'station.auto-register',
        targetType: 'station',
        targetId: row.id,
        details: { identity: input.identity, registrationStatus, password: passwordHash !== null },
      },
    );
    return row;
  });
  if (!created) return admitStation(db, input);
  return { ok: true, created: true, station: toLink(created) };
}

function toLink(station: typeof chargingStations.$inferSelect): StationLink {
  return {
    stationId: station.id,
    organisationId: station.organisationId,
    siteId: station.siteId,
    identity: station.identity,
    registrationStatus: station.registrationStatus,
  };
}

export interface BootInfo {
  vendor: string;
  model: string;
  serialNumber?: string;
  firmwareVersion?: string;
  ocppVersion: string;
}

/**
 * Stores what a station says about itself at boot and returns its current registration status
 * (re-read, so an operator's acceptance applies at the charger's next boot).
 */
export async function recordBoot(
  db: Db,
  link: StationLink,
  boot: BootInfo,
  now: Date,
): Promise<RegistrationStatus> {
  const [row] = await db
    .update(chargingStations)
    .set({
      vendor: boot.vendor,
      model: boot.model,
      serialNumber: boot.serialNumber ?? null,
      firmwareVersion: boot.firmwareVersion ?? null,
      ocppVersion: boot.ocppVersion,
      lastBootAt: now,
      lastSeenAt: now,
      updatedAt: now,
    })
    .where(eq(chargingStations.id, link.stationId))
    .returning({ registrationStatus: chargingStations.registrationStatus, siteId: chargingStations.siteId });
  const status = row?.registrationStatus ?? 'rejected';
  link.registrationStatus = status;
  link.siteId = row?.siteId ?? link.siteId;
  publishStationChanged(link);
  await noteBoot(db, link, status, now);
  return status;
}

// Liveness writes are coalesced: last_seen_at is written at most once per interval per station,
// so a busy charger costs no extra database round trip per message.
const seenWriteIntervalMs = 30_000;
const lastSeenWrites = new Map<string, number>();

/** Notes that a station is alive (any inbound frame); writes to the database at most every 30 s. */
export async function recordSeen(db: Db, link: StationLink, now: Date): Promise<void> {
  const last = lastSeenWrites.get(link.stationId) ?? 0;
  if (now.getTime() - last < seenWriteIntervalMs) return;
  lastSeenWrites.set(link.stationId, now.getTime());
  await db.update(chargingStations).set({ lastSeenAt: now }).where(eq(chargingStations.id, link.stationId));
}

/** Marks a station's connection open or closed. */
export async function setOnline(db: Db, link: StationLink, online: boolean, now: Date): Promise<void> {
  if (!online) lastSeenWrites.delete(link.stationId);
  await db
    .update(chargingStations)
    .set(online ? { online, lastSeenAt: now } : { online })
    .where(eq(chargingStations.id, link.stationId));
  publish({
    type: 'station:connection-changed',
    organisationId: link.organisationId,
    siteId: link.siteId,
    stationId: link.stationId,
    online,
  });
  if (online) await noteConnected(db, link, now);
}

export interface StatusReport {
  /** 0 with connectorId 0 for the whole station (1.6). */
  evseId: number;
  connectorId: number;
  status: string;
  /** Null for "no error". */
  errorCode: string | null;
  vendorErrorCode?: string | null;
  info?: string | null;
  chargerTime?: Date | null;
}

/**
 * Records a status report: appends it to the history and, for a connector, updates its current
 * status (creating the EVSE and connector on first report).
 */
export async function recordStatus(
  db: Db,
  link: StationLink,
  report: StatusReport,
  now: Date,
): Promise<void> {
  // One statement (so one round trip and atomic without BEGIN/COMMIT): append the history row and,
  // for a connector, upsert its EVSE and its current status; a healthy report also clears the
  // EVSE's fault incident there (statusClearingSql; left out for a station known to have nothing to
  // clear). Data-modifying CTEs always run.
  const chargerTime = report.chargerTime ? report.chargerTime.toISOString() : null;
  const changedAt = (report.chargerTime ?? now).toISOString();
  const clearing = statusClearingSql(db, link, report, now);
  const rows = await executeRows<ClearedRow>(
    db,
    sql`
    with history as (
      insert into ${connectorStatusHistory}
        (station_id, evse_id, connector_id, status, error_code, vendor_error_code, info, charger_time, received_at)
      values (${link.stationId}, ${report.evseId}, ${report.connectorId}, ${report.status}, ${report.errorCode},
        ${report.vendorErrorCode ?? null}, ${report.info ?? null}, ${chargerTime}::timestamptz, ${now.toISOString()}::timestamptz)
    ),
    evse as (
      insert into ${evses} (station_id, evse_id)
      select ${link.stationId}::uuid, ${report.evseId}::int where ${report.evseId}::int > 0
      on conflict (station_id, evse_id) do update set evse_id = excluded.evse_id
      returning id
    ),
    connector as (
      insert into ${connectors} (evse_id, connector_id, status, error_code, vendor_error_code, status_info, status_changed_at)
      select id, ${report.connectorId}, ${report.status}, ${report.errorCode}, ${report.vendorErrorCode ?? null},
        ${report.info ?? null}, ${changedAt}::timestamptz
      from evse
      on conflict (evse_id, connector_id) do update set
        status = excluded.status, error_code = excluded.error_code, vendor_error_code = excluded.vendor_error_code,
        status_info = excluded.status_info, status_changed_at = excluded.status_changed_at
    )
    ${clearing ? sql`, ${clearing.ctes} ${clearing.select}` : sql`select 'none' as what, '' as id where false`}
  `,
  );
  publish({
    type: 'station:status-changed',
    organisationId: link.organisationId,
    siteId: link.siteId,
    stationId: link.stationId,
    evseId: report.evseId,
    connectorId: report.connectorId,
    status: report.status,
  });
  if (clearing) noteClearingResult(link.stationId, clearing.epoch, rows);
  await noteStatusReport(db, link, report, clearing ? clearedOf(rows) : null, now);
}

function publishStationChanged(link: StationLink): void {
  publish({
    type: 'station:changed',
    organisationId: link.organisationId,
    siteId: link.siteId,
    stationId: link.stationId,
  });
}

export interface LoggedFrame {
  stationId: string;
  direction: 'in' | 'out';
  messageType: number | null;
  messageId: string | null;
  action: string | null;
  payload: unknown;
  at: Date;
}

/** Appends frames to the message log in one insert. */
export async function appendMessageLog(db: Db, frames: LoggedFrame[]): Promise<void> {
  if (frames.length === 0) return;
  await db.insert(ocppMessages).values(frames.map((f) => ({ ...f, payload: f.payload as object })));
}

/**
 * Deletes message-log rows older than the retention, in batches of 10,000 so a large purge neither
 * holds long locks nor returns millions of ids; returns how many went.
 */
export async function purgeMessageLog(db: Db, olderThan: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db
      .select({ id: ocppMessages.id })
      .from(ocppMessages)
      .where(lt(ocppMessages.at, olderThan))
      .limit(10_000);
    const deleted = await db
      .delete(ocppMessages)
      .where(inArray(ocppMessages.id, batch))
      .returning({ id: ocppMessages.id });
    total += deleted.length;
    if (deleted.length < 10_000) return total;
  }
}

/** The most recent frames of a station, newest first. Internal: callers check permissions. */
export async function recentMessages(db: Db, stationId: string, limit = 50) {
  return db
    .select()
    .from(ocppMessages)
    .where(eq(ocppMessages.stationId, stationId))
    .orderBy(desc(ocppMessages.id))
    .limit(limit);
}

/**
 * Clears `online` on every station at start-up: connections do not survive a restart, and a crash
 * leaves flags set. (With several instances this moves to the Redis connection registry.)
 */
export async function resetOnlineFlags(db: Db): Promise<number> {
  const rows = await db
    .update(chargingStations)
    .set({ online: false })
    .where(eq(chargingStations.online, true))
    .returning({ id: chargingStations.id });
  return rows.length;
}

/** Keeps the last firmware update status a station reported (FirmwareStatusNotification). */
export async function recordFirmwareStatus(
  db: Db,
  link: StationLink,
  status: string,
  now: Date,
): Promise<void> {
  await db
    .update(chargingStations)
    .set({ firmwareStatus: status, firmwareStatusAt: now })
    .where(eq(chargingStations.id, link.stationId));
  publishStationChanged(link);
  await noteFirmwareStatus(db, link, status, now);
}
