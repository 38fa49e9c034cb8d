import type { LocalListChange } from '@/lib/domain/access/local-list';

/**
 * OCPP 2.0.1 AuthorizationData for SendLocalListRequest (D01): an entry with its idTokenInfo, or
 * the idToken alone, which removes it in a differential update. The expiry travels as
 * cacheExpiryDateTime ("after which the token must be considered invalid").
 */
export function authorizationDataOf(change: LocalListChange): {
  idToken: { idToken: string; type: string };
  idTokenInfo?: {
    status: string;
    cacheExpiryDateTime?: string;
    groupIdToken?: { idToken: string; type: string };
  };
} {
  if ('remove' in change) return { idToken: { idToken: change.remove, type: change.type } };
  const entry = change.set;
  return {
    idToken: { idToken: entry.idToken, type: entry.type },
    idTokenInfo: {
      status: entry.status,
      ...(entry.expiresAt ? { cacheExpiryDateTime: entry.expiresAt } : {}),
      ...(entry.parentIdTag ? { groupIdToken: { idToken: entry.parentIdTag, type: 'Central' } } : {}),
    },
  };
}
