import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { auditLog } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { verifyPassword } from '@/lib/auth/password';
import {
  changeOwnPassword,
  createUser,
  listUsers,
  loadSessionUser,
  resetUserPassword,
  setUserActive,
  updateUser,
  verifyCredentials,
} from './users';
import { listAuditEntries } from './audit';
import { aSite, aUser, anOrganisation, testPassword, userRow } from './testing';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

async function expectError(promise: Promise<unknown>, kind: AppError['kind']) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).kind).toBe(kind);
  return error as AppError;
}

describe('verifyCredentials', () => {
  it('accepts the right password, case-insensitively on the email, and records the sign-in', async () => {
    const org = await anOrganisation(db);
    const user = await aUser(db, org.id, { email: 'Dana@Example.test' });
    const signedIn = await verifyCredentials(db, '  DANA@example.test ', testPassword);
    expect(signedIn?.id).toBe(user.id);
    expect((await userRow(db, user.id))?.lastSignInAt).toBeInstanceOf(Date);
  });

  it('refuses a wrong password, an unknown email and a deactivated account alike', async () => {
    const org = await anOrganisation(db);
    const user = await aUser(db, org.id);
    const inactive = await aUser(db, org.id, { active: false });
    expect(await verifyCredentials(db, user.email, 'wrong password!')).toBeNull();
    expect(await verifyCredentials(db, 'nobody@example.test', testPassword)).toBeNull();
    expect(await verifyCredentials(db, inactive.email, testPassword)).toBeNull();
  });
});

describe('createUser', () => {
  it('creates a scoped manager with a generated password they must change, and audits it', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const admin = await aUser(db, org.id);
    const { user, initialPassword } = await createUser(db, admin, {
      email: 'New.Manager@example.test',
      name: 'New Manager',
      role: 'manager',
      siteIds: [site.id],
    });
    expect(user.email).toBe('new.manager@example.test');
    expect(user.siteIds).toEqual([site.id]);
    expect(initialPassword).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
    const row = await userRow(db, user.id);
    expect(row?.mustChangePassword).toBe(true);
    expect(await verifyPassword(row?.passwordHash ?? '', initialPassword)).toBe(true);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, user.id), eq(auditLog.action, 'user.create')));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.actorUserId).toBe(admin.id);
  });

  it('refuses a taken email with a message on the email field', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const error = await expectError(
      createUser(db, admin, { email: admin.email.toUpperCase(), name: 'Twin', role: 'admin' }),
      'conflict',
    );
    expect(error.fieldErrors?.email).toMatch(/already/);
  });

  it('refuses sites of another organisation', async () => {
    const org = await anOrganisation(db);
    const other = await anOrganisation(db);
    const foreignSite = await aSite(db, other.id);
    const admin = await aUser(db, org.id);
    await expectError(
      createUser(db, admin, {
        email: 'x1@example.test',
        name: 'X',
        role: 'manager',
        siteIds: [foreignSite.id],
      }),
      'validation',
    );
  });

  it('is refused to managers and technicians', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    for (const role of ['manager', 'technician'] as const) {
      const user = await aUser(db, org.id, { role, siteIds: [site.id] });
      await expectError(
        createUser(db, user, { email: `y-${role}@example.test`, name: 'Y', role: 'admin' }),
        'forbidden',
      );
      await expectError(listUsers(db, user), 'forbidden');
    }
  });
});

describe('updateUser and the last administrator', () => {
  it('changes role and scope', async () => {
    const org = await anOrganisation(db);
    const [a, b] = [await aSite(db, org.id), await aSite(db, org.id)];
    const admin = await aUser(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [a.id] });
    await updateUser(db, admin, { id: manager.id, name: 'Renamed', role: 'technician', siteIds: [b.id] });
    const reloaded = await loadSessionUser(db, manager.id, manager.sessionVersion);
    expect(reloaded).toMatchObject({ name: 'Renamed', role: 'technician', siteIds: [b.id] });
  });

  it('keeps at least one active administrator', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const admin = await aUser(db, org.id);
    await expectError(
      updateUser(db, admin, { id: admin.id, name: 'Me', role: 'manager', siteIds: [site.id] }),
      'precondition_failed',
    );
    // With a second administrator, the first may step down.
    const second = await aUser(db, org.id);
    await updateUser(db, second, { id: admin.id, name: 'Me', role: 'manager', siteIds: [site.id] });
    // Now `second` is the last one: nobody may deactivate them (another admin would be needed to try,
    // so the demoted user's former admin session is used to show the rule holds regardless of actor).
    await expectError(setUserActive(db, admin, second.id, false), 'precondition_failed');
  });

  it('does not reach users of another organisation', async () => {
    const org = await anOrganisation(db);
    const other = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const stranger = await aUser(db, other.id);
    await expectError(
      updateUser(db, admin, { id: stranger.id, name: 'Hijack', role: 'admin', siteIds: [] }),
      'not_found',
    );
    await expectError(setUserActive(db, admin, stranger.id, false), 'not_found');
  });
});

describe('sessions end when an admin acts', () => {
  it('deactivation ends the sessions of the user at once', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const user = await aUser(db, org.id);
    expect(await loadSessionUser(db, user.id, user.sessionVersion)).not.toBeNull();
    await setUserActive(db, admin, user.id, false);
    expect(await loadSessionUser(db, user.id, user.sessionVersion)).toBeNull();
    await setUserActive(db, admin, user.id, true);
    // Reactivation does not revive old sessions: the user signs in again.
    expect(await loadSessionUser(db, user.id, user.sessionVersion)).toBeNull();
    expect(await verifyCredentials(db, user.email, testPassword)).not.toBeNull();
  });

  it('refuses to deactivate yourself', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    await aUser(db, org.id);
    await expectError(setUserActive(db, admin, admin.id, false), 'precondition_failed');
  });

  it('a password reset ends sessions and makes the new password work once set', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const user = await aUser(db, org.id);
    const password = await resetUserPassword(db, admin, user.id);
    expect(await loadSessionUser(db, user.id, user.sessionVersion)).toBeNull();
    expect(await verifyCredentials(db, user.email, testPassword)).toBeNull();
    const signedIn = await verifyCredentials(db, user.email, password);
    expect(signedIn?.mustChangePassword).toBe(true);
  });
});

describe('changeOwnPassword', () => {
  it('checks the current password and clears the must-change flag', async () => {
    const org = await anOrganisation(db);
    const admin = await aUser(db, org.id);
    const user = await aUser(db, org.id, { role: 'technician' });
    const temporary = await resetUserPassword(db, admin, user.id);
    const current = await verifyCredentials(db, user.email, temporary);
    if (!current) throw new Error('sign-in failed');
    const error = await expectError(
      changeOwnPassword(db, current, {
        currentPassword: 'not it',
        newPassword: 'a new long password',
        confirmPassword: 'a new long password',
      }),
      'validation',
    );
    expect(error.fieldErrors?.currentPassword).toBeDefined();
    const version = await changeOwnPassword(db, current, {
      currentPassword: temporary,
      newPassword: 'a new long password',
      confirmPassword: 'a new long password',
    });
    expect(version).toBe(current.sessionVersion + 1);
    const after = await verifyCredentials(db, user.email, 'a new long password');
    expect(after?.mustChangePassword).toBe(false);
  });
});

describe('audit log', () => {
  it('pages through the organisation’s entries newest first, and only admins read it', async () => {
    const org = await anOrganisation(db);
    const site = await aSite(db, org.id);
    const admin = await aUser(db, org.id);
    const manager = await aUser(db, org.id, { role: 'manager', siteIds: [site.id] });
    for (const n of [1, 2, 3]) {
      await createUser(db, admin, {
        email: `audit-${n}-${org.id}@example.test`,
        name: `A${n}`,
        role: 'admin',
      });
    }
    const other = await anOrganisation(db);
    await createUser(db, await aUser(db, other.id), {
      email: `elsewhere-${other.id}@example.test`,
      name: 'E',
      role: 'admin',
    });

    const first = await listAuditEntries(db, admin, { limit: 2 });
    expect(first.entries.map((e) => e.details.email)).toEqual([
      `audit-3-${org.id}@example.test`,
      `audit-2-${org.id}@example.test`,
    ]);
    expect(first.nextBefore).not.toBeNull();
    const second = await listAuditEntries(db, admin, { limit: 2, before: first.nextBefore ?? undefined });
    expect(second.entries.map((e) => e.details.email)).toEqual([`audit-1-${org.id}@example.test`]);
    expect(second.nextBefore).toBeNull();
    await expectError(listAuditEntries(db, manager), 'forbidden');
  });
});
