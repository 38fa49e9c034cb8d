import { renderStatementPdf } from '@/lib/services/statements';
import { forUser } from '../../../../work-orders/respond';

export const dynamic = 'force-dynamic';

/**
 * A driver's statement as a PDF for ?from=YYYY-MM-DD&to=YYYY-MM-DD (whole days, both included) in
 * ?tz (an IANA zone, UTC without it). A missing or bad period is a 422 with the field errors.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const query = new URL(request.url).searchParams;
  return forUser('driver statement PDF', async (db, user) => {
    const { fileName, pdf } = await renderStatementPdf(db, user, id, {
      from: query.get('from') ?? undefined,
      to: query.get('to') ?? undefined,
      timeZone: query.get('tz') ?? undefined,
    });
    return new Response(new Uint8Array(pdf), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${fileName}"`,
        // The statement shows the account as it is now: never from a cache.
        'Cache-Control': 'private, no-store',
      },
    });
  });
}
