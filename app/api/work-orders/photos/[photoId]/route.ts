import { workOrderPhotoFile } from '@/lib/services/work-order-field';
import { fileResponse, forUser } from '../../respond';

export const dynamic = 'force-dynamic';

/** A work order photo (`?size=thumbnail` for the small one) for someone who may see the order. */
export async function GET(request: Request, { params }: { params: Promise<{ photoId: string }> }) {
  const { photoId } = await params;
  const size = new URL(request.url).searchParams.get('size') === 'thumbnail' ? 'thumbnail' : 'full';
  return forUser('photo download', async (db, user) => {
    const photo = await workOrderPhotoFile(db, user, photoId, size);
    return fileResponse(photo.data, photo.contentType);
  });
}
