import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { isUniqueViolation } from '@/lib/db/errors';
import {
  chargingStations,
  driverGroups,
  sites,
  tariffAssignments,
  tariffs,
  tariffVersions,
  type Tariff,
  type TariffVersionRow,
} from '@/lib/db/schema';
import { canAccessSite, canAccessStation } from '@/lib/domain/access/roles';
import { resolveTariff, type TariffAssignment, type TariffChoice } from '@/lib/domain/pricing/assignment';
import { priceSession, type CostBreakdown, type SessionUsage } from '@/lib/domain/pricing/engine';
import { instantOfLocalTime } from '@/lib/domain/pricing/local-time';
import { versionInForce, type TariffVersion } from '@/lib/domain/pricing/tariff';
import { conflict, forbiddenError, invalid, notFound } from '@/lib/errors';
import { publish } from '@/lib/realtime/bus';
import {
  assignmentForm,
  tariffForm,
  tariffVersionForm,
  toVersionInput,
  type VersionInput,
} from '@/lib/validation/tariffs';
import { isUuid } from '@/lib/validation/ids';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { actorOf, type SessionUser } from './users';
import { parseInput } from '@/lib/validation/fields';

/**
 * Tariffs, their versions and where they apply. Tariffs belong to the organisation; a manager
 * assigns them to their own sites, stations and groups there, an admin also organisation-wide.
 */

/** A stored version as the pricing engine reads it. */
export function toTariffVersion(row: TariffVersionRow, tariffName: string): TariffVersion {
  return {
    id: row.id,
    tariffId: row.tariffId,
    tariffName,
    validFrom: row.validFrom,
    currency: row.currency,
    taxRateBp: row.taxRateBp,
    pricesIncludeTax: row.pricesIncludeTax,
    base: {
      energyPerKwh: row.energyPerKwh,
      timePerMinute: row.timePerMinute,
      idlePerMinute: row.idlePerMinute,
    },
    sessionFee: row.sessionFee,
    idleGraceMinutes: row.idleGraceMinutes,
    minPrice: row.minPrice,
    maxPrice: row.maxPrice,
    bands: row.bands,
  };
}

export interface TariffSummary {
  id: string;
  name: string;
  description: string | null;
  /** The version in force now, or the next one when none has begun. */
  current: TariffVersion | null;
  upcoming: TariffVersion | null;
  versionCount: number;
  assignments: TariffAssignment[];
}

export interface TariffDetail extends TariffSummary {
  versions: TariffVersion[];
}

async function loadAssignments(db: DbOrTx, organisationId: string): Promise<TariffAssignment[]> {
  const rows = await db
    .select({
      id: tariffAssignments.id,
      tariffId: tariffAssignments.tariffId,
      tariffName: tariffs.name,
      siteId: tariffAssignments.siteId,
      siteName: sites.name,
      stationId: tariffAssignments.stationId,
      stationIdentity: chargingStations.identity,
      stationSiteId: chargingStations.siteId,
      evseId: tariffAssignments.evseId,
      groupId: tariffAssignments.groupId,
      groupName: driverGroups.name,
    })
    .from(tariffAssignments)
    .innerJoin(tariffs, eq(tariffs.id, tariffAssignments.tariffId))
    .leftJoin(sites, eq(sites.id, tariffAssignments.siteId))
    .leftJoin(chargingStations, eq(chargingStations.id, tariffAssignments.stationId))
    .leftJoin(driverGroups, eq(driverGroups.id, tariffAssignments.groupId))
    .where(eq(tariffAssignments.organisationId, organisationId))
    .orderBy(asc(tariffAssignments.createdAt));
  return rows;
}

/** What an actor may see of an assignment: organisation-wide ones, and those at their sites. */
function visibleTo(actor: SessionUser, a: TariffAssignment & { stationSiteId?: string | null }): boolean {
  if (a.stationId !== null) return canAccessStation(actor, { siteId: a.stationSiteId ?? null });
  if (a.siteId !== null) return canAccessSite(actor, a.siteId);
  return true;
}

async function versionsOf(db: DbOrTx, tariffIds: string[]): Promise<TariffVersionRow[]> {
  if (tariffIds.length === 0) return [];
  return db
    .select()
    .from(tariffVersions)
    .where(inArray(tariffVersions.tariffId, tariffIds))
    .orderBy(desc(tariffVersions.validFrom));
}

function summarise(
  tariff: Tariff,
  versions: TariffVersion[],
  assignments: TariffAssignment[],
  now: Date,
): TariffSummary {
  const current = versionInForce(versions, now) ?? null;
  const future = versions
    .filter((v) => v.validFrom.getTime() > now.getTime())
    .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime());
  return {
    id: tariff.id,
    name: tariff.name,
    description: tariff.description,
    current,
    upcoming: future[0] ?? null,
    versionCount: versions.length,
    assignments: assignments.filter((a) => a.tariffId === tariff.id),
  };
}

/** The organisation's tariffs with the version in force and where each applies (as far as the caller may see). */
export async function listTariffs(db: Db, actor: SessionUser, now = new Date()): Promise<TariffSummary[]> {
  assertCan(actor, 'billing:view');
  const rows = await db
    .select()
    .from(tariffs)
    .where(eq(tariffs.organisationId, actor.organisationId))
    .orderBy(asc(tariffs.name));
  const [versionRows, assignments] = await Promise.all([
    versionsOf(
      db,
      rows.map((t) => t.id),
    ),
    loadAssignments(db, actor.organisationId),
  ]);
  const visible = assignments.filter((a) => visibleTo(actor, a));
  return rows.map((t) =>
    summarise(
      t,
      versionRows.filter((v) => v.tariffId === t.id).map((v) => toTariffVersion(v, t.name)),
      visible,
      now,
    ),
  );
}

async function loadTariff(db: DbOrTx, actor: SessionUser, id: string): Promise<Tariff> {
  if (!isUuid(id)) throw notFound('Tariff');
  const [row] = await db
    .select()
    .from(tariffs)
    .where(and(eq(tariffs.id, id), eq(tariffs.organisationId, actor.organisationId)));
  if (!row) throw notFound('Tariff');
  return row;
}

/** One tariff with all its versions, newest first. */
export async function getTariff(
  db: Db,
  actor: SessionUser,
  id: string,
  now = new Date(),
): Promise<TariffDetail> {
  assertCan(actor, 'billing:view');
  const tariff = await loadTariff(db, actor, id);
  const [versionRows, assignments] = await Promise.all([
    versionsOf(db, [tariff.id]),
    loadAssignments(db, actor.organisationId),
  ]);
  const versions = versionRows.map((v) => toTariffVersion(v, tariff.name));
  return {
    ...summarise(
      tariff,
      versions,
      assignments.filter((a) => visibleTo(actor, a)),
      now,
    ),
    versions,
  };
}

function parseVersion(raw: unknown): VersionInput {
  const version = toVersionInput(parseInput(tariffVersionForm, raw));
  if (!version.ok) throw invalid('Check the highlighted fields', version.fieldErrors);
  return version.value;
}

function versionValues(tariffId: string, v: VersionInput, validFrom: Date, userId: string) {
  return {
    tariffId,
    validFrom,
    currency: v.currency,
    taxRateBp: v.taxRateBp,
    pricesIncludeTax: v.pricesIncludeTax,
    energyPerKwh: v.energyPerKwh,
    timePerMinute: v.timePerMinute,
    idlePerMinute: v.idlePerMinute,
    idleGraceMinutes: v.idleGraceMinutes,
    sessionFee: v.sessionFee,
    minPrice: v.minPrice,
    maxPrice: v.maxPrice,
    bands: v.bands,
    createdBy: userId,
  };
}

const nameTaken = () =>
  conflict('A tariff with this name exists already', { name: 'A tariff with this name exists already' });

/** Creates a tariff with its first version (in force from the given time, or now). */
export async function createTariff(
  db: Db,
  actor: SessionUser,
  raw: unknown,
  now = new Date(),
): Promise<string> {
  assertCan(actor, 'billing:manage');
  const named = parseInput(tariffForm, raw);
  const version = parseVersion(raw);
  const validFrom = version.validFrom ?? now;
  try {
    const id = await db.transaction(async (tx) => {
      const [tariff] = await tx
        .insert(tariffs)
        .values({
          organisationId: actor.organisationId,
          name: named.name,
          description: named.description,
        })
        .returning({ id: tariffs.id });
      if (!tariff) throw new Error('insert returned no row');
      await tx.insert(tariffVersions).values(versionValues(tariff.id, version, validFrom, actor.id));
      await recordAudit(tx, actorOf(actor), {
        action: 'tariff.create',
        targetType: 'tariff',
        targetId: tariff.id,
        details: { name: named.name, currency: version.currency, validFrom: validFrom.toISOString() },
      });
      return tariff.id;
    });
    publish({ type: 'tariff:updated', organisationId: actor.organisationId, tariffId: id });
    return id;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

/**
 * A new version of a tariff from a date (now when blank). Sessions already running keep the
 * version they started with; a date in the past is refused, because it would rewrite history.
 */
export async function addTariffVersion(
  db: Db,
  actor: SessionUser,
  tariffId: string,
  raw: unknown,
  now = new Date(),
): Promise<string> {
  assertCan(actor, 'billing:manage');
  const tariff = await loadTariff(db, actor, tariffId);
  const version = parseVersion(raw);
  const validFrom = version.validFrom ?? now;
  // A minute of slack for the time it took to submit the form.
  if (validFrom.getTime() < now.getTime() - 60_000)
    throw invalid('A new version cannot start in the past', { validFrom: 'Choose now or a later time' });
  const [current] = await versionsOf(db, [tariff.id]);
  if (current && current.currency !== version.currency)
    throw invalid('A tariff keeps its currency', {
      currency: `This tariff is priced in ${current.currency}; create a new tariff for another currency`,
    });
  try {
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(tariffVersions)
        .values(versionValues(tariff.id, version, validFrom, actor.id))
        .returning({ id: tariffVersions.id });
      if (!row) throw new Error('insert returned no row');
      await tx.update(tariffs).set({ updatedAt: now }).where(eq(tariffs.id, tariff.id));
      await recordAudit(tx, actorOf(actor), {
        action: 'tariff.new-version',
        targetType: 'tariff',
        targetId: tariff.id,
        details: { name: tariff.name, versionId: row.id, validFrom: validFrom.toISOString() },
      });
      return row.id;
    });
    publish({ type: 'tariff:updated', organisationId: actor.organisationId, tariffId: tariff.id });
    return id;
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict('A version starts at that time already', {
        validFrom: 'A version starts at that time already',
      });
    throw error;
  }
}

/** Renames a tariff or changes its description (prices change through versions only). */
export async function renameTariff(
  db: Db,
  actor: SessionUser,
  tariffId: string,
  raw: { name?: unknown; description?: unknown },
): Promise<void> {
  assertCan(actor, 'billing:manage');
  const tariff = await loadTariff(db, actor, tariffId);
  const named = parseInput(tariffForm.pick({ name: true, description: true }), raw);
  try {
    await db.transaction(async (tx) => {
      await tx
        .update(tariffs)
        .set({ name: named.name, description: named.description, updatedAt: new Date() })
        .where(eq(tariffs.id, tariff.id));
      await recordAudit(tx, actorOf(actor), {
        action: 'tariff.rename',
        targetType: 'tariff',
        targetId: tariff.id,
        details: { from: tariff.name, to: named.name },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
  publish({ type: 'tariff:updated', organisationId: actor.organisationId, tariffId: tariff.id });
}

/** Checks that every place and group of an assignment belongs to the organisation and the caller's sites. */
async function checkScope(
  db: DbOrTx,
  actor: SessionUser,
  input: { siteId: string | null; stationId: string | null; evseId: number | null; groupId: string | null },
): Promise<{ siteId: string | null; stationId: string | null }> {
  let { siteId } = input;
  if (input.evseId !== null && input.stationId === null)
    throw invalid('Choose the station of the EVSE', { stationId: 'Choose the station of the EVSE' });
  if (input.stationId !== null) {
    const [station] = await db
      .select({ id: chargingStations.id, siteId: chargingStations.siteId })
      .from(chargingStations)
      .where(
        and(
          eq(chargingStations.id, input.stationId),
          eq(chargingStations.organisationId, actor.organisationId),
        ),
      );
    if (!station || !canAccessStation(actor, station))
      throw invalid('Unknown station', { stationId: 'Unknown station' });
    // A station assignment is about the station; its site is implied, not a second condition.
    siteId = null;
  } else if (siteId !== null) {
    const [site] = await db
      .select({ id: sites.id })
      .from(sites)
      .where(and(eq(sites.id, siteId), eq(sites.organisationId, actor.organisationId)));
    if (!site || !canAccessSite(actor, site.id)) throw invalid('Unknown site', { siteId: 'Unknown site' });
  } else if (actor.role !== 'admin') {
    throw forbiddenError('Only administrators set organisation-wide tariffs; choose one of your sites');
  }
  if (input.groupId !== null) {
    const [group] = await db
      .select({ id: driverGroups.id })
      .from(driverGroups)
      .where(and(eq(driverGroups.id, input.groupId), eq(driverGroups.organisationId, actor.organisationId)));
    if (!group) throw invalid('Unknown group', { groupId: 'Unknown group' });
  }
  return { siteId, stationId: input.stationId };
}

/** Makes a tariff apply to a place and/or group; replaces the tariff already assigned there. */
export async function assignTariff(db: Db, actor: SessionUser, raw: unknown): Promise<string> {
  assertCan(actor, 'billing:manage');
  const input = parseInput(assignmentForm, raw);
  const tariff = await loadTariff(db, actor, input.tariffId);
  const place = await checkScope(db, actor, input);
  const id = await db.transaction(async (tx) => {
    const existing = (await loadAssignments(tx, actor.organisationId)).find(
      (a) =>
        a.siteId === place.siteId &&
        a.stationId === place.stationId &&
        a.evseId === input.evseId &&
        a.groupId === input.groupId,
    );
    if (existing) await tx.delete(tariffAssignments).where(eq(tariffAssignments.id, existing.id));
    const [row] = await tx
      .insert(tariffAssignments)
      .values({
        organisationId: actor.organisationId,
        tariffId: tariff.id,
        siteId: place.siteId,
        stationId: place.stationId,
        evseId: input.evseId,
        groupId: input.groupId,
      })
      .returning({ id: tariffAssignments.id });
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actorOf(actor), {
      action: 'tariff.assign',
      targetType: 'tariff',
      targetId: tariff.id,
      details: {
        ...place,
        evseId: input.evseId,
        groupId: input.groupId,
        replaced: existing?.tariffName ?? null,
      },
    });
    return row.id;
  });
  publish({ type: 'tariff:updated', organisationId: actor.organisationId, tariffId: tariff.id });
  return id;
}

/** Removes an assignment (the next less specific one applies to new sessions). */
export async function unassignTariff(db: Db, actor: SessionUser, assignmentId: string): Promise<void> {
  assertCan(actor, 'billing:manage');
  if (!isUuid(assignmentId)) throw notFound('Assignment');
  const assignment = (await loadAssignments(db, actor.organisationId)).find((a) => a.id === assignmentId);
  if (!assignment || !visibleTo(actor, assignment)) throw notFound('Assignment');
  if (assignment.siteId === null && assignment.stationId === null && actor.role !== 'admin')
    throw forbiddenError('Only administrators change organisation-wide tariffs');
  await db.transaction(async (tx) => {
    await tx.delete(tariffAssignments).where(eq(tariffAssignments.id, assignment.id));
    await recordAudit(tx, actorOf(actor), {
      action: 'tariff.unassign',
      targetType: 'tariff',
      targetId: assignment.tariffId,
      details: {
        siteId: assignment.siteId,
        stationId: assignment.stationId,
        evseId: assignment.evseId,
        groupId: assignment.groupId,
      },
    });
  });
  publish({ type: 'tariff:updated', organisationId: actor.organisationId, tariffId: assignment.tariffId });
}

/** The tariff choice for a session context with the version in force at `at`, or null when none applies. */
export interface ResolvedTariff {
  choice: TariffChoice;
  version: TariffVersion;
}

/**
 * Which tariff (and version) applies at a station for a driver's groups at a time. Assignments whose
 * tariff has no version in force then are skipped, so a tariff that starts next month does not
 * shadow the one in force today.
 */
export async function resolveTariffAt(
  db: DbOrTx,
  organisationId: string,
  ctx: { siteId: string | null; stationId: string; evseId: number | null; groupIds: readonly string[] },
  at: Date,
): Promise<ResolvedTariff | null> {
  const assignments = await loadAssignments(db, organisationId);
  if (assignments.length === 0) return null;
  const tariffIds = [...new Set(assignments.map((a) => a.tariffId))];
  const rows = await versionsOf(db, tariffIds);
  const inForce = new Map<string, TariffVersion>();
  for (const a of assignments) {
    if (inForce.has(a.tariffId)) continue;
    const row = versionInForce(
      rows.filter((r) => r.tariffId === a.tariffId),
      at,
    );
    if (row) inForce.set(a.tariffId, toTariffVersion(row, a.tariffName));
  }
  const choice = resolveTariff(
    assignments.filter((a) => inForce.has(a.tariffId)),
    ctx,
    (id) => inForce.get(id)?.base.energyPerKwh ?? null,
  );
  if (!choice) return null;
  const version = inForce.get(choice.assignment.tariffId);
  return version ? { choice, version } : null;
}

/** The pricing page's question: which tariff does this group (or no group) pay at this station now? */
export async function tariffForStation(
  db: Db,
  actor: SessionUser,
  input: { stationId: string; evseId: number | null; groupId: string | null },
  now = new Date(),
): Promise<(ResolvedTariff & { timeZone: string }) | null> {
  assertCan(actor, 'billing:view');
  if (!isUuid(input.stationId)) throw notFound('Station');
  const [station] = await db
    .select({ id: chargingStations.id, siteId: chargingStations.siteId, timezone: sites.timezone })
    .from(chargingStations)
    .leftJoin(sites, eq(sites.id, chargingStations.siteId))
    .where(
      and(
        eq(chargingStations.id, input.stationId),
        eq(chargingStations.organisationId, actor.organisationId),
      ),
    );
  if (!station || !canAccessStation(actor, station)) throw notFound('Station');
  const resolved = await resolveTariffAt(
    db,
    actor.organisationId,
    {
      siteId: station.siteId,
      stationId: station.id,
      evseId: input.evseId,
      groupIds: input.groupId ? [input.groupId] : [],
    },
    now,
  );
  return resolved ? { ...resolved, timeZone: station.timezone ?? 'UTC' } : null;
}

/** An example session for the editor's preview. */
export interface ExampleSession {
  startLocal: string; // 'YYYY-MM-DDTHH:MM' in the zone
  chargingMinutes: number;
  idleMinutes: number;
  energyKwh: number;
  timeZone: string;
}

/**
 * Prices an example session with the version a (possibly unsaved) form describes: the editor's live
 * preview. Pure apart from parsing; nothing is stored.
 */
export function previewTariff(raw: unknown, example: ExampleSession): CostBreakdown {
  const version = parseVersion(raw);
  const start = localToInstant(example.startLocal, example.timeZone);
  if (!start) throw invalid('Enter the example start time', { startLocal: 'Enter a date and time' });
  const chargingMs = Math.max(0, example.chargingMinutes) * 60_000;
  const idleMs = Math.max(0, example.idleMinutes) * 60_000;
  const usage: SessionUsage = {
    startedAt: start,
    endedAt: new Date(start.getTime() + chargingMs + idleMs),
    meterStartWh: 0,
    meterStopWh: Math.round(Math.max(0, example.energyKwh) * 1000),
    readings: [],
    states: idleMs > 0 ? [{ at: new Date(start.getTime() + chargingMs), state: 'idle' }] : [],
  };
  return priceSession(
    {
      id: 'preview',
      tariffId: 'preview',
      tariffName: 'Preview',
      validFrom: start,
      currency: version.currency,
      taxRateBp: version.taxRateBp,
      pricesIncludeTax: version.pricesIncludeTax,
      base: {
        energyPerKwh: version.energyPerKwh,
        timePerMinute: version.timePerMinute,
        idlePerMinute: version.idlePerMinute,
      },
      sessionFee: version.sessionFee,
      idleGraceMinutes: version.idleGraceMinutes,
      minPrice: version.minPrice,
      maxPrice: version.maxPrice,
      bands: version.bands,
    },
    usage,
    example.timeZone,
  );
}

/** A local wall time in a zone to the instant (the first of two in the repeated autumn hour). */
function localToInstant(local: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const asUtc = Date.UTC(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
  );
  if (Number.isNaN(asUtc)) return null;
  return new Date(instantOfLocalTime(asUtc, timeZone));
}
