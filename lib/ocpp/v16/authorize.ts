import { authorizeToken } from '@/lib/services/authorization';
import type { Handler } from '../context';

/** OCPP 1.6 Authorize (§6.1). */
export const authorize: Handler<{ idTag: string }, { idTagInfo: { status: string } }> = async (ctx, req) => {
  const decision = await authorizeToken(ctx.db, ctx.station, { idToken: req.idTag, type: null });
  return { idTagInfo: { status: decision.status } };
};
