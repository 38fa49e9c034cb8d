import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderAuditPacket, type AuditPacket } from './audit-packet';
import { winAnsi } from './layout';

const at = (iso: string) => new Date(iso);

/**
 * The text a viewer shows, read back from an uncompressed PDF: pdfkit writes each line as a TJ
 * array of hex-encoded WinAnsi strings separated by kerning offsets.
 */
function pdfText(pdf: Buffer): string {
  const lines = pdf.toString('latin1').matchAll(/\[((?:<[0-9a-fA-F]*>\s*-?[\d.]*\s*)*)\]\s*TJ/g);
  return [...lines]
    .map(([, array]) =>
      [...array!.matchAll(/<([0-9a-fA-F]*)>/g)]
        .map(([, hex]) => decodeWinAnsi(Buffer.from(hex!, 'hex')))
        .join(''),
    )
    .join('\n');
}

// Bytes 0x80–0x9F of WinAnsi (Node 20's TextDecoder reads windows-1252 as Latin-1); '?' is unused.
const WIN_ANSI_HIGH = '€?‚ƒ„…†‡ˆ‰Š‹Œ?Ž??‘’“”•–—˜™š›œ?žŸ';

function decodeWinAnsi(bytes: Buffer): string {
  return [...bytes]
    .map((byte) => (byte >= 0x80 && byte <= 0x9f ? WIN_ANSI_HIGH[byte - 0x80] : String.fromCharCode(byte)))
    .join('');
}

const render = async (packet: AuditPacket) => {
  const pdf = await renderAuditPacket(packet, { compress: false });
  return { pdf, text: pdfText(pdf) };
};

let photoJpeg: Buffer;
let signaturePng: Buffer;
beforeAll(async () => {
  photoJpeg = await sharp({
    create: {
      width: 400,
      height: 300,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 120, sigma: 40 },
    },
  })
    .jpeg()
    .toBuffer();
  signaturePng = await sharp({
    create: { width: 300, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([
      { input: { create: { width: 200, height: 4, channels: 4, background: '#111' } }, left: 50, top: 60 },
    ])
    .png()
    .toBuffer();
});

/** A resolved and verified corrective work order in New York, with every section filled. */
function aPacket(overrides: Partial<AuditPacket> = {}): AuditPacket {
  return {
    organisation: 'Empire Charging',
    generatedAt: at('2026-03-09T15:42:00Z'),
    timeZone: 'America/New_York',
    workOrder: {
      number: 1042,
      title: 'EVSE 2 faulted: GroundFailure',
      kind: 'Corrective',
      priority: 'High',
      status: 'Verified',
      description: 'Charger reported Faulted with GroundFailure on connector 2.',
      createdAt: at('2026-03-07T08:12:00Z'),
      slaDueAt: at('2026-03-08T08:12:00Z'),
      resolvedAt: at('2026-03-08T10:30:00Z'),
      verifiedAt: at('2026-03-08T11:00:00Z'),
      cannotFixReason: null,
      resolutionNotes: 'Replaced the cable assembly.',
      requiredCertifications: ['NFPA 70E'],
    },
    station: {
      identity: 'CP-NYC-0042',
      siteName: 'Hudson Yards Garage',
      address: '500 W 33rd St, New York, NY 10001',
      vendor: 'ABB',
      model: 'Terra AC W22',
      serialNumber: 'TAC-22-00981',
      evseId: 2,
    },
    technician: {
      name: 'Dana Whitfield',
      certifications: [{ name: 'NFPA 70E', expiresAt: at('2027-01-31T00:00:00Z') }],
    },
    timeline: [
      { at: at('2026-03-07T08:11:00Z'), label: 'Fault detected', actor: 'System', note: null },
      { at: at('2026-03-08T09:00:00Z'), label: 'Technician arrived', actor: 'Dana Whitfield', note: null },
      { at: at('2026-03-08T10:30:00Z'), label: 'Resolved', actor: 'Dana Whitfield', note: 'Cable replaced' },
      { at: at('2026-03-08T11:00:00Z'), label: 'Verified', actor: 'Sam Ortiz', note: null },
    ],
    evidence: [
      {
        at: at('2026-03-07T08:11:00Z'),
        source: 'StatusNotification',
        summary: 'connector 2 Faulted, GroundFailure',
      },
    ],
    checklist: [
      {
        label: 'Lockout/tagout applied',
        confirmedAt: at('2026-03-08T09:05:00Z'),
        confirmedBy: 'Dana Whitfield',
      },
    ],
    parts: [
      { sku: 'ABB-CBL-T2-7M', name: 'Type 2 cable, 7 m', quantity: 1, unitCost: 38900, currency: 'USD' },
      { sku: 'GSK-01', name: 'Holster gasket', quantity: 2, unitCost: 1250, currency: 'USD' },
    ],
    photos: [],
    signature: null,
    outages: [
      {
        evseId: 2,
        startedAt: at('2026-03-07T08:11:00Z'),
        endedAt: at('2026-03-08T10:30:00Z'),
        minutes: 1579,
        excluded: false,
        excludedReason: null,
        excludedNotes: null,
      },
      {
        evseId: 1,
        startedAt: at('2026-03-07T07:50:00Z'),
        endedAt: at('2026-03-07T09:20:00Z'),
        minutes: 90,
        excluded: true,
        excludedReason: 'Utility power outage',
        excludedNotes: 'Utility notice 4411',
      },
      {
        evseId: 2,
        startedAt: at('2026-03-06T22:00:00Z'),
        endedAt: at('2026-03-06T22:45:00Z'),
        minutes: 45,
        excluded: false,
        excludedReason: null,
        excludedNotes: null,
      },
    ],
    ...overrides,
  };
}

const withPhotosAndSignature = (): Partial<AuditPacket> => ({
  photos: [
    { kind: 'before', takenAt: at('2026-03-08T09:10:00Z'), caption: 'Water in the holster', jpeg: photoJpeg },
    { kind: 'after', takenAt: at('2026-03-08T10:25:00Z'), caption: null, jpeg: photoJpeg },
  ],
  signature: { signerName: 'Marcus O’Neill', signedAt: at('2026-03-08T10:40:00Z'), png: signaturePng },
});

describe('renderAuditPacket', () => {
  it('produces a complete PDF file', async () => {
    const pdf = await renderAuditPacket(aPacket());

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it('compresses the page content unless told not to', async () => {
    const compressed = await renderAuditPacket(aPacket());
    const { pdf } = await render(aPacket());

    expect(pdfText(compressed)).toBe('');
    expect(compressed.length).toBeLessThan(pdf.length);
  });

  it('prints the work order, its timeline, parts, signer and outage minutes', async () => {
    const { text } = await render(aPacket(withPhotosAndSignature()));

    expect(text).toContain('Work order WO-1042');
    expect(text).toContain('Technician arrived');
    expect(text).toContain('ABB-CBL-T2-7M');
    expect(text).toContain('Marcus O’Neill');
    // Per port (EVSE 2: 1579 + 45) and in total; the excluded utility outage is listed apart.
    expect(text).toMatch(/Total\n1624 min\n90 min/);
    expect(text).toMatch(/Excluded: Utility power outage: Utility\s+notice 4411/);
    expect(text).toContain('Total cost: $414.00');
    expect(text).toContain('Water in the holster');
  });

  it('prints times in the site zone with its name, and the generated time in UTC too', async () => {
    const { text } = await render(aPacket());

    expect(text).toContain('Generated 2026-03-09 11:42 EDT');
    expect(text).toContain('(2026-03-09 15:42 UTC)');
    expect(text).toContain('America/New_York');
    // Before the DST change on 8 March the same site is on EST.
    expect(text).toContain('2026-03-07 03:11 EST');
  });

  it('numbers every page "Page n of m"', async () => {
    const { pdf, text } = await render(aPacket(withPhotosAndSignature()));

    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(1);
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
  });

  it('embeds photos and the signature', async () => {
    const without = await renderAuditPacket(aPacket());
    const withThem = await renderAuditPacket(aPacket(withPhotosAndSignature()));

    expect(withThem.length).toBeGreaterThan(without.length + photoJpeg.length);
  });

  it('says so for every section with nothing in it', async () => {
    const { text } = await render(
      aPacket({
        timeline: [],
        evidence: [],
        checklist: [],
        parts: [],
        photos: [],
        signature: null,
        outages: [],
      }),
    );

    for (const sentence of [
      'No timeline events recorded.',
      'No OCPP evidence recorded.',
      'No safety checklist recorded.',
      'No parts recorded.',
      'No photos recorded.',
      'No site contact signature recorded.',
      'No outages recorded.',
    ]) {
      expect(text).toContain(sentence);
    }
  });

  it('flags unconfirmed checklist items, missed SLAs and missing certifications', async () => {
    const packet = aPacket();
    const { text } = await render({
      ...packet,
      workOrder: { ...packet.workOrder, requiredCertifications: ['NFPA 70E', 'EVITP'] },
      checklist: [...packet.checklist, { label: 'PPE worn', confirmedAt: null, confirmedBy: null }],
    });

    expect(text).toContain('NOT CONFIRMED');
    expect(text).toContain('1 of 2 items confirmed.');
    expect(text).toContain('(missed by 2 h 18 min)');
    expect(text).toContain('NFPA 70E: held');
    expect(text).toContain('EVITP: MISSING');
  });

  it('reads certification expiry as a calendar date, valid through that day at the site', async () => {
    // The work was resolved 2026-03-08 06:30 EDT; date columns arrive as midnight UTC.
    const { text } = await render(
      aPacket({
        workOrder: { ...aPacket().workOrder, requiredCertifications: ['NFPA 70E', 'EVITP'] },
        technician: {
          name: 'Dana Whitfield',
          certifications: [
            { name: 'NFPA 70E', expiresAt: at('2026-03-08T00:00:00Z') },
            { name: 'EVITP', expiresAt: at('2026-03-07T00:00:00Z') },
          ],
        },
      }),
    );

    expect(text).toContain('NFPA 70E (expires 2026-03-08)');
    expect(text).toContain('NFPA 70E: held');
    expect(text).toContain('EVITP (EXPIRED 2026-03-07)');
    expect(text).toContain('EVITP: EXPIRED before the work');
  });

  it('totals only known part costs, and never adds currencies together', async () => {
    const { text } = await render(
      aPacket({
        parts: [
          { sku: 'A', name: 'Fuse', quantity: 3, unitCost: 250, currency: 'USD' },
          { sku: 'B', name: 'Relay', quantity: 1, unitCost: null, currency: 'USD' },
          { sku: 'C', name: 'Seal', quantity: 1, unitCost: 500, currency: 'CAD' },
        ],
      }),
    );

    expect(text).toContain('Total of known costs: $7.50 + CA$5.00 (1 line has no unit cost)');
  });

  it('shows a placeholder for a photo it cannot read instead of failing', async () => {
    const { text } = await render(
      aPacket({
        photos: [
          { kind: 'other', takenAt: at('2026-03-08T10:00:00Z'), caption: null, jpeg: Buffer.from('nope') },
        ],
      }),
    );

    expect(text).toContain('Image could not be embedded');
  });

  it('renders the same packet to the same bytes', async () => {
    const first = await renderAuditPacket(aPacket(withPhotosAndSignature()));
    const second = await renderAuditPacket(aPacket(withPhotosAndSignature()));

    expect(first.equals(second)).toBe(true);
  });

  it('refuses an unknown time zone rather than print wrong times', async () => {
    await expect(renderAuditPacket(aPacket({ timeZone: 'Mars/Olympus' }))).rejects.toThrow(RangeError);
  });
});

describe('winAnsi', () => {
  it.each([
    ['plain ASCII', 'WO-1042 ok', 'WO-1042 ok'],
    ['Latin-1 and typographic quotes', 'Café “Zürich” – 5 €', 'Café “Zürich” – 5 €'],
    ['letters outside WinAnsi', 'Łódź Kraków', 'Lódz Kraków'],
    ['arrows and units', 'Faulted → Available, 500 MΩ', 'Faulted -> Available, 500 MOhm'],
    ['what has no equivalent', '充电桩 🔌', '??? ?'],
    ['control characters and CRLF', 'a\tb\r\nc', 'a b\nc'],
  ])('keeps %s readable', (_case, input, expected) => {
    expect(winAnsi(input)).toBe(expected);
  });
});
