import { and, asc, eq, gte, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db';
import { chargeDetailRecords, ledgerEntries, type PaymentMethod } from '@/lib/db/schema';
import { siteScope } from '@/lib/domain/access/roles';
import { addDays, startOfLocalDay } from '@/lib/domain/pricing/local-time';
import { renderStatement, type StatementDocument } from '@/lib/documents/statement';
import { zoneClock, type RenderDocumentOptions } from '@/lib/documents/invoice';
import { forbiddenError, invalid, notFound } from '@/lib/errors';
import { optionalField, parseInput } from '@/lib/validation/fields';
import { isUuid } from '@/lib/validation/ids';
import { assertCan } from './authorize';
import { getBillingSettings, periodForm } from './invoices';
import type { SessionUser } from './users';
import { isValidTimeZone } from '@/lib/domain/access/authorization';
import { driverWithAccount } from './billing';

/**
 * A driver's statement: their ledger over a period, with the opening balance (everything before),
 * each entry, and the closing balance, so opening + entries = closing always holds. The ledger is
 * the driver's whole account, across sites: a manager gets it only when the driver charged at no
 * other site than theirs.
 */

/** A statement's content, plus how the driver pays and what they owe now. */
export interface DriverStatement extends StatementDocument {
  driverId: string;
  account: {
    method: PaymentMethod | null;
    /** The balance now, all entries included: positive = the driver owes. */
    balance: number;
  };
}

const statementForm = periodForm.and(
  z.object({
    timeZone: optionalField(z.string().trim().refine(isValidTimeZone, 'Unknown time zone')).transform(
      (v) => v ?? 'UTC',
    ),
  }),
);

/** The instant a day ('YYYY-MM-DD') starts in a zone (DST aware: the offset in force at that instant). */
export function startOfDayIn(day: string, timeZone: string): Date {
  return new Date(startOfLocalDay(day, timeZone));
}

/**
 * A driver's statement for whole days `from` to `to` (both included) in `timeZone` (UTC by default):
 * the period is [start of `from`, start of the day after `to`).
 */
export async function driverStatement(
  db: Db,
  actor: SessionUser,
  driverId: string,
  raw: { from?: unknown; to?: unknown; timeZone?: unknown },
  now = new Date(),
): Promise<DriverStatement> {
  assertCan(actor, 'billing:view');
  if (!isUuid(driverId)) throw notFound('Driver');
  const period = parseInput(statementForm, raw, 'Check the period');
  const { timeZone } = period;
  const from = startOfDayIn(period.from, timeZone);
  const to = startOfDayIn(addDays(period.to, 1), timeZone);

  const driver = await driverWithAccount(db, actor, driverId);
  const scope = siteScope(actor);
  if (scope !== 'all') {
    const c = chargeDetailRecords;
    const [elsewhere] = await db
      .select({ id: c.id })
      .from(c)
      .where(
        and(
          eq(c.driverId, driverId),
          scope.length === 0 ? undefined : or(isNull(c.siteId), notInArray(c.siteId, [...scope])),
        ),
      )
      .limit(1);
    if (elsewhere)
      throw forbiddenError('This driver also charged at sites you do not manage: ask an administrator');
  }

  const l = ledgerEntries;
  const [[before], [all], entries, settings] = await Promise.all([
    db
      .select({ sum: sql<string>`coalesce(sum(${l.amount}), 0)` })
      .from(l)
      .where(and(eq(l.driverId, driverId), lt(l.createdAt, from))),
    db
      .select({
        sum: sql<string>`coalesce(sum(${l.amount}), 0)`,
        currencies: sql<string[]>`array_agg(distinct ${l.currency})`,
      })
      .from(l)
      .where(eq(l.driverId, driverId)),
    db
      .select()
      .from(l)
      .where(and(eq(l.driverId, driverId), gte(l.createdAt, from), lt(l.createdAt, to)))
      .orderBy(asc(l.createdAt), asc(l.id)),
    getBillingSettings(db, actor),
  ]);
  const currencies = (all?.currencies ?? []).filter((x): x is string => x !== null);
  if (currencies.length > 1)
    throw invalid('The account holds several currencies', {
      form: `The driver's account has entries in ${currencies.sort().join(', ')}: a statement shows one`,
    });
  const sessionCdrs = entries.filter((e) => e.kind === 'session' && e.cdrId).map((e) => e.cdrId!);
  const [energy] =
    sessionCdrs.length === 0
      ? [{ wh: '0' }]
      : await db
          .select({ wh: sql<string>`coalesce(sum(${chargeDetailRecords.energyWh}), 0)` })
          .from(chargeDetailRecords)
          .where(inArray(chargeDetailRecords.id, sessionCdrs));

  const openingBalance = Number(before?.sum ?? 0);
  const sessions = entries.filter((e) => e.kind === 'session');
  const payments = entries.filter((e) => e.kind === 'payment' || e.kind === 'top-up');
  return {
    driverId,
    driver: { name: driver.name, email: driver.email, company: driver.company },
    organisation: settings.legalName,
    period: { from, to },
    timeZone,
    currency: currencies[0] ?? driver.currency ?? 'USD',
    generatedAt: now,
    openingBalance,
    closingBalance: openingBalance + entries.reduce((sum, e) => sum + e.amount, 0),
    entries: entries.map((e) => ({
      at: e.createdAt,
      kind: e.kind,
      description: e.description,
      reference: e.reference,
      amount: e.amount,
    })),
    totals: {
      sessions: sessions.length,
      energyWh: Number(energy?.wh ?? 0),
      charged: sessions.reduce((sum, e) => sum + e.amount, 0),
      paid: -payments.reduce((sum, e) => sum + e.amount, 0),
    },
    account: { method: driver.method, balance: Number(all?.sum ?? 0) },
  };
}

/** The statement as a PDF. */
export async function renderStatementPdf(
  db: Db,
  actor: SessionUser,
  driverId: string,
  raw: { from?: unknown; to?: unknown; timeZone?: unknown },
  now = new Date(),
  options: RenderDocumentOptions = {},
): Promise<{ fileName: string; pdf: Buffer }> {
  const statement = await driverStatement(db, actor, driverId, raw, now);
  const clock = zoneClock(statement.timeZone);
  const slug = statement.driver.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'driver';
  const days = `${clock.date(statement.period.from)}-to-${clock.date(new Date(statement.period.to.getTime() - 1))}`;
  return { fileName: `statement-${slug}-${days}.pdf`, pdf: await renderStatement(statement, options) };
}
