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
  return { idTagInfo: idTagInfoOf(decision) };
};
