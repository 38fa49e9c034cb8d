import { renderWorkOrderAuditPacket } from '@/lib/services/audit-packet';
import { fileResponse, forUser } from '../../respond';

export const dynamic = 'force-dynamic';

/** The audit packet (PDF) of a work order: timeline, OCPP evidence, checklist, parts, photos, signature, outage minutes. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return forUser('audit packet', async (db, user) => {
    const { fileName, pdf } = await renderWorkOrderAuditPacket(db, user, id);
    return fileResponse(pdf, 'application/pdf', `attachment; filename="${fileName}"`);
  });
}
