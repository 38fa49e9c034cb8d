import { getCurrentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { AppError, httpStatusOf } from '@/lib/errors';
import { getLogger } from '@/lib/logger';
import { recordBuildingLoad } from '@/lib/services/load-config';

export const dynamic = 'force-dynamic';

/**
 * A building management system reports the site's own (non-EV) consumption: JSON `{ "watts": 41000 }`
 * or `{ "amps": [52, 48, 50] }` (per phase), optionally with `"at"` (ISO time of the reading).
 * Load management subtracts it from the grid connection; readings older than the site's stale time
 * give way to its fallback limit.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json(
      { error: 'Send a JSON body: { "watts": number } or { "amps": [L1, L2, L3] }' },
      { status: 400 },
    );
  }
  try {
    await recordBuildingLoad(getDb(), user, (await params).id, body as never, new Date());
    return new Response(null, { status: 204 });
  } catch (error) {
    if (error instanceof AppError)
      return Response.json(
        { error: error.message, fieldErrors: error.fieldErrors },
        { status: httpStatusOf(error.kind) },
      );
    getLogger().error({ err: error }, 'building load not recorded');
    return Response.json({ error: 'Something went wrong on our side' }, { status: 500 });
  }
}
