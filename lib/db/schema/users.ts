import {
  boolean,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisations } from './organisations';
import { sites } from './sites';
import { roles } from '../../domain/access/roles';

export const userRole = pgEnum('user_role', roles);

/** A person who signs in to the web app (not a driver: drivers come with the access-control issue). */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Stored lower-case; sign-in compares lower-case. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    /** argon2id PHC string. */
    passwordHash: text('password_hash').notNull(),
    /** Set when an admin chose or generated the password: the user must pick their own at next sign-in. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    active: boolean('active').notNull().default(true),
    /** Bumped on deactivation, role change or password change: sessions carrying an older value end. */
    sessionVersion: integer('session_version').notNull().default(1),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves sign-in by email; one account per email across the whole installation.
    uniqueIndex('users_email_idx').on(sql`lower(${t.email})`),
    // Serves the users list of an organisation.
    index('users_organisation_idx').on(t.organisationId),
  ],
);

/** The sites a manager (or technician) works on; admins see the whole organisation and have no rows here. */
export const userSites = pgTable(
  'user_sites',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
  },
  // The primary key serves "sites of a user"; the index serves "users of a site".
  (t) => [primaryKey({ columns: [t.userId, t.siteId] }), index('user_sites_site_idx').on(t.siteId)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
