import { renderCreditNotePdf } from '@/lib/services/invoices';
import { forUser } from '../../../work-orders/respond';

export const dynamic = 'force-dynamic';

/** A credit note as a PDF: the amount given back, the record or invoice it corrects, and why. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return forUser('credit note PDF', async (db, user) => {
    const { fileName, pdf } = await renderCreditNotePdf(db, user, id);
    return new Response(new Uint8Array(pdf), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${fileName}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  });
}
