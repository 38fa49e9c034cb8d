import { getCurrentUser } from '@/lib/auth/session';
import { getDb, type Db } from '@/lib/db';
import { AppError, httpStatusOf } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import type { SessionUser } from '@/lib/services/users';

/**
 * Runs a work-order route handler for the signed-in user: 401 without a session, the AppError's
 * status and message (and field errors) for refusals, 500 for the rest (logged).
 */
export async function forUser(
  what: string,
  handle: (db: Db, user: SessionUser) => Promise<Response>,
): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Your session has ended: sign in again' }, { status: 401 });
  try {
    return await handle(getDb(), user);
  } catch (error) {
    if (error instanceof AppError)
      return Response.json(
        { error: error.message, fieldErrors: error.fieldErrors },
        { status: httpStatusOf(error.kind) },
      );
    getLogger().error({ err: error, userId: user.id }, `${what} failed`);
    return Response.json({ error: 'Something went wrong on our side. Try again.' }, { status: 500 });
  }
}

/** A private, non-cached binary response. */
export function fileResponse(data: Buffer, contentType: string, disposition?: string): Response {
  return new Response(new Uint8Array(data), {
    headers: {
      'Content-Type': contentType,
      'Cache-Control': 'private, max-age=3600',
      ...(disposition ? { 'Content-Disposition': disposition } : {}),
    },
  });
}
