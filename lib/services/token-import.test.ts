import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { toCsv } from '@/lib/csv';
import type { Db } from '@/lib/db';
import { setupTestDatabase } from '@/lib/db/testing';
import { auditLog, drivers, idTokens } from '@/lib/db/schema';
import { addToken, blockToken, createDriver, exportTokensCsv } from './drivers';
import { anOrganisation, aUser, expectError } from './testing';
import { applyTokenImport, previewTokenImport } from './token-import';

const testDb = setupTestDatabase();
let db: Db;
beforeAll(() => {
  db = testDb.db;
});

async function anAdmin() {
  const org = await anOrganisation(db);
  return aUser(db, org.id);
}

const tokensOf = (organisationId: string) =>
  db
    .select()
    .from(idTokens)
    .where(eq(idTokens.organisationId, organisationId))
    .orderBy(asc(idTokens.idToken));
const driversOf = (organisationId: string) =>
  db.select().from(drivers).where(eq(drivers.organisationId, organisationId)).orderBy(asc(drivers.name));

describe('token import', () => {
  it('creates drivers and tokens from a valid file, in one audited change', async () => {
    const admin = await anAdmin();
    const existing = await createDriver(db, admin, { name: 'Ada Lovelace' });
    const csv = [
      '\uFEFFid_token,kind,ocpp_type,status,blocked_reason,expires_at,label,driver,driver_email',
      '04A1B2,rfid,ISO14443,,,2027-01-01T00:00:00Z,Card 1,ada lovelace,',
      'APP-7,app,Central,blocked,Lost phone,,,Grace Hopper,Grace@Example.test',
      ',,,,,,,,',
      'FOB1,key_fob,KeyCode,active,,,"Spare, blue",Grace Hopper,',
    ].join('\r\n');

    const preview = await previewTokenImport(db, admin, csv);
    expect(preview).toMatchObject({ creates: 3, updates: 0, errorCount: 0 });
    expect(preview.rows.map((r) => [r.line, r.idToken, r.driver, r.action])).toEqual([
      [2, '04A1B2', 'ada lovelace', 'create'],
      [3, 'APP-7', 'Grace Hopper', 'create'],
      [4, '', null, 'skip'],
      [5, 'FOB1', 'Grace Hopper', 'create'],
    ]);
    expect(await tokensOf(admin.organisationId)).toHaveLength(0);

    expect(await applyTokenImport(db, admin, csv)).toEqual({ created: 3, updated: 0, driversCreated: 1 });
    const people = await driversOf(admin.organisationId);
    expect(people.map((d) => [d.name, d.email])).toEqual([
      ['Ada Lovelace', null],
      ['Grace Hopper', 'grace@example.test'],
    ]);
    const grace = people[1]!;
    const tokens = await tokensOf(admin.organisationId);
    expect(
      tokens.map((t) => [t.idToken, t.kind, t.ocppType, t.status, t.blockedReason, t.driverId, t.label]),
    ).toEqual([
      ['04A1B2', 'rfid', 'ISO14443', 'active', null, existing.id, 'Card 1'],
      ['APP-7', 'app', 'Central', 'blocked', 'Lost phone', grace.id, null],
      ['FOB1', 'key_fob', 'KeyCode', 'active', null, grace.id, 'Spare, blue'],
    ]);
    expect(tokens[0]!.expiresAt?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organisationId, admin.organisationId), eq(auditLog.action, 'id-token.import')));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ created: 3, updated: 0, driversCreated: 1 });
  });

  it('writes nothing when one row is bad, and the preview names the line and the problem', async () => {
    const admin = await anAdmin();
    const csv = toCsv([
      ['id_token', 'kind', 'status', 'driver'],
      ['GOOD1', 'rfid', '', 'New Driver'],
      ['BAD 2', 'card', 'blocked', ''],
      ['GOOD3', '', '', ''],
    ]);
    const preview = await previewTokenImport(db, admin, csv);
    expect(preview.errorCount).toBe(1);
    expect(preview.creates).toBe(2);
    const bad = preview.rows.find((r) => r.errors.length > 0);
    expect(bad?.line).toBe(3);
    expect(bad?.idToken).toBe('BAD 2');
    expect(bad?.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id_token: .*without spaces/),
        expect.stringMatching(/^kind: /),
        expect.stringMatching(/^blocked_reason: /),
      ]),
    );

    const error = await expectError(applyTokenImport(db, admin, csv), 'validation');
    expect(error.message).toContain('1 row has errors');
    expect(await tokensOf(admin.organisationId)).toHaveLength(0);
    expect(await driversOf(admin.organisationId)).toHaveLength(0);
  });

  it('updates tokens already registered (any case) with the fields the row fills in', async () => {
    const admin = await anAdmin();
    const holder = await createDriver(db, admin, { name: 'Holder' });
    await addToken(db, admin, { idToken: 'abc123', kind: 'rfid', label: 'Old label', driverId: holder.id });
    const blocked = await addToken(db, admin, { idToken: 'LOST1' });
    await blockToken(db, admin, blocked.id, { reason: 'Lost' });

    const csv = toCsv([
      ['id_token', 'kind', 'status', 'label', 'parent_id_tag', 'driver'],
      ['ABC123', 'key_fob', '', '', 'PARENT', ''],
      ['lost1', '', 'active', 'Found again', '', 'Holder'],
      ['NEW1', '', '', '', '', ''],
    ]);
    const preview = await previewTokenImport(db, admin, csv);
    expect(preview.rows.map((r) => r.action)).toEqual(['update', 'update', 'create']);
    expect(await applyTokenImport(db, admin, csv)).toEqual({ created: 1, updated: 2, driversCreated: 0 });

    const tokens = await tokensOf(admin.organisationId);
    expect(
      tokens.map((t) => [t.idToken, t.kind, t.status, t.blockedReason, t.label, t.parentIdTag, t.driverId]),
    ).toEqual([
      // The stored value keeps its case; blank fields keep their values.
      ['LOST1', 'rfid', 'active', null, 'Found again', null, holder.id],
      ['NEW1', 'rfid', 'active', null, null, null, null],
      ['abc123', 'key_fob', 'active', null, 'Old label', 'PARENT', holder.id],
    ]);
  });

  it('refuses a value twice in the file, unknown columns and a missing id_token column', async () => {
    const admin = await anAdmin();
    const duplicate = await previewTokenImport(db, admin, 'id_token,label\nCARD1,a\ncard1,b\n');
    expect(duplicate.errorCount).toBe(1);
    expect(duplicate.rows[1]).toMatchObject({ line: 3, errors: ['id_token: card1 is also on line 2'] });
    await expectError(applyTokenImport(db, admin, 'id_token,label\nCARD1,a\ncard1,b\n'), 'validation');

    const unknown = await previewTokenImport(db, admin, 'id_token,colour\nCARD1,red\n');
    expect(unknown.rows).toEqual([
      { line: 1, idToken: '', driver: null, action: 'skip', errors: [expect.stringContaining('“colour”')] },
    ]);
    const missing = await previewTokenImport(db, admin, 'label\nx\n');
    expect(missing.rows[0]?.errors).toEqual([expect.stringContaining('id_token column')]);
  });

  it('refuses files over the row and size limits with one clear error', async () => {
    const admin = await anAdmin();
    const many = ['id_token', ...Array.from({ length: 5_001 }, (_, i) => `T${i}`)].join('\n');
    const tooMany = await previewTokenImport(db, admin, many);
    expect(tooMany.rows).toHaveLength(1);
    expect(tooMany.rows[0]?.errors[0]).toContain('at most 5,000');
    const big = await previewTokenImport(db, admin, `id_token\n${'x'.repeat(1_048_577)}`);
    expect(big.rows[0]?.errors[0]).toContain('1 MB');
  });

  it('refuses a technician', async () => {
    const org = await anOrganisation(db);
    const technician = await aUser(db, org.id, { role: 'technician' });
    await expectError(previewTokenImport(db, technician, 'id_token\nX1\n'), 'forbidden');
    await expectError(applyTokenImport(db, technician, 'id_token\nX1\n'), 'forbidden');
    expect(await tokensOf(org.id)).toHaveLength(0);
  });

  it('re-imports an exported file as updates without errors', async () => {
    const admin = await anAdmin();
    const driver = await createDriver(db, admin, { name: 'Exported Driver' });
    await addToken(db, admin, {
      idToken: '-DASH',
      kind: 'app',
      ocppType: 'Central',
      driverId: driver.id,
      expiresAt: '2027-06-30T12:00:00Z',
      parentIdTag: 'P1',
      label: '=not a formula',
    });
    const lost = await addToken(db, admin, { idToken: 'CARD2' });
    await blockToken(db, admin, lost.id, { reason: 'Stolen, reported "today"' });
    const before = await tokensOf(admin.organisationId);

    const csv = await exportTokensCsv(db, admin);
    const preview = await previewTokenImport(db, admin, csv);
    expect(preview).toMatchObject({ creates: 0, updates: 2, errorCount: 0 });
    expect(await applyTokenImport(db, admin, csv)).toEqual({ created: 0, updated: 2, driversCreated: 0 });
    const after = await tokensOf(admin.organisationId);
    const strip = (rows: typeof after) => rows.map(({ updatedAt: _updatedAt, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(before));
  });
});
