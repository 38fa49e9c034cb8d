import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db';
import { transactions } from '@/lib/db/schema';
import type { AuthorizationStatus } from '@/lib/domain/access/authorization';
import { tokenRefusedFlag } from '@/lib/domain/sessions/flags';
import { decideAccess, type AuthorizationSource } from './access';
import type { StationLink } from './charger-link';

export type { AuthorizationStatus };

/** What every path that asks about a token gets back, version-neutral. */
export interface TokenDecision {
  status: AuthorizationStatus;
  reason: string;
  /** For 1.6 idTagInfo.parentIdTag / 2.0.1 groupIdToken. */
  parentIdTag: string | null;
  /** The token's expiry, for idTagInfo.expiryDate / cacheExpiryDateTime. */
  expiresAt: Date | null;
}

/**
 * Whether an id token may charge at a station now: the one question Authorize, the start of a
 * transaction (both versions) and remote start ask. Decided by the access rules
 * (lib/services/access.ts) and kept in the authorisation log with its reason.
 */
export async function authorizeToken(
  db: Db,
  station: StationLink,
  token: { idToken: string; type: string | null },
  context: { source: AuthorizationSource; transactionId?: string | null; now: Date },
): Promise<TokenDecision> {
  const answer = await decideAccess(
    db,
    station,
    { idToken: token.idToken, source: context.source, transactionId: context.transactionId ?? null },
    context.now,
  );
  return {
    status: answer.status,
    reason: answer.reason,
    parentIdTag: answer.token?.parentIdTag ?? null,
    expiresAt: answer.token?.expiresAt ?? null,
  };
}

/**
 * Flags a session whose token was refused when it started: the charger may have begun anyway
 * (offline, or local authorisation), and energy delivered is kept, for someone to review.
 */
export async function flagRefusedStart(
  db: Db,
  transactionId: string,
  decision: TokenDecision,
): Promise<void> {
  const flag = tokenRefusedFlag(decision.status, decision.reason);
  await db
    .update(transactions)
    .set({
      flags: sql`case when ${transactions.flags} ? ${flag} then ${transactions.flags} else ${transactions.flags} || ${JSON.stringify([flag])}::jsonb end`,
    })
    .where(eq(transactions.id, transactionId));
}
