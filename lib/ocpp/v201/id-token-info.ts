import type { TokenDecision } from '@/lib/services/authorization';

/** OCPP 2.0.1 IdTokenInfoType: the status as decided (2.0.1 knows NotAtThisLocation/Time). */
export function idTokenInfoOf(decision: TokenDecision): {
  status: string;
  cacheExpiryDateTime?: string;
  groupIdToken?: { idToken: string; type: string };
} {
  return {
    status: decision.status,
    ...(decision.expiresAt ? { cacheExpiryDateTime: decision.expiresAt.toISOString() } : {}),
    ...(decision.parentIdTag ? { groupIdToken: { idToken: decision.parentIdTag, type: 'Central' } } : {}),
  };
}
