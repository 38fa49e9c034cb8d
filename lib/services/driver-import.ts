import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { driverGroupMembers, driverGroups, drivers } from '@/lib/db/schema';
import { driverInput } from '@/lib/validation/drivers';
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
import { actorOf, type SessionUser } from './users';

/**
 * Bulk import of drivers from CSV, in the columns the drivers export writes. A row whose email
 * belongs to a driver updates that driver; a row without an email updates the one driver without an
 * email who has its name (so an exported file comes back as updates); any other row adds a driver.
 * Groups listed are joined, groups not listed are left as they are. The preview and the import run
 * the same analysis, and the import writes nothing unless every row is valid.
 */

/** The columns read: the drivers export's (app/api/drivers/drivers.csv) but its tokens. */
export const driverImportColumns = ['name', 'email', 'phone', 'company', 'groups'] as const;
type Column = (typeof driverImportColumns)[number];

/** The export lists each driver's token values; tokens change through the token import, so these are not read. */
const exportOnlyColumns = ['tokens'];

/** How the groups cell separates group names (the export writes "Fleet; Employees"). */
const groupSeparator = ';';

/** One data row of the file as the import would treat it. */
export interface DriverImportRow extends ImportRow {
  name: string;
  email: string | null;
  /** The group names the row lists, as written. */
  groups: string[];
}

export type DriverImportPreview = ImportPreviewOf<DriverImportRow>;

export interface DriverImportResult {
  created: number;
  updated: number;
  /** Memberships added; a driver already in a listed group adds none. */
  membershipsAdded: number;
}

/** What a valid row writes; an update sets only the name and the contact fields the row fills in. */
interface Plan {
  /** The matched driver's id, or the id the new driver is inserted with (so memberships can name it). */
  driverId: string;
  existing: boolean;
  columns: { name: string; email?: string | null; phone?: string | null; company?: string | null };
  groupIds: string[];
}

const insertChunk = 500;

/** The names in a groups cell, trimmed, each once (group names are unique regardless of case). */
function groupNamesOf(cell: string | undefined): string[] {
  const names = (cell ?? '')
    .split(groupSeparator)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.filter((name, i) => names.findIndex((n) => n.toLowerCase() === name.toLowerCase()) === i);
}

/** Ids by a lower-cased key; a key can have several (emails and names are not unique). */
function idsBy<T extends { id: string }>(rows: T[], keyOf: (row: T) => string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of rows) {
    const key = keyOf(row).toLowerCase();
    map.set(key, [...(map.get(key) ?? []), row.id]);
  }
  return map;
}

async function analyse(
  db: DbOrTx,
  actor: SessionUser,
  csvText: string,
): Promise<{ preview: DriverImportPreview; plans: Plan[] }> {
  const sheet = readSheet<Column>(csvText, {
    columns: driverImportColumns,
    required: 'name',
    ignored: exportOnlyColumns,
  });
  if (!sheet.ok) {
    const row: DriverImportRow = {
      line: sheet.line,
      name: '',
      email: null,
      groups: [],
      action: 'skip',
      errors: sheet.errors,
    };
    return { preview: previewOf([row]), plans: [] };
  }
  const organisation = eq(drivers.organisationId, actor.organisationId);
  const emails = distinctCells(sheet.rows, 'email', (v) => v.toLowerCase());
  const withEmail =
    emails.length === 0
      ? []
      : await db
          .select({ id: drivers.id, email: drivers.email })
          .from(drivers)
          .where(and(organisation, inArray(sql`lower(${drivers.email})`, emails)));
  // Names and group names are compared here rather than with SQL lower(), which leaves letters
  // beyond ASCII alone under the C collation; there are few groups, and only names are read.
  const withoutEmail = sheet.rows.some((r) => !r.fields.email && r.fields.name)
    ? await db
        .select({ id: drivers.id, name: drivers.name })
        .from(drivers)
        .where(and(organisation, isNull(drivers.email)))
    : [];
  // In the import's transaction the share lock holds until commit, so a listed group cannot be
  // deleted between the analysis and the memberships' insert.
  const groups = sheet.rows.some((r) => groupNamesOf(r.fields.groups).length > 0)
    ? await db
        .select({ id: driverGroups.id, name: driverGroups.name })
        .from(driverGroups)
        .where(eq(driverGroups.organisationId, actor.organisationId))
        .for('share')
    : [];
  const driversByEmail = idsBy(withEmail, (d) => d.email ?? '');
  const unmailedByName = idsBy(withoutEmail, (d) => d.name);
  const groupsByName = new Map(groups.map((g) => [g.name.toLowerCase(), g.id]));

  const rows: DriverImportRow[] = [];
  const plans: Plan[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, fields, blank, errors } of sheet.rows) {
    const listed = groupNamesOf(fields.groups);
    const name = fields.name ?? '';
    const email = fields.email ? fields.email.toLowerCase() : null;
    if (blank) {
      rows.push({ line, name: '', email: null, groups: [], action: 'skip', errors: [] });
      continue;
    }
    const parsed = driverInput.safeParse({ name, email, phone: fields.phone, company: fields.company });
    if (!parsed.success) {
      // The schema's fields are named like the columns.
      for (const issue of parsed.error.issues) errors.push(`${String(issue.path[0])}: ${issue.message}`);
    }

    // The driver a row is about: by email, or, for a row without one, by name among those without.
    const matches = email
      ? (driversByEmail.get(email) ?? [])
      : name
        ? (unmailedByName.get(name.toLowerCase()) ?? [])
        : [];
    if (matches.length > 1) {
      errors.push(
        email
          ? `email: ${matches.length} drivers have ${email}; give each their own email first`
          : `name: ${matches.length} drivers without an email are called “${name}”; add their emails first`,
      );
    }
    const key = email ?? (name ? `\u0000${name.toLowerCase()}` : undefined);
    const firstLine = key === undefined ? undefined : firstLineOf.get(key);
    if (firstLine !== undefined) {
      errors.push(
        email
          ? `email: ${email} is also on line ${firstLine}`
          : `name: “${name}” without an email is also on line ${firstLine}; add emails to tell them apart`,
      );
    } else if (key !== undefined) firstLineOf.set(key, line);

    const groupIds: string[] = [];
    for (const group of listed) {
      const id = groupsByName.get(group.toLowerCase());
      if (id) groupIds.push(id);
      else errors.push(`groups: there is no group “${group}”; add it under Groups first`);
    }

    const [match] = matches;
    const existing = matches.length === 1 && match !== undefined;
    rows.push({ line, name, email, groups: listed, action: existing ? 'update' : 'create', errors });
    if (errors.length > 0 || !parsed.success) continue;
    const input = parsed.data;
    // An update keeps the email it was matched by, and whatever contact field the row leaves blank.
    const columns: Plan['columns'] = existing
      ? {
          name: input.name,
          ...(input.phone !== undefined ? { phone: input.phone } : {}),
          ...(input.company !== undefined ? { company: input.company } : {}),
        }
      : {
          name: input.name,
          email: input.email ?? null,
          phone: input.phone ?? null,
          company: input.company ?? null,
        };
    plans.push({ driverId: existing ? match : randomUUID(), existing, columns, groupIds });
  }
  return { preview: previewOf(rows), plans };
}

/** What importing the CSV would do, row by row, with every problem found; writes nothing. */
export async function previewDriverImport(
  db: Db,
  actor: SessionUser,
  csvText: string,
): Promise<DriverImportPreview> {
  assertCan(actor, 'drivers:manage');
  return (await analyse(db, actor, csvText)).preview;
}

/**
 * Imports the CSV in one transaction with one audit row, as an access change (group memberships
 * decide where tokens may charge, so the local lists are brought up to date); refuses the whole
 * file (validation error) if any row has an error.
 */
export async function applyDriverImport(
  db: Db,
  actor: SessionUser,
  csvText: string,
): Promise<DriverImportResult> {
  assertCan(actor, 'drivers:manage');
  return inAccessChange(db, { organisationId: actor.organisationId }, async (tx) => {
    // Analysed inside the transaction, so the check and the writes see the same drivers and groups.
    const { preview, plans } = await analyse(tx, actor, csvText);
    assertImportable(preview, 'driver rows');

    const creates = plans.filter((p) => !p.existing);
    await forEachChunk(creates, insertChunk, async (chunk) => {
      await tx
        .insert(drivers)
        .values(chunk.map((p) => ({ id: p.driverId, organisationId: actor.organisationId, ...p.columns })));
    });
    const now = new Date();
    for (const p of plans) {
      if (!p.existing) continue;
      await tx
        .update(drivers)
        .set({ ...p.columns, updatedAt: now })
        .where(and(eq(drivers.id, p.driverId), eq(drivers.organisationId, actor.organisationId)));
    }
    const memberships = plans.flatMap((p) =>
      p.groupIds.map((groupId) => ({ groupId, driverId: p.driverId })),
    );
    let membershipsAdded = 0;
    await forEachChunk(memberships, insertChunk, async (chunk) => {
      const added = await tx
        .insert(driverGroupMembers)
        .values(chunk)
        .onConflictDoNothing()
        .returning({ driverId: driverGroupMembers.driverId });
      membershipsAdded += added.length;
    });

    const result = { created: creates.length, updated: plans.length - creates.length, membershipsAdded };
    await recordAudit(tx, actorOf(actor), {
      action: 'driver.import',
      targetType: 'driver',
      details: { ...result, rows: preview.rows.length },
    });
    return result;
  });
}
