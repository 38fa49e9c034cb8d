import { and, asc, desc, eq, gt, gte, ilike, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import { isUniqueViolation } from '@/lib/db/errors';
import {
  parts,
  stockLevels,
  stockLocations,
  stockMovements,
  users,
  workOrders,
  type Part,
  type StockLevel,
  type StockLocation,
  type StockLocationKind,
  type StockMovementKind,
} from '@/lib/db/schema';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError, conflict, forbiddenError, notFound } from '@/lib/errors';
import { isUuid } from '@/lib/validation/ids';
import {
  adjustInput,
  minimumInput,
  partInput,
  receiveInput,
  stockLocationInput,
  transferInput,
} from '@/lib/validation/parts';
import { recordAudit, type Actor } from './audit';
import { assertCan } from './authorize';
import { containsPattern } from './drivers';
import { actorOf, type SessionUser } from './users';

/**
 * Spare parts: the catalogue, the places stock is kept (warehouses and technicians' vans), how much
 * each holds, and the movements between them. Parts belong to the organisation, not to a site.
 * Every change of a quantity writes a movement in the same transaction, so the history explains
 * every level.
 */

/** A row of the catalogue. */
export interface PartSummary {
  id: string;
  sku: string;
  name: string;
  description: string;
  compatibleModels: string[];
  unitCostMinor: number | null;
  currency: string;
  /** Units held across all locations. */
  totalQuantity: number;
  /** Locations holding fewer than their minimum of this part. */
  lowLocations: number;
  lowStock: boolean;
}

/** A warehouse or a van, with what it holds. */
export interface StockLocationView {
  id: string;
  kind: StockLocationKind;
  name: string;
  technicianId: string | null;
  technicianName: string | null;
  /** Distinct parts held (quantity above 0). */
  partCount: number;
  totalQuantity: number;
  /** Parts held below their minimum here. */
  lowCount: number;
}

/** One location's quantity and minimum of a part (0 and 0 where it never held any). */
export interface PartLevelView {
  locationId: string;
  locationName: string;
  kind: StockLocationKind;
  technicianName: string | null;
  quantity: number;
  minimum: number;
  low: boolean;
}

/** One part's quantity and minimum at a location. */
export interface LocationLevelView {
  partId: string;
  sku: string;
  name: string;
  quantity: number;
  minimum: number;
  low: boolean;
}

/** A line of the movements history. */
export interface MovementView {
  id: number;
  at: Date;
  kind: StockMovementKind;
  partId: string;
  sku: string;
  partName: string;
  /** Units moved; for an adjustment, the signed change. */
  quantity: number;
  fromLocation: { id: string; name: string } | null;
  toLocation: { id: string; name: string } | null;
  workOrder: { id: string; number: number } | null;
  note: string | null;
  actorName: string | null;
}

/** A (location, part) below its minimum. */
export interface LowStockRow {
  partId: string;
  sku: string;
  partName: string;
  locationId: string;
  locationName: string;
  kind: StockLocationKind;
  technicianName: string | null;
  quantity: number;
  minimum: number;
  /** Units needed to reach the minimum. */
  shortBy: number;
}

/** What a technician carries: their van and the parts in it. */
export interface VanStock {
  location: { id: string; name: string } | null;
  items: { partId: string; sku: string; name: string; compatibleModels: string[]; quantity: number }[];
}

const defaultMovementLimit = 100;
const maxMovementLimit = 500;
const catalogueLimit = 1000;

const skuTaken = () =>
  conflict('A part with this SKU exists already', { sku: 'A part with this SKU exists already' });
const vanTaken = () =>
  conflict('This technician has a van already', { technicianId: 'This technician has a van already' });

const vanName = (technicianName: string) => `Van – ${technicianName}`;

const systemActor = (organisationId: string): Actor => ({
  kind: 'system',
  label: 'ChargeOps',
  organisationId,
});

/** Sums as numbers on both drivers (PostgreSQL returns bigint sums as strings). */
const intOf = (expression: SQL) => sql<number>`(${expression})::int`.mapWith(Number);

// ---------------------------------------------------------------------------------------------
// Catalogue

/** The catalogue by name, with the stock held across locations; `q` finds a SKU, name, description or model. */
export async function listParts(
  db: Db,
  actor: SessionUser,
  filter: { q?: string } = {},
): Promise<PartSummary[]> {
  assertCan(actor, 'maintenance:view');
  const q = filter.q?.trim();
  const pattern = q ? containsPattern(q) : null;
  const rows = await db
    .select({
      id: parts.id,
      sku: parts.sku,
      name: parts.name,
      description: parts.description,
      compatibleModels: parts.compatibleModels,
      unitCostMinor: parts.unitCostMinor,
      currency: parts.currency,
      totalQuantity: intOf(sql`coalesce(sum(${stockLevels.quantity}), 0)`),
      lowLocations: intOf(
        sql`count(${stockLevels.partId}) filter (where ${stockLevels.quantity} < ${stockLevels.minimum})`,
      ),
    })
    .from(parts)
    .leftJoin(stockLevels, eq(stockLevels.partId, parts.id))
    .where(
      and(
        eq(parts.organisationId, actor.organisationId),
        pattern
          ? or(
              ilike(parts.sku, pattern),
              ilike(parts.name, pattern),
              ilike(parts.description, pattern),
              ilike(sql`${parts.compatibleModels}::text`, pattern),
            )
          : undefined,
      ),
    )
    .groupBy(parts.id)
    .orderBy(asc(parts.name), asc(parts.sku))
    .limit(catalogueLimit);
  return rows.map((row) => ({ ...row, lowStock: row.lowLocations > 0 }));
}

async function loadPart(db: DbOrTx, organisationId: string, id: string): Promise<Part> {
  if (!isUuid(id)) throw notFound('Part');
  const [part] = await db
    .select()
    .from(parts)
    .where(and(eq(parts.id, id), eq(parts.organisationId, organisationId)));
  if (!part) throw notFound('Part');
  return part;
}

/**
 * Refuses a SKU already used in the organisation. The database only refuses the exact spelling;
 * "abb-ct-32a" next to "ABB-CT-32A" would be the same part entered twice.
 */
async function assertSkuFree(db: DbOrTx, organisationId: string, sku: string, exceptId?: string) {
  const [taken] = await db
    .select({ id: parts.id })
    .from(parts)
    .where(
      and(
        eq(parts.organisationId, organisationId),
        sql`lower(${parts.sku}) = lower(${sku})`,
        exceptId ? ne(parts.id, exceptId) : undefined,
      ),
    );
  if (taken) throw skuTaken();
}

async function mapSkuRace<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Two people adding the same SKU at once: the unique index decides.
    if (isUniqueViolation(error)) throw skuTaken();
    throw error;
  }
}

const partDetails = (part: Part) => ({
  sku: part.sku,
  name: part.name,
  description: part.description,
  compatibleModels: part.compatibleModels,
  unitCostMinor: part.unitCostMinor,
  currency: part.currency,
});

/** Adds a part to the catalogue. */
export async function createPart(db: Db, actor: SessionUser, raw: z.input<typeof partInput>): Promise<Part> {
  assertCan(actor, 'parts:manage');
  const input = partInput.parse(raw);
  return mapSkuRace(() =>
    db.transaction(async (tx) => {
      await assertSkuFree(tx, actor.organisationId, input.sku);
      const [created] = await tx
        .insert(parts)
        .values({
          organisationId: actor.organisationId,
          sku: input.sku,
          name: input.name,
          description: input.description,
          compatibleModels: input.compatibleModels,
          unitCostMinor: input.unitCostMinor ?? null,
          currency: input.currency,
        })
        .returning();
      if (!created) throw new Error('insert returned no row');
      await recordAudit(tx, actorOf(actor), {
        action: 'part.create',
        targetType: 'part',
        targetId: created.id,
        details: partDetails(created),
      });
      return created;
    }),
  );
}

/** Changes a part's SKU, name, description, models or cost. */
export async function updatePart(
  db: Db,
  actor: SessionUser,
  id: string,
  raw: z.input<typeof partInput>,
): Promise<Part> {
  assertCan(actor, 'parts:manage');
  const input = partInput.parse(raw);
  return mapSkuRace(() =>
    db.transaction(async (tx) => {
      const before = await loadPart(tx, actor.organisationId, id);
      await assertSkuFree(tx, actor.organisationId, input.sku, before.id);
      const [updated] = await tx
        .update(parts)
        .set({
          sku: input.sku,
          name: input.name,
          description: input.description,
          compatibleModels: input.compatibleModels,
          unitCostMinor: input.unitCostMinor ?? null,
          currency: input.currency,
        })
        .where(eq(parts.id, before.id))
        .returning();
      if (!updated) throw notFound('Part');
      await recordAudit(tx, actorOf(actor), {
        action: 'part.update',
        targetType: 'part',
        targetId: before.id,
        details: { from: partDetails(before), to: partDetails(updated) },
      });
      return updated;
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Locations

/** Warehouses first, then vans, each by name, with what they hold. */
export async function listStockLocations(db: Db, actor: SessionUser): Promise<StockLocationView[]> {
  assertCan(actor, 'maintenance:view');
  return db
    .select({
      id: stockLocations.id,
      kind: stockLocations.kind,
      name: stockLocations.name,
      technicianId: stockLocations.technicianId,
      technicianName: users.name,
      partCount: intOf(sql`count(${stockLevels.partId}) filter (where ${stockLevels.quantity} > 0)`),
      totalQuantity: intOf(sql`coalesce(sum(${stockLevels.quantity}), 0)`),
      lowCount: intOf(
        sql`count(${stockLevels.partId}) filter (where ${stockLevels.quantity} < ${stockLevels.minimum})`,
      ),
    })
    .from(stockLocations)
    .leftJoin(users, eq(users.id, stockLocations.technicianId))
    .leftJoin(stockLevels, eq(stockLevels.locationId, stockLocations.id))
    .where(eq(stockLocations.organisationId, actor.organisationId))
    .groupBy(stockLocations.id, users.name)
    .orderBy(asc(stockLocations.kind), asc(stockLocations.name));
}

async function loadLocation(
  db: DbOrTx,
  organisationId: string,
  id: string,
  field = 'locationId',
): Promise<StockLocation> {
  const missing = () =>
    new AppError('not_found', 'Stock location not found', {
      [field]: 'Choose a location of your organisation',
    });
  if (!isUuid(id)) throw missing();
  const [location] = await db
    .select()
    .from(stockLocations)
    .where(and(eq(stockLocations.id, id), eq(stockLocations.organisationId, organisationId)));
  if (!location) throw missing();
  return location;
}

/** Technicians of the organisation who have no van yet (for the "add van" form). */
export async function listVanCandidates(db: Db, actor: SessionUser): Promise<{ id: string; name: string }[]> {
  assertCan(actor, 'maintenance:view');
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .leftJoin(stockLocations, eq(stockLocations.technicianId, users.id))
    .where(
      and(
        eq(users.organisationId, actor.organisationId),
        eq(users.role, 'technician'),
        eq(users.active, true),
        isNull(stockLocations.id),
      ),
    )
    .orderBy(asc(users.name));
}

/** Adds a warehouse, or a technician's van (one per technician). */
export async function createStockLocation(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof stockLocationInput>,
): Promise<StockLocation> {
  assertCan(actor, 'parts:manage');
  const input = stockLocationInput.parse(raw);
  try {
    return await db.transaction(async (tx) => {
      let technician: { id: string; name: string } | null = null;
      if (input.kind === 'van' && input.technicianId) {
        const [found] = await tx
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(
            and(
              eq(users.id, input.technicianId),
              eq(users.organisationId, actor.organisationId),
              eq(users.role, 'technician'),
            ),
          );
        if (!found)
          throw new AppError('not_found', 'Technician not found', {
            technicianId: 'Choose a technician of your organisation',
          });
        technician = found;
        const [existing] = await tx
          .select({ id: stockLocations.id })
          .from(stockLocations)
          .where(eq(stockLocations.technicianId, found.id));
        if (existing) throw vanTaken();
      }
      const name = input.name ?? (technician ? vanName(technician.name) : '');
      const [created] = await tx
        .insert(stockLocations)
        .values({
          organisationId: actor.organisationId,
          kind: input.kind,
          name,
          technicianId: technician?.id ?? null,
        })
        .returning();
      if (!created) throw new Error('insert returned no row');
      await recordAudit(tx, actorOf(actor), {
        action: 'stock-location.create',
        targetType: 'stock-location',
        targetId: created.id,
        details: { kind: created.kind, name: created.name, technicianId: created.technicianId },
      });
      return created;
    });
  } catch (error) {
    // Two people adding the same technician's van at once: the unique index decides.
    if (isUniqueViolation(error)) throw vanTaken();
    throw error;
  }
}

/**
 * The id of a technician's van, created as "Van – <name>" if they have none. Runs in the caller's
 * transaction (the work-order code calls it when a technician records a part); safe to call twice,
 * also at the same time.
 */
export async function ensureVan(
  tx: DbOrTx,
  organisationId: string,
  technician: { id: string; name: string },
): Promise<string> {
  const find = async () => {
    const [van] = await tx
      .select({ id: stockLocations.id })
      .from(stockLocations)
      .where(
        and(
          eq(stockLocations.technicianId, technician.id),
          eq(stockLocations.organisationId, organisationId),
        ),
      );
    return van?.id ?? null;
  };
  const existing = await find();
  if (existing) return existing;
  const [created] = await tx
    .insert(stockLocations)
    .values({ organisationId, kind: 'van', name: vanName(technician.name), technicianId: technician.id })
    .onConflictDoNothing({ target: stockLocations.technicianId })
    .returning({ id: stockLocations.id });
  if (created) {
    await recordAudit(tx, systemActor(organisationId), {
      action: 'stock-location.create',
      targetType: 'stock-location',
      targetId: created.id,
      details: { kind: 'van', name: vanName(technician.name), technicianId: technician.id, automatic: true },
    });
    return created.id;
  }
  // Another transaction created it between the look-up and the insert.
  const raced = await find();
  if (!raced) throw new Error(`technician ${technician.id} has a van in another organisation`);
  return raced;
}

// ---------------------------------------------------------------------------------------------
// Stock and movements

const fromLocations = alias(stockLocations, 'from_location');
const toLocations = alias(stockLocations, 'to_location');

async function movements(
  db: DbOrTx,
  organisationId: string,
  filter: { partId?: string; locationId?: string; limit?: number },
): Promise<MovementView[]> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? defaultMovementLimit), 1), maxMovementLimit);
  const rows = await db
    .select({
      id: stockMovements.id,
      at: stockMovements.at,
      kind: stockMovements.kind,
      partId: stockMovements.partId,
      sku: parts.sku,
      partName: parts.name,
      quantity: stockMovements.quantity,
      fromId: fromLocations.id,
      fromName: fromLocations.name,
      toId: toLocations.id,
      toName: toLocations.name,
      workOrderId: workOrders.id,
      workOrderNumber: workOrders.number,
      note: stockMovements.note,
      actorName: users.name,
    })
    .from(stockMovements)
    .innerJoin(parts, eq(parts.id, stockMovements.partId))
    .leftJoin(fromLocations, eq(fromLocations.id, stockMovements.fromLocationId))
    .leftJoin(toLocations, eq(toLocations.id, stockMovements.toLocationId))
    .leftJoin(workOrders, eq(workOrders.id, stockMovements.workOrderId))
    .leftJoin(users, eq(users.id, stockMovements.actorId))
    .where(
      and(
        eq(stockMovements.organisationId, organisationId),
        filter.partId ? eq(stockMovements.partId, filter.partId) : undefined,
        filter.locationId
          ? or(
              eq(stockMovements.fromLocationId, filter.locationId),
              eq(stockMovements.toLocationId, filter.locationId),
            )
          : undefined,
      ),
    )
    // The id breaks ties between movements of one transaction, which share a timestamp.
    .orderBy(desc(stockMovements.at), desc(stockMovements.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    kind: row.kind,
    partId: row.partId,
    sku: row.sku,
    partName: row.partName,
    quantity: row.quantity,
    fromLocation: row.fromId && row.fromName !== null ? { id: row.fromId, name: row.fromName } : null,
    toLocation: row.toId && row.toName !== null ? { id: row.toId, name: row.toName } : null,
    workOrder:
      row.workOrderId && row.workOrderNumber !== null
        ? { id: row.workOrderId, number: row.workOrderNumber }
        : null,
    note: row.note,
    actorName: row.actorName,
  }));
}

/** Stock history, newest first: receipts, transfers, use on work orders and count adjustments. */
export async function listMovements(
  db: Db,
  actor: SessionUser,
  filter: { partId?: string; locationId?: string; limit?: number } = {},
): Promise<MovementView[]> {
  assertCan(actor, 'maintenance:view');
  if ((filter.partId && !isUuid(filter.partId)) || (filter.locationId && !isUuid(filter.locationId)))
    return [];
  return movements(db, actor.organisationId, filter);
}

/** One part: its catalogue row, its quantity and minimum at every location, and its last 100 movements. */
export async function getPartStock(
  db: Db,
  actor: SessionUser,
  partId: string,
): Promise<{ part: PartSummary; levels: PartLevelView[]; movements: MovementView[] }> {
  assertCan(actor, 'maintenance:view');
  const part = await loadPart(db, actor.organisationId, partId);
  const [levelRows, history] = await Promise.all([
    db
      .select({
        locationId: stockLocations.id,
        locationName: stockLocations.name,
        kind: stockLocations.kind,
        technicianName: users.name,
        quantity: stockLevels.quantity,
        minimum: stockLevels.minimum,
      })
      .from(stockLocations)
      .leftJoin(users, eq(users.id, stockLocations.technicianId))
      .leftJoin(
        stockLevels,
        and(eq(stockLevels.locationId, stockLocations.id), eq(stockLevels.partId, part.id)),
      )
      .where(eq(stockLocations.organisationId, actor.organisationId))
      .orderBy(asc(stockLocations.kind), asc(stockLocations.name)),
    movements(db, actor.organisationId, { partId: part.id, limit: defaultMovementLimit }),
  ]);
  const levels = levelRows.map((row) => {
    const quantity = row.quantity ?? 0;
    const minimum = row.minimum ?? 0;
    return { ...row, quantity, minimum, low: quantity < minimum };
  });
  const totalQuantity = levels.reduce((sum, level) => sum + level.quantity, 0);
  const lowLocations = levels.filter((level) => level.low).length;
  return {
    part: {
      id: part.id,
      sku: part.sku,
      name: part.name,
      description: part.description,
      compatibleModels: part.compatibleModels,
      unitCostMinor: part.unitCostMinor,
      currency: part.currency,
      totalQuantity,
      lowLocations,
      lowStock: lowLocations > 0,
    },
    levels,
    movements: history,
  };
}

/** One location: what it holds (every part it has a level for) and its last 100 movements. */
export async function getStockLocation(
  db: Db,
  actor: SessionUser,
  locationId: string,
): Promise<{ location: StockLocationView; levels: LocationLevelView[]; movements: MovementView[] }> {
  assertCan(actor, 'maintenance:view');
  const location = await loadLocation(db, actor.organisationId, locationId).catch((error: unknown) => {
    throw error instanceof AppError && error.kind === 'not_found' ? notFound('Stock location') : error;
  });
  const [[technician], levelRows, history] = await Promise.all([
    location.technicianId
      ? db.select({ name: users.name }).from(users).where(eq(users.id, location.technicianId))
      : Promise.resolve([]),
    db
      .select({
        partId: parts.id,
        sku: parts.sku,
        name: parts.name,
        quantity: stockLevels.quantity,
        minimum: stockLevels.minimum,
      })
      .from(stockLevels)
      .innerJoin(parts, eq(parts.id, stockLevels.partId))
      .where(eq(stockLevels.locationId, location.id))
      .orderBy(asc(parts.name), asc(parts.sku)),
    movements(db, actor.organisationId, { locationId: location.id, limit: defaultMovementLimit }),
  ]);
  const levels = levelRows.map((row) => ({ ...row, low: row.quantity < row.minimum }));
  return {
    location: {
      id: location.id,
      kind: location.kind,
      name: location.name,
      technicianId: location.technicianId,
      technicianName: technician?.name ?? null,
      partCount: levels.filter((level) => level.quantity > 0).length,
      totalQuantity: levels.reduce((sum, level) => sum + level.quantity, 0),
      lowCount: levels.filter((level) => level.low).length,
    },
    levels,
    movements: history,
  };
}

const levelOf = (locationId: string, partId: string) =>
  and(eq(stockLevels.locationId, locationId), eq(stockLevels.partId, partId));

/** Adds units to a location's level, creating the level on the first receipt or transfer in. */
async function addToLevel(
  tx: DbOrTx,
  locationId: string,
  partId: string,
  quantity: number,
): Promise<StockLevel> {
  const [level] = await tx
    .insert(stockLevels)
    .values({ locationId, partId, quantity })
    .onConflictDoUpdate({
      target: [stockLevels.locationId, stockLevels.partId],
      set: { quantity: sql`${stockLevels.quantity} + excluded.quantity` },
    })
    .returning();
  if (!level) throw new Error('upsert returned no row');
  return level;
}

/** Records stock arriving at a location (a delivery from a supplier). */
export async function receiveStock(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof receiveInput>,
): Promise<StockLevel> {
  assertCan(actor, 'parts:manage');
  const input = receiveInput.parse(raw);
  return db.transaction(async (tx) => {
    const part = await loadPart(tx, actor.organisationId, input.partId);
    const location = await loadLocation(tx, actor.organisationId, input.locationId);
    const level = await addToLevel(tx, location.id, part.id, input.quantity);
    await tx.insert(stockMovements).values({
      organisationId: actor.organisationId,
      partId: part.id,
      kind: 'received',
      toLocationId: location.id,
      quantity: input.quantity,
      note: input.note ?? null,
      actorId: actor.id,
    });
    await recordAudit(tx, actorOf(actor), {
      action: 'stock.receive',
      targetType: 'part',
      targetId: part.id,
      details: { sku: part.sku, location: location.name, quantity: input.quantity, note: input.note },
    });
    return level;
  });
}

/**
 * Moves units from one location to another (warehouse to van, van to van). The source is checked
 * and decremented in one statement, so two transfers at once can never take more than it holds.
 */
export async function transferStock(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof transferInput>,
): Promise<{ from: StockLevel; to: StockLevel }> {
  assertCan(actor, 'parts:manage');
  const input = transferInput.parse(raw);
  return db.transaction(async (tx) => {
    const part = await loadPart(tx, actor.organisationId, input.partId);
    const from = await loadLocation(tx, actor.organisationId, input.fromLocationId, 'fromLocationId');
    const to = await loadLocation(tx, actor.organisationId, input.toLocationId, 'toLocationId');
    const takeFromSource = async () => {
      const [level] = await tx
        .update(stockLevels)
        .set({ quantity: sql`${stockLevels.quantity} - ${input.quantity}` })
        .where(and(levelOf(from.id, part.id), gte(stockLevels.quantity, input.quantity)))
        .returning();
      if (level) return level;
      const [held] = await tx
        .select({ quantity: stockLevels.quantity })
        .from(stockLevels)
        .where(levelOf(from.id, part.id));
      const message = `${from.name} holds only ${held?.quantity ?? 0} of ${part.sku}`;
      throw new AppError('precondition_failed', message, { quantity: message });
    };
    // Both rows are locked in one order (by location id) whatever the direction, so an A→B and a
    // B→A transfer at the same time wait for each other instead of deadlocking.
    let source: StockLevel;
    let destination: StockLevel;
    if (from.id < to.id) {
      source = await takeFromSource();
      destination = await addToLevel(tx, to.id, part.id, input.quantity);
    } else {
      destination = await addToLevel(tx, to.id, part.id, input.quantity);
      source = await takeFromSource();
    }
    await tx.insert(stockMovements).values({
      organisationId: actor.organisationId,
      partId: part.id,
      kind: 'transferred',
      fromLocationId: from.id,
      toLocationId: to.id,
      quantity: input.quantity,
      note: input.note ?? null,
      actorId: actor.id,
    });
    await recordAudit(tx, actorOf(actor), {
      action: 'stock.transfer',
      targetType: 'part',
      targetId: part.id,
      details: { sku: part.sku, from: from.name, to: to.name, quantity: input.quantity, note: input.note },
    });
    return { from: source, to: destination };
  });
}

/**
 * Sets a location's quantity to what a stock count found; the movement keeps the signed
 * difference. A count that matches changes nothing and writes no movement, only the audit row.
 */
export async function adjustStock(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof adjustInput>,
): Promise<{ level: StockLevel; difference: number }> {
  assertCan(actor, 'parts:manage');
  const input = adjustInput.parse(raw);
  return db.transaction(async (tx) => {
    const part = await loadPart(tx, actor.organisationId, input.partId);
    const location = await loadLocation(tx, actor.organisationId, input.locationId);
    // Lock the level (creating it if the location never held the part) so a transfer cannot slip
    // in between reading the old quantity and writing the counted one.
    await tx.insert(stockLevels).values({ locationId: location.id, partId: part.id }).onConflictDoNothing();
    const [current] = await tx
      .select({ quantity: stockLevels.quantity })
      .from(stockLevels)
      .where(levelOf(location.id, part.id))
      .for('update');
    const previous = current?.quantity ?? 0;
    const difference = input.countedQuantity - previous;
    const [level] = await tx
      .update(stockLevels)
      .set({ quantity: input.countedQuantity })
      .where(levelOf(location.id, part.id))
      .returning();
    if (!level) throw new Error('stock level vanished');
    if (difference !== 0)
      await tx.insert(stockMovements).values({
        organisationId: actor.organisationId,
        partId: part.id,
        kind: 'adjusted',
        // An adjustment names its location as `to` whatever the sign; the quantity says the direction.
        toLocationId: location.id,
        quantity: difference,
        note: input.note,
        actorId: actor.id,
      });
    await recordAudit(tx, actorOf(actor), {
      action: 'stock.adjust',
      targetType: 'part',
      targetId: part.id,
      details: {
        sku: part.sku,
        location: location.name,
        previous,
        counted: input.countedQuantity,
        difference,
        note: input.note,
      },
    });
    return { level, difference };
  });
}

/** Sets the level below which a location is restocked with a part (0: never low). */
export async function setMinimum(
  db: Db,
  actor: SessionUser,
  raw: z.input<typeof minimumInput>,
): Promise<StockLevel> {
  assertCan(actor, 'parts:manage');
  const input = minimumInput.parse(raw);
  return db.transaction(async (tx) => {
    const part = await loadPart(tx, actor.organisationId, input.partId);
    const location = await loadLocation(tx, actor.organisationId, input.locationId);
    const [before] = await tx
      .select({ minimum: stockLevels.minimum })
      .from(stockLevels)
      .where(levelOf(location.id, part.id));
    const [level] = await tx
      .insert(stockLevels)
      .values({ locationId: location.id, partId: part.id, minimum: input.minimum })
      .onConflictDoUpdate({
        target: [stockLevels.locationId, stockLevels.partId],
        set: { minimum: input.minimum },
      })
      .returning();
    if (!level) throw new Error('upsert returned no row');
    await recordAudit(tx, actorOf(actor), {
      action: 'stock.set-minimum',
      targetType: 'part',
      targetId: part.id,
      details: { sku: part.sku, location: location.name, from: before?.minimum ?? 0, to: input.minimum },
    });
    return level;
  });
}

/** Every (location, part) holding fewer than its minimum, by location then part. */
export async function listLowStock(db: Db, actor: SessionUser): Promise<LowStockRow[]> {
  assertCan(actor, 'maintenance:view');
  const rows = await db
    .select({
      partId: parts.id,
      sku: parts.sku,
      partName: parts.name,
      locationId: stockLocations.id,
      locationName: stockLocations.name,
      kind: stockLocations.kind,
      technicianName: users.name,
      quantity: stockLevels.quantity,
      minimum: stockLevels.minimum,
    })
    .from(stockLevels)
    .innerJoin(parts, eq(parts.id, stockLevels.partId))
    .innerJoin(stockLocations, eq(stockLocations.id, stockLevels.locationId))
    .leftJoin(users, eq(users.id, stockLocations.technicianId))
    .where(and(eq(parts.organisationId, actor.organisationId), lt(stockLevels.quantity, stockLevels.minimum)))
    .orderBy(asc(stockLocations.kind), asc(stockLocations.name), asc(parts.name), asc(parts.sku));
  return rows.map((row) => ({ ...row, shortBy: row.minimum - row.quantity }));
}

/**
 * The parts in a technician's van (quantity above 0). A technician sees their own van only;
 * people who see maintenance may name any technician of the organisation.
 */
export async function vanStock(
  db: Db,
  actor: SessionUser,
  options: { technicianId?: string } = {},
): Promise<VanStock> {
  const seesEveryVan = roleCan(actor.role, 'maintenance:view');
  if (!seesEveryVan) assertCan(actor, 'work-orders:work');
  const technicianId = options.technicianId ?? actor.id;
  if (!seesEveryVan && technicianId !== actor.id) throw forbiddenError('You can see only your own van');
  if (!isUuid(technicianId)) return { location: null, items: [] };
  const [van] = await db
    .select({ id: stockLocations.id, name: stockLocations.name })
    .from(stockLocations)
    .where(
      and(
        eq(stockLocations.technicianId, technicianId),
        eq(stockLocations.organisationId, actor.organisationId),
      ),
    );
  if (!van) return { location: null, items: [] };
  const items = await db
    .select({
      partId: parts.id,
      sku: parts.sku,
      name: parts.name,
      compatibleModels: parts.compatibleModels,
      quantity: stockLevels.quantity,
    })
    .from(stockLevels)
    .innerJoin(parts, eq(parts.id, stockLevels.partId))
    .where(and(eq(stockLevels.locationId, van.id), gt(stockLevels.quantity, 0)))
    .orderBy(asc(parts.name), asc(parts.sku));
  return { location: van, items };
}
