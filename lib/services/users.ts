import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { organisations, sites, users, userSites, type User } from '@/lib/db/schema';
import type { Principal, Role } from '@/lib/domain/access/roles';
import { AppError, conflict, invalid, notFound } from '@/lib/errors';
import { generatePassword, hashPassword, verifyAgainstDummy, verifyPassword } from '@/lib/auth/password';
import {
  changePasswordInput,
  createUserInput,
  updateUserInput,
  type CreateUserInput,
  type UpdateUserInput,
} from '@/lib/validation/users';
import { seedRecommendedDefaults } from './configuration';
import { recordAudit, type Actor } from './audit';
import { assertCan } from './authorize';

/** A signed-in user as the app sees them: identity, role and site scope. */
export interface SessionUser extends Principal {
  email: string;
  name: string;
  mustChangePassword: boolean;
  sessionVersion: number;
}

/** A row of the users list. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  mustChangePassword: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  siteIds: string[];
}

/** The audit actor for a signed-in user. */
export function actorOf(user: SessionUser): Actor {
  return { kind: 'user', userId: user.id, label: user.email, organisationId: user.organisationId };
}

async function siteIdsOf(db: DbOrTx, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await db.select().from(userSites).where(inArray(userSites.userId, userIds));
  for (const row of rows) map.get(row.userId)?.push(row.siteId);
  return map;
}

function toSessionUser(user: User, siteIds: string[]): SessionUser {
  return {
    id: user.id,
    organisationId: user.organisationId,
    email: user.email,
    name: user.name,
    role: user.role,
    siteIds,
    mustChangePassword: user.mustChangePassword,
    sessionVersion: user.sessionVersion,
  };
}

/**
 * Checks an email and password. Returns the user on success, null otherwise; unknown emails and
 * deactivated accounts take the same time and give the same answer as a wrong password.
 */
export async function verifyCredentials(
  db: Db,
  email: string,
  password: string,
): Promise<SessionUser | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  if (!user) return verifyAgainstDummy(password).then(() => null);
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || !user.active) return null;
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  const scope = await siteIdsOf(db, [user.id]);
  return toSessionUser(user, scope.get(user.id) ?? []);
}

/**
 * Reloads a session's user; null when the account is gone, deactivated, or its sessions were
 * revoked (sessionVersion bumped) since the session began.
 */
export async function loadSessionUser(
  db: Db,
  userId: string,
  sessionVersion: number,
): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !user.active || user.sessionVersion !== sessionVersion) return null;
  const scope = await siteIdsOf(db, [user.id]);
  return toSessionUser(user, scope.get(user.id) ?? []);
}

/** All users of the caller's organisation (admins only). */
export async function listUsers(db: Db, actor: SessionUser): Promise<UserSummary[]> {
  assertCan(actor, 'users:manage');
  const rows = await db
    .select()
    .from(users)
    .where(eq(users.organisationId, actor.organisationId))
    .orderBy(asc(users.name));
  const scope = await siteIdsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    active: r.active,
    mustChangePassword: r.mustChangePassword,
    lastSignInAt: r.lastSignInAt,
    createdAt: r.createdAt,
    siteIds: scope.get(r.id) ?? [],
  }));
}

async function assertSitesInOrganisation(
  db: DbOrTx,
  organisationId: string,
  siteIds: string[],
): Promise<void> {
  if (siteIds.length === 0) return;
  const [row] = await db
    .select({ n: count() })
    .from(sites)
    .where(and(eq(sites.organisationId, organisationId), inArray(sites.id, siteIds)));
  if ((row?.n ?? 0) !== new Set(siteIds).size) {
    throw invalid('One of the chosen sites does not exist', { siteIds: 'Choose sites of your organisation' });
  }
}

async function assertEmailFree(db: DbOrTx, email: string): Promise<void> {
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  if (existing)
    throw conflict('That email already has an account', { email: 'That email already has an account' });
}

/**
 * Creates a user in the admin's organisation. Without a chosen password one is generated; either
 * way the user must choose their own at first sign-in. Returns the password to hand over once.
 */
export async function createUser(
  db: Db,
  actor: SessionUser,
  raw: CreateUserInput,
): Promise<{ user: UserSummary; initialPassword: string }> {
  assertCan(actor, 'users:manage');
  const input = createUserInput.parse(raw);
  const siteIds = input.role === 'admin' ? [] : [...new Set(input.siteIds)];
  const initialPassword = input.password || generatePassword();
  const passwordHash = await hashPassword(initialPassword);
  const user = await db.transaction(async (tx) => {
    await assertEmailFree(tx, input.email);
    await assertSitesInOrganisation(tx, actor.organisationId, siteIds);
    const [created] = await tx
      .insert(users)
      .values({
        organisationId: actor.organisationId,
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
        mustChangePassword: true,
      })
      .returning();
    if (!created) throw new Error('insert returned no row');
    if (siteIds.length > 0)
      await tx.insert(userSites).values(siteIds.map((siteId) => ({ userId: created.id, siteId })));
    await recordAudit(tx, actorOf(actor), {
      action: 'user.create',
      targetType: 'user',
      targetId: created.id,
      details: { email: created.email, role: created.role, siteIds },
    });
    return created;
  });
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      active: user.active,
      mustChangePassword: user.mustChangePassword,
      lastSignInAt: user.lastSignInAt,
      createdAt: user.createdAt,
      siteIds,
    },
    initialPassword,
  };
}

async function loadOrgUser(db: DbOrTx, actor: SessionUser, id: string): Promise<User> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.organisationId, actor.organisationId)));
  if (!user) throw notFound('User');
  return user;
}

async function countOtherActiveAdmins(db: DbOrTx, organisationId: string, exceptId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(
      and(
        eq(users.organisationId, organisationId),
        eq(users.role, 'admin'),
        eq(users.active, true),
        ne(users.id, exceptId),
      ),
    );
  return row?.n ?? 0;
}

/** Changes a user's name, role and site scope. The last active admin cannot be demoted. */
export async function updateUser(db: Db, actor: SessionUser, raw: UpdateUserInput): Promise<void> {
  assertCan(actor, 'users:manage');
  const input = updateUserInput.parse(raw);
  const siteIds = input.role === 'admin' ? [] : [...new Set(input.siteIds)];
  await db.transaction(async (tx) => {
    const user = await loadOrgUser(tx, actor, input.id);
    if (
      user.role === 'admin' &&
      input.role !== 'admin' &&
      (await countOtherActiveAdmins(tx, actor.organisationId, user.id)) === 0
    ) {
      throw new AppError('precondition_failed', 'The organisation needs at least one active administrator', {
        role: 'Make someone else an administrator first',
      });
    }
    await assertSitesInOrganisation(tx, actor.organisationId, siteIds);
    await tx
      .update(users)
      .set({ name: input.name, role: input.role, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await tx.delete(userSites).where(eq(userSites.userId, user.id));
    if (siteIds.length > 0)
      await tx.insert(userSites).values(siteIds.map((siteId) => ({ userId: user.id, siteId })));
    await recordAudit(tx, actorOf(actor), {
      action: 'user.update',
      targetType: 'user',
      targetId: user.id,
      details: {
        from: { name: user.name, role: user.role },
        to: { name: input.name, role: input.role, siteIds },
      },
    });
  });
}

/** Deactivates (ending their sessions at once) or reactivates a user. */
export async function setUserActive(db: Db, actor: SessionUser, id: string, active: boolean): Promise<void> {
  assertCan(actor, 'users:manage');
  await db.transaction(async (tx) => {
    const user = await loadOrgUser(tx, actor, id);
    if (!active && user.id === actor.id) {
      throw new AppError('precondition_failed', 'You cannot deactivate your own account');
    }
    if (
      !active &&
      user.role === 'admin' &&
      (await countOtherActiveAdmins(tx, actor.organisationId, user.id)) === 0
    ) {
      throw new AppError('precondition_failed', 'The organisation needs at least one active administrator');
    }
    if (user.active === active) return;
    await tx
      .update(users)
      .set({ active, sessionVersion: user.sessionVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await recordAudit(tx, actorOf(actor), {
      action: active ? 'user.reactivate' : 'user.deactivate',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email },
    });
  });
}

/** Replaces a user's password with a generated one (shown once) and ends their sessions. */
export async function resetUserPassword(db: Db, actor: SessionUser, id: string): Promise<string> {
  assertCan(actor, 'users:manage');
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const user = await loadOrgUser(tx, actor, id);
    await tx
      .update(users)
      .set({
        passwordHash,
        mustChangePassword: true,
        sessionVersion: user.sessionVersion + 1,
        updatedAt: new Date(),
      })
      .where(eq(users.id, user.id));
    await recordAudit(tx, actorOf(actor), {
      action: 'user.reset-password',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email },
    });
  });
  return password;
}

/**
 * Changes the caller's own password after checking the current one. Returns the new session
 * version: other sessions of the user end, the caller's is re-issued with it.
 */
export async function changeOwnPassword(
  db: Db,
  actor: SessionUser,
  raw: { currentPassword: string; newPassword: string; confirmPassword: string },
): Promise<number> {
  assertCan(actor, 'account:manage-own');
  const input = changePasswordInput.parse(raw);
  const [user] = await db.select().from(users).where(eq(users.id, actor.id));
  if (!user) throw notFound('User');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalid('The current password is wrong', { currentPassword: 'The current password is wrong' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const sessionVersion = user.sessionVersion + 1;
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, sessionVersion, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await recordAudit(tx, actorOf(actor), {
      action: 'user.change-password',
      targetType: 'user',
      targetId: user.id,
    });
  });
  return sessionVersion;
}

/**
 * On first start (no users at all) creates the organisation and its first admin, from the given
 * credentials or with a generated password. Returns what was created, or null when users exist.
 */
export async function ensureInitialAdmin(
  db: Db,
  options: { email?: string; password?: string; organisationName?: string },
): Promise<{ email: string; generatedPassword?: string; organisationId: string } | null> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return null;
  const email = (options.email ?? 'admin@chargeops.local').toLowerCase();
  const generatedPassword = options.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(options.password ?? generatedPassword ?? '');
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organisations)
      .values({ name: options.organisationName ?? 'My charging network' })
      .returning();
    if (!org) throw new Error('insert returned no row');
    const [admin] = await tx
      .insert(users)
      .values({
        organisationId: org.id,
        email,
        name: 'Administrator',
        role: 'admin',
        passwordHash,
        // A password printed to a console may be seen by others: the admin replaces it at first sign-in.
        mustChangePassword: generatedPassword !== undefined,
      })
      .returning();
    if (!admin) throw new Error('insert returned no row');
    await recordAudit(
      tx,
      { kind: 'system', label: 'system', organisationId: org.id },
      {
        action: 'user.create-initial-admin',
        targetType: 'user',
        targetId: admin.id,
        details: { email, generated: generatedPassword !== undefined },
      },
    );
    await seedRecommendedDefaults(tx, org.id);
    return { email, generatedPassword, organisationId: org.id };
  });
}
