import type { Handler } from '../context';

/** OCPP 2.0.1 Heartbeat (G02): liveness is recorded for every frame by the endpoint; this tells the time. */
export const heartbeat: Handler<Record<string, never>, { currentTime: string }> = (ctx) => ({
  currentTime: ctx.now().toISOString(),
});
