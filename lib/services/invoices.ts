import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  lt,
  notExists,
  notInArray,
  or,
  sql,
} from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '@/lib/db';
import {
  billingAccounts,
  billingSettings,
  chargeDetailRecords,
  chargingStations,
  creditNotes,
  drivers,
  invoices,
  organisations,
  sites,
  type ChargeDetailRecord,
  type DocumentSeller,
  type Invoice,
} from '@/lib/db/schema';
import { canAccessStation, siteScope, type Principal } from '@/lib/domain/access/roles';
import type { CostLine } from '@/lib/domain/pricing/engine';
import { MixedCurrencyError, sumMoney, taxIncludedIn } from '@/lib/domain/pricing/money';
import { describeCostLine, documentNumber } from '@/lib/domain/pricing/display';
import {
  renderInvoice,
  type InvoiceDocument,
  type InvoiceLine,
  type RenderDocumentOptions,
} from '@/lib/documents/invoice';
import { forbiddenError, invalid, notFound } from '@/lib/errors';
import { optionalField, parseInput, text } from '@/lib/validation/fields';
import { isUuid } from '@/lib/validation/ids';
import { recordAudit } from './audit';
import { assertCan } from './authorize';
import { nextDocumentNumber, publishCdr } from './billing';
import { cdrSiteScope } from './cdrs';
import { actorOf, type SessionUser } from './users';

/**
 * Invoices and credit notes: an invoice gathers a driver's priced, not yet invoiced CDRs of a period
 * under one gapless number per organisation; the PDFs are rendered from the stored records on demand.
 * A manager issues and sees invoices made only of CDRs at their sites.
 */

const DAY_MS = 86_400_000;

/** A 'YYYY-MM-DD' calendar day. */
const day = (required: string) =>
  z
    .string(required)
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD')
    .refine((v) => {
      const t = Date.parse(`${v}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
    }, 'Not a calendar date');

/** A period of whole days, both included: `to` on or after `from`. */
export const periodForm = z
  .object({ from: day('Enter the first day'), to: day('Enter the last day') })
  .refine((p) => p.from <= p.to, { path: ['to'], message: 'The last day is before the first' });

/** The UTC instants [start of `from`, start of the day after `to`). */
function utcPeriod(raw: unknown): { from: string; to: string; start: Date; end: Date } {
  const period = parseInput(periodForm, raw, 'Check the period');
  const start = new Date(`${period.from}T00:00:00Z`);
  const end = new Date(new Date(`${period.to}T00:00:00Z`).getTime() + DAY_MS);
  return { ...period, start, end };
}

// ---------------------------------------------------------------------------------------------
// Billing settings

/** The seller printed on invoices; unsaved settings fall back to the organisation's name. */
export interface BillingSettings {
  legalName: string;
  address: string | null;
  taxId: string | null;
  invoicePrefix: string;
  /** Whether an administrator saved them (false: the defaults shown). */
  saved: boolean;
}

/** The seller as an invoice or credit note prints it, from the billing settings. */
export function sellerOf(settings: BillingSettings): DocumentSeller {
  return { name: settings.legalName, address: settings.address, taxId: settings.taxId };
}

/** The organisation's billing settings as saved (or the defaults). */
export async function settingsOf(db: DbOrTx, organisationId: string): Promise<BillingSettings> {
  const [row] = await db
    .select({ name: organisations.name, settings: billingSettings })
    .from(organisations)
    .leftJoin(billingSettings, eq(billingSettings.organisationId, organisations.id))
    .where(eq(organisations.id, organisationId));
  const s = row?.settings;
  if (s)
    return {
      legalName: s.legalName,
      address: s.address,
      taxId: s.taxId,
      invoicePrefix: s.invoicePrefix,
      saved: true,
    };
  return { legalName: row?.name ?? '', address: null, taxId: null, invoicePrefix: 'INV', saved: false };
}

/** The organisation's seller details and invoice prefix (defaults when never saved). */
export async function getBillingSettings(db: Db, actor: SessionUser): Promise<BillingSettings> {
  assertCan(actor, 'billing:view');
  return settingsOf(db, actor.organisationId);
}

const settingsForm = z.object({
  legalName: text(200, 'Enter the legal name printed on invoices'),
  address: optionalField(text(500)).transform((v) => v ?? null),
  taxId: optionalField(text(60)).transform((v) => v ?? null),
  invoicePrefix: optionalField(
    z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,11}$/, 'Letters, digits and dashes, at most 12')),
  ).transform((v) => v ?? 'INV'),
});

/** Saves the seller details printed on invoices (administrators only: they are the company's legal identity). */
export async function saveBillingSettings(
  db: Db,
  actor: SessionUser,
  raw: unknown,
): Promise<BillingSettings> {
  assertCan(actor, 'billing:manage');
  if (actor.role !== 'admin') throw forbiddenError('Only administrators change the invoice details');
  const v = parseInput(settingsForm, raw);
  await db.transaction(async (tx) => {
    await tx
      .insert(billingSettings)
      .values({ organisationId: actor.organisationId, ...v })
      .onConflictDoUpdate({ target: billingSettings.organisationId, set: { ...v, updatedAt: new Date() } });
    await recordAudit(tx, actorOf(actor), {
      action: 'billing.settings',
      targetType: 'organisation',
      targetId: actor.organisationId,
      details: v,
    });
  });
  return { ...v, saved: true };
}

// ---------------------------------------------------------------------------------------------
// Issuing and listing invoices

/** An invoice with its printed number and how far it is paid. */
export interface InvoiceSummary extends Invoice {
  /** As printed: `INV-000042`. */
  documentNumber: string;
  driverName: string;
  cdrCount: number;
  /** paid: every CDR paid; failed: a payment failed; unpaid otherwise. */
  paymentStatus: 'paid' | 'unpaid' | 'failed';
}

/** Invoices with a CDR outside the caller's sites are not theirs to see. */
function invoiceScope(actor: Principal) {
  const scope = siteScope(actor);
  if (scope === 'all') return undefined;
  const c = chargeDetailRecords;
  return notExists(
    sql`(select 1 from ${c} where ${c.invoiceId} = ${invoices.id} and ${
      scope.length === 0 ? sql`true` : or(isNull(c.siteId), notInArray(c.siteId, [...scope]))
    })`,
  );
}

async function summarise(db: DbOrTx, rows: (Invoice & { driverName: string })[]) {
  const ids = rows.map((r) => r.id);
  const c = chargeDetailRecords;
  const states =
    ids.length === 0
      ? []
      : await db
          .select({
            invoiceId: c.invoiceId,
            count: sql<string>`count(*)`,
            paid: sql<string>`count(*) filter (where ${c.paymentStatus} = 'paid')`,
            failed: sql<string>`count(*) filter (where ${c.paymentStatus} = 'failed')`,
          })
          .from(c)
          .where(inArray(c.invoiceId, ids))
          .groupBy(c.invoiceId);
  return rows.map((r): InvoiceSummary => {
    const s = states.find((x) => x.invoiceId === r.id);
    const n = Number(s?.count ?? 0);
    return {
      ...r,
      cdrCount: n,
      paymentStatus:
        Number(s?.failed ?? 0) > 0 ? 'failed' : n > 0 && Number(s?.paid) === n ? 'paid' : 'unpaid',
    };
  });
}

/**
 * Invoices a driver for their priced CDRs (total > 0) that ended in the period (UTC days, both
 * included) and are on no invoice yet, at the caller's sites. Refused when there are none, or when
 * they differ in currency or tax rate (one invoice prints one rate).
 */
export async function issueInvoice(
  db: Db,
  actor: SessionUser,
  driverId: string,
  raw: unknown,
  now = new Date(),
): Promise<InvoiceSummary> {
  assertCan(actor, 'billing:manage');
  if (!isUuid(driverId)) throw notFound('Driver');
  const [driver] = await db
    .select({ id: drivers.id, name: drivers.name })
    .from(drivers)
    .where(and(eq(drivers.id, driverId), eq(drivers.organisationId, actor.organisationId)));
  if (!driver) throw notFound('Driver');
  const period = utcPeriod(raw);
  const c = chargeDetailRecords;
  const { invoice, cdrs } = await db.transaction(async (tx) => {
    // Locking the CDRs makes a second invoice of the same period wait, then find them invoiced.
    const cdrs = await tx
      .select()
      .from(c)
      .where(
        and(
          eq(c.organisationId, actor.organisationId),
          eq(c.driverId, driver.id),
          gt(c.total, 0),
          isNull(c.invoiceId),
          gte(c.endedAt, period.start),
          lt(c.endedAt, period.end),
          cdrSiteScope(actor),
        ),
      )
      .orderBy(asc(c.endedAt), asc(c.number))
      .for('update');
    const first = cdrs[0];
    if (!first)
      throw invalid('Nothing to invoice', {
        from: 'No charging session with a cost ended in this period that is not invoiced already',
      });
    let totals: { net: number; tax: number; total: number };
    try {
      const sum = (key: 'net' | 'tax' | 'total') =>
        sumMoney(
          first.currency,
          cdrs.map((r) => ({ amount: r[key], currency: r.currency })),
        ).amount;
      totals = { net: sum('net'), tax: sum('tax'), total: sum('total') };
    } catch (error) {
      if (!(error instanceof MixedCurrencyError)) throw error;
      const currencies = [...new Set(cdrs.map((r) => r.currency))].sort().join(', ');
      throw invalid('The sessions are in several currencies', {
        from: `The sessions of this period are in ${currencies}: choose a period with one currency`,
      });
    }
    if (cdrs.some((r) => r.taxRateBp !== first.taxRateBp || r.pricesIncludeTax !== first.pricesIncludeTax))
      throw invalid('The sessions have different tax rates', {
        from: 'The tax rate changed in this period: invoice the days before and after the change separately',
      });
    const number = await nextDocumentNumber(tx, actor.organisationId, 'invoice');
    const settings = await settingsOf(tx, actor.organisationId);
    const [invoice] = await tx
      .insert(invoices)
      .values({
        organisationId: actor.organisationId,
        number,
        documentNumber: documentNumber(settings.invoicePrefix, number),
        seller: sellerOf(settings),
        driverId: driver.id,
        periodFrom: period.from,
        periodTo: period.to,
        currency: first.currency,
        ...totals,
        issuedBy: actor.id,
        issuedAt: now,
      })
      .returning();
    if (!invoice) throw new Error('insert returned no row');
    const linked = await tx
      .update(c)
      .set({ invoiceId: invoice.id })
      .where(
        and(
          inArray(
            c.id,
            cdrs.map((r) => r.id),
          ),
          isNull(c.invoiceId),
        ),
      )
      .returning({ id: c.id });
    if (linked.length !== cdrs.length) throw new Error('a CDR was invoiced while it was locked');
    await recordAudit(tx, actorOf(actor), {
      action: 'invoice.issue',
      targetType: 'invoice',
      targetId: invoice.id,
      details: {
        number,
        driverId: driver.id,
        periodFrom: period.from,
        periodTo: period.to,
        currency: invoice.currency,
        total: invoice.total,
        cdrs: cdrs.map((r) => r.number),
      },
    });
    return { invoice, cdrs };
  });
  for (const cdr of cdrs) publishCdr(cdr);
  const [summary] = await summarise(db, [{ ...invoice, driverName: driver.name }]);
  return summary!;
}

/** The invoices the caller may see, newest number first; optionally one driver's. */
export async function listInvoices(
  db: Db,
  actor: SessionUser,
  options: { driverId?: string } = {},
): Promise<InvoiceSummary[]> {
  assertCan(actor, 'billing:view');
  if (options.driverId !== undefined && !isUuid(options.driverId)) return [];
  const rows = await db
    .select({ invoice: invoices, driverName: drivers.name })
    .from(invoices)
    .innerJoin(drivers, eq(drivers.id, invoices.driverId))
    .where(
      and(
        eq(invoices.organisationId, actor.organisationId),
        options.driverId ? eq(invoices.driverId, options.driverId) : undefined,
        invoiceScope(actor),
      ),
    )
    .orderBy(desc(invoices.number));
  return summarise(
    db,
    rows.map((r) => ({ ...r.invoice, driverName: r.driverName })),
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

/** A CDR's cost line in words: "Energy (Peak)", "12.345 kWh", "€0.35 / kWh". */
export function describeLine(line: CostLine, currency: string): InvoiceLine {
  return { ...describeCostLine(line, currency), amount: line.amount };
}

type CdrWithPlace = ChargeDetailRecord & {
  stationIdentity: string;
  siteName: string | null;
  siteTimezone: string | null;
};

async function cdrsWithPlace(db: DbOrTx, condition: ReturnType<typeof eq>): Promise<CdrWithPlace[]> {
  const c = chargeDetailRecords;
  const rows = await db
    .select({
      cdr: c,
      stationIdentity: chargingStations.identity,
      siteName: sites.name,
      siteTimezone: sites.timezone,
    })
    .from(c)
    .innerJoin(chargingStations, eq(chargingStations.id, c.stationId))
    .leftJoin(sites, eq(sites.id, c.siteId))
    .where(condition)
    .orderBy(asc(c.endedAt), asc(c.number));
  return rows.map(({ cdr, ...place }) => ({ ...cdr, ...place }));
}

/** The zone shared by every session's site, or UTC when they differ. */
function zoneOf(cdrs: readonly CdrWithPlace[]): string {
  const zones = new Set(cdrs.map((c) => c.siteTimezone ?? 'UTC'));
  return zones.size === 1 ? [...zones][0]! : 'UTC';
}

function sessionOf(cdr: CdrWithPlace, lines: InvoiceLine[]): InvoiceDocument['sessions'][number] {
  return {
    cdrNumber: documentNumber('CDR', cdr.number),
    stationIdentity: cdr.stationIdentity,
    siteName: cdr.siteName ?? 'No site',
    evseId: cdr.evseId,
    startedAt: cdr.startedAt,
    endedAt: cdr.endedAt,
    energyWh: cdr.energyWh,
    tariffName: cdr.tariffName,
    lines,
    // The lines are in the tariff's basis (net or gross), and so is the session's total.
    total: lines.reduce((sum, l) => sum + l.amount, 0),
  };
}

async function buyerOf(db: DbOrTx, driverId: string | null, idToken: string | null) {
  const [driver] = driverId
    ? await db
        .select({ name: drivers.name, email: drivers.email, company: drivers.company })
        .from(drivers)
        .where(eq(drivers.id, driverId))
    : [];
  return driver ?? { name: idToken ? `Token ${idToken}` : 'Unknown driver', email: null, company: null };
}

const METHOD_WORDS = { account: null, prepaid: 'prepaid balance', card: 'card' } as const;

/** What an invoice prints, from the stored invoice and its CDRs. */
export async function invoiceDocument(
  db: Db,
  actor: SessionUser,
  invoiceId: string,
): Promise<InvoiceDocument> {
  assertCan(actor, 'billing:view');
  if (!isUuid(invoiceId)) throw notFound('Invoice');
  const [invoice] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.organisationId, actor.organisationId)));
  if (!invoice) throw notFound('Invoice');
  const cdrs = await cdrsWithPlace(db, eq(chargeDetailRecords.invoiceId, invoice.id));
  if (cdrs.some((c) => !canAccessStation(actor, { siteId: c.siteId }))) throw notFound('Invoice');
  const [buyer, [account]] = await Promise.all([
    buyerOf(db, invoice.driverId, null),
    db.select().from(billingAccounts).where(eq(billingAccounts.driverId, invoice.driverId)),
  ]);
  const first = cdrs[0];
  const paid = cdrs.length > 0 && cdrs.every((c) => c.paymentStatus === 'paid');
  const methods = new Set(cdrs.map((c) => c.paymentMethod));
  const method = methods.size === 1 ? [...methods][0] : null;
  const references = new Set(cdrs.map((c) => c.paymentReference));
  const paidAt = paid ? Math.max(...cdrs.map((c) => c.paidAt?.getTime() ?? 0)) : 0;
  return {
    kind: 'invoice',
    number: invoice.documentNumber,
    issuedAt: invoice.issuedAt,
    timeZone: zoneOf(cdrs),
    currency: invoice.currency,
    seller: invoice.seller,
    buyer,
    corrects: null,
    sessions: cdrs.map((c) =>
      sessionOf(
        c,
        c.lines.map((l) => describeLine(l, c.currency)),
      ),
    ),
    net: invoice.net,
    tax: invoice.tax,
    total: invoice.total,
    taxRateBp: first?.taxRateBp ?? 0,
    pricesIncludeTax: first?.pricesIncludeTax ?? false,
    payment: {
      status: paid ? 'paid' : cdrs.some((c) => c.paymentStatus === 'failed') ? 'failed' : 'unpaid',
      method: method
        ? method === 'card'
          ? (account?.cardLabel ?? METHOD_WORDS.card)
          : METHOD_WORDS[method]
        : null,
      reference: paid && references.size === 1 ? ([...references][0] ?? null) : null,
      paidAt: paidAt > 0 ? new Date(paidAt) : null,
    },
  };
}

/** The invoice as a PDF. */
export async function renderInvoicePdf(
  db: Db,
  actor: SessionUser,
  invoiceId: string,
  options: RenderDocumentOptions = {},
): Promise<{ fileName: string; pdf: Buffer }> {
  const document = await invoiceDocument(db, actor, invoiceId);
  return { fileName: `invoice-${document.number}.pdf`, pdf: await renderInvoice(document, options) };
}

/**
 * What a credit note prints: the CDR it corrects (its invoice's number when it was invoiced), the
 * reason, and the amount credited split into net and tax at the CDR's rate.
 */
export async function creditNoteDocument(
  db: Db,
  actor: SessionUser,
  creditNoteId: string,
): Promise<InvoiceDocument> {
  assertCan(actor, 'billing:view');
  if (!isUuid(creditNoteId)) throw notFound('Credit note');
  const [note] = await db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.id, creditNoteId), eq(creditNotes.organisationId, actor.organisationId)));
  if (!note) throw notFound('Credit note');
  const [cdr] = await cdrsWithPlace(db, eq(chargeDetailRecords.id, note.cdrId));
  if (!cdr || !canAccessStation(actor, { siteId: cdr.siteId })) throw notFound('Credit note');
  const [buyer, [invoice]] = await Promise.all([
    buyerOf(db, cdr.driverId, cdr.idToken),
    cdr.invoiceId
      ? db
          .select({ documentNumber: invoices.documentNumber })
          .from(invoices)
          .where(eq(invoices.id, cdr.invoiceId))
      : Promise.resolve([]),
  ]);
  // All of it credited: the CDR's own split; part of it: the tax contained in the part, at its rate.
  const tax = note.amount === cdr.total ? cdr.tax : taxIncludedIn(note.amount, cdr.taxRateBp);
  const net = note.amount - tax;
  const lines: InvoiceLine[] =
    note.amount === cdr.total
      ? cdr.lines.map((l) => describeLine(l, cdr.currency))
      : [
          {
            description: `Partial credit of ${documentNumber('CDR', cdr.number)}`,
            quantity: '',
            unitPrice: null,
            amount: cdr.pricesIncludeTax ? note.amount : net,
          },
        ];
  return {
    kind: 'credit-note',
    number: documentNumber('CN', note.number),
    issuedAt: note.createdAt,
    timeZone: cdr.siteTimezone ?? 'UTC',
    currency: note.currency,
    seller: note.seller,
    buyer,
    corrects: invoice
      ? { number: invoice.documentNumber, reason: note.reason }
      : { number: documentNumber('CDR', cdr.number), reason: note.reason, record: 'charge record' },
    sessions: [sessionOf(cdr, lines)],
    net,
    tax,
    total: note.amount,
    taxRateBp: cdr.taxRateBp,
    pricesIncludeTax: cdr.pricesIncludeTax,
    // issueCreditNote puts the amount on the driver's account; without a driver it is still owed back.
    payment: { status: cdr.driverId ? 'account' : 'unpaid', method: null, reference: null, paidAt: null },
  };
}

/** The credit note as a PDF. */
export async function renderCreditNotePdf(
  db: Db,
  actor: SessionUser,
  creditNoteId: string,
  options: RenderDocumentOptions = {},
): Promise<{ fileName: string; pdf: Buffer }> {
  const document = await creditNoteDocument(db, actor, creditNoteId);
  return { fileName: `credit-note-${document.number}.pdf`, pdf: await renderInvoice(document, options) };
}
