import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { parseCsv } from '@/lib/csv';
import type { Db, DbOrTx } from '@/lib/db';
import { drivers, idTokens, type IdToken } from '@/lib/db/schema';
import { conflict, invalid } from '@/lib/errors';
import { blockInput, driverInput, tokenInput } from '@/lib/validation/drivers';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { inAccessChange } from './local-lists';
import { isUniqueViolation } from '@/lib/db/errors';
import { actorOf, type SessionUser } from './users';

/**
 * Bulk import of id tokens from CSV. The preview and the import run the same analysis, and the
 * import writes nothing unless every row is valid, so what the operator saw is what happens.
 */

/** One data row of the file as the import would treat it. */
export interface ImportPreviewRow {
  /** The spreadsheet row number (the header is 1), which is the file's line unless a field spans lines. */
  line: number;
  idToken: string;
  driver: string | null;
  /** `skip`: a blank row, or the header or whole file when it carries an error. */
  action: 'create' | 'update' | 'skip';
  errors: string[];
}

export interface ImportPreview {
  rows: ImportPreviewRow[];
  /** Valid rows that would create a token. */
  creates: number;
  /** Valid rows that would update a token. */
  updates: number;
  /** Rows (header included) with at least one error. */
  errorCount: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  driversCreated: number;
}

export const maxImportRows = 5_000;
export const maxImportChars = 1_048_576;

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

type Fields = Partial<Record<Column, string>>;

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

// toCsv puts an apostrophe before a field a spreadsheet would run as a formula; take it off again,
// or an exported "-spare" label (or "+4711" token) would come back as "'-spare".
const unescapeFormula = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

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

function fileError(message: string): ImportPreview {
  return {
    rows: [{ line: 0, idToken: '', driver: null, action: 'skip', errors: [message] }],
    creates: 0,
    updates: 0,
    errorCount: 1,
  };
}

async function analyse(db: DbOrTx, actor: SessionUser, csvText: string): Promise<Analysis> {
  const empty = { plans: [], newDrivers: new Map(), driverIds: new Map() };
  if (csvText.length > maxImportChars) {
    return { ...empty, preview: fileError('The file is larger than 1 MB: split it into several files') };
  }
  const records = parseCsv(csvText);
  const header = records[0]?.map((h) => h.trim().toLowerCase());
  if (!header || header.every((h) => h === '')) {
    return { ...empty, preview: fileError('The file is empty: the first row must name the columns') };
  }
  const isBlank = (record: string[]) => record.every((cell) => cell.trim() === '');
  const dataCount = records.slice(1).filter((r) => !isBlank(r)).length;
  if (dataCount > maxImportRows) {
    return {
      ...empty,
      preview: fileError(
        `The file has ${dataCount.toLocaleString('en')} rows: at most ${maxImportRows.toLocaleString('en')} per import`,
      ),
    };
  }

  const headerErrors: string[] = [];
  const unknown = header.filter((h) => !(importColumns as readonly string[]).includes(h));
  if (unknown.length > 0) {
    headerErrors.push(
      `Unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `“${u}”`).join(', ')}; expected ${importColumns.join(', ')}`,
    );
  }
  const repeated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (repeated.length > 0) headerErrors.push(`Column ${[...new Set(repeated)].join(', ')} appears twice`);
  if (!header.includes('id_token')) headerErrors.push('The header must have an id_token column');
  if (headerErrors.length > 0) {
    return {
      ...empty,
      preview: {
        rows: [{ line: 1, idToken: '', driver: null, action: 'skip', errors: headerErrors }],
        creates: 0,
        updates: 0,
        errorCount: 1,
      },
    };
  }

  const rowsFields: { line: number; fields: Fields; blank: boolean; cellCount: number }[] = records
    .slice(1)
    .map((record, index) => {
      const fields: Fields = {};
      header.forEach((column, i) => {
        const value = record[i];
        if (value !== undefined) fields[column as Column] = unescapeFormula(value.trim());
      });
      return { line: index + 2, fields, blank: isBlank(record), cellCount: record.length };
    });

  // One query each for the tokens and drivers the file names. Validated values are printable
  // ASCII, so toUpperCase matches PostgreSQL's upper().
  const values = [
    ...new Set(rowsFields.map((r) => r.fields.id_token?.toUpperCase()).filter((v): v is string => !!v)),
  ];
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
  const names = [
    ...new Set(rowsFields.map((r) => r.fields.driver?.toLowerCase()).filter((v): v is string => !!v)),
  ];
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

  for (const { line, fields, blank, cellCount } of rowsFields) {
    const idToken = fields.id_token ?? '';
    const driverName = fields.driver || null;
    if (blank) {
      rows.push({ line, idToken: '', driver: null, action: 'skip', errors: [] });
      continue;
    }
    const errors: string[] = [];
    if (cellCount > header.length)
      errors.push(`The row has ${cellCount} fields but the header only ${header.length}`);

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

  const errorCount = rows.filter((r) => r.errors.length > 0).length;
  return {
    preview: {
      rows,
      creates: plans.filter((p) => !p.existing).length,
      updates: plans.filter((p) => p.existing).length,
      errorCount,
    },
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
      if (preview.errorCount > 0) {
        throw invalid(
          `Nothing was imported: ${preview.errorCount === 1 ? '1 row has errors' : `${preview.errorCount} rows have errors`}. Fix the file and try again.`,
        );
      }
      if (plans.length === 0) throw invalid('Nothing was imported: the file has no token rows');

      const toCreate = [...newDrivers.values()];
      for (let i = 0; i < toCreate.length; i += insertChunk) {
        const created = await tx
          .insert(drivers)
          .values(
            toCreate
              .slice(i, i + insertChunk)
              .map((d) => ({ organisationId: actor.organisationId, name: d.name, email: d.email })),
          )
          .returning({ id: drivers.id, name: drivers.name });
        for (const d of created) driverIds.set(d.name.toLowerCase(), d.id);
      }
      const driverIdOf = (key: string | undefined) => (key === undefined ? undefined : driverIds.get(key));

      const creates = plans.filter((p) => !p.existing);
      for (let i = 0; i < creates.length; i += insertChunk) {
        await tx.insert(idTokens).values(
          creates.slice(i, i + insertChunk).map((p) => ({
            organisationId: actor.organisationId,
            idToken: p.idToken,
            ...p.columns,
            driverId: driverIdOf(p.driverKey) ?? null,
          })),
        );
      }
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
