import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import {
  parts,
  stockLevels,
  stockLocations,
  workOrderParts,
  workOrderPhotos,
  workOrders,
  type WorkOrder,
  type WorkOrderPhoto,
} from '@/lib/db/schema';
import { activeStatuses } from '@/lib/domain/maintenance/work-orders';
import { runCommand, type CommandDeps, type CommandTarget } from '@/lib/commands/send';
import type { StationCommand } from '@/lib/db/schema';
import { AppError, invalid, notFound } from '@/lib/errors';
import { compressPhoto, PhotoError } from '@/lib/media/photos';
import { publish } from '@/lib/realtime/bus';
import { isUuid } from '@/lib/validation/ids';
import {
  fieldCommandInput,
  noteInput,
  partUseInput,
  photoInput,
  signatureInput,
} from '@/lib/validation/work-order-field';
import { addOrderEvent, loadOrder, orderEvent, stationOf, type OrderStation } from './work-orders';
import { actorOf, type SessionUser } from './users';

/**
 * What a technician records on site: the safety checklist, notes, parts from their van, photos and
 * the site contact's signature, and the few remote commands they may send to the station they are
 * working on. Each lands on the work order's timeline.
 */

/** Loads an order the user may work on now: their own, not finished. */
async function loadOwnActiveOrder(db: Db, user: SessionUser, id: string) {
  const loaded = await loadOrder(db, user, id);
  if (loaded.order.assigneeId !== user.id)
    throw new AppError('forbidden', 'Only the assigned technician records work on this order');
  if (!activeStatuses.includes(loaded.order.status))
    throw new AppError(
      'precondition_failed',
      `The work order is ${loaded.order.status.replace('_', ' ')}: nothing more can be recorded on it`,
    );
  return loaded;
}

function published(station: OrderStation, order: WorkOrder): void {
  publish(orderEvent(station, order));
}

/** Confirms one step of the safety checklist (in any order); only while on site. */
export async function confirmChecklistStep(
  db: Db,
  user: SessionUser,
  id: string,
  index: number,
  now = new Date(),
): Promise<WorkOrder> {
  const { order, station } = await loadOwnActiveOrder(db, user, id);
  if (order.status !== 'on_site')
    throw new AppError(
      'precondition_failed',
      'The safety checklist is confirmed on site, before the work starts',
    );
  const item = order.checklist[index];
  if (!item) throw notFound('Checklist step');
  if (item.confirmedAt) return order;
  const checklist = order.checklist.map((step, i) =>
    i === index ? { ...step, confirmedAt: now.toISOString(), confirmedBy: user.name } : step,
  );
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(workOrders)
      .set({ checklist, updatedAt: now })
      .where(and(eq(workOrders.id, order.id), eq(workOrders.status, 'on_site')))
      .returning();
    if (!row) throw new AppError('conflict', 'The work order changed meanwhile: reload and try again');
    await addOrderEvent(tx, order.id, { kind: 'user', user }, now, {
      kind: 'checklist',
      note: `Confirmed: ${item.label}`,
      details: { index },
    });
    return row;
  });
  published(station, updated);
  return updated;
}

/** Adds a note to the order (the technician's, or a manager's). */
export async function addWorkOrderNote(
  db: Db,
  user: SessionUser,
  id: string,
  raw: z.input<typeof noteInput>,
  now = new Date(),
): Promise<void> {
  const { note } = noteInput.parse(raw);
  const { order, station } = await loadOrder(db, user, id);
  if (user.role === 'technician' && order.assigneeId !== user.id)
    throw new AppError('forbidden', 'Only the assigned technician adds notes');
  await db.transaction(async (tx) => {
    await tx
      .update(workOrders)
      .set({ notes: order.notes ? `${order.notes}\n\n${note}` : note, updatedAt: now })
      .where(eq(workOrders.id, order.id));
    await addOrderEvent(tx, order.id, { kind: 'user', user }, now, { kind: 'note', note });
  });
  published(station, order);
}

/** The technician's van, or a clear error when they have none. */
async function vanOf(db: Db, user: SessionUser): Promise<string> {
  const [van] = await db
    .select({ id: stockLocations.id })
    .from(stockLocations)
    .where(
      and(eq(stockLocations.technicianId, user.id), eq(stockLocations.organisationId, user.organisationId)),
    );
  if (!van)
    throw new AppError('precondition_failed', 'You have no van stock: ask your manager to set one up');
  return van.id;
}

/**
 * Records a part used from the technician's van. Stock goes down when the order is resolved; until
 * then the van must hold what every open order of theirs has recorded.
 */
export async function recordPartUse(
  db: Db,
  user: SessionUser,
  id: string,
  raw: z.input<typeof partUseInput>,
  now = new Date(),
): Promise<void> {
  const input = partUseInput.parse(raw);
  const { order, station } = await loadOwnActiveOrder(db, user, id);
  const vanId = await vanOf(db, user);
  await db.transaction(async (tx) => {
    const [held] = await tx
      .select({ quantity: stockLevels.quantity, sku: parts.sku, name: parts.name })
      .from(stockLevels)
      .innerJoin(parts, eq(parts.id, stockLevels.partId))
      .where(
        and(
          eq(stockLevels.locationId, vanId),
          eq(stockLevels.partId, input.partId),
          eq(parts.organisationId, user.organisationId),
        ),
      )
      // Serialises two recordings of the same part from the same van.
      .for('update');
    if (!held) throw invalid('That part is not in your van', { partId: 'Not in your van' });
    const [pending] = await tx
      .select({ n: sql<number>`coalesce(sum(${workOrderParts.quantity}), 0)::int` })
      .from(workOrderParts)
      .where(
        and(
          eq(workOrderParts.locationId, vanId),
          eq(workOrderParts.partId, input.partId),
          isNull(workOrderParts.consumedAt),
        ),
      );
    const free = held.quantity - (pending?.n ?? 0);
    if (input.quantity > free)
      throw invalid(`Your van holds ${free} more of ${held.sku}`, {
        quantity: `Only ${free} left in your van`,
      });
    await tx.insert(workOrderParts).values({
      workOrderId: order.id,
      partId: input.partId,
      locationId: vanId,
      quantity: input.quantity,
      recordedById: user.id,
      recordedAt: now,
    });
    await addOrderEvent(tx, order.id, { kind: 'user', user }, now, {
      kind: 'part',
      note: `${input.quantity} × ${held.sku} ${held.name}`,
      details: { partId: input.partId, quantity: input.quantity },
    });
  });
  published(station, order);
}

/** Removes a part line recorded by mistake (before the order is resolved). */
export async function removePartUse(
  db: Db,
  user: SessionUser,
  id: string,
  lineId: string,
  now = new Date(),
): Promise<void> {
  const { order, station } = await loadOwnActiveOrder(db, user, id);
  if (!isUuid(lineId)) throw notFound('Part line');
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(workOrderParts)
      .where(
        and(
          eq(workOrderParts.id, lineId),
          eq(workOrderParts.workOrderId, order.id),
          isNull(workOrderParts.consumedAt),
        ),
      )
      .returning();
    if (!removed) throw notFound('Part line');
    await addOrderEvent(tx, order.id, { kind: 'user', user }, now, {
      kind: 'part',
      note: `Removed ${removed.quantity} × part recorded by mistake`,
      details: { partId: removed.partId, quantity: -removed.quantity },
    });
  });
  published(station, order);
}

/** Stores a photo from the phone, compressed (and stripped of its location data) on the server. */
export async function addWorkOrderPhoto(
  db: Db,
  user: SessionUser,
  id: string,
  raw: z.input<typeof photoInput>,
  file: Buffer,
  now = new Date(),
): Promise<Pick<WorkOrderPhoto, 'id' | 'kind' | 'width' | 'height'>> {
  const input = photoInput.parse(raw);
  const { order, station } = await loadOwnActiveOrder(db, user, id);
  let photo;
  try {
    photo = await compressPhoto(file);
  } catch (error) {
    if (error instanceof PhotoError) throw invalid(error.message, { photo: error.message });
    throw error;
  }
  const row = await db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(workOrderPhotos)
      .values({
        workOrderId: order.id,
        kind: input.kind,
        caption: input.caption || null,
        contentType: photo.contentType,
        width: photo.width,
        height: photo.height,
        data: photo.data,
        thumbnail: photo.thumbnail,
        uploadedById: user.id,
        takenAt: now,
      })
      .returning({
        id: workOrderPhotos.id,
        kind: workOrderPhotos.kind,
        width: workOrderPhotos.width,
        height: workOrderPhotos.height,
      });
    if (!saved) throw new Error('insert returned no row');
    await addOrderEvent(tx, order.id, { kind: 'user', user }, now, {
      kind: 'photo',
      note: `Photo (${input.kind})${input.caption ? `: ${input.caption}` : ''}`,
      details: { photoId: saved.id },
    });
    return saved;
  });
  published(station, order);
  return row;
}

/** A photo's bytes for someone who may see its work order. */
export async function workOrderPhotoFile(
  db: Db,
  user: SessionUser,
  photoId: string,
  size: 'full' | 'thumbnail',
): Promise<{ contentType: string; data: Buffer }> {
  if (!isUuid(photoId)) throw notFound('Photo');
  const [photo] = await db.select().from(workOrderPhotos).where(eq(workOrderPhotos.id, photoId));
  if (!photo) throw notFound('Photo');
  await loadOrder(db, user, photo.workOrderId);
  return { contentType: photo.contentType, data: size === 'full' ? photo.data : photo.thumbnail };
}

/** Saves the site contact's signature (a PNG from the signature pad) as proof of the repair. */
export async function signWorkOrder(
  db: Db,
  user: SessionUser,
  id: string,
  raw: z.input<typeof signatureInput>,
  now = new Date(),
): Promise<void> {
  const input = signatureInput.parse(raw);
  const { order, station } = await loadOwnActiveOrder(db, user, id);
  await db.transaction(async (tx) => {
    await tx
      .update(workOrders)
      .set({ signatureName: input.signerName, signaturePng: input.png, signedAt: now, updatedAt: now })
      .where(eq(workOrders.id, order.id));
    await addOrderEvent(tx, order.id, { kind: 'user', user }, now, {
      kind: 'signature',
      note: `Signed by ${input.signerName}`,
    });
  });
  published(station, order);
}

/** The signature image of an order, for those who may see it. */
export async function workOrderSignature(db: Db, user: SessionUser, id: string): Promise<Buffer> {
  const { order } = await loadOrder(db, user, id);
  if (!order.signaturePng) throw notFound('Signature');
  return order.signaturePng;
}

/**
 * A remote command the technician on the order may send to its station: soft reset, unlock a
 * connector, or ask for its status. Audited like any operator command.
 */
export async function sendFieldCommand(
  db: Db,
  user: SessionUser,
  id: string,
  raw: z.input<typeof fieldCommandInput>,
  deps: CommandDeps,
): Promise<StationCommand> {
  const input = fieldCommandInput.parse(raw);
  const { order, station } = await loadOwnActiveOrder(db, user, id);
  const target: CommandTarget = {
    id: station.id,
    identity: station.identity,
    organisationId: station.organisationId,
    siteId: station.siteId,
  };
  const evseId = input.evseId ?? order.evseId;
  const command = await runCommand(
    db,
    actorOf(user),
    target,
    input.kind === 'soft-reset'
      ? { kind: 'reset', mode: 'soft' }
      : input.kind === 'unlock'
        ? { kind: 'unlock', evseId: evseId ?? 1, connectorId: 1 }
        : evseId === null
          ? { kind: 'trigger-message', message: 'status' }
          : { kind: 'trigger-message', message: 'status', evseId },
    deps,
  );
  // runCommand wrote the audit row; the order's timeline says what the technician tried.
  await addOrderEvent(db, order.id, { kind: 'user', user }, deps.now(), {
    kind: 'command',
    note: `${fieldCommandLabels[input.kind]}: ${command.status}${command.detail ? ` (${command.detail})` : ''}`,
    details: { commandId: command.id },
  });
  published(station, order);
  return command;
}

export const fieldCommandLabels = {
  'soft-reset': 'Soft reset',
  unlock: 'Unlock connector',
  'trigger-status': 'Ask for status',
} as const;

/**
 * Asks the station of a just-resolved order for its status (TriggerMessage StatusNotification), so
 * the verification does not wait for the charger to report by itself: its answer verifies the
 * repair, or reopens the order if the fault is still there. Nothing is sent to an offline station;
 * the order then waits for its reconnection, or reopens when the verification window ends.
 */
export async function askStationToConfirmRepair(
  db: Db,
  order: Pick<WorkOrder, 'id' | 'stationId' | 'evseId' | 'organisationId'>,
  deps: CommandDeps,
): Promise<StationCommand> {
  const station = await stationOf(db, order.stationId);
  return runCommand(
    db,
    { kind: 'system', label: 'ChargeOps repair check', organisationId: order.organisationId },
    station,
    order.evseId === null
      ? { kind: 'trigger-message', message: 'status' }
      : { kind: 'trigger-message', message: 'status', evseId: order.evseId },
    deps,
  );
}
