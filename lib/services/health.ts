import type { Database } from '@/lib/db';

export interface Health {
  status: 'ok' | 'degraded';
  database: { kind: Database['kind']; ok: boolean; latencyMs: number | null; error?: string };
  uptimeSeconds: number;
}

/** Checks the database with one round trip (bounded by `timeoutMs`). */
export async function checkHealth(
  database: Database,
  uptimeSeconds: number,
  timeoutMs = 2000,
): Promise<Health> {
  const started = performance.now();
  try {
    await Promise.race([
      database.ping(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return {
      status: 'ok',
      database: {
        kind: database.kind,
        ok: true,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
      },
      uptimeSeconds,
    };
  } catch (error) {
    return {
      status: 'degraded',
      database: {
        kind: database.kind,
        ok: false,
        latencyMs: null,
        error: error instanceof Error ? error.message : String(error),
      },
      uptimeSeconds,
    };
  }
}
