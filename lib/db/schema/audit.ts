import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { users } from './users';

/** Who did what, when, with what result: every operator action that changes a charger, money or access. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Null for actions of the system itself (start-up, background jobs, chargers). */
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Human-readable actor kept even if the user is later removed (email, "system", a station identity). */
    actorLabel: text('actor_label').notNull(),
    /** Dotted verb, e.g. user.create, site.update, station.reset. */
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    /** 'ok' or 'error'. */
    result: text('result').notNull().default('ok'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves the audit log of an organisation, newest first.
    index('audit_log_organisation_created_idx').on(t.organisationId, t.createdAt),
    // Serves the history of one target (a station, a user, a site).
    index('audit_log_target_idx').on(t.targetType, t.targetId),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
