import { addWorkOrderPhoto } from '@/lib/services/work-order-field';
import { forUser } from '../../respond';

export const dynamic = 'force-dynamic';

/** The most a phone may send for one photo (compressed on the server to a few hundred kB). */
const maxPhotoBytes = 25 * 1024 * 1024;

/**
 * A photo from the technician's phone (multipart: `photo` file, `kind`, `caption`). A route handler
 * rather than a server action, so the phone can show upload progress and retry.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Only our own pages post photos: a form on another site must not (the session cookie is Lax, and
  // this keeps it so if that ever changes).
  const origin = request.headers.get('origin');
  if (
    origin &&
    new URL(origin).host !== (request.headers.get('x-forwarded-host') ?? request.headers.get('host'))
  )
    return Response.json({ error: 'Cross-site upload refused' }, { status: 403 });
  return forUser('photo upload', async (db, user) => {
    if (Number(request.headers.get('content-length') ?? 0) > maxPhotoBytes)
      return Response.json({ error: 'The photo is larger than 25 MB' }, { status: 413 });
    const form = await request.formData();
    const file = form.get('photo');
    if (!file || typeof file === 'string' || file.size === 0)
      return Response.json(
        { error: 'Choose or take a photo first', fieldErrors: { photo: 'No photo' } },
        { status: 422 },
      );
    const photo = await addWorkOrderPhoto(
      db,
      user,
      id,
      // The service's schema checks the kind.
      { kind: String(form.get('kind') ?? '') as 'before', caption: String(form.get('caption') ?? '') },
      Buffer.from(await file.arrayBuffer()),
    );
    return Response.json({ ok: true, photo }, { status: 201 });
  });
}
