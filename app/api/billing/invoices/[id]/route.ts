import { renderInvoicePdf } from '@/lib/services/invoices';
import { forUser } from '../../../work-orders/respond';

export const dynamic = 'force-dynamic';

/** An invoice as a PDF, rendered from the stored invoice and its CDRs (payment status as of now). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return forUser('invoice PDF', async (db, user) => {
    const { fileName, pdf } = await renderInvoicePdf(db, user, id);
    return new Response(new Uint8Array(pdf), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${fileName}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  });
}
