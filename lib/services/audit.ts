import type { DbOrTx } from '@/lib/db';
import { auditLog } from '@/lib/db/schema';

/** Who acts: a signed-in user, or the system itself. */
export type Actor =
  | { kind: 'user'; userId: string; label: string; organisationId: string }
  | { kind: 'system'; label: string; organisationId: string };

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId?: string | null;
  result?: 'ok' | 'error';
  details?: Record<string, unknown>;
}

/** Writes one audit row, inside the caller's transaction so it commits (or not) with the change. */
export async function recordAudit(tx: DbOrTx, actor: Actor, record: AuditRecord): Promise<void> {
  await tx.insert(auditLog).values({
    organisationId: actor.organisationId,
    actorUserId: actor.kind === 'user' ? actor.userId : null,
    actorLabel: actor.label,
    action: record.action,
    targetType: record.targetType,
    targetId: record.targetId ?? null,
    result: record.result ?? 'ok',
    details: record.details ?? {},
  });
}
