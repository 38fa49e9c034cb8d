import { AppError, httpStatusOf } from '@/lib/errors';
import { getDb } from '@/lib/db';
import { getLogger } from '@/lib/logger';
import { maxUploadBytes, receiveUpload } from '@/lib/services/uploads';

export const dynamic = 'force-dynamic';

/**
 * Where chargers upload diagnostics and logs (1.6 GetDiagnostics, 2.0.1 GetLog). The URL's token
 * is the credential: chargers have no session. HTTP POST as multipart/form-data (the first file
 * part) or PUT/POST of the raw file are accepted, as chargers differ.
 */
async function upload(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > maxUploadBytes) return Response.json({ error: 'The file is too large' }, { status: 413 });
  try {
    const type = request.headers.get('content-type') ?? '';
    let file: { name: string | null; contentType: string | null; data: Buffer };
    if (type.startsWith('multipart/form-data')) {
      const form = await request.formData();
      const part = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (!part) return Response.json({ error: 'No file part in the form' }, { status: 400 });
      file = {
        name: part.name || null,
        contentType: part.type || null,
        data: Buffer.from(await part.arrayBuffer()),
      };
    } else {
      const disposition = request.headers.get('content-disposition') ?? '';
      const name =
        /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? new URL(request.url).searchParams.get('name');
      file = {
        name: name ?? null,
        contentType: type || null,
        data: Buffer.from(await request.arrayBuffer()),
      };
    }
    if (file.data.length === 0) return Response.json({ error: 'The file is empty' }, { status: 400 });
    const stored = await receiveUpload(getDb(), token, file, new Date());
    return Response.json({ ok: true, fileName: stored.fileName, size: stored.sizeBytes }, { status: 201 });
  } catch (error) {
    if (error instanceof AppError)
      return Response.json({ error: error.message }, { status: httpStatusOf(error.kind) });
    getLogger().error({ err: error }, 'charger upload failed');
    return Response.json({ error: 'The upload could not be stored' }, { status: 500 });
  }
}

export { upload as POST, upload as PUT };
