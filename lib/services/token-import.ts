import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import { drivers, idTokens, type IdToken } from '@/lib/db/schema';
import { conflict } from '@/lib/errors';
import { blockInput, driverInput, tokenInput } from '@/lib/validation/drivers';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import {
  assertImportable,
  distinctCells,
  forEachChunk,
  previewOf,
  readSheet,
  type ImportPreviewOf,
  type ImportRow,
} from './csv-import';
import { inAccessChange } from './local-lists';
import { isUniqueViolation } from '@/lib/db/errors';
import { actorOf, type SessionUser } from './users';

/**
 * Bulk import of id tokens from CSV. The preview and the import run the same analysis, and the
 * import writes nothing unless every row is valid, so what the operator saw is what happens.
 */

/** One data row of the file as the import would treat it. */
export interface ImportPreviewRow extends ImportRow {
  idToken: string;
  driver: string | null;
}

export type ImportPreview = ImportPreviewOf<ImportPreviewRow>;

export interface ImportResult {
  created: number;
  updated: number;
  driversCreated: number;
}

/** The columns of the export (app/api/drivers/tokens.csv), plus driver_email for new drivers. */
export const importColumns = [
  'id_token',
  'kind',
  'ocpp_type',
  'status',
  'blocked_reason',
  'expires_at',
  'parent_id_tag',
  'label',
  'driver',
  'driver_email',
] as const;
type Column = (typeof importColumns)[number];

/** What a valid row changes; for an update only the fields the row fills in. */
interface Plan {
  row: ImportPreviewRow;
  existing: IdToken | undefined;
  idToken: string;
  columns: Partial<Omit<typeof idTokens.$inferInsert, 'id' | 'organisationId' | 'driverId'>>;
  /** Lower-cased driver name; resolved to an id at write time (new drivers are created first). */
  driverKey: string | undefined;
}

interface Analysis {
  preview: ImportPreview;
  plans: Plan[];
  /** Drivers to create, by lower-cased name. */
  newDrivers: Map<string, { name: string; email: string | null }>;
  /** Existing drivers, by lower-cased name. */
  driverIds: Map<string, string>;
}

const messagesOf = (error: z.ZodError, field: string) =>
  error.issues.map((issue) => `${field}: ${issue.message}`);

const tokenFieldColumns: Record<string, Column> = {
  idToken: 'id_token',
  kind: 'kind',
  ocppType: 'ocpp_type',
  expiresAt: 'expires_at',
  parentIdTag: 'parent_id_tag',
  label: 'label',
};

const refused = (line: number, errors: string[]): ImportPreview =>
  previewOf([{ line, idToken: '', driver: null, action: 'skip', errors }]);

async function analyse(db: DbOrTx, actor: SessionUser, csvText: string): Promise<Analysis> {
  const sheet = readSheet<Column>(csvText, { columns: importColumns, required: 'id_token' });
  if (!sheet.ok) {
    return {
      plans: [],
      newDrivers: new Map(),
      driverIds: new Map(),
      preview: refused(sheet.line, sheet.errors),
    };
  }
  // One query each for the tokens and drivers the file names. Validated values are printable
  // ASCII, so toUpperCase matches PostgreSQL's upper().
  const values = distinctCells(sheet.rows, 'id_token', (v) => v.toUpperCase());
  const existingTokens =
    values.length === 0
      ? []
      : await db
          .select()
          .from(idTokens)
          .where(
            and(
              eq(idTokens.organisationId, actor.organisationId),
              inArray(sql`upper(${idTokens.idToken})`, values),
            ),
          );
  const tokensByValue = new Map(existingTokens.map((t) => [t.idToken.toUpperCase(), t]));
  const names = distinctCells(sheet.rows, 'driver', (v) => v.toLowerCase());
  const existingDrivers =
    names.length === 0
      ? []
      : await db
          .select({ id: drivers.id, name: drivers.name })
          .from(drivers)
          .where(
            and(
              eq(drivers.organisationId, actor.organisationId),
              inArray(sql`lower(${drivers.name})`, names),
            ),
          );
  const driversByName = new Map<string, string[]>();
  for (const d of existingDrivers) {
    const key = d.name.toLowerCase();
    driversByName.set(key, [...(driversByName.get(key) ?? []), d.id]);
  }

  const rows: ImportPreviewRow[] = [];
  const plans: Plan[] = [];
  const firstLineOf = new Map<string, number>();
  const newDrivers = new Map<string, { name: string; email: string | null; line: number }>();
  const driverIds = new Map<string, string>();

  for (const { line, fields, blank, errors } of sheet.rows) {
    const idToken = fields.id_token ?? '';
    const driverName = fields.driver || null;
    if (blank) {
      rows.push({ line, idToken: '', driver: null, action: 'skip', errors: [] });
      continue;
    }
    const parsed = tokenInput.safeParse({
      idToken,
      kind: fields.kind,
      ocppType: fields.ocpp_type,
      expiresAt: fields.expires_at,
      parentIdTag: fields.parent_id_tag,
      label: fields.label,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = tokenFieldColumns[String(issue.path[0])] ?? String(issue.path[0]);
        errors.push(`${column}: ${issue.message}`);
      }
    }

    const key = idToken.toUpperCase();
    const existing = idToken ? tokensByValue.get(key) : undefined;
    const firstLine = idToken ? firstLineOf.get(key) : undefined;
    if (firstLine !== undefined) errors.push(`id_token: ${idToken} is also on line ${firstLine}`);
    else if (idToken) firstLineOf.set(key, line);

    // Status: blank keeps an existing token's status (a new one is active). `expired` comes from an
    // export and follows from expires_at, so it changes nothing on an existing token.
    const status = fields.status?.toLowerCase() ?? '';
    const reason = fields.blocked_reason ?? '';
    let statusColumns: Plan['columns'] = {};
    if (status === 'blocked') {
      const block = blockInput.safeParse({ reason });
      if (block.success) statusColumns = { status: 'blocked', blockedReason: block.data.reason };
      else errors.push(...messagesOf(block.error, 'blocked_reason'));
    } else if (status === 'active') {
      statusColumns = { status: 'active', blockedReason: null };
    } else if (status === 'expired' && !existing) {
      errors.push('status: a new token cannot be expired; leave it blank and set expires_at');
    } else if (status !== '' && status !== 'expired') {
      errors.push(`status: use active or blocked, not “${fields.status}”`);
    }
    if (reason && status !== 'blocked') errors.push('blocked_reason: only for status blocked');

    let driverKey: string | undefined;
    if (driverName) {
      driverKey = driverName.toLowerCase();
      const matches = driversByName.get(driverKey) ?? [];
      const [match] = matches;
      if (matches.length > 1) {
        errors.push(`driver: ${matches.length} drivers are called “${driverName}”; rename one first`);
      } else if (match) {
        driverIds.set(driverKey, match);
      } else {
        const driver = driverInput.safeParse({ name: driverName, email: fields.driver_email });
        if (!driver.success) {
          for (const issue of driver.error.issues) {
            errors.push(`${issue.path[0] === 'email' ? 'driver_email' : 'driver'}: ${issue.message}`);
          }
        } else {
          const email = driver.data.email ?? null;
          const earlier = newDrivers.get(driverKey);
          if (!earlier) newDrivers.set(driverKey, { name: driver.data.name, email, line });
          else if (email && earlier.email && email !== earlier.email) {
            errors.push(`driver_email: line ${earlier.line} gives ${earlier.email} for this new driver`);
          } else if (email && !earlier.email) earlier.email = email;
        }
      }
    } else if (fields.driver_email) {
      errors.push('driver_email: name the driver too');
    }

    const row: ImportPreviewRow = {
      line,
      idToken,
      driver: driverName,
      action: existing ? 'update' : 'create',
      errors,
    };
    rows.push(row);
    if (errors.length > 0 || !parsed.success) continue;
    const input = parsed.data;
    // A new token takes the schema's defaults; an existing one keeps whatever the row leaves blank.
    const given = (column: Column) => !!fields[column];
    const columns: Plan['columns'] = existing
      ? {
          ...(given('kind') ? { kind: input.kind } : {}),
          ...(given('ocpp_type') ? { ocppType: input.ocppType } : {}),
          ...(given('expires_at') ? { expiresAt: input.expiresAt ?? null } : {}),
          ...(given('parent_id_tag') ? { parentIdTag: input.parentIdTag ?? null } : {}),
          ...(given('label') ? { label: input.label ?? null } : {}),
          ...statusColumns,
        }
      : {
          idToken: input.idToken,
          kind: input.kind,
          ocppType: input.ocppType,
          expiresAt: input.expiresAt ?? null,
          parentIdTag: input.parentIdTag ?? null,
          label: input.label ?? null,
          ...statusColumns,
        };
    plans.push({ row, existing, idToken: input.idToken, columns, driverKey });
  }

  return {
    preview: previewOf(rows),
    plans,
    newDrivers: new Map([...newDrivers].map(([key, { name, email }]) => [key, { name, email }])),
    driverIds,
  };
}

/** What importing the CSV would do, row by row, with every problem found; writes nothing. */
export async function previewTokenImport(
  db: Db,
  actor: SessionUser,
  csvText: string,
): Promise<ImportPreview> {
  assertCan(actor, 'drivers:manage');
  return (await analyse(db, actor, csvText)).preview;
}

const insertChunk = 500;

/**
 * Imports the CSV in one transaction with one audit row; refuses the whole file (validation
 * error) if any row has an error, so a partly imported file never needs cleaning up.
 */
export async function applyTokenImport(db: Db, actor: SessionUser, csvText: string): Promise<ImportResult> {
  assertCan(actor, 'drivers:manage');
  try {
    return await inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
      // Analysed inside the transaction, so the check and the writes see the same tokens.
      const { preview, plans, newDrivers, driverIds } = await analyse(tx, actor, csvText);
      assertImportable(preview, 'token rows');

      const toCreate = [...newDrivers.values()];
      await forEachChunk(toCreate, insertChunk, async (chunk) => {
        const created = await tx
          .insert(drivers)
          .values(chunk.map((d) => ({ organisationId: actor.organisationId, name: d.name, email: d.email })))
          .returning({ id: drivers.id, name: drivers.name });
        for (const d of created) driverIds.set(d.name.toLowerCase(), d.id);
      });
      const driverIdOf = (key: string | undefined) => (key === undefined ? undefined : driverIds.get(key));

      const creates = plans.filter((p) => !p.existing);
      await forEachChunk(creates, insertChunk, async (chunk) => {
        await tx.insert(idTokens).values(
          chunk.map((p) => ({
            organisationId: actor.organisationId,
            idToken: p.idToken,
            ...p.columns,
            driverId: driverIdOf(p.driverKey) ?? null,
          })),
        );
      });
      const now = new Date();
      for (const p of plans) {
        if (!p.existing) continue;
        const driverId = driverIdOf(p.driverKey);
        await tx
          .update(idTokens)
          .set({ ...p.columns, ...(driverId ? { driverId } : {}), updatedAt: now })
          .where(eq(idTokens.id, p.existing.id));
      }

      const result = {
        created: creates.length,
        updated: plans.length - creates.length,
        driversCreated: toCreate.length,
      };
      await recordAudit(tx, actorOf(actor), {
        action: 'id-token.import',
        targetType: 'id-token',
        details: { ...result, rows: preview.rows.length },
      });
      return result;
    });
  } catch (error) {
    // Someone registered one of the values between the analysis and the insert.
    if (isUniqueViolation(error)) {
      throw conflict('Nothing was imported: a token in the file was registered meanwhile. Preview again.');
    }
    throw error;
  }
}
