import { workOrderSignature } from '@/lib/services/work-order-field';
import { fileResponse, forUser } from '../../respond';

export const dynamic = 'force-dynamic';

/** The site contact's signature on a work order, as PNG. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return forUser('signature download', async (db, user) =>
    fileResponse(await workOrderSignature(db, user, id), 'image/png'),
  );
}
