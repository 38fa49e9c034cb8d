import type { TokenDecision } from '@/lib/services/authorization';

/** OCPP 1.6 IdTagInfo (§7.30); 1.6 has no "not here" or "not now", so those read Invalid. */
export function idTagInfoOf(decision: TokenDecision): {
  status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';
  expiryDate?: string;
  parentIdTag?: string;
} {
  const status =
    decision.status === 'NotAtThisLocation' || decision.status === 'NotAtThisTime'
      ? 'Invalid'
      : decision.status;
  return {
    status,
    ...(decision.expiresAt ? { expiryDate: decision.expiresAt.toISOString() } : {}),
    ...(decision.parentIdTag ? { parentIdTag: decision.parentIdTag } : {}),
  };
}
