import PDFDocument from 'pdfkit';

/**
 * The house style of ChargeOps's PDFs (audit packets, invoices, statements): fonts, colours,
 * sizes, and the running header and "Page n of m" footer every page carries.
 */

export const FONT = 'Helvetica';
export const BOLD = 'Helvetica-Bold';
export const COLOUR = {
  text: '#0f172a',
  muted: '#475569',
  faint: '#94a3b8',
  rule: '#cbd5e1',
  headerFill: '#f1f5f9',
  bandFill: '#f8fafc',
  brand: '#047857',
  warn: '#b91c1c',
};
export const SIZE = { body: 9.5, table: 8.5, small: 7.5, section: 12.5 };
export const CELL_PADDING = { x: 5, y: 4 };

/**
 * A new PDF with the house metadata (fixed from the document, so the same document renders the
 * same bytes), pages kept open for the page numbers, and the promise of its bytes once
 * `doc.end()` is called.
 */
export function openDocument(
  meta: {
    title: string;
    author: string;
    subject?: string;
    createdAt: Date;
    size: 'A4' | 'LETTER';
    margins: { left: number; right: number; top: number; bottom: number };
  },
  options: { compress?: boolean },
): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: meta.size,
    margins: meta.margins,
    // Page numbers need the page count, known only at the end: keep pages open until then.
    bufferPages: true,
    compress: options.compress ?? true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: winAnsi(meta.title),
      Author: winAnsi(meta.author),
      ...(meta.subject ? { Subject: winAnsi(meta.subject) } : {}),
      Creator: 'ChargeOps',
      Producer: 'ChargeOps',
      CreationDate: meta.createdAt,
      ModDate: meta.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/**
 * Running header (from page 2: the label, and `headerAside` on the right) and the footer (the label
 * and "Page n of m"), drawn once every page exists; the geometry follows each page's own size and
 * margins, so Letter and A4 documents share it.
 */
export function drawPageFurniture(doc: PDFKit.PDFDocument, label: string, headerAside: string) {
  const range = doc.bufferedPageRange();
  const asideWidth = 160;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { margins, width, height } = doc.page;
    const contentWidth = width - margins.left - margins.right;
    // Text below the bottom margin would make pdfkit start a new page.
    const bottomMargin = margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(SIZE.small).fillColor(COLOUR.faint);
    if (i > range.start) {
      doc.text(winAnsi(label), margins.left, 30, {
        width: contentWidth - asideWidth,
        lineBreak: false,
        ellipsis: true,
      });
      doc.text(winAnsi(headerAside), margins.left + contentWidth - asideWidth, 30, {
        width: asideWidth,
        align: 'right',
        lineBreak: false,
      });
      doc
        .moveTo(margins.left, 42)
        .lineTo(margins.left + contentWidth, 42)
        .lineWidth(0.5)
        .strokeColor(COLOUR.rule);
      doc.stroke();
    }
    const footerY = height - 40;
    doc.moveTo(margins.left, footerY - 6).lineTo(margins.left + contentWidth, footerY - 6);
    doc.lineWidth(0.5).strokeColor(COLOUR.rule).stroke();
    doc.text(winAnsi(label), margins.left, footerY, {
      width: contentWidth - 100,
      lineBreak: false,
      ellipsis: true,
    });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, margins.left + contentWidth - 100, footerY, {
      width: 100,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottomMargin;
  }
}

// The standard PDF fonts (no font files to ship) encode text as WinAnsi, one byte a character:
// pdfkit writes anything else as a run of wrong glyphs, so text is reduced to WinAnsi first.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '⇒': '=>',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '−': '-',
  Ω: 'Ohm',
  '‐': '-',
  '‑': '-',
  '✓': 'v',
  '✔': 'v',
  '✗': 'x',
  '✘': 'x',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u200b': '',
};

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char);
}

/** Text the standard fonts can show: accents dropped where a letter has no WinAnsi form, else "?". */
export function winAnsi(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n').normalize('NFC')) {
    if (char === '\n' || isWinAnsi(char)) out += char;
    else if (/\p{Cc}/u.test(char)) out += ' ';
    else if (char in REPLACEMENTS) out += REPLACEMENTS[char];
    else {
      const base = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += base && [...base].every(isWinAnsi) ? base : '?';
    }
  }
  return out;
}
