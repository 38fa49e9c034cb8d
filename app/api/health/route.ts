import { getDatabase } from '@/lib/db';
import { checkHealth } from '@/lib/services/health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness for load balancers and monitors: 200 when the database answers, else 503. No sign-in. */
export async function GET() {
  const health = await checkHealth(getDatabase(), Math.round(process.uptime()));
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
