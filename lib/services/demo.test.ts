import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db';
import { openTestDatabase, setupTestDatabase } from '@/lib/db/testing';
import { seedDemo, demoUserPassword } from './demo';
import { listSites } from './sites';
import { listStations } from './stations';
import { ensureInitialAdmin, loadSessionUser, verifyCredentials } from './users';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

describe('first start and the demo network', () => {
  it('creates the first admin once, seeds three sites and twelve stations once, scoped per role', async () => {
    const first = await ensureInitialAdmin(db, {});
    expect(first?.generatedPassword).toBeDefined();
    expect(await ensureInitialAdmin(db, {})).toBeNull();
    if (!first?.generatedPassword) throw new Error('no admin');
    const admin = await verifyCredentials(db, first.email, first.generatedPassword);
    expect(admin?.mustChangePassword).toBe(true);
    if (!admin) throw new Error('no admin');

    expect(await seedDemo(db, first.organisationId)).toBe(true);
    expect(await seedDemo(db, first.organisationId)).toBe(false);

    const sites = await listSites(db, admin);
    expect(sites).toHaveLength(3);
    expect(new Set(sites.map((s) => s.timezone)).size).toBe(3);
    const stations = await listStations(db, admin);
    expect(stations).toHaveLength(12);
    expect(stations.every((s) => s.connectors.length > 0 && s.lastSeenAt === null)).toBe(true);

    const manager = await verifyCredentials(db, 'manager@demo.chargeops.local', demoUserPassword);
    if (!manager) throw new Error('no demo manager');
    const managerStations = await listStations(
      db,
      (await loadSessionUser(db, manager.id, manager.sessionVersion))!,
    );
    expect(managerStations.length).toBeGreaterThan(0);
    expect(managerStations.length).toBeLessThan(12);
    expect(managerStations.every((s) => manager.siteIds.includes(s.siteId ?? ''))).toBe(true);

    const technician = await verifyCredentials(db, 'tech@demo.chargeops.local', demoUserPassword);
    await expect(listStations(db, technician!)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('uses the configured admin credentials when given', async () => {
    const other = await openTestDatabase();
    try {
      const created = await ensureInitialAdmin(other.db, {
        email: 'Ops@Example.test',
        password: 'a configured password',
      });
      expect(created).toMatchObject({ email: 'ops@example.test', generatedPassword: undefined });
      const admin = await verifyCredentials(other.db, 'ops@example.test', 'a configured password');
      expect(admin).toMatchObject({ role: 'admin', mustChangePassword: false });
    } finally {
      await other.close();
    }
  });
});
