import { showUserPrice } from '@/lib/commands/cost-display';
import { authorizeToken } from '@/lib/services/authorization';
import type { Handler } from '../context';
import { idTagInfoOf } from './id-tag-info';

/** OCPP 1.6 Authorize (§6.1). */
export const authorize: Handler<{ idTag: string }, { idTagInfo: ReturnType<typeof idTagInfoOf> }> = async (
  ctx,
  req,
) => {
  const decision = await authorizeToken(
    ctx.db,
    ctx.station,
    { idToken: req.idTag, type: null },
    { source: 'Authorize', now: ctx.now() },
  );
  // California pricing (per-station setting): the driver's price, after the answer has gone.
  if (decision.status === 'Accepted')
    ctx.afterResponse(() =>
      showUserPrice(ctx.db, ctx.station, { evseId: null, idToken: req.idTag }, ctx.commandDeps),
    );
  return { idTagInfo: idTagInfoOf(decision) };
};
