import { getCurrentUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { AppError, httpStatusOf } from '@/lib/errors';
import { stationPricing } from '@/lib/services/map-pricing';

export const dynamic = 'force-dynamic';

/** A station's price now and the running cost of its sessions (the map popup's query, billing:view). */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: 'Sign in first' }, { status: 401 });
  const { id } = await params;
  try {
    const pricing = await stationPricing(getDb(), user, id, new Date());
    return Response.json({ pricing }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    if (error instanceof AppError)
      return Response.json({ error: error.message }, { status: httpStatusOf(error.kind) });
    throw error;
  }
}
