import { BOLD, CELL_PADDING, COLOUR, drawPageFurniture, FONT, openDocument, SIZE, winAnsi } from './layout';

/** Everything an auditor needs about one work order, gathered by the caller; rendered as-is. */
export interface AuditPacket {
  organisation: string;
  generatedAt: Date;
  /** The site's IANA zone: every time is printed in it, with its abbreviation; the header adds UTC. */
  timeZone: string;
  workOrder: {
    number: number;
    title: string;
    kind: string;
    priority: string;
    status: string;
    description: string;
    createdAt: Date;
    slaDueAt: Date | null;
    resolvedAt: Date | null;
    verifiedAt: Date | null;
    cannotFixReason: string | null;
    resolutionNotes: string | null;
    requiredCertifications: string[];
  };
  station: {
    identity: string;
    siteName: string;
    address: string;
    vendor: string | null;
    model: string | null;
    serialNumber: string | null;
    evseId: number | null;
  };
  technician: {
    name: string;
    /**
     * `expiresAt` is a calendar date at midnight UTC, as a SQL `date` column reads: printed as that
     * date (not shifted into the site's zone) and valid through the end of that day at the site.
     */
    certifications: { name: string; expiresAt: Date | null }[];
  } | null;
  /** Every transition, fault detected → technician arrived → resolved → verified. */
  timeline: { at: Date; label: string; actor: string; note: string | null }[];
  /** OCPP status reports and events of the incident. */
  evidence: { at: Date; source: string; summary: string }[];
  checklist: { label: string; confirmedAt: Date | null; confirmedBy: string | null }[];
  /** `unitCost` is in minor units of `currency` (cents for USD), like all money in ChargeOps. */
  parts: { sku: string; name: string; quantity: number; unitCost: number | null; currency: string }[];
  /** JPEGs as stored by compressPhoto (1600 px): thumbnails print too coarse for an audit. */
  photos: { kind: 'before' | 'after' | 'other'; takenAt: Date; caption: string | null; jpeg: Buffer }[];
  signature: { signerName: string; signedAt: Date; png: Buffer } | null;
  outages: {
    evseId: number;
    startedAt: Date;
    endedAt: Date | null;
    minutes: number;
    excluded: boolean;
    excludedReason: string | null;
    /** The evidence recorded with an exclusion (a utility notice, a police report …). */
    excludedNotes: string | null;
  }[];
}

export interface RenderAuditPacketOptions {
  /** Deflate the page content (default true). Tests turn it off to read the text back. */
  compress?: boolean;
}

// US Letter: NEVI audits are American. Points (1/72 in).
const PAGE = { width: 612, height: 792 };
const MARGIN = { left: 54, right: 54, top: 64, bottom: 64 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const CONTENT_BOTTOM = PAGE.height - MARGIN.bottom;
const CONTENT_HEIGHT = CONTENT_BOTTOM - MARGIN.top;

const PHOTO_GAP = 16;
const PHOTO_BOX = { width: (CONTENT_WIDTH - PHOTO_GAP) / 2, height: 180 };
const SIGNATURE_BOX = { width: 240, height: 90 };

/**
 * Renders a work order's audit packet as a US Letter PDF: summary, station, timeline, OCPP
 * evidence, safety checklist, parts, photos, signature and outage minutes, with "Page n of m".
 */
export async function renderAuditPacket(
  packet: AuditPacket,
  options: RenderAuditPacketOptions = {},
): Promise<Buffer> {
  const when = timeFormatter(packet.timeZone);
  const { doc, done } = openDocument(
    {
      title: `Work order WO-${packet.workOrder.number} audit packet`,
      author: packet.organisation,
      subject: packet.workOrder.title,
      createdAt: packet.generatedAt,
      size: 'LETTER',
      margins: MARGIN,
    },
    options,
  );

  const out = new Writer(doc);
  drawTitleBlock(out, packet, when);
  drawSummary(out, packet, when);
  drawStation(out, packet);
  drawTimeline(out, packet, when);
  drawEvidence(out, packet, when);
  drawChecklist(out, packet, when);
  drawParts(out, packet);
  drawPhotos(out, packet, when);
  drawSignature(out, packet, when);
  drawOutages(out, packet, when);
  drawPageFurniture(
    doc,
    `${packet.organisation}  ·  Work order WO-${packet.workOrder.number} audit packet`,
    `Generated ${when.local(packet.generatedAt)}`,
  );

  doc.end();
  return done;
}

// ---------------------------------------------------------------------------------------------
// Sections

function drawTitleBlock(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const { doc } = out;
  const top = MARGIN.top - 24;
  const rightWidth = 200;
  const leftWidth = CONTENT_WIDTH - rightWidth - 12;
  const right = MARGIN.left + CONTENT_WIDTH - rightWidth;

  doc.font(BOLD).fontSize(9).fillColor(COLOUR.brand);
  doc.text(winAnsi(packet.organisation.toUpperCase()), MARGIN.left, top, {
    width: leftWidth,
    characterSpacing: 0.6,
  });
  doc.font(BOLD).fontSize(22).fillColor(COLOUR.text);
  doc.text(`Work order WO-${packet.workOrder.number}`, MARGIN.left, doc.y + 4, { width: leftWidth });
  doc.font(FONT).fontSize(12).fillColor(COLOUR.muted);
  doc.text(winAnsi(packet.workOrder.title), MARGIN.left, doc.y + 2, { width: leftWidth });
  const leftBottom = doc.y;

  doc.font(BOLD).fontSize(9).fillColor(COLOUR.text);
  doc.text('Audit packet', right, top, { width: rightWidth, align: 'right' });
  doc.font(FONT).fontSize(8.5).fillColor(COLOUR.muted);
  const lines = [
    `Generated ${when.local(packet.generatedAt)}`,
    `(${when.utc(packet.generatedAt)})`,
    `Times are site time, ${packet.timeZone}`,
  ];
  doc.text(winAnsi(lines.join('\n')), right, doc.y + 3, { width: rightWidth, align: 'right', lineGap: 1.5 });

  out.y = Math.max(leftBottom, doc.y) + 10;
  doc
    .moveTo(MARGIN.left, out.y)
    .lineTo(MARGIN.left + CONTENT_WIDTH, out.y)
    .lineWidth(1.5)
    .strokeColor(COLOUR.brand)
    .stroke();
  out.y += 6;
}

function drawSummary(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const wo = packet.workOrder;
  // Certifications are judged on the day of the work at the site.
  const workDay = when.date(wo.resolvedAt ?? packet.generatedAt);
  const requirements = wo.requiredCertifications.map((name) =>
    checkRequirement(name, packet.technician, workDay),
  );
  const pairs: KeyValue[] = [
    ['Kind', wo.kind],
    ['Priority', wo.priority],
    ['Status', wo.status],
    ['Created', when.local(wo.createdAt)],
    ['SLA due', describeSla(wo, packet.generatedAt, when), isSlaBreached(wo, packet.generatedAt)],
    [
      'Resolved',
      wo.resolvedAt
        ? `${when.local(wo.resolvedAt)} (${formatDuration(wo.resolvedAt.getTime() - wo.createdAt.getTime())} after creation)`
        : 'Not resolved',
    ],
    ['Verified', wo.verifiedAt ? when.local(wo.verifiedAt) : 'Not verified'],
    ['Technician', packet.technician?.name ?? 'Unassigned'],
    [
      'Technician certifications',
      packet.technician && packet.technician.certifications.length > 0
        ? packet.technician.certifications.map((c) => describeCertification(c, workDay)).join('\n')
        : 'None recorded',
    ],
    // One row per requirement, so only the unmet ones stand out in red.
    ...(requirements.length > 0
      ? requirements.map((r, i): KeyValue => [i === 0 ? 'Required certifications' : '', r.text, !r.met])
      : [['Required certifications', 'None'] satisfies KeyValue]),
  ];

  out.section('Summary', out.measureKeyValues(pairs.slice(0, 3)));
  out.keyValues(pairs);
  out.paragraph('Description', wo.description.trim() || 'No description.');
  if (wo.resolutionNotes?.trim()) out.paragraph('Resolution notes', wo.resolutionNotes.trim());
  if (wo.cannotFixReason?.trim()) out.paragraph('Could not fix', wo.cannotFixReason.trim(), COLOUR.warn);
}

function drawStation(out: Writer, packet: AuditPacket) {
  const s = packet.station;
  const pairs: KeyValue[] = [
    ['Charge point', s.identity],
    ['Site', s.siteName],
    ['Address', s.address],
    ['Vendor and model', [s.vendor, s.model].filter(Boolean).join(' ') || 'Not reported'],
    ['Serial number', s.serialNumber ?? 'Not reported'],
    ['Port (EVSE)', s.evseId === null ? 'Whole station' : `EVSE ${s.evseId}`],
  ];
  out.section('Station', out.measureKeyValues(pairs.slice(0, 3)));
  out.keyValues(pairs);
}

function drawTimeline(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const rows = [...packet.timeline]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => [when.local(e.at), e.label, e.actor, e.note ?? '']);
  out.tableSection('Timeline', 'No timeline events recorded.', TIMELINE_COLUMNS, rows);
}
const TIMELINE_COLUMNS: Column[] = [
  { header: 'Time', width: 0.22 },
  { header: 'Event', width: 0.26, bold: true },
  { header: 'By', width: 0.18 },
  { header: 'Note', width: 0.34 },
];

function drawEvidence(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const rows = [...packet.evidence]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => [when.local(e.at), e.source, e.summary]);
  out.tableSection('OCPP evidence', 'No OCPP evidence recorded.', EVIDENCE_COLUMNS, rows);
}
const EVIDENCE_COLUMNS: Column[] = [
  { header: 'Time', width: 0.22 },
  { header: 'Source', width: 0.22 },
  { header: 'Report', width: 0.56 },
];

function drawChecklist(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const rows = packet.checklist.map((item) => [
    item.label,
    item.confirmedAt ? when.local(item.confirmedAt) : 'NOT CONFIRMED',
    item.confirmedBy ?? '',
  ]);
  const confirmed = packet.checklist.filter((i) => i.confirmedAt).length;
  out.tableSection('Safety checklist', 'No safety checklist recorded.', CHECKLIST_COLUMNS, rows, {
    highlight: (row) => row[1] === 'NOT CONFIRMED',
  });
  if (rows.length > 0) out.note(`${confirmed} of ${rows.length} items confirmed.`);
}
const CHECKLIST_COLUMNS: Column[] = [
  { header: 'Item', width: 0.5 },
  { header: 'Confirmed', width: 0.26 },
  { header: 'By', width: 0.24 },
];

function drawParts(out: Writer, packet: AuditPacket) {
  const rows = packet.parts.map((p) => [
    p.sku,
    p.name,
    String(p.quantity),
    p.unitCost === null ? 'Unknown' : formatMoney(p.unitCost, p.currency),
    p.unitCost === null ? '' : formatMoney(p.unitCost * p.quantity, p.currency),
  ]);
  out.tableSection('Parts used', 'No parts recorded.', PART_COLUMNS, rows);
  if (rows.length > 0) out.note(describePartsTotal(packet.parts), { bold: true, align: 'right' });
}
const PART_COLUMNS: Column[] = [
  { header: 'SKU', width: 0.2 },
  { header: 'Part', width: 0.38 },
  { header: 'Qty', width: 0.1, align: 'right' },
  { header: 'Unit cost', width: 0.16, align: 'right' },
  { header: 'Line total', width: 0.16, align: 'right' },
];

function drawPhotos(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const { doc } = out;
  // Before photos first, then after, then the rest: the order an auditor compares them in.
  const photos = [...packet.photos].sort(
    (a, b) => PHOTO_ORDER[a.kind] - PHOTO_ORDER[b.kind] || a.takenAt.getTime() - b.takenAt.getTime(),
  );
  const captionOf = (p: AuditPacket['photos'][number]) => ({
    title: `${PHOTO_KIND[p.kind]}  ·  ${when.local(p.takenAt)}`,
    text: p.caption?.trim() ?? '',
  });
  const captionHeight = (p: AuditPacket['photos'][number]) => {
    const c = captionOf(p);
    let h = out.measure(c.title, PHOTO_BOX.width, BOLD, SIZE.table);
    if (c.text) h += 2 + out.measure(c.text, PHOTO_BOX.width, FONT, SIZE.table);
    return h;
  };

  const rows: AuditPacket['photos'][] = [];
  for (let i = 0; i < photos.length; i += 2) rows.push(photos.slice(i, i + 2));
  const rowHeight = (row: AuditPacket['photos']) =>
    PHOTO_BOX.height + 6 + Math.max(...row.map(captionHeight));

  out.section('Photos', rows[0] ? rowHeight(rows[0]) : out.lineHeight());
  if (rows.length === 0) return out.none('No photos recorded.');

  for (const row of rows) {
    const height = rowHeight(row);
    out.ensure(height);
    row.forEach((photo, column) => {
      const x = MARGIN.left + column * (PHOTO_BOX.width + PHOTO_GAP);
      doc.rect(x, out.y, PHOTO_BOX.width, PHOTO_BOX.height).fillColor(COLOUR.headerFill).fill();
      drawImage(doc, photo.jpeg, x, out.y, PHOTO_BOX, 'center');
      const caption = captionOf(photo);
      doc.font(BOLD).fontSize(SIZE.table).fillColor(COLOUR.text);
      doc.text(winAnsi(caption.title), x, out.y + PHOTO_BOX.height + 6, { width: PHOTO_BOX.width });
      if (caption.text) {
        doc.font(FONT).fillColor(COLOUR.muted);
        doc.text(winAnsi(caption.text), x, doc.y + 2, { width: PHOTO_BOX.width });
      }
    });
    out.y += height + 14;
  }
}
const PHOTO_ORDER = { before: 0, after: 1, other: 2 } as const;
const PHOTO_KIND = { before: 'Before', after: 'After', other: 'Photo' } as const;

function drawSignature(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const { doc } = out;
  const signature = packet.signature;
  const height = SIGNATURE_BOX.height + 8 + 2 * out.lineHeight();
  out.section('Site contact signature', signature ? height : out.lineHeight());
  if (!signature) return out.none('No site contact signature recorded.');

  const x = MARGIN.left;
  drawImage(doc, signature.png, x, out.y, SIGNATURE_BOX, 'bottom');
  const lineY = out.y + SIGNATURE_BOX.height + 2;
  doc
    .moveTo(x, lineY)
    .lineTo(x + SIGNATURE_BOX.width, lineY)
    .lineWidth(0.75)
    .strokeColor(COLOUR.muted)
    .stroke();
  doc.font(BOLD).fontSize(SIZE.body).fillColor(COLOUR.text);
  doc.text(winAnsi(signature.signerName), x, lineY + 5, { width: SIGNATURE_BOX.width });
  doc.font(FONT).fontSize(SIZE.table).fillColor(COLOUR.muted);
  doc.text(winAnsi(`Signed ${when.local(signature.signedAt)}`), x, doc.y + 1, { width: SIGNATURE_BOX.width });
  out.y = doc.y + 6;
}

function drawOutages(out: Writer, packet: AuditPacket, when: TimeFormatter) {
  const outages = [...packet.outages].sort(
    (a, b) => a.evseId - b.evseId || a.startedAt.getTime() - b.startedAt.getTime(),
  );
  const rows = outages.map((o) => [
    `EVSE ${o.evseId}`,
    when.local(o.startedAt),
    o.endedAt ? when.local(o.endedAt) : 'Ongoing',
    String(o.minutes),
    o.excluded ? ['Excluded', o.excludedReason, o.excludedNotes].filter(Boolean).join(': ') : 'Counted',
  ]);
  out.tableSection('Outage minutes', 'No outages recorded.', OUTAGE_COLUMNS, rows);
  if (rows.length === 0) return;

  const ports = [...new Set(outages.map((o) => o.evseId))];
  const totals = ports.map((evseId) => ({ label: `EVSE ${evseId}`, ...sumOutages(outages, evseId) }));
  const all = sumOutages(outages, null);
  const summary = [
    ...totals.map((t) => [t.label, `${t.counted} min`, `${t.excluded} min`]),
    ['Total', `${all.counted} min`, `${all.excluded} min`],
  ];
  out.y += 14;
  out.table(OUTAGE_TOTAL_COLUMNS, summary, { lastRowBold: true });
  out.note(
    'Counted minutes count against uptime; excluded minutes are outages outside the operator’s control, with the reason recorded.',
  );
}
const OUTAGE_COLUMNS: Column[] = [
  { header: 'Port', width: 0.12 },
  { header: 'Started', width: 0.22 },
  { header: 'Ended', width: 0.22 },
  { header: 'Minutes', width: 0.1, align: 'right' },
  { header: 'Uptime', width: 0.34 },
];
const OUTAGE_TOTAL_COLUMNS: Column[] = [
  { header: 'Per port', width: 0.34 },
  { header: 'Counted', width: 0.2, align: 'right' },
  { header: 'Excluded', width: 0.2, align: 'right' },
];

function sumOutages(outages: AuditPacket['outages'], evseId: number | null) {
  let counted = 0;
  let excluded = 0;
  for (const o of outages) {
    if (evseId !== null && o.evseId !== evseId) continue;
    if (o.excluded) excluded += o.minutes;
    else counted += o.minutes;
  }
  return { counted, excluded };
}

// ---------------------------------------------------------------------------------------------
// Layout: a cursor that moves down the page and breaks pages before a block, never inside a row.

/** A label, its value, and whether the value is a finding an auditor should not miss. */
type KeyValue = [label: string, value: string, warn?: boolean];
interface Column {
  header: string;
  /** Fraction of the table's width. */
  width: number;
  align?: 'left' | 'right';
  bold?: boolean;
}
interface TableOptions {
  highlight?: (row: string[]) => boolean;
  lastRowBold?: boolean;
}

class Writer {
  y = MARGIN.top;
  constructor(readonly doc: PDFKit.PDFDocument) {}

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number) {
    if (this.y + height > CONTENT_BOTTOM) this.newPage();
  }

  newPage() {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  measure(text: string, width: number, font = FONT, size = SIZE.body): number {
    this.doc.font(font).fontSize(size);
    return this.doc.heightOfString(winAnsi(text) || ' ', { width });
  }

  lineHeight(size = SIZE.body): number {
    return this.doc.font(FONT).fontSize(size).currentLineHeight(true);
  }

  /**
   * A section title, kept on the same page as the first `firstBlock` points of its content so a
   * heading is never left alone at the bottom of a page.
   */
  section(title: string, firstBlock: number) {
    const space = { above: 14, below: 10 };
    const titleHeight = space.above + this.measure(title, CONTENT_WIDTH, BOLD, SIZE.section) + space.below;
    this.ensure(Math.min(titleHeight + firstBlock, CONTENT_HEIGHT));
    this.y += space.above;
    const { doc } = this;
    doc.font(BOLD).fontSize(SIZE.section).fillColor(COLOUR.brand);
    doc.text(title, MARGIN.left, this.y, { width: CONTENT_WIDTH });
    this.y = doc.y + 3;
    doc
      .moveTo(MARGIN.left, this.y)
      .lineTo(MARGIN.left + CONTENT_WIDTH, this.y)
      .lineWidth(0.5)
      .strokeColor(COLOUR.rule)
      .stroke();
    this.y += space.below - 3;
  }

  none(sentence: string) {
    const { doc } = this;
    doc.font('Helvetica-Oblique').fontSize(SIZE.body).fillColor(COLOUR.muted);
    doc.text(winAnsi(sentence), MARGIN.left, this.y, { width: CONTENT_WIDTH });
    this.y = doc.y + 2;
  }

  note(text: string, options: { bold?: boolean; align?: 'left' | 'right' } = {}) {
    const font = options.bold ? BOLD : FONT;
    const height = this.measure(text, CONTENT_WIDTH, font, SIZE.table);
    this.ensure(height + 6);
    const { doc } = this;
    doc
      .font(font)
      .fontSize(SIZE.table)
      .fillColor(options.bold ? COLOUR.text : COLOUR.muted);
    doc.text(winAnsi(text), MARGIN.left, this.y + 5, {
      width: CONTENT_WIDTH,
      align: options.align ?? 'left',
    });
    this.y = doc.y + 2;
  }

  /** A label and free text that may run over pages (pdfkit flows it onto new ones). */
  paragraph(label: string, text: string, colour = COLOUR.text) {
    const { doc } = this;
    const firstLines = Math.min(this.measure(text, CONTENT_WIDTH), 3 * this.lineHeight());
    this.ensure(16 + firstLines);
    this.y += 8;
    doc.font(BOLD).fontSize(SIZE.small).fillColor(COLOUR.muted);
    doc.text(label.toUpperCase(), MARGIN.left, this.y, { width: CONTENT_WIDTH, characterSpacing: 0.4 });
    doc.font(FONT).fontSize(SIZE.body).fillColor(colour);
    doc.text(winAnsi(text), MARGIN.left, doc.y + 2, { width: CONTENT_WIDTH, lineGap: 1.5 });
    this.y = doc.y;
  }

  measureKeyValues(pairs: KeyValue[]): number {
    return pairs.reduce((sum, pair) => sum + this.keyValueHeight(pair), 0);
  }

  /** Label and value rows, the label in a narrow muted column. */
  keyValues(pairs: KeyValue[]) {
    const { doc } = this;
    const labelWidth = 150;
    const valueWidth = CONTENT_WIDTH - labelWidth;
    for (const pair of pairs) {
      const height = this.keyValueHeight(pair);
      this.ensure(height);
      doc.font(FONT).fontSize(SIZE.body).fillColor(COLOUR.muted);
      doc.text(winAnsi(pair[0]), MARGIN.left, this.y + 2.5, { width: labelWidth - 10 });
      doc.fillColor(pair[2] ? COLOUR.warn : COLOUR.text);
      doc.text(winAnsi(pair[1]), MARGIN.left + labelWidth, this.y + 2.5, { width: valueWidth, lineGap: 1 });
      this.y += height;
    }
  }

  private keyValueHeight([label, value]: KeyValue): number {
    const labelWidth = 150;
    this.doc.font(FONT).fontSize(SIZE.body);
    const valueHeight = this.doc.heightOfString(winAnsi(value) || ' ', {
      width: CONTENT_WIDTH - labelWidth,
      lineGap: 1,
    });
    return Math.max(this.measure(label, labelWidth - 10), valueHeight) + 5;
  }

  /** A section holding one table, or the section's "none" sentence when it has no rows. */
  tableSection(
    title: string,
    empty: string,
    columns: Column[],
    rows: string[][],
    options: TableOptions = {},
  ) {
    const firstRow = rows[0];
    this.section(
      title,
      firstRow ? this.headerHeight(columns) + this.rowHeight(columns, firstRow) : this.lineHeight(),
    );
    if (!firstRow) return this.none(empty);
    this.table(columns, rows, options);
  }

  /** A table whose header row repeats on every page it continues onto. */
  table(columns: Column[], rows: string[][], options: TableOptions = {}) {
    const { doc } = this;
    const totalWidth = columns.reduce((sum, c) => sum + c.width, 0) * CONTENT_WIDTH;
    const drawHeader = () => {
      const height = this.headerHeight(columns);
      doc.rect(MARGIN.left, this.y, totalWidth, height).fillColor(COLOUR.headerFill).fill();
      this.cells(
        columns,
        columns.map((c) => c.header),
        BOLD,
        COLOUR.muted,
      );
      this.y += height;
    };

    const first = rows[0];
    this.ensure(this.headerHeight(columns) + (first ? this.rowHeight(columns, first) : 0));
    drawHeader();
    rows.forEach((row, index) => {
      const height = this.rowHeight(columns, row);
      if (this.y + height > CONTENT_BOTTOM) {
        this.newPage();
        drawHeader();
      }
      const bold = options.lastRowBold && index === rows.length - 1;
      this.cells(columns, row, bold ? BOLD : FONT, options.highlight?.(row) ? COLOUR.warn : COLOUR.text);
      this.y += height;
      doc
        .moveTo(MARGIN.left, this.y)
        .lineTo(MARGIN.left + totalWidth, this.y)
        .lineWidth(0.5)
        .strokeColor(COLOUR.rule)
        .stroke();
    });
  }

  private headerHeight(columns: Column[]): number {
    return this.rowHeight(
      columns,
      columns.map((c) => c.header),
      BOLD,
    );
  }

  private rowHeight(columns: Column[], row: string[], font = FONT): number {
    const heights = columns.map((column, i) => {
      const bold = font === BOLD || column.bold;
      return this.measure(row[i] ?? '', cellWidth(column), bold ? BOLD : font, SIZE.table);
    });
    // A row taller than a page is cut (with an ellipsis) rather than run off the page.
    return Math.min(Math.max(...heights) + 2 * CELL_PADDING.y, CONTENT_HEIGHT - 40);
  }

  private cells(columns: Column[], row: string[], font: string, colour: string) {
    const { doc } = this;
    let x = MARGIN.left;
    columns.forEach((column, i) => {
      doc
        .font(font === BOLD || column.bold ? BOLD : font)
        .fontSize(SIZE.table)
        .fillColor(colour);
      doc.text(winAnsi(row[i] ?? ''), x + CELL_PADDING.x, this.y + CELL_PADDING.y, {
        width: cellWidth(column),
        height: CONTENT_HEIGHT - 40 - 2 * CELL_PADDING.y,
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

/**
 * Draws an image fitted in a box, or a placeholder when pdfkit cannot read it: one broken photo
 * should not cost the whole packet.
 */
function drawImage(
  doc: PDFKit.PDFDocument,
  data: Buffer,
  x: number,
  y: number,
  box: { width: number; height: number },
  valign: 'center' | 'bottom',
) {
  try {
    doc.image(data, x, y, {
      fit: [box.width, box.height],
      align: valign === 'center' ? 'center' : undefined,
      valign,
    });
  } catch {
    doc.rect(x, y, box.width, box.height).lineWidth(0.5).strokeColor(COLOUR.rule).stroke();
    doc.font('Helvetica-Oblique').fontSize(SIZE.table).fillColor(COLOUR.muted);
    doc.text('Image could not be embedded', x, y + box.height / 2 - 5, { width: box.width, align: 'center' });
  }
}

// ---------------------------------------------------------------------------------------------
// Wording

function describeSla(wo: AuditPacket['workOrder'], now: Date, when: TimeFormatter): string {
  if (!wo.slaDueAt) return 'No SLA';
  const due = when.local(wo.slaDueAt);
  const end = wo.resolvedAt ?? now;
  const late = end.getTime() - wo.slaDueAt.getTime();
  if (late <= 0) return wo.resolvedAt ? `${due} (met)` : `${due} (open, not yet due)`;
  return wo.resolvedAt
    ? `${due} (missed by ${formatDuration(late)})`
    : `${due} (open, overdue by ${formatDuration(late)})`;
}

function describeCertification(
  certification: { name: string; expiresAt: Date | null },
  workDay: string,
): string {
  if (!certification.expiresAt) return `${certification.name} (no expiry)`;
  const expiry = calendarDate(certification.expiresAt);
  return `${certification.name} (${expiry < workDay ? 'EXPIRED' : 'expires'} ${expiry})`;
}

/** "2027-01-31" for a date column's midnight UTC, whatever the site's zone. */
function calendarDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whether the technician held a required certification, valid at the time of the work. */
function checkRequirement(
  name: string,
  technician: AuditPacket['technician'],
  workDay: string,
): { text: string; met: boolean } {
  if (!technician) return { text: `${name}: no technician assigned`, met: false };
  const held = technician.certifications.find(
    (c) => c.name.trim().toLowerCase() === name.trim().toLowerCase(),
  );
  if (!held) return { text: `${name}: MISSING`, met: false };
  // ISO dates compare as strings.
  if (held.expiresAt && calendarDate(held.expiresAt) < workDay) {
    return { text: `${name}: EXPIRED before the work`, met: false };
  }
  return { text: `${name}: held`, met: true };
}

function isSlaBreached(wo: AuditPacket['workOrder'], now: Date): boolean {
  return wo.slaDueAt !== null && (wo.resolvedAt ?? now).getTime() > wo.slaDueAt.getTime();
}

/** "Total" of the parts, per currency; lines without a unit cost are named rather than guessed. */
function describePartsTotal(parts: AuditPacket['parts']): string {
  const totals = new Map<string, number>();
  let unknown = 0;
  for (const part of parts) {
    if (part.unitCost === null) {
      unknown++;
      continue;
    }
    totals.set(part.currency, (totals.get(part.currency) ?? 0) + part.unitCost * part.quantity);
  }
  if (totals.size === 0) return 'Total cost unknown: no part has a unit cost.';
  // Amounts in different currencies are listed side by side, never added up.
  const amounts = [...totals].map(([currency, minor]) => formatMoney(minor, currency)).join(' + ');
  if (unknown === 0) return `Total cost: ${amounts}`;
  return `Total of known costs: ${amounts} (${unknown} ${unknown === 1 ? 'line has' : 'lines have'} no unit cost)`;
}

function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${rest} min`;
  return `${rest} min`;
}

interface TimeFormatter {
  /** "2026-03-05 14:05 EST": site time with the zone's abbreviation (which tells EST from EDT). */
  local(at: Date): string;
  /** "2026-03-05 19:05 UTC". */
  utc(at: Date): string;
  /** "2026-03-05" in site time. */
  date(at: Date): string;
}

function timeFormatter(timeZone: string): TimeFormatter {
  const make = (zone: string) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
  // Throws RangeError for an unknown zone: better than a packet in the wrong time.
  const site = make(timeZone);
  const utc = make('UTC');
  const parts = (format: Intl.DateTimeFormat, at: Date) => {
    const p = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
    return {
      date: `${p.year}-${p.month}-${p.day}`,
      time: `${p.hour}:${p.minute}`,
      zone: p.timeZoneName ?? '',
    };
  };
  return {
    local: (at) => {
      const p = parts(site, at);
      return `${p.date} ${p.time} ${p.zone}`;
    },
    utc: (at) => {
      const p = parts(utc, at);
      return `${p.date} ${p.time} UTC`;
    },
    date: (at) => parts(site, at).date,
  };
}

// ---------------------------------------------------------------------------------------------
// Text encoding
