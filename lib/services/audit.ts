import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/lib/db';
import { auditLog, type AuditEntry } from '@/lib/db/schema';
import type { Principal } from '@/lib/domain/access/roles';
import { assertCan } from './authorize';

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

/** One page of the organisation's audit log, newest first; `before` is the id of the last row seen. */
export async function listAuditEntries(
  db: Db,
  actor: Principal,
  options: { before?: number; limit?: number } = {},
): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  assertCan(actor, 'audit:view');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const entries = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.organisationId, actor.organisationId),
        options.before === undefined ? undefined : lt(auditLog.id, options.before),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = entries.slice(0, limit);
  return { entries: page, nextBefore: entries.length > limit ? (page.at(-1)?.id ?? null) : null };
}
