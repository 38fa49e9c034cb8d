import { authorizeToken } from '@/lib/services/authorization';
import type { Handler } from '../context';

/** OCPP 2.0.1 Authorize (C01). */
export const authorize: Handler<
  { idToken: { idToken: string; type: string } },
  { idTokenInfo: { status: string } }
> = async (ctx, req) => {
  const decision = await authorizeToken(ctx.db, ctx.station, {
    idToken: req.idToken.idToken,
    type: req.idToken.type,
  });
  return { idTokenInfo: { status: decision.status } };
};
