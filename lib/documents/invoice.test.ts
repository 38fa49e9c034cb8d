import { describe, expect, it } from 'vitest';
import { renderInvoice, type InvoiceDocument } from './invoice';
import { renderStatement, type StatementDocument } from './statement';

const at = (iso: string) => new Date(iso);

/**
 * The text a viewer shows, read back from an uncompressed PDF: pdfkit writes each line as a TJ array of
 * hex-encoded WinAnsi strings separated by kerning offsets. One line of output per TJ.
 */
function pdfText(pdf: Buffer): string {
  const runs = pdf.toString('latin1').matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[\d.]*\s*)*)\]\s*TJ/g);
  return [...runs]
    .map(([, array]) =>
      [...array!.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map(([, hex]) => decodeWinAnsi(Buffer.from(hex!, 'hex')))
        .join(''),
    )
    .join('\n');
}

// The WinAnsi bytes these documents use above Latin-1's printable range: the euro sign, the bullet and the dashes.
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x95: '•', 0x96: '–', 0x97: '—' };

function decodeWinAnsi(bytes: Buffer): string {
  return [...bytes].map((byte) => WIN_ANSI[byte] ?? String.fromCharCode(byte)).join('');
}

function countPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
}

/** The y of every text line, per page, in PDF space (origin bottom left), from an uncompressed PDF. */
function textBaselines(pdf: Buffer): number[][] {
  const streams = [...pdf.toString('latin1').matchAll(/stream\n([\s\S]*?)\nendstream/g)].map(([, s]) => s!);
  return streams
    .filter((s) => s.includes(' Tm'))
    .map((s) => [...s.matchAll(/1 0 0 1 [\d.-]+ ([\d.-]+) Tm/g)].map(([, y]) => Number(y)));
}

const session = (n: number): InvoiceDocument['sessions'][number] => ({
  cdrNumber: `CDR-2026-${String(1000 + n).padStart(6, '0')}`,
  stationIdentity: 'PAR-ODEON-01',
  siteName: 'Parking Odéon',
  evseId: 2,
  // 14:05–14:52 Paris time (CET) on 5 March.
  startedAt: at('2026-03-05T13:05:00Z'),
  endedAt: at('2026-03-05T13:52:00Z'),
  energyWh: 12_345,
  tariffName: 'Standard AC',
  lines: [
    { description: 'Energy', quantity: '12.345 kWh', unitPrice: '€0.35 / kWh', amount: 432 },
    { description: 'Charging time', quantity: '47 min', unitPrice: '€0.02 / min', amount: 94 },
    { description: 'Session fee', quantity: '1', unitPrice: '€0.50', amount: 50 },
  ],
  total: 576,
});

/** A paid net-price invoice in Paris for two sessions: €11.52 net, 20 % tax. */
function anInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    kind: 'invoice',
    number: 'INV-2026-000042',
    issuedAt: at('2026-03-31T22:30:00Z'),
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    seller: {
      name: 'Volta Recharge SAS',
      address: '12 rue de Rivoli\n75004 Paris',
      taxId: 'FR 40 123456789',
    },
    buyer: { name: 'Camille Martin', email: 'camille@example.com', company: 'Atelier Martin' },
    corrects: null,
    sessions: [
      session(1),
      { ...session(2), startedAt: at('2026-03-29T00:40:00Z'), endedAt: at('2026-03-29T01:20:00Z') },
    ],
    net: 1152,
    tax: 230,
    total: 1382,
    taxRateBp: 2000,
    pricesIncludeTax: false,
    payment: {
      status: 'paid',
      method: 'Visa •••• 4242',
      reference: 'pi_3Oq',
      paidAt: at('2026-04-01T06:00:00Z'),
    },
    ...overrides,
  };
}

function aStatement(overrides: Partial<StatementDocument> = {}): StatementDocument {
  return {
    driver: { name: 'Camille Martin', email: 'camille@example.com', company: null },
    organisation: 'Volta Recharge',
    // March in Paris: [1 March 00:00 CET, 1 April 00:00 CEST).
    period: { from: at('2026-02-28T23:00:00Z'), to: at('2026-03-31T22:00:00Z') },
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    generatedAt: at('2026-04-01T07:00:00Z'),
    openingBalance: -2000,
    closingBalance: -3348,
    entries: [
      {
        at: at('2026-03-02T08:00:00Z'),
        kind: 'top-up',
        description: 'Card top-up',
        reference: 'pi_1A',
        amount: -3000,
      },
      {
        at: at('2026-03-05T13:52:00Z'),
        kind: 'session',
        description: 'Parking Odéon, EVSE 2',
        reference: 'CDR-2026-001001',
        amount: 1382,
      },
      {
        at: at('2026-03-20T10:00:00Z'),
        kind: 'credit-note',
        description: 'Meter correction',
        reference: 'CN-2026-000003',
        amount: -230,
      },
      {
        at: at('2026-03-30T09:00:00Z'),
        kind: 'adjustment',
        description: 'Goodwill',
        reference: null,
        amount: 500,
      },
    ],
    totals: { sessions: 1, energyWh: 12_345, charged: 1382, paid: 3000 },
    ...overrides,
  };
}

describe('renderInvoice', () => {
  it('renders an invoice with its sessions, totals and payment', async () => {
    const compressed = await renderInvoice(anInvoice());
    const pdf = await renderInvoice(anInvoice(), { compress: false });
    const text = pdfText(pdf);

    expect(compressed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfText(compressed)).toBe('');
    expect(text).toContain('Invoice');
    expect(text).toContain('INV-2026-000042');
    // Issued 22:30 UTC on 31 March: already 1 April in Paris.
    expect(text).toContain('Issued 2026-04-01');
    expect(text).toContain('Tax ID FR 40 123456789');
    expect(text).toContain('Parking Odéon  ·  PAR-ODEON-01  ·  EVSE 2');
    expect(text).toContain('2026-03-05 14:05–14:52 CET');
    // The night Paris moves to summer time: the session starts in CET and ends in CEST.
    expect(text).toContain('2026-03-29 01:40 CET – 2026-03-29 03:20 CEST');
    expect(text).toContain('12.345 kWh');
    expect(text).toMatch(/Session total\n€5\.76/);
    expect(text).toMatch(/Net\n€11\.52\nTax 20 %\n€2\.30\nTotal\n€13\.82/);
    expect(text).not.toContain('Prices include tax.');
    expect(text).toContain('Paid on 2026-04-01 08:00 CEST by Visa •••• 4242, reference pi_3Oq.');
    expect(text).toContain('Page 1 of 1');
  });

  it('renders a credit note with negative amounts and the invoice it corrects', async () => {
    const pdf = await renderInvoice(
      anInvoice({
        kind: 'credit-note',
        number: 'CN-2026-000003',
        corrects: { number: 'INV-2026-000042', reason: 'Meter reading corrected by the operator' },
        sessions: [session(1)],
        net: 480,
        tax: 96,
        total: 576,
        taxRateBp: 2000,
        pricesIncludeTax: true,
        payment: { status: 'account', method: null, reference: null, paidAt: null },
      }),
      { compress: false },
    );
    const text = pdfText(pdf);

    expect(text).toContain('Credit note');
    expect(text).toContain('CN-2026-000003');
    expect(text).toContain('Corrects invoice INV-2026-000042');
    expect(text).toContain('Reason: Meter reading corrected by the operator');
    expect(text).toContain('-€4.32');
    expect(text).toMatch(/Net \(excl\. tax\)\n-€4\.80\nTax 20 %\n-€0\.96\nTotal credited\n-€5\.76/);
    expect(text).toContain('Prices include tax.');
    expect(text).toContain('Credited to your account; it appears on your statement.');
  });

  it('names the charge record a credit note corrects when the session was never invoiced', async () => {
    const pdf = await renderInvoice(
      anInvoice({
        kind: 'credit-note',
        number: 'CN-000004',
        corrects: { number: 'CDR-000012', reason: 'Charger slow', record: 'charge record' },
        sessions: [session(1)],
        net: 480,
        tax: 96,
        total: 576,
        taxRateBp: 2000,
        pricesIncludeTax: true,
      }),
      { compress: false },
    );
    const text = pdfText(pdf);
    expect(text).toContain('Corrects charge record CDR-000012');
    expect(text).not.toContain('Corrects invoice');
  });

  it('refuses an invoice that does not add up', async () => {
    await expect(renderInvoice(anInvoice({ tax: 231 }))).rejects.toThrow(RangeError);
  });

  it('flows 60 sessions onto numbered pages, every line inside the margins', async () => {
    const sessions = Array.from({ length: 60 }, (_, i) => session(i));
    const pdf = await renderInvoice(
      anInvoice({ sessions, net: 60 * 576, tax: 6912, total: 60 * 576 + 6912 }),
      {
        compress: false,
      },
    );
    const text = pdfText(pdf);
    const pages = countPages(pdf);

    expect(pages).toBeGreaterThan(1);
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
    for (let n = 0; n < 60; n++) expect(text).toContain(`CDR-2026-${String(1000 + n).padStart(6, '0')}`);
    // Every page repeats the column headers.
    expect(text.match(/^Description$/gm)).toHaveLength(pages);
    // Body text between the margins; only the running header (baseline y ≈ 804) and the footer (y ≈ 34)
    // lie outside them, and the title block above the top margin of page 1.
    const baselines = textBaselines(pdf);
    expect(baselines).toHaveLength(pages);
    baselines.forEach((page, index) => {
      const body = page.filter((y) => y > 40 && y < 800);
      expect(Math.min(...body)).toBeGreaterThan(64);
      expect(Math.max(...body)).toBeLessThan(index === 0 ? 800 : 841.89 - 64);
    });
  });
});

describe('renderStatement', () => {
  it('renders a statement with a running balance and the closing credit', async () => {
    const compressed = await renderStatement(aStatement());
    const pdf = await renderStatement(aStatement(), { compress: false });
    const text = pdfText(pdf);

    expect(compressed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(text).toContain('Statement');
    expect(text).toContain('2026-03-01 to 2026-03-31');
    expect(text).toContain('Opening balance: credit €20.00');
    // Running balance: -20.00, -50.00, -36.18, -38.48, -33.48.
    expect(text).toMatch(/Card top-up\npi_1A\n-€30\.00\n€50\.00 CR/);
    expect(text).toMatch(/\+€13\.82\n€36\.18 CR/);
    expect(text).toMatch(/Goodwill\n\+€5\.00\n€33\.48 CR/);
    expect(text).toContain('2026-03-30 11:00 CEST');
    expect(text).toMatch(
      /Charging sessions\n1\nEnergy\n12\.345 kWh\nCharged\n€13\.82\nPaid\n€30\.00\nCredit\n€33\.48/,
    );
    expect(text).toContain('Page 1 of 1');
  });

  it('says "You owe" when the driver owes', async () => {
    const pdf = await renderStatement(
      aStatement({
        openingBalance: 0,
        closingBalance: 1382,
        entries: [aStatement().entries[1]!],
        totals: { sessions: 1, energyWh: 12_345, charged: 1382, paid: 0 },
      }),
      { compress: false },
    );

    expect(pdfText(pdf)).toMatch(/You owe\n€13\.82/);
  });

  it('refuses entries that do not lead to the closing balance', async () => {
    await expect(renderStatement(aStatement({ closingBalance: 0 }))).rejects.toThrow(RangeError);
  });
});
