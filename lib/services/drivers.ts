import { and, asc, eq, gt, ilike, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { toCsv } from '@/lib/csv';
import type { Db, DbOrTx } from '@/lib/db';
import {
  driverGroupMembers,
  driverGroups,
  drivers,
  idTokens,
  type Driver,
  type IdToken,
  type IdTokenKind,
  type IdTokenStatus,
} from '@/lib/db/schema';
import { AppError, conflict, notFound } from '@/lib/errors';
import { blockInput, driverInput, tokenInput, unblockInput } from '@/lib/validation/drivers';
import { recordAudit } from './audit';
import { inAccessChange } from './local-lists';
import { assertCan } from './authorize';
import { actorOf, type SessionUser } from './users';
import { isUniqueViolation } from '@/lib/db/errors';
import { isUuid } from '@/lib/validation/ids';

/**
 * Drivers and the id tokens (RFID cards, app tokens, key fobs) they charge with. Drivers belong to
 * the organisation, not to a site, so managers see and edit all of them; where a token may charge
 * is decided by the access policies of sites and stations (access-policies.ts).
 */

/** A row of the drivers list: the driver with their groups and tokens. */
export interface DriverSummary {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  groups: { id: string; name: string }[];
  tokens: { id: string; idToken: string; kind: IdTokenKind; status: IdTokenStatus; expiresAt: Date | null }[];
  createdAt: Date;
}

/** A row of the tokens list: the token and the name of its driver, if it has one. */
export interface TokenRow extends IdToken {
  driverName: string | null;
}

const listLimit = 500;

/** `%q%` for ILIKE, with the pattern characters of q taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const tokenTaken = () =>
  conflict('This token is already registered', { idToken: 'This token is already registered' });

async function summarise(db: DbOrTx, rows: Driver[]): Promise<DriverSummary[]> {
  const ids = rows.map((r) => r.id);
  const [groups, tokens] =
    ids.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .select({ driverId: driverGroupMembers.driverId, id: driverGroups.id, name: driverGroups.name })
            .from(driverGroupMembers)
            .innerJoin(driverGroups, eq(driverGroups.id, driverGroupMembers.groupId))
            .where(inArray(driverGroupMembers.driverId, ids))
            .orderBy(asc(driverGroups.name)),
          db
            .select({
              driverId: idTokens.driverId,
              id: idTokens.id,
              idToken: idTokens.idToken,
              kind: idTokens.kind,
              status: idTokens.status,
              expiresAt: idTokens.expiresAt,
            })
            .from(idTokens)
            .where(inArray(idTokens.driverId, ids))
            .orderBy(asc(idTokens.createdAt), asc(idTokens.id)),
        ]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    company: r.company,
    groups: groups.filter((g) => g.driverId === r.id).map(({ id, name }) => ({ id, name })),
    tokens: tokens
      .filter((t) => t.driverId === r.id)
      .map(({ id, idToken, kind, status, expiresAt }) => ({ id, idToken, kind, status, expiresAt })),
    createdAt: r.createdAt,
  }));
}

/** Drivers of the organisation by name; `q` finds a name, email, company or token value (any case). */
export async function listDrivers(
  db: Db,
  actor: SessionUser,
  filter: { q?: string } = {},
): Promise<DriverSummary[]> {
  assertCan(actor, 'drivers:view');
  const q = filter.q?.trim();
  let search: SQL | undefined;
  if (q) {
    const pattern = containsPattern(q);
    search = or(
      ilike(drivers.name, pattern),
      ilike(drivers.email, pattern),
      ilike(drivers.company, pattern),
      sql`exists (select 1 from ${idTokens} where ${idTokens.driverId} = ${drivers.id} and ${ilike(idTokens.idToken, pattern)})`,
    );
  }
  const rows = await db
    .select()
    .from(drivers)
    .where(and(eq(drivers.organisationId, actor.organisationId), search))
    .orderBy(asc(drivers.name), asc(drivers.id))
    .limit(listLimit);
  return summarise(db, rows);
}

/**
 * Drivers' ids and names for a choice (a filter's select), by name: the first 500, and `include`
 * too when it is a driver of the organisation beyond them (the one already chosen).
 */
export async function driverNames(
  db: Db,
  actor: SessionUser,
  include?: string,
): Promise<{ id: string; name: string }[]> {
  assertCan(actor, 'drivers:view');
  const columns = { id: drivers.id, name: drivers.name };
  const organisation = eq(drivers.organisationId, actor.organisationId);
  const rows = await db
    .select(columns)
    .from(drivers)
    .where(organisation)
    .orderBy(asc(drivers.name), asc(drivers.id))
    .limit(listLimit);
  if (!include || !isUuid(include) || rows.some((d) => d.id === include)) return rows;
  const chosen = await db
    .select(columns)
    .from(drivers)
    .where(and(organisation, eq(drivers.id, include)));
  return [...chosen, ...rows];
}

async function loadDriver(db: DbOrTx, actor: SessionUser, id: string): Promise<Driver> {
  if (!isUuid(id)) throw notFound('Driver');
  const [driver] = await db
    .select()
    .from(drivers)
    .where(and(eq(drivers.id, id), eq(drivers.organisationId, actor.organisationId)));
  if (!driver) throw notFound('Driver');
  return driver;
}

/** One driver of the organisation, with groups and tokens. */
export async function getDriver(db: Db, actor: SessionUser, id: string): Promise<DriverSummary> {
  assertCan(actor, 'drivers:view');
  const driver = await loadDriver(db, actor, id);
  const [summary] = await summarise(db, [driver]);
  if (!summary) throw notFound('Driver');
  return summary;
}

function driverColumns(input: z.output<typeof driverInput>) {
  return {
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    company: input.company ?? null,
  };
}

/** Adds a driver to the organisation. */
export async function createDriver(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof driverInput>,
): Promise<Driver> {
  assertCan(actor, 'drivers:manage');
  const input = driverInput.parse(raw);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(drivers)
      .values({ organisationId: actor.organisationId, ...driverColumns(input) })
      .returning();
    if (!created) throw new Error('insert returned no row');
    await recordAudit(tx, actorOf(actor), {
      action: 'driver.create',
      targetType: 'driver',
      targetId: created.id,
      details: driverColumns(input),
    });
    return created;
  });
}

/** Edits a driver's name and contact details (blank fields are cleared). */
export async function updateDriver(
  db: Db,
  actor: SessionUser,
  id: string,
  raw: z.input<typeof driverInput>,
): Promise<Driver> {
  assertCan(actor, 'drivers:manage');
  const input = driverInput.parse(raw);
  return db.transaction(async (tx) => {
    const before = await loadDriver(tx, actor, id);
    const [updated] = await tx
      .update(drivers)
      .set({ ...driverColumns(input), updatedAt: new Date() })
      .where(eq(drivers.id, before.id))
      .returning();
    if (!updated) throw notFound('Driver');
    await recordAudit(tx, actorOf(actor), {
      action: 'driver.update',
      targetType: 'driver',
      targetId: before.id,
      details: {
        from: { name: before.name, email: before.email, phone: before.phone, company: before.company },
        to: driverColumns(input),
      },
    });
    return updated;
  });
}

/**
 * The condition for tokens whose status is `status` now: a card marked active whose expiry date has
 * passed is expired (the decision treats it so), not active.
 */
function statusNow(status: IdTokenStatus, now: Date) {
  const lapsed = and(eq(idTokens.status, 'active'), lte(idTokens.expiresAt, now));
  if (status === 'expired') return or(eq(idTokens.status, 'expired'), lapsed);
  if (status === 'active')
    return and(eq(idTokens.status, 'active'), or(isNull(idTokens.expiresAt), gt(idTokens.expiresAt, now)));
  return eq(idTokens.status, status);
}

/**
 * Tokens of the organisation by value; `q` finds a token value, label or driver name (any case),
 * `status` the status a token has now, `driverId` one driver's tokens.
 */
export async function listTokens(
  db: Db,
  actor: SessionUser,
  filter: { q?: string; status?: IdTokenStatus; driverId?: string; limit?: number } = {},
): Promise<TokenRow[]> {
  assertCan(actor, 'drivers:view');
  const q = filter.q?.trim();
  const pattern = q ? containsPattern(q) : undefined;
  const rows = await db
    .select({ token: idTokens, driverName: drivers.name })
    .from(idTokens)
    .leftJoin(drivers, eq(drivers.id, idTokens.driverId))
    .where(
      and(
        eq(idTokens.organisationId, actor.organisationId),
        filter.status ? statusNow(filter.status, new Date()) : undefined,
        filter.driverId ? eq(idTokens.driverId, filter.driverId) : undefined,
        pattern
          ? or(ilike(idTokens.idToken, pattern), ilike(idTokens.label, pattern), ilike(drivers.name, pattern))
          : undefined,
      ),
    )
    .orderBy(sql`upper(${idTokens.idToken})`, asc(idTokens.id))
    .limit(Math.min(Math.max(filter.limit ?? listLimit, 1), 100_000));
  return rows.map((r) => ({ ...r.token, driverName: r.driverName }));
}

async function loadToken(db: DbOrTx, actor: SessionUser, id: string): Promise<IdToken> {
  if (!isUuid(id)) throw notFound('Token');
  const [token] = await db
    .select()
    .from(idTokens)
    .where(and(eq(idTokens.id, id), eq(idTokens.organisationId, actor.organisationId)));
  if (!token) throw notFound('Token');
  return token;
}

/** Refuses a value the organisation already uses (chargers send tokens in any case). */
async function assertTokenFree(db: DbOrTx, actor: SessionUser, value: string, exceptId?: string) {
  const [taken] = await db
    .select({ id: idTokens.id })
    .from(idTokens)
    .where(
      and(
        eq(idTokens.organisationId, actor.organisationId),
        sql`upper(${idTokens.idToken}) = upper(${value})`,
        exceptId ? ne(idTokens.id, exceptId) : undefined,
      ),
    );
  if (taken) throw tokenTaken();
}

async function assertDriverOfOrganisation(db: DbOrTx, actor: SessionUser, driverId: string | undefined) {
  if (driverId === undefined) return;
  const [driver] = await db
    .select({ id: drivers.id })
    .from(drivers)
    .where(and(eq(drivers.id, driverId), eq(drivers.organisationId, actor.organisationId)));
  if (!driver)
    throw new AppError('not_found', 'Driver not found', { driverId: 'Choose a driver of your organisation' });
}

function tokenColumns(input: z.output<typeof tokenInput>) {
  return {
    idToken: input.idToken,
    kind: input.kind,
    ocppType: input.ocppType,
    driverId: input.driverId ?? null,
    expiresAt: input.expiresAt ?? null,
    parentIdTag: input.parentIdTag ?? null,
    label: input.label ?? null,
  };
}

function describeToken(token: IdToken) {
  return {
    idToken: token.idToken,
    kind: token.kind,
    ocppType: token.ocppType,
    driverId: token.driverId,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    parentIdTag: token.parentIdTag,
    label: token.label,
  };
}

/** Registers a token (active) in the organisation, optionally handed to a driver. */
export async function addToken(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof tokenInput>,
): Promise<IdToken> {
  assertCan(actor, 'drivers:manage');
  const input = tokenInput.parse(raw);
  try {
    return await inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
      await assertTokenFree(tx, actor, input.idToken);
      await assertDriverOfOrganisation(tx, actor, input.driverId);
      const [created] = await tx
        .insert(idTokens)
        .values({ organisationId: actor.organisationId, ...tokenColumns(input) })
        .returning();
      if (!created) throw new Error('insert returned no row');
      await recordAudit(tx, actorOf(actor), {
        action: 'id-token.create',
        targetType: 'id-token',
        targetId: created.id,
        details: describeToken(created),
      });
      return created;
    });
  } catch (error) {
    // Two operators registering the same card at once: the unique index decides.
    if (isUniqueViolation(error)) throw tokenTaken();
    throw error;
  }
}

/** Edits a token's value, kind, holder, expiry and labels; its status changes only by block/unblock. */
export async function updateToken(
  db: Db,
  actor: SessionUser,
  id: string,
  raw: z.input<typeof tokenInput>,
): Promise<IdToken> {
  assertCan(actor, 'drivers:manage');
  const input = tokenInput.parse(raw);
  try {
    return await inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
      const before = await loadToken(tx, actor, id);
      await assertTokenFree(tx, actor, input.idToken, before.id);
      await assertDriverOfOrganisation(tx, actor, input.driverId);
      const [updated] = await tx
        .update(idTokens)
        .set({ ...tokenColumns(input), updatedAt: new Date() })
        .where(eq(idTokens.id, before.id))
        .returning();
      if (!updated) throw notFound('Token');
      await recordAudit(tx, actorOf(actor), {
        action: 'id-token.update',
        targetType: 'id-token',
        targetId: before.id,
        details: { from: describeToken(before), to: describeToken(updated) },
      });
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw tokenTaken();
    throw error;
  }
}

/** Blocks a token (lost, stolen, unpaid): stations refuse it with the reason from now on. */
export async function blockToken(
  db: Db,
  actor: SessionUser,
  id: string,
  raw: z.input<typeof blockInput>,
): Promise<IdToken> {
  assertCan(actor, 'drivers:manage');
  const input = blockInput.parse(raw);
  return inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
    const before = await loadToken(tx, actor, id);
    const [updated] = await tx
      .update(idTokens)
      .set({ status: 'blocked', blockedReason: input.reason, updatedAt: new Date() })
      .where(eq(idTokens.id, before.id))
      .returning();
    if (!updated) throw notFound('Token');
    await recordAudit(tx, actorOf(actor), {
      action: 'id-token.block',
      targetType: 'id-token',
      targetId: before.id,
      details: { idToken: before.idToken, reason: input.reason, previousStatus: before.status },
    });
    return updated;
  });
}

/**
 * Blocks every token of a driver that is not blocked yet (someone who left the company, an unpaid
 * account), with one reason, in one change of the access rules. Each token's block is audited as if
 * blocked on its own. Returns how many were blocked.
 */
export async function blockDriverTokens(
  db: Db,
  actor: SessionUser,
  driverId: string,
  raw: z.input<typeof blockInput>,
): Promise<number> {
  assertCan(actor, 'drivers:manage');
  const input = blockInput.parse(raw);
  if (!isUuid(driverId)) throw notFound('Driver');
  return inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
    const [driver] = await tx
      .select({ id: drivers.id, name: drivers.name })
      .from(drivers)
      .where(and(eq(drivers.id, driverId), eq(drivers.organisationId, actor.organisationId)));
    if (!driver) throw notFound('Driver');
    const blocked = await tx
      .update(idTokens)
      .set({ status: 'blocked', blockedReason: input.reason, updatedAt: new Date() })
      .where(and(eq(idTokens.driverId, driver.id), ne(idTokens.status, 'blocked')))
      .returning({ id: idTokens.id, idToken: idTokens.idToken });
    for (const token of blocked)
      await recordAudit(tx, actorOf(actor), {
        action: 'id-token.block',
        targetType: 'id-token',
        targetId: token.id,
        details: { idToken: token.idToken, reason: input.reason, driver: driver.name },
      });
    return blocked.length;
  });
}

/**
 * Lets a blocked token charge again, with the reason (kept in the audit log beside the block's); a
 * token that is not blocked is returned unchanged.
 */
export async function unblockToken(
  db: Db,
  actor: SessionUser,
  id: string,
  raw: z.input<typeof unblockInput>,
): Promise<IdToken> {
  assertCan(actor, 'drivers:manage');
  const input = unblockInput.parse(raw);
  return inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
    const before = await loadToken(tx, actor, id);
    if (before.status !== 'blocked') return before;
    const [updated] = await tx
      .update(idTokens)
      .set({ status: 'active', blockedReason: null, updatedAt: new Date() })
      .where(eq(idTokens.id, before.id))
      .returning();
    if (!updated) throw notFound('Token');
    await recordAudit(tx, actorOf(actor), {
      action: 'id-token.unblock',
      targetType: 'id-token',
      targetId: before.id,
      details: { idToken: before.idToken, reason: input.reason, previousReason: before.blockedReason },
    });
    return updated;
  });
}

/** Every token of the organisation as CSV (the columns the token import reads back). */
export async function exportTokensCsv(db: Db, actor: SessionUser): Promise<string> {
  const tokens = await listTokens(db, actor, { limit: 100_000 });
  return toCsv([
    [
      'id_token',
      'kind',
      'ocpp_type',
      'status',
      'blocked_reason',
      'expires_at',
      'parent_id_tag',
      'label',
      'driver',
    ],
    ...tokens.map((t) => [
      t.idToken,
      t.kind,
      t.ocppType,
      t.status,
      t.blockedReason,
      t.expiresAt?.toISOString(),
      t.parentIdTag,
      t.label,
      t.driverName,
    ]),
  ]);
}

/** Every driver of the organisation as CSV: contact details, groups and tokens (by value). */
export async function exportDriversCsv(db: Db, actor: SessionUser): Promise<string> {
  assertCan(actor, 'drivers:view');
  const rows = await db
    .select()
    .from(drivers)
    .where(eq(drivers.organisationId, actor.organisationId))
    .orderBy(asc(drivers.name), asc(drivers.id));
  // In slices: summarise asks for the groups and tokens of the drivers it is given by id.
  const summaries: DriverSummary[] = [];
  for (let i = 0; i < rows.length; i += 1000)
    summaries.push(...(await summarise(db, rows.slice(i, i + 1000))));
  return toCsv([
    ['name', 'email', 'phone', 'company', 'groups', 'tokens'],
    ...summaries.map((d) => [
      d.name,
      d.email,
      d.phone,
      d.company,
      d.groups.map((g) => g.name).join('; '),
      d.tokens.map((t) => t.idToken).join('; '),
    ]),
  ]);
}
