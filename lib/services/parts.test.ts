import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import {
  auditLog,
  chargingStations,
  stockLevels,
  stockLocations,
  stockMovements,
  workOrders,
} from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import {
  adjustStock,
  createPart,
  createStockLocation,
  ensureVan,
  getPartStock,
  getStockLocation,
  listLowStock,
  listMovements,
  listParts,
  listStockLocations,
  listVanCandidates,
  receiveStock,
  setMinimum,
  transferStock,
  updatePart,
  vanStock,
} from './parts';
import { anOrganisation, aUser, expectError } from './testing';
import type { SessionUser } from './users';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

let skuCounter = 0;
const aPart = (manager: SessionUser, overrides: { sku?: string; name?: string } = {}) =>
  createPart(db, manager, {
    sku: overrides.sku ?? `SKU-${Date.now().toString(36)}-${skuCounter++}`,
    name: overrides.name ?? 'Type 2 cable 32 A',
  });

const aWarehouse = (manager: SessionUser, name = 'Main warehouse') =>
  createStockLocation(db, manager, { kind: 'warehouse', name });

async function levelOf(locationId: string, partId: string) {
  const [level] = await db
    .select()
    .from(stockLevels)
    .where(and(eq(stockLevels.locationId, locationId), eq(stockLevels.partId, partId)));
  return level;
}

const movementsOf = (partId: string) =>
  db.select().from(stockMovements).where(eq(stockMovements.partId, partId)).orderBy(stockMovements.id);

/** A manager's world: an organisation, a manager, a part and two warehouses. */
async function aStockroom() {
  const org = await anOrganisation(db);
  const manager = await aUser(db, org.id, { role: 'manager' });
  const part = await aPart(manager);
  const main = await aWarehouse(manager, 'Main warehouse');
  const north = await aWarehouse(manager, 'North depot');
  return { org, manager, part, main, north };
}

describe('createPart and updatePart', () => {
  it('creates and edits a part, refusing a SKU in use (any case) on the sku field; audited', async () => {
    const org = await anOrganisation(db);
    const manager = await aUser(db, org.id, { role: 'manager' });
    const cable = await createPart(db, manager, {
      sku: ' ABB-CT-32A ',
      name: 'Type 2 cable 32 A',
      description: '7 m, tethered',
      compatibleModels: 'ABB Terra 184, Wallbox Commander 2, abb terra 184, ',
      unitCostMinor: '129.5',
      currency: 'eur',
    });
    expect(cable).toMatchObject({
      sku: 'ABB-CT-32A',
      compatibleModels: ['ABB Terra 184', 'Wallbox Commander 2'],
      unitCostMinor: 12950,
      currency: 'EUR',
      organisationId: org.id,
    });
    const fuse = await createPart(db, manager, { sku: 'FUSE-10', name: 'Fuse 10 A', unitCostMinor: '' });
    expect(fuse).toMatchObject({
      unitCostMinor: null,
      currency: 'USD',
      compatibleModels: [],
      description: '',
    });

    const taken = await expectError(createPart(db, manager, { sku: 'abb-ct-32a', name: 'Copy' }), 'conflict');
    expect(taken.fieldErrors).toEqual({ sku: 'A part with this SKU exists already' });
    const renameTaken = await expectError(
      updatePart(db, manager, fuse.id, { sku: 'ABB-CT-32A', name: 'Fuse 10 A' }),
      'conflict',
    );
    expect(renameTaken.fieldErrors).toEqual({ sku: 'A part with this SKU exists already' });

    // Its own SKU is fine; another organisation has its own catalogue.
    const edited = await updatePart(db, manager, fuse.id, {
      sku: 'FUSE-10',
      name: 'Fuse 10 A gG',
      unitCostMinor: 2,
    });
    expect(edited).toMatchObject({ name: 'Fuse 10 A gG', unitCostMinor: 200 });
    const otherManager = await aUser(db, (await anOrganisation(db)).id, { role: 'manager' });
    await expect(createPart(db, otherManager, { sku: 'ABB-CT-32A', name: 'Theirs' })).resolves.toBeTruthy();

    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, fuse.id)).orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual(['part.create', 'part.update']);
  });

  it('refuses a cost with more than 2 decimals, a negative cost and a bad currency', async () => {
    const org = await anOrganisation(db);
    const manager = await aUser(db, org.id, { role: 'manager' });
    for (const bad of [
      { unitCostMinor: '12.345' },
      { unitCostMinor: '-1' },
      { unitCostMinor: 'twelve' },
      { currency: 'DOLLAR' },
    ]) {
      await expect(createPart(db, manager, { sku: 'X-1', name: 'X', ...bad })).rejects.toThrow();
    }
    expect(await listParts(db, manager)).toEqual([]);
  });

  it('lists the catalogue with total stock and a low-stock flag, and searches it', async () => {
    const { manager, part, main, north } = await aStockroom();
    const fuse = await createPart(db, manager, {
      sku: 'FUSE-16',
      name: 'Fuse 16 A',
      compatibleModels: 'Alfen Eve',
    });
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 5 });
    await receiveStock(db, manager, { partId: part.id, locationId: north.id, quantity: 2 });
    await setMinimum(db, manager, { partId: part.id, locationId: north.id, minimum: 3 });

    const catalogue = await listParts(db, manager);
    expect(catalogue.map((p) => [p.sku, p.totalQuantity, p.lowStock])).toEqual([
      [fuse.sku, 0, false],
      [part.sku, 7, true],
    ]);
    expect((await listParts(db, manager, { q: 'alfen' })).map((p) => p.id)).toEqual([fuse.id]);
    expect((await listParts(db, manager, { q: part.sku.toLowerCase() })).map((p) => p.id)).toEqual([part.id]);
    expect(await listParts(db, manager, { q: '%' })).toEqual([]);
  });
});

describe('receiveStock and transferStock', () => {
  it('receives into a warehouse, transfers to another location, and records both movements', async () => {
    const { manager, part, main, north } = await aStockroom();
    const received = await receiveStock(db, manager, {
      partId: part.id,
      locationId: main.id,
      quantity: '10',
      note: 'PO 4711',
    });
    expect(received.quantity).toBe(10);
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 2 });
    const moved = await transferStock(db, manager, {
      partId: part.id,
      fromLocationId: main.id,
      toLocationId: north.id,
      quantity: 4,
    });
    expect([moved.from.quantity, moved.to.quantity]).toEqual([8, 4]);
    expect((await levelOf(main.id, part.id))?.quantity).toBe(8);
    expect((await levelOf(north.id, part.id))?.quantity).toBe(4);

    expect(
      (await movementsOf(part.id)).map((m) => [
        m.kind,
        m.fromLocationId,
        m.toLocationId,
        m.quantity,
        m.actorId,
      ]),
    ).toEqual([
      ['received', null, main.id, 10, manager.id],
      ['received', null, main.id, 2, manager.id],
      ['transferred', main.id, north.id, 4, manager.id],
    ]);
    const history = await listMovements(db, manager, { partId: part.id, limit: 10 });
    expect(history.map((m) => m.kind)).toEqual(['transferred', 'received', 'received']);
    expect(history[0]).toMatchObject({
      fromLocation: { id: main.id, name: 'Main warehouse' },
      toLocation: { id: north.id, name: 'North depot' },
      actorName: manager.name,
      sku: part.sku,
    });
    expect(history[2]?.note).toBe('PO 4711');
    expect((await listMovements(db, manager, { locationId: north.id })).map((m) => m.kind)).toEqual([
      'transferred',
    ]);

    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, part.id)).orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual([
      'part.create',
      'stock.receive',
      'stock.receive',
      'stock.transfer',
    ]);
  });

  it('refuses to transfer more than the source holds, on the quantity field, changing nothing', async () => {
    const { manager, part, main, north } = await aStockroom();
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 3 });
    const refused = await expectError(
      transferStock(db, manager, {
        partId: part.id,
        fromLocationId: main.id,
        toLocationId: north.id,
        quantity: 4,
      }),
      'precondition_failed',
    );
    expect(refused.fieldErrors).toEqual({ quantity: `Main warehouse holds only 3 of ${part.sku}` });
    // Nothing at all at the source: the same refusal (and no level is created at either end).
    await expectError(
      transferStock(db, manager, {
        partId: part.id,
        fromLocationId: north.id,
        toLocationId: main.id,
        quantity: 1,
      }),
      'precondition_failed',
    );
    expect((await levelOf(main.id, part.id))?.quantity).toBe(3);
    expect(await levelOf(north.id, part.id)).toBeUndefined();
    expect((await movementsOf(part.id)).map((m) => m.kind)).toEqual(['received']);
  });

  it('refuses a transfer to the same location and a quantity below 1', async () => {
    const { manager, part, main } = await aStockroom();
    await expect(
      transferStock(db, manager, {
        partId: part.id,
        fromLocationId: main.id,
        toLocationId: main.id,
        quantity: 1,
      }),
    ).rejects.toThrow(/another location/);
    await expect(
      receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 0 }),
    ).rejects.toThrow();
    await expect(
      receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: '1.5' }),
    ).rejects.toThrow();
  });

  it('lets only one of two simultaneous transfers of the whole quantity through', async () => {
    const { manager, part, main, north } = await aStockroom();
    const van = await createStockLocation(db, manager, {
      kind: 'van',
      technicianId: (await aUser(db, manager.organisationId, { role: 'technician' })).id,
    });
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 5 });
    const results = await Promise.allSettled([
      transferStock(db, manager, {
        partId: part.id,
        fromLocationId: main.id,
        toLocationId: north.id,
        quantity: 5,
      }),
      transferStock(db, manager, {
        partId: part.id,
        fromLocationId: main.id,
        toLocationId: van.id,
        quantity: 5,
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [failure] = results.filter((r) => r.status === 'rejected');
    expect(failure?.reason).toBeInstanceOf(AppError);
    expect((failure?.reason as AppError).kind).toBe('precondition_failed');
    expect((await levelOf(main.id, part.id))?.quantity).toBe(0);
    const northQuantity = (await levelOf(north.id, part.id))?.quantity ?? 0;
    const vanQuantity = (await levelOf(van.id, part.id))?.quantity ?? 0;
    expect(northQuantity + vanQuantity).toBe(5);
    expect((await movementsOf(part.id)).filter((m) => m.kind === 'transferred')).toHaveLength(1);
  });

  it('runs opposite transfers at the same time without a deadlock', async () => {
    const { manager, part, main, north } = await aStockroom();
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 50 });
    await receiveStock(db, manager, { partId: part.id, locationId: north.id, quantity: 50 });
    // Locking in the order of the direction deadlocks within a few rounds on PostgreSQL.
    for (let round = 0; round < 20; round++) {
      await Promise.all([
        transferStock(db, manager, {
          partId: part.id,
          fromLocationId: main.id,
          toLocationId: north.id,
          quantity: 2,
        }),
        transferStock(db, manager, {
          partId: part.id,
          fromLocationId: north.id,
          toLocationId: main.id,
          quantity: 1,
        }),
      ]);
    }
    expect((await levelOf(main.id, part.id))?.quantity).toBe(30);
    expect((await levelOf(north.id, part.id))?.quantity).toBe(70);
  });
});

describe('adjustStock, setMinimum and listLowStock', () => {
  it('sets the counted quantity and records the signed difference', async () => {
    const { manager, part, main, north } = await aStockroom();
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 10 });
    const down = await adjustStock(db, manager, {
      partId: part.id,
      locationId: main.id,
      countedQuantity: '7',
      note: 'Quarterly count',
    });
    expect([down.level.quantity, down.difference]).toEqual([7, -3]);
    const up = await adjustStock(db, manager, {
      partId: part.id,
      locationId: north.id,
      countedQuantity: 2,
      note: 'Found in a drawer',
    });
    expect([up.level.quantity, up.difference]).toEqual([2, 2]);
    // A count that matches writes no movement.
    const same = await adjustStock(db, manager, {
      partId: part.id,
      locationId: main.id,
      countedQuantity: 7,
      note: 'Recount',
    });
    expect(same.difference).toBe(0);

    expect((await movementsOf(part.id)).map((m) => [m.kind, m.toLocationId, m.quantity, m.note])).toEqual([
      ['received', main.id, 10, null],
      ['adjusted', main.id, -3, 'Quarterly count'],
      ['adjusted', north.id, 2, 'Found in a drawer'],
    ]);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, part.id), eq(auditLog.action, 'stock.adjust')));
    expect(audit).toHaveLength(3);
    await expect(
      adjustStock(db, manager, { partId: part.id, locationId: main.id, countedQuantity: 1, note: ' ' }),
    ).rejects.toThrow(/Say why/);
  });

  it('lists the locations below their minimum of a part', async () => {
    const { manager, part, main, north } = await aStockroom();
    const fuse = await aPart(manager, { name: 'Fuse' });
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 10 });
    await setMinimum(db, manager, { partId: part.id, locationId: main.id, minimum: 10 });
    // A minimum on a location that never held the part creates its level, at 0.
    const level = await setMinimum(db, manager, { partId: part.id, locationId: north.id, minimum: '4' });
    expect(level).toMatchObject({ quantity: 0, minimum: 4 });
    await setMinimum(db, manager, { partId: fuse.id, locationId: main.id, minimum: 2 });
    await receiveStock(db, manager, { partId: fuse.id, locationId: main.id, quantity: 1 });

    const low = await listLowStock(db, manager);
    expect(low.map((r) => [r.locationName, r.partName, r.quantity, r.minimum, r.shortBy])).toEqual([
      ['Main warehouse', 'Fuse', 1, 2, 1],
      ['North depot', part.name, 0, 4, 4],
    ]);
    const stock = await getPartStock(db, manager, part.id);
    expect(stock.levels.map((l) => [l.locationName, l.quantity, l.minimum, l.low])).toEqual([
      ['Main warehouse', 10, 10, false],
      ['North depot', 0, 4, true],
    ]);
    expect(stock.part).toMatchObject({ totalQuantity: 10, lowStock: true, lowLocations: 1 });
    expect(stock.movements.map((m) => m.kind)).toEqual(['received']);

    const [, northView] = await listStockLocations(db, manager);
    expect(northView).toMatchObject({ name: 'North depot', partCount: 0, totalQuantity: 0, lowCount: 1 });
    const mainView = await getStockLocation(db, manager, main.id);
    expect(mainView.levels.map((l) => [l.name, l.quantity, l.low])).toEqual([
      ['Fuse', 1, true],
      [part.name, 10, false],
    ]);
    expect(mainView.location).toMatchObject({ partCount: 2, totalQuantity: 11, lowCount: 1 });
  });
});

describe('stock locations and vans', () => {
  it('creates one van per technician, named after them, and lists it with their name', async () => {
    const org = await anOrganisation(db);
    const manager = await aUser(db, org.id, { role: 'manager' });
    const technician = await aUser(db, org.id, { role: 'technician' });
    expect(await listVanCandidates(db, manager)).toEqual([{ id: technician.id, name: technician.name }]);
    const van = await createStockLocation(db, manager, {
      kind: 'van',
      name: '',
      technicianId: technician.id,
    });
    expect(van).toMatchObject({ kind: 'van', name: `Van – ${technician.name}`, technicianId: technician.id });
    expect(await listVanCandidates(db, manager)).toEqual([]);

    const again = await expectError(
      createStockLocation(db, manager, { kind: 'van', technicianId: technician.id }),
      'conflict',
    );
    expect(again.fieldErrors).toEqual({ technicianId: 'This technician has a van already' });
    // A manager is no technician; a technician of another organisation is not found.
    const notTechnician = await expectError(
      createStockLocation(db, manager, { kind: 'van', technicianId: manager.id }),
      'not_found',
    );
    expect(notTechnician.fieldErrors).toEqual({ technicianId: 'Choose a technician of your organisation' });
    const stranger = await aUser(db, (await anOrganisation(db)).id, { role: 'technician' });
    await expectError(
      createStockLocation(db, manager, { kind: 'van', technicianId: stranger.id }),
      'not_found',
    );
    await expect(createStockLocation(db, manager, { kind: 'warehouse', name: ' ' })).rejects.toThrow(
      /Enter a name/,
    );

    await aWarehouse(manager, 'Depot');
    const locations = await listStockLocations(db, manager);
    expect(locations.map((l) => [l.kind, l.name, l.technicianName])).toEqual([
      ['warehouse', 'Depot', null],
      ['van', `Van – ${technician.name}`, technician.name],
    ]);
  });

  it('ensureVan creates the van once and returns it after', async () => {
    const org = await anOrganisation(db);
    const technician = await aUser(db, org.id, { role: 'technician' });
    const first = await db.transaction((tx) => ensureVan(tx, org.id, technician));
    const second = await db.transaction((tx) => ensureVan(tx, org.id, technician));
    expect(second).toBe(first);
    const [third, fourth] = await Promise.all([
      ensureVan(db, org.id, technician),
      ensureVan(db, org.id, technician),
    ]);
    expect([third, fourth]).toEqual([first, first]);
    const vans = await db.select().from(stockLocations).where(eq(stockLocations.technicianId, technician.id));
    expect(vans).toMatchObject([
      { id: first, kind: 'van', name: `Van – ${technician.name}`, organisationId: org.id },
    ]);
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, first));
    expect(audit).toMatchObject([{ action: 'stock-location.create', actorLabel: 'ChargeOps' }]);
  });

  it('shows a technician only their own van, with the parts in it', async () => {
    const { org, manager, part, main } = await aStockroom();
    const empty = await aPart(manager, { name: 'Contactor' });
    const alice = await aUser(db, org.id, { role: 'technician' });
    const bob = await aUser(db, org.id, { role: 'technician' });
    const aliceVan = await db.transaction((tx) => ensureVan(tx, org.id, alice));
    const bobVan = await db.transaction((tx) => ensureVan(tx, org.id, bob));
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 5 });
    await transferStock(db, manager, {
      partId: part.id,
      fromLocationId: main.id,
      toLocationId: aliceVan,
      quantity: 2,
    });
    await transferStock(db, manager, {
      partId: part.id,
      fromLocationId: main.id,
      toLocationId: bobVan,
      quantity: 1,
    });
    await setMinimum(db, manager, { partId: empty.id, locationId: aliceVan, minimum: 1 });

    const mine = await vanStock(db, alice);
    expect(mine.location).toEqual({ id: aliceVan, name: `Van – ${alice.name}` });
    expect(mine.items.map((i) => [i.partId, i.quantity])).toEqual([[part.id, 2]]);
    await expectError(vanStock(db, alice, { technicianId: bob.id }), 'forbidden');
    expect((await vanStock(db, alice, { technicianId: alice.id })).location?.id).toBe(aliceVan);

    // A manager may look into any van of the organisation, and has none of their own.
    expect((await vanStock(db, manager, { technicianId: bob.id })).items.map((i) => i.quantity)).toEqual([1]);
    expect(await vanStock(db, manager)).toEqual({ location: null, items: [] });
    const outsider = await aUser(db, (await anOrganisation(db)).id, { role: 'manager' });
    expect(await vanStock(db, outsider, { technicianId: bob.id })).toEqual({ location: null, items: [] });
  });
});

describe('movements', () => {
  it('names the work order a part was used on', async () => {
    const { org, manager, part, main } = await aStockroom();
    const [station] = await db
      .insert(chargingStations)
      .values({
        organisationId: org.id,
        identity: `PARTS-${Date.now().toString(36)}`,
        registrationStatus: 'accepted',
      })
      .returning();
    if (!station) throw new Error('no station');
    const [order] = await db
      .insert(workOrders)
      .values({
        organisationId: org.id,
        stationId: station.id,
        kind: 'corrective',
        priority: 'high',
        title: 'Cable',
      })
      .returning();
    if (!order) throw new Error('no work order');
    await receiveStock(db, manager, { partId: part.id, locationId: main.id, quantity: 1 });
    // As the work-order code writes it when an order is resolved.
    await db.insert(stockMovements).values({
      organisationId: org.id,
      partId: part.id,
      kind: 'used',
      fromLocationId: main.id,
      quantity: 1,
      workOrderId: order.id,
    });
    const [used] = await listMovements(db, manager, { partId: part.id });
    expect(used).toMatchObject({
      kind: 'used',
      workOrder: { id: order.id, number: order.number },
      fromLocation: { id: main.id },
      actorName: null,
    });
    expect(await listMovements(db, manager, { partId: 'not-a-uuid' })).toEqual([]);
  });
});

describe('permissions and tenancy', () => {
  it("refuses a technician every change, and a manager another organisation's parts and locations", async () => {
    const { org, manager, part, main, north } = await aStockroom();
    const technician = await aUser(db, org.id, { role: 'technician' });
    const refusals = [
      () => createPart(db, technician, { sku: 'T-1', name: 'Mine' }),
      () => updatePart(db, technician, part.id, { sku: part.sku, name: 'Renamed' }),
      () => createStockLocation(db, technician, { kind: 'warehouse', name: 'Mine' }),
      () => receiveStock(db, technician, { partId: part.id, locationId: main.id, quantity: 1 }),
      () =>
        transferStock(db, technician, {
          partId: part.id,
          fromLocationId: main.id,
          toLocationId: north.id,
          quantity: 1,
        }),
      () =>
        adjustStock(db, technician, { partId: part.id, locationId: main.id, countedQuantity: 1, note: 'x' }),
      () => setMinimum(db, technician, { partId: part.id, locationId: main.id, minimum: 1 }),
      () => listParts(db, technician),
      () => listStockLocations(db, technician),
      () => listLowStock(db, technician),
      () => listMovements(db, technician),
      () => getPartStock(db, technician, part.id),
    ];
    for (const refusal of refusals) await expectError(refusal(), 'forbidden');

    const other = await aStockroom();
    const stranger = other.manager;
    await expectError(updatePart(db, stranger, part.id, { sku: 'X', name: 'Stolen' }), 'not_found');
    await expectError(getPartStock(db, stranger, part.id), 'not_found');
    await expectError(getStockLocation(db, stranger, main.id), 'not_found');
    await expectError(
      receiveStock(db, stranger, { partId: part.id, locationId: other.main.id, quantity: 1 }),
      'not_found',
    );
    // Their own part into our location: the location is not found, on its field.
    const location = await expectError(
      receiveStock(db, stranger, { partId: other.part.id, locationId: main.id, quantity: 1 }),
      'not_found',
    );
    expect(location.fieldErrors).toEqual({ locationId: 'Choose a location of your organisation' });
    await expectError(
      transferStock(db, stranger, {
        partId: other.part.id,
        fromLocationId: other.main.id,
        toLocationId: north.id,
        quantity: 1,
      }),
      'not_found',
    );
    await expectError(
      setMinimum(db, stranger, { partId: part.id, locationId: main.id, minimum: 1 }),
      'not_found',
    );
    expect(await listParts(db, stranger)).toHaveLength(1);
    expect(await listMovements(db, stranger, { partId: part.id })).toEqual([]);
    expect((await listParts(db, manager)).map((p) => p.name)).toEqual([part.name]);
  });
});
