import { formatKwh, formatPercent } from '@/lib/domain/pricing/display';
import { formatMoney } from '@/lib/domain/pricing/money';
import { BOLD, CELL_PADDING, COLOUR, drawPageFurniture, FONT, openDocument, SIZE, winAnsi } from './layout';

/** One priced line of a session, formatted by the caller except for its amount. */
export interface InvoiceLine {
  description: string;
  /** Already formatted: "12.345 kWh", "35 min", "1". */
  quantity: string;
  /** Already formatted ("€0.35 / kWh"), or null when the line has no unit price. */
  unitPrice: string | null;
  /** Minor units, net or gross as `pricesIncludeTax` says; on a credit note, the amount credited (positive). */
  amount: number;
}

/**
 * An invoice or a credit note, gathered by the caller and rendered as-is. Amounts are integers in minor
 * units of `currency`; a credit note carries the amounts it credits as positive numbers and prints them
 * negative.
 */
export interface InvoiceDocument {
  kind: 'invoice' | 'credit-note';
  /** "INV-2026-000042" or "CN-2026-000003". */
  number: string;
  issuedAt: Date;
  /** IANA zone every date and time is printed in, with its abbreviation. */
  timeZone: string;
  currency: string;
  seller: { name: string; address: string | null; taxId: string | null };
  buyer: { name: string; email: string | null; company: string | null };
  /** For a credit note: what it corrects (an invoice, or the charge record of a session not invoiced yet) and why. */
  corrects: { number: string; reason: string; record?: 'invoice' | 'charge record' } | null;
  sessions: {
    cdrNumber: string;
    stationIdentity: string;
    siteName: string;
    evseId: number;
    startedAt: Date;
    endedAt: Date;
    energyWh: number;
    tariffName: string;
    lines: InvoiceLine[];
    total: number;
  }[];
  net: number;
  tax: number;
  total: number;
  /** 2000 = 20 %. */
  taxRateBp: number;
  pricesIncludeTax: boolean;
  payment: {
    status: 'paid' | 'unpaid' | 'failed' | 'account';
    method: string | null;
    reference: string | null;
    paidAt: Date | null;
  };
}

export interface RenderDocumentOptions {
  /** Deflate the page content (default true). Tests turn it off to read the text back. */
  compress?: boolean;
}

type Session = InvoiceDocument['sessions'][number];

const KIND_TITLE = { invoice: 'Invoice', 'credit-note': 'Credit note' } as const;

/**
 * Renders an invoice or credit note as an A4 PDF: seller and buyer, one block per charging session with
 * its lines, totals with the tax rate, the payment status and "Page n of m" on every page.
 */
export async function renderInvoice(
  invoice: InvoiceDocument,
  options: RenderDocumentOptions = {},
): Promise<Buffer> {
  checkInvoice(invoice);
  const clock = zoneClock(invoice.timeZone);
  const title = `${KIND_TITLE[invoice.kind]} ${invoice.number}`;
  // A credit note takes money back: every amount on it reads negative.
  const sign = invoice.kind === 'credit-note' ? -1 : 1;
  const money = (amount: number) => formatMoney(sign * amount || 0, invoice.currency);

  const { doc, done } = startDocument(
    { title, author: invoice.seller.name, createdAt: invoice.issuedAt },
    options,
  );
  const out = new PageWriter(doc);
  drawTitleBlock(out, {
    eyebrow: invoice.seller.name,
    title: KIND_TITLE[invoice.kind],
    subtitle: invoice.number,
    aside: [`Issued ${clock.date(invoice.issuedAt)}`, `Currency ${invoice.currency.toUpperCase()}`],
    timeZone: invoice.timeZone,
  });
  drawParties(out, invoice);
  if (invoice.corrects) drawCorrection(out, invoice.corrects);
  drawSessions(out, invoice, clock, money);
  drawTotals(out, invoice, money);
  drawPayment(out, invoice, clock);
  drawPageFurniture(doc, `${invoice.seller.name}  ·  ${title}`, `Issued ${clock.date(invoice.issuedAt)}`);

  doc.end();
  return done;
}

/** An invoice that does not add up is refused rather than printed. */
function checkInvoice(invoice: InvoiceDocument) {
  if (invoice.net + invoice.tax !== invoice.total) {
    throw new RangeError(
      `${invoice.number}: net ${invoice.net} + tax ${invoice.tax} is not the total ${invoice.total}`,
    );
  }
  if (invoice.kind === 'credit-note' && invoice.total < 0) {
    throw new RangeError(
      `${invoice.number}: a credit note carries the amounts it credits as positive numbers, got ${invoice.total}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Invoice sections

function drawParties(out: PageWriter, invoice: InvoiceDocument) {
  const { seller, buyer } = invoice;
  drawBlocks(out, [
    {
      label: 'From',
      lines: [
        { text: seller.name, bold: true },
        ...(seller.address ? [{ text: seller.address }] : []),
        ...(seller.taxId ? [{ text: `Tax ID ${seller.taxId}`, muted: true }] : []),
      ],
    },
    {
      label: invoice.kind === 'invoice' ? 'Bill to' : 'Credit to',
      lines: [
        { text: buyer.name, bold: true },
        ...(buyer.company ? [{ text: buyer.company }] : []),
        ...(buyer.email ? [{ text: buyer.email, muted: true }] : []),
      ],
    },
  ]);
}

function drawCorrection(out: PageWriter, corrects: NonNullable<InvoiceDocument['corrects']>) {
  const { doc } = out;
  const padding = 8;
  const width = CONTENT_WIDTH - 2 * padding - 4;
  const heading = `Corrects ${corrects.record ?? 'invoice'} ${corrects.number}`;
  const reason = `Reason: ${corrects.reason.trim() || 'not given'}`;
  const height =
    out.measure(heading, width, BOLD, SIZE.body) +
    2 +
    out.measure(reason, width, FONT, SIZE.body) +
    2 * padding;
  out.ensure(height + 14);
  out.y += 14;
  doc.rect(MARGIN.left, out.y, CONTENT_WIDTH, height).fillColor(COLOUR.headerFill).fill();
  doc.rect(MARGIN.left, out.y, 3, height).fillColor(COLOUR.brand).fill();
  const x = MARGIN.left + 4 + padding;
  let y = out.write(heading, x, out.y + padding, { width, font: BOLD });
  y = out.write(reason, x, y + 2, { width, colour: COLOUR.muted });
  out.y = y + padding;
}

const LINE_COLUMNS = (amountHeader: string): Column[] => [
  { header: 'Description', width: 0.46 },
  { header: 'Quantity', width: 0.18, align: 'right' },
  { header: 'Unit price', width: 0.18, align: 'right' },
  { header: amountHeader, width: 0.18, align: 'right' },
];

function drawSessions(
  out: PageWriter,
  invoice: InvoiceDocument,
  clock: ZoneClock,
  money: (amount: number) => string,
) {
  const table = new Table(out, LINE_COLUMNS(invoice.pricesIncludeTax ? 'Amount incl. tax' : 'Net amount'));
  const heading = (s: Session) => ({
    left: `${s.siteName}  ·  ${s.stationIdentity}  ·  EVSE ${s.evseId}`,
    right: s.cdrNumber,
    detail: `${clock.range(s.startedAt, s.endedAt)}  ·  ${formatKwh(s.energyWh)}  ·  Tariff ${s.tariffName}`,
  });
  const lineRow = (line: InvoiceLine) => [
    line.description,
    line.quantity,
    line.unitPrice ?? '',
    money(line.amount),
  ];
  const totalRow = (s: Session) => ['Session total', '', '', money(s.total)];

  const first = invoice.sessions[0];
  const firstBlock = first ? table.bandHeight(heading(first)) + table.rowHeight(totalRow(first)) : 0;
  out.section(invoice.sessions.length === 1 ? 'Charging session' : 'Charging sessions', firstBlock);
  if (!first) return out.none('No charging sessions.');

  table.begin(firstBlock);
  invoice.sessions.forEach((session, index) => {
    const rows = session.lines.map(lineRow);
    const blockHeight =
      table.bandHeight(heading(session)) +
      rows.reduce((sum, row) => sum + table.rowHeight(row), 0) +
      table.rowHeight(totalRow(session), BOLD);
    // A session stays on one page when one page can hold it; else at least its heading and a line do.
    const keep = blockHeight <= CONTENT_HEIGHT - table.headerHeight() ? blockHeight : blockHeight / 2;
    if (index > 0) out.y += 8;
    out.ensure(keep);
    table.band(heading(session));
    for (const row of rows) table.row(row, { rule: false });
    table.row(totalRow(session), { font: BOLD, ruleAbove: true, rule: false });
  });
  table.end();
}

function drawTotals(out: PageWriter, invoice: InvoiceDocument, money: (amount: number) => string) {
  const rows: TotalRow[] = [
    { label: invoice.pricesIncludeTax ? 'Net (excl. tax)' : 'Net', value: money(invoice.net) },
    { label: `Tax ${formatPercent(invoice.taxRateBp)}`, value: money(invoice.tax) },
    { label: invoice.kind === 'invoice' ? 'Total' : 'Total credited', value: money(invoice.total) },
  ];
  const note = invoice.pricesIncludeTax ? 'Prices include tax.' : null;
  drawTotalRows(out, rows, note);
}

function drawPayment(out: PageWriter, invoice: InvoiceDocument, clock: ZoneClock) {
  const { text, colour } = describePayment(invoice, clock);
  out.section('Payment', out.measure(text, CONTENT_WIDTH));
  out.y = out.write(text, MARGIN.left, out.y, { width: CONTENT_WIDTH, colour, font: BOLD }) + 2;
}

/** The payment line, worded for an invoice (paid, due) or a credit note (refunded, credited). */
function describePayment(invoice: InvoiceDocument, clock: ZoneClock): { text: string; colour: string } {
  const { status, method, reference, paidAt } = invoice.payment;
  const refund = invoice.kind === 'credit-note';
  const details = [
    method ? `${refund ? 'to' : 'by'} ${method}` : null,
    reference ? `reference ${reference}` : null,
  ].filter(Boolean);
  const suffix = details.length > 0 ? ` ${details.join(', ')}` : '';
  switch (status) {
    case 'paid': {
      const on = paidAt ? ` on ${clock.dateTime(paidAt)}` : '';
      return { text: `${refund ? 'Refunded' : 'Paid'}${on}${suffix}.`, colour: COLOUR.brand };
    }
    case 'unpaid':
      return {
        text: refund ? `Refund pending${suffix}.` : `Unpaid: payment due${suffix}.`,
        colour: COLOUR.text,
      };
    case 'failed':
      return { text: `${refund ? 'Refund' : 'Payment'} failed${suffix}.`, colour: COLOUR.warn };
    case 'account':
      return {
        text: refund
          ? `Credited to your account${suffix}; it appears on your statement.`
          : `Charged to your account${suffix}; it appears on your statement.`,
        colour: COLOUR.text,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Layout shared with statement.ts (and laid out like the audit packet): A4 pages, a cursor that moves
// down the page and breaks pages before a block, tables whose header repeats, "Page n of m".

// A4: these go to drivers anywhere, and A4 prints on Letter at 97 % where Letter is the norm.
const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = { left: 54, right: 54, top: 64, bottom: 64 };
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const CONTENT_BOTTOM = PAGE.height - MARGIN.bottom;
const CONTENT_HEIGHT = CONTENT_BOTTOM - MARGIN.top;

/** A new A4 PDF with the house metadata, and the promise of its bytes once `doc.end()` is called. */
export function startDocument(
  meta: { title: string; author: string; createdAt: Date },
  options: RenderDocumentOptions,
): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  return openDocument({ ...meta, size: 'A4', margins: MARGIN }, options);
}

interface TextStyle {
  width: number;
  font?: string;
  size?: number;
  colour?: string;
  align?: 'left' | 'right';
  characterSpacing?: number;
}

/** A cursor down the page that starts a new page before a block that does not fit. */
export class PageWriter {
  y = MARGIN.top;
  /** Redrawn at the top of every page added while set: the header row of a table in progress. */
  continuation: (() => void) | null = null;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number) {
    if (this.y + height > CONTENT_BOTTOM) this.newPage();
  }

  newPage() {
    this.doc.addPage();
    this.y = MARGIN.top;
    this.continuation?.();
  }

  measure(text: string, width: number, font = FONT, size = SIZE.body): number {
    this.doc.font(font).fontSize(size);
    return this.doc.heightOfString(winAnsi(text) || ' ', { width });
  }

  /** Writes text at (x, y) and returns the y below it. */
  write(text: string, x: number, y: number, style: TextStyle): number {
    const { doc } = this;
    doc
      .font(style.font ?? FONT)
      .fontSize(style.size ?? SIZE.body)
      .fillColor(style.colour ?? COLOUR.text);
    doc.text(winAnsi(text), x, y, {
      width: style.width,
      align: style.align ?? 'left',
      characterSpacing: style.characterSpacing ?? 0,
    });
    return doc.y;
  }

  rule(y: number, colour = COLOUR.rule, lineWidth = 0.5, x = MARGIN.left, width = CONTENT_WIDTH) {
    this.doc
      .moveTo(x, y)
      .lineTo(x + width, y)
      .lineWidth(lineWidth)
      .strokeColor(colour)
      .stroke();
  }

  /** A section title, kept on one page with the first `firstBlock` points of its content. */
  section(title: string, firstBlock: number) {
    const space = { above: 18, below: 8 };
    const titleHeight = this.measure(title, CONTENT_WIDTH, BOLD, SIZE.section);
    this.ensure(Math.min(space.above + titleHeight + space.below + firstBlock, CONTENT_HEIGHT));
    this.y += space.above;
    this.y = this.write(title, MARGIN.left, this.y, {
      width: CONTENT_WIDTH,
      font: BOLD,
      size: SIZE.section,
      colour: COLOUR.brand,
    });
    this.y += 3;
    this.rule(this.y);
    this.y += space.below - 3;
  }

  none(sentence: string) {
    this.y =
      this.write(sentence, MARGIN.left, this.y, {
        width: CONTENT_WIDTH,
        font: 'Helvetica-Oblique',
        colour: COLOUR.muted,
      }) + 2;
  }

  note(text: string) {
    const height = this.measure(text, CONTENT_WIDTH, FONT, SIZE.table);
    this.ensure(height + 4);
    this.y =
      this.write(text, MARGIN.left, this.y + 4, {
        width: CONTENT_WIDTH,
        size: SIZE.table,
        colour: COLOUR.muted,
      }) + 2;
  }
}

export interface Column {
  header: string;
  /** Fraction of the content width. */
  width: number;
  align?: 'left' | 'right';
}

interface RowStyle {
  font?: string;
  colour?: string;
  fill?: string;
  /** A rule under the row (default true). */
  rule?: boolean;
  ruleAbove?: boolean;
}

/** A heading row across the whole table: a bold left text, a muted right text and a muted detail line. */
interface Band {
  left: string;
  right: string;
  detail: string;
}

/** A table whose header row repeats on every page it continues onto; rows never split across pages. */
export class Table {
  private readonly width: number;
  constructor(
    private readonly out: PageWriter,
    private readonly columns: Column[],
  ) {
    this.width = columns.reduce((sum, c) => sum + c.width, 0) * CONTENT_WIDTH;
  }

  headerHeight(): number {
    return this.rowHeight(
      this.columns.map((c) => c.header),
      BOLD,
    );
  }

  rowHeight(cells: string[], font = FONT): number {
    const heights = this.columns.map((column, i) =>
      this.out.measure(cells[i] ?? '', cellWidth(column), font, SIZE.table),
    );
    // A row taller than a page is cut (with an ellipsis) rather than run off it.
    return Math.min(Math.max(...heights) + 2 * CELL_PADDING.y, CONTENT_HEIGHT / 2);
  }

  /** Draws the header row, kept with `firstBlock` points of rows, and again on each page the table continues onto. */
  begin(firstBlock: number) {
    this.out.ensure(this.headerHeight() + firstBlock);
    this.drawHeader();
    this.out.continuation = () => this.drawHeader();
  }

  end() {
    this.out.continuation = null;
  }

  row(cells: string[], style: RowStyle = {}) {
    const { out } = this;
    const font = style.font ?? FONT;
    const height = this.rowHeight(cells, font);
    out.ensure(height);
    if (style.fill) out.doc.rect(MARGIN.left, out.y, this.width, height).fillColor(style.fill).fill();
    if (style.ruleAbove) out.rule(out.y, COLOUR.rule, 0.5, MARGIN.left, this.width);
    this.cells(cells, font, style.colour ?? COLOUR.text, height);
    out.y += height;
    if (style.rule ?? true) out.rule(out.y, COLOUR.rule, 0.5, MARGIN.left, this.width);
  }

  bandHeight(band: Band): number {
    const { left, right } = this.bandWidths();
    const first = Math.max(
      this.out.measure(band.left, left, BOLD, SIZE.table),
      this.out.measure(band.right, right, FONT, SIZE.table),
    );
    return (
      first +
      1 +
      this.out.measure(band.detail, this.width - 2 * CELL_PADDING.x, FONT, SIZE.table) +
      2 * CELL_PADDING.y
    );
  }

  band(band: Band) {
    const { out } = this;
    const height = this.bandHeight(band);
    out.ensure(height);
    const widths = this.bandWidths();
    const x = MARGIN.left + CELL_PADDING.x;
    out.doc.rect(MARGIN.left, out.y, this.width, height).fillColor(COLOUR.bandFill).fill();
    out.rule(out.y, COLOUR.faint, 0.75, MARGIN.left, this.width);
    const top = out.y + CELL_PADDING.y;
    const leftBottom = out.write(band.left, x, top, { width: widths.left, font: BOLD, size: SIZE.table });
    const rightBottom = out.write(band.right, MARGIN.left + this.width - CELL_PADDING.x - widths.right, top, {
      width: widths.right,
      size: SIZE.table,
      colour: COLOUR.muted,
      align: 'right',
    });
    out.write(band.detail, x, Math.max(leftBottom, rightBottom) + 1, {
      width: this.width - 2 * CELL_PADDING.x,
      size: SIZE.table,
      colour: COLOUR.muted,
    });
    out.y += height;
  }

  private bandWidths() {
    const right = 120;
    return { left: this.width - 2 * CELL_PADDING.x - right - 10, right };
  }

  private drawHeader() {
    const { out } = this;
    const height = this.headerHeight();
    out.doc.rect(MARGIN.left, out.y, this.width, height).fillColor(COLOUR.headerFill).fill();
    this.cells(
      this.columns.map((c) => c.header),
      BOLD,
      COLOUR.muted,
      height,
    );
    out.y += height;
  }

  private cells(cells: string[], font: string, colour: string, rowHeight: number) {
    const { doc, y } = this.out;
    let x = MARGIN.left;
    this.columns.forEach((column, i) => {
      doc.font(font).fontSize(SIZE.table).fillColor(colour);
      doc.text(winAnsi(cells[i] ?? ''), x + CELL_PADDING.x, y + CELL_PADDING.y, {
        width: cellWidth(column),
        height: rowHeight - 2 * CELL_PADDING.y,
        ellipsis: true,
        align: column.align ?? 'left',
      });
      x += column.width * CONTENT_WIDTH;
    });
  }
}

function cellWidth(column: Column): number {
  return column.width * CONTENT_WIDTH - 2 * CELL_PADDING.x;
}

/** The top of the first page: who issues it in small capitals, the title, and a right-hand aside. */
export function drawTitleBlock(
  out: PageWriter,
  block: { eyebrow: string; title: string; subtitle: string; aside: string[]; timeZone: string },
) {
  const top = MARGIN.top - 24;
  const asideWidth = 200;
  const mainWidth = CONTENT_WIDTH - asideWidth - 12;
  const asideX = MARGIN.left + CONTENT_WIDTH - asideWidth;

  let y = out.write(block.eyebrow.toUpperCase(), MARGIN.left, top, {
    width: mainWidth,
    font: BOLD,
    size: 9,
    colour: COLOUR.brand,
    characterSpacing: 0.6,
  });
  y = out.write(block.title, MARGIN.left, y + 4, { width: mainWidth, font: BOLD, size: 22 });
  const mainBottom = out.write(block.subtitle, MARGIN.left, y + 2, {
    width: mainWidth,
    size: 12,
    colour: COLOUR.muted,
  });

  const [first = '', ...rest] = block.aside;
  y = out.write(first, asideX, top, { width: asideWidth, font: BOLD, size: 9, align: 'right' });
  for (const line of [...rest, `Times are in ${block.timeZone}`]) {
    y = out.write(line, asideX, y + 2, {
      width: asideWidth,
      size: 8.5,
      colour: COLOUR.muted,
      align: 'right',
    });
  }

  out.y = Math.max(mainBottom, y) + 10;
  out.rule(out.y, COLOUR.brand, 1.5);
  out.y += 6;
}

/** Side-by-side blocks under a small-capitals label (seller and buyer; driver and account). */
export function drawBlocks(
  out: PageWriter,
  blocks: { label: string; lines: { text: string; bold?: boolean; muted?: boolean }[] }[],
) {
  const gap = 24;
  const width = (CONTENT_WIDTH - gap * (blocks.length - 1)) / blocks.length;
  const heights = blocks.map(
    (b) =>
      out.measure(b.label, width, BOLD, SIZE.small) +
      4 +
      b.lines.reduce((sum, l) => sum + out.measure(l.text, width, l.bold ? BOLD : FONT) + 1, 0),
  );
  out.ensure(16 + Math.max(...heights));
  out.y += 16;
  let bottom = out.y;
  blocks.forEach((block, i) => {
    const x = MARGIN.left + i * (width + gap);
    let y = out.write(block.label.toUpperCase(), x, out.y, {
      width,
      font: BOLD,
      size: SIZE.small,
      colour: COLOUR.muted,
      characterSpacing: 0.4,
    });
    y += 4;
    for (const line of block.lines) {
      y =
        out.write(line.text, x, y, {
          width,
          font: line.bold ? BOLD : FONT,
          colour: line.muted ? COLOUR.muted : COLOUR.text,
        }) + 1;
    }
    bottom = Math.max(bottom, y);
  });
  out.y = bottom;
}

/** A label and its amount; `colour` marks an amount that needs attention. */
export interface TotalRow {
  label: string;
  value: string;
  colour?: string;
}

/** Right-aligned label/amount rows, the last one the total over a rule; an optional note below. Kept on one page. */
export function drawTotalRows(out: PageWriter, rows: TotalRow[], note: string | null) {
  const width = 240;
  // Amounts end where the table's amount column ends, inside its cell padding.
  const x = MARGIN.left + CONTENT_WIDTH - CELL_PADDING.x - width;
  const styleOf = (i: number) =>
    i === rows.length - 1 ? { font: BOLD, size: 11, above: 6 } : { font: FONT, size: SIZE.body, above: 0 };
  const rowHeight = (row: TotalRow, i: number) => {
    const style = styleOf(i);
    return style.above + out.measure(row.value, width / 2, style.font, style.size) + 5;
  };
  const height =
    rows.reduce((sum, row, i) => sum + rowHeight(row, i), 0) +
    (note ? out.measure(note, width, FONT, SIZE.table) + 6 : 0);
  out.ensure(16 + height);
  out.y += 16;
  rows.forEach((row, i) => {
    const { font, size, above } = styleOf(i);
    const total = i === rows.length - 1;
    if (total) out.rule(out.y + above / 2, COLOUR.text, 1, x, width);
    const y = out.y + above + 2.5;
    out.write(row.label, x, y, { width: width / 2, font, size, colour: total ? COLOUR.text : COLOUR.muted });
    out.write(row.value, x + width / 2, y, {
      width: width / 2,
      font,
      size,
      colour: row.colour ?? COLOUR.text,
      align: 'right',
    });
    out.y += rowHeight(row, i);
  });
  if (note) {
    out.y =
      out.write(note, x, out.y + 4, { width, size: SIZE.table, colour: COLOUR.muted, align: 'right' }) + 2;
  }
}

// ---------------------------------------------------------------------------------------------
// Wording shared with statement.ts

export interface ZoneClock {
  /** "2026-03-05 14:05 CET": local time with the zone's abbreviation (which tells CET from CEST). */
  dateTime(at: Date): string;
  /** "2026-03-05" in the zone. */
  date(at: Date): string;
  /** "2026-03-05 14:05–14:52 CET"; both ends in full when the day or the abbreviation changes between them. */
  range(from: Date, to: Date): string;
}

// en-US names American zones (EST) but only offsets elsewhere ("GMT+1"); these locales name the rest
// (CET, BST, AEDT, IST). Zones without a common abbreviation keep the offset.
const ZONE_NAME_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN'];

/** Formats instants in an IANA zone; throws RangeError for an unknown zone rather than print the wrong time. */
export function zoneClock(timeZone: string): ZoneClock {
  const formats = ZONE_NAME_LOCALES.map(
    (locale) =>
      new Intl.DateTimeFormat(locale, {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      }),
  );
  const partsOf = (format: Intl.DateTimeFormat, at: Date) =>
    Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  const isOffset = (name: string) => /^GMT[+-]/.test(name);
  const read = (at: Date) => {
    const p = partsOf(formats[0]!, at);
    let zone = p.timeZoneName ?? '';
    for (const format of formats.slice(1)) {
      if (!isOffset(zone)) break;
      const name = partsOf(format, at).timeZoneName ?? '';
      if (!isOffset(name)) zone = name;
    }
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, zone };
  };
  return {
    dateTime: (at) => {
      const p = read(at);
      return `${p.date} ${p.time} ${p.zone}`;
    },
    date: (at) => read(at).date,
    range: (from, to) => {
      const a = read(from);
      const b = read(to);
      if (a.date === b.date && a.zone === b.zone) return `${a.date} ${a.time}–${b.time} ${a.zone}`;
      return `${a.date} ${a.time} ${a.zone} – ${b.date} ${b.time} ${b.zone}`;
    },
  };
}
