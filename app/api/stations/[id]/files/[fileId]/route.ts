import { getCurrentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { roleCan } from '@/lib/domain/access/roles';
import { AppError, httpStatusOf } from '@/lib/errors';
import { getStationUpload } from '@/lib/services/uploads';
import { isUuid } from '@/lib/validation/ids';

export const dynamic = 'force-dynamic';

/** Downloads a file a station uploaded, for users who may see the station. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string; fileId: string }> },
) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!roleCan(user.role, 'stations:view')) return Response.json({ error: 'Forbidden' }, { status: 403 });
  const { id, fileId } = await params;
  if (!isUuid(id) || !isUuid(fileId)) return Response.json({ error: 'File not found' }, { status: 404 });
  try {
    const file = await getStationUpload(getDb(), user, id, fileId);
    const name = (file.fileName ?? 'upload.bin').replace(/[^\w.\-]+/g, '_');
    return new Response(new Uint8Array(file.data), {
      headers: {
        'Content-Type': file.contentType ?? 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (error) {
    if (error instanceof AppError)
      return Response.json({ error: error.message }, { status: httpStatusOf(error.kind) });
    throw error;
  }
}
