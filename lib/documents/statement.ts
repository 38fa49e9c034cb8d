import { formatKwh } from '@/lib/domain/pricing/display';
import { formatMoney } from '@/lib/domain/pricing/money';
import { COLOUR, drawPageFurniture } from './layout';
import {
  drawBlocks,
  drawTitleBlock,
  drawTotalRows,
  PageWriter,
  startDocument,
  Table,
  zoneClock,
  type Column,
  type RenderDocumentOptions,
  type ZoneClock,
} from './invoice';

/**
 * A driver's account over a period, gathered by the caller and rendered as-is. Amounts are integers in
 * minor units of `currency`; a balance is positive when the driver owes, negative when they hold credit.
 */
export interface StatementDocument {
  driver: { name: string; email: string | null; company: string | null };
  organisation: string;
  /** [from, to): `to` is the first instant after the period. */
  period: { from: Date; to: Date };
  /** IANA zone every date and time is printed in, with its abbreviation. */
  timeZone: string;
  currency: string;
  generatedAt: Date;
  openingBalance: number;
  closingBalance: number;
  entries: {
    at: Date;
    kind: 'session' | 'payment' | 'top-up' | 'credit-note' | 'adjustment';
    description: string;
    reference: string | null;
    /** + increases what the driver owes, - decreases it. */
    amount: number;
  }[];
  totals: { sessions: number; energyWh: number; charged: number; paid: number };
}

type Entry = StatementDocument['entries'][number];

/**
 * Renders a driver's statement as an A4 PDF: driver and period, the opening balance, every entry with
 * the running balance, the period's totals and the closing balance, with "Page n of m".
 */
export async function renderStatement(
  statement: StatementDocument,
  options: RenderDocumentOptions = {},
): Promise<Buffer> {
  checkStatement(statement);
  const clock = zoneClock(statement.timeZone);
  const period = describePeriod(statement.period, clock);
  const title = `Statement ${period}`;

  const { doc, done } = startDocument(
    {
      title: `${title}, ${statement.driver.name}`,
      author: statement.organisation,
      createdAt: statement.generatedAt,
    },
    options,
  );
  const out = new PageWriter(doc);
  drawTitleBlock(out, {
    eyebrow: statement.organisation,
    title: 'Statement',
    subtitle: statement.driver.name,
    aside: [
      `Generated ${clock.dateTime(statement.generatedAt)}`,
      `Currency ${statement.currency.toUpperCase()}`,
    ],
    timeZone: statement.timeZone,
  });
  drawHeader(out, statement, period);
  drawEntries(out, statement, clock);
  drawSummary(out, statement, clock);
  drawPageFurniture(doc, `${statement.organisation}  ·  ${title}  ·  ${statement.driver.name}`, period);

  doc.end();
  return done;
}

/** A statement whose entries do not lead from the opening to the closing balance is refused rather than printed. */
function checkStatement(statement: StatementDocument) {
  const { from, to } = statement.period;
  const outside = statement.entries.find((e) => e.at < from || e.at >= to);
  if (outside) {
    throw new RangeError(`statement entry at ${outside.at.toISOString()} is outside the period`);
  }
  const sum = statement.entries.reduce((total, e) => total + e.amount, 0);
  if (statement.openingBalance + sum !== statement.closingBalance) {
    throw new RangeError(
      `statement: opening ${statement.openingBalance} + entries ${sum} is not the closing ${statement.closingBalance}`,
    );
  }
}

function drawHeader(out: PageWriter, statement: StatementDocument, period: string) {
  const { driver } = statement;
  const opening = describeBalance(statement.openingBalance, statement.currency);
  drawBlocks(out, [
    {
      label: 'Driver',
      lines: [
        { text: driver.name, bold: true },
        ...(driver.company ? [{ text: driver.company }] : []),
        ...(driver.email ? [{ text: driver.email, muted: true }] : []),
      ],
    },
    {
      label: 'Period',
      lines: [
        { text: period, bold: true },
        { text: `Opening balance: ${opening.label.toLowerCase()} ${opening.value}` },
      ],
    },
  ]);
}

// Sized so a dated time with its zone ("2026-03-30 11:00 CEST"), a CDR number and a four-digit amount
// each fit on one line; descriptions take the rest and wrap.
const ENTRY_COLUMNS: Column[] = [
  { header: 'Date', width: 0.215 },
  { header: 'Type', width: 0.11 },
  { header: 'Description', width: 0.265 },
  { header: 'Reference', width: 0.17 },
  { header: 'Amount', width: 0.11, align: 'right' },
  { header: 'Balance', width: 0.13, align: 'right' },
];

const KIND_LABEL: Record<Entry['kind'], string> = {
  session: 'Charging',
  payment: 'Payment',
  'top-up': 'Top-up',
  'credit-note': 'Credit note',
  adjustment: 'Adjustment',
};

function drawEntries(out: PageWriter, statement: StatementDocument, clock: ZoneClock) {
  const { currency } = statement;
  const table = new Table(out, ENTRY_COLUMNS);
  const opening = [
    clock.date(statement.period.from),
    '',
    'Opening balance',
    '',
    '',
    formatBalance(statement.openingBalance, currency),
  ];
  out.section('Activity', table.rowHeight(opening));
  table.begin(table.rowHeight(opening));
  table.row(opening, { colour: COLOUR.muted });

  // Sorting is stable: entries at the same instant keep the caller's order.
  const entries = [...statement.entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  let balance = statement.openingBalance;
  for (const entry of entries) {
    balance += entry.amount;
    table.row([
      clock.dateTime(entry.at),
      KIND_LABEL[entry.kind],
      entry.description,
      entry.reference ?? '',
      formatSigned(entry.amount, currency),
      formatBalance(balance, currency),
    ]);
  }
  if (entries.length === 0) {
    table.row(['', '', 'No activity in this period.', '', '', ''], { colour: COLOUR.muted });
  }
  table.end();
  out.note(
    'Amounts with + add to what you owe, amounts with - reduce it. CR: credit in your favour (prepaid funds).',
  );
}

function drawSummary(out: PageWriter, statement: StatementDocument, clock: ZoneClock) {
  const { currency, totals } = statement;
  const closing = describeBalance(statement.closingBalance, currency);
  const lastDay = clock.date(new Date(statement.period.to.getTime() - 1));
  drawTotalRows(
    out,
    [
      { label: 'Charging sessions', value: String(totals.sessions) },
      { label: 'Energy', value: formatKwh(totals.energyWh) },
      { label: 'Charged', value: formatMoney(totals.charged, currency) },
      { label: 'Paid', value: formatMoney(totals.paid, currency) },
      {
        label: closing.label,
        value: closing.value,
        colour: statement.closingBalance < 0 ? COLOUR.brand : COLOUR.text,
      },
    ],
    `Closing balance at the end of ${lastDay}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Wording

/** "2026-03-01 to 2026-03-31": the period's first and last day in the zone ([from, to) ends before `to`). */
function describePeriod(period: StatementDocument['period'], clock: ZoneClock): string {
  const last = new Date(Math.max(period.from.getTime(), period.to.getTime() - 1));
  const first = clock.date(period.from);
  const end = clock.date(last);
  return first === end ? first : `${first} to ${end}`;
}

/** "You owe €12.34", "Credit €5.00", or a plain zero balance. */
function describeBalance(amount: number, currency: string): { label: string; value: string } {
  const value = formatMoney(Math.abs(amount), currency);
  if (amount > 0) return { label: 'You owe', value };
  if (amount < 0) return { label: 'Credit', value };
  return { label: 'Balance', value };
}

/** A running balance: what is owed as is, a credit marked "CR". */
function formatBalance(amount: number, currency: string): string {
  const value = formatMoney(Math.abs(amount), currency);
  return amount < 0 ? `${value} CR` : value;
}

/** "+€5.52", "-€30.00". */
function formatSigned(amount: number, currency: string): string {
  const value = formatMoney(Math.abs(amount), currency);
  if (amount > 0) return `+${value}`;
  if (amount < 0) return `-${value}`;
  return value;
}
