import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { IdTokenStatus } from '@/lib/db/schema';

const tones: Record<IdTokenStatus, BadgeTone> = { active: 'green', blocked: 'red', expired: 'amber' };

/** A token's status; an active token past its expiry date reads as expired. */
export function TokenStatus({ status, expiresAt }: { status: IdTokenStatus; expiresAt: Date | null }) {
  const shown: IdTokenStatus =
    status === 'active' && expiresAt && expiresAt <= new Date() ? 'expired' : status;
  return <Badge tone={tones[shown]}>{shown}</Badge>;
}
