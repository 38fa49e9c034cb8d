import { authorizeToken } from '@/lib/services/authorization';
import type { Handler } from '../context';
import { idTokenInfoOf } from './id-token-info';

/** OCPP 2.0.1 Authorize (C01). */
export const authorize: Handler<
  { idToken: { idToken: string; type: string } },
  { idTokenInfo: ReturnType<typeof idTokenInfoOf> }
> = async (ctx, req) => {
  const decision = await authorizeToken(
    ctx.db,
    ctx.station,
    { idToken: req.idToken.idToken, type: req.idToken.type },
    { source: 'Authorize', now: ctx.now() },
  );
  return { idTokenInfo: idTokenInfoOf(decision) };
};
