import { authorizeToken } from '@/lib/services/authorization';
import { priceTextFor } from '@/lib/services/billing';
import type { Handler } from '../context';
import { idTokenInfoOf } from './id-token-info';

/** OCPP 2.0.1 Authorize (C01). */
export const authorize: Handler<
  { idToken: { idToken: string; type: string } },
  { idTokenInfo: ReturnType<typeof idTokenInfoOf> & { personalMessage?: MessageContent } }
> = async (ctx, req) => {
  const decision = await authorizeToken(
    ctx.db,
    ctx.station,
    { idToken: req.idToken.idToken, type: req.idToken.type },
    { source: 'Authorize', now: ctx.now() },
  );
  const info = idTokenInfoOf(decision);
  if (decision.status !== 'Accepted') return { idTokenInfo: info };
  // I03/I05 (with NEVI 680.116(a)): the driver's price before the session starts, on the charger's screen.
  const price = await priceTextFor(
    ctx.db,
    ctx.station,
    { evseId: null, idToken: req.idToken.idToken },
    ctx.now(),
  );
  if (!price) return { idTokenInfo: info };
  return {
    idTokenInfo: {
      ...info,
      personalMessage: { format: 'UTF8', language: 'en', content: price.slice(0, 512) },
    },
  };
};

/** 2.0.1 MessageContentType. */
interface MessageContent {
  format: 'UTF8';
  language: string;
  content: string;
}
