import type { LocalListChange } from '@/lib/domain/access/local-list';

/** OCPP 1.6 AuthorizationData (§7.2) for SendLocalList.req: an entry, or just the idTag to remove it. */
export function authorizationDataOf(change: LocalListChange): {
  idTag: string;
  idTagInfo?: { status: string; expiryDate?: string; parentIdTag?: string };
} {
  if ('remove' in change) return { idTag: change.remove };
  const entry = change.set;
  return {
    idTag: entry.idToken,
    idTagInfo: {
      status: entry.status,
      ...(entry.expiresAt ? { expiryDate: entry.expiresAt } : {}),
      ...(entry.parentIdTag ? { parentIdTag: entry.parentIdTag } : {}),
    },
  };
}
