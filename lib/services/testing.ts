import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { drivers, idTokens, organisations, sites, users, userSites } from '@/lib/db/schema';
import { hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/domain/access/roles';
import type { SessionUser } from './users';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Test builder: a new organisation. */
export async function anOrganisation(db: Db, name = `Org ${unique()}`) {
  const [org] = await db.insert(organisations).values({ name }).returning();
  if (!org) throw new Error('no org');
  return org;
}

/** Test builder: a site in an organisation. */
export async function aSite(
  db: Db,
  organisationId: string,
  overrides: Partial<typeof sites.$inferInsert> = {},
) {
  const [site] = await db
    .insert(sites)
    .values({
      organisationId,
      name: `Site ${unique()}`,
      latitude: 41.88,
      longitude: -87.63,
      timezone: 'America/Chicago',
      ...overrides,
    })
    .returning();
  if (!site) throw new Error('no site');
  return site;
}

// Hashing is slow on purpose; tests share one hash of this password.
export const testPassword = 'correct horse battery';
let sharedHash: Promise<string> | undefined;

/** Test builder: a user (password `testPassword`), returned as the session sees them. */
export async function aUser(
  db: Db,
  organisationId: string,
  options: { role?: Role; siteIds?: string[]; active?: boolean; email?: string } = {},
): Promise<SessionUser> {
  sharedHash ??= hashPassword(testPassword);
  const role = options.role ?? 'admin';
  const [user] = await db
    .insert(users)
    .values({
      organisationId,
      email: options.email ?? `${role}-${unique()}@example.test`,
      name: `${role} ${unique()}`,
      role,
      passwordHash: await sharedHash,
      active: options.active ?? true,
    })
    .returning();
  if (!user) throw new Error('no user');
  const siteIds = options.siteIds ?? [];
  if (siteIds.length > 0)
    await db.insert(userSites).values(siteIds.map((siteId) => ({ userId: user.id, siteId })));
  return {
    id: user.id,
    organisationId,
    email: user.email,
    name: user.name,
    role,
    siteIds,
    mustChangePassword: user.mustChangePassword,
    sessionVersion: user.sessionVersion,
  };
}

/** Reads a user row (for assertions). */
export async function userRow(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Test builder: an active id token of a new driver (so stations accept it on public sites). */
export async function aDriverToken(db: Db, organisationId: string, idToken: string) {
  const [driver] = await db
    .insert(drivers)
    .values({ organisationId, name: `Driver ${idToken}` })
    .returning();
  if (!driver) throw new Error('no driver');
  const [token] = await db
    .insert(idTokens)
    .values({ organisationId, driverId: driver.id, idToken })
    .onConflictDoNothing()
    .returning();
  return { driver, token };
}
