import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea } from './columns';
import { organisations } from './organisations';
import { chargingStations } from './stations';
import { users } from './users';

/**
 * Where a command stands. `pending` until the charger answers; then `accepted` or `rejected` (the
 * charger's own answer), `failed` (CALLERROR, or an answer that broke the schema), `timed_out`, or
 * `offline` (refused at once: the station had no connection).
 */
export const commandStatuses = ['pending', 'accepted', 'rejected', 'failed', 'timed_out', 'offline'] as const;
export type CommandStatus = (typeof commandStatuses)[number];
export const commandStatus = pgEnum('command_status', commandStatuses);

/** Every CSMS-initiated request to a charger: who asked, what, and how the charger answered. */
export const stationCommands = pgTable(
  'station_commands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * Integer id given to the charger where OCPP wants one (2.0.1 remoteStartId and requestId,
     * reservation ids), so later messages that carry it find this command.
     */
    requestId: serial('request_id').notNull().unique(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** Version-neutral command kind (lib/commands/types.ts), e.g. 'remote-start'. */
    kind: text('kind').notNull(),
    /** The OCPP action sent (RemoteStartTransaction, RequestStartTransaction ...); null if never sent. */
    ocppAction: text('ocpp_action'),
    /** The command's parameters as the operator gave them. */
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    /** Null for commands ChargeOps sends by itself (configuration defaults). */
    requestedByUserId: uuid('requested_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    requestedByLabel: text('requested_by_label').notNull(),
    status: commandStatus('status').notNull().default('pending'),
    /** The charger's status word (Rejected, Scheduled, OngoingAuthorizedTransaction ...) or why it failed. */
    detail: text('detail'),
    /** CALLERROR code when status is failed. */
    errorCode: text('error_code'),
    /** The CALLRESULT payload, or the CALLERROR [code, description, details]. */
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    /** An answer that arrived after the command had timed out, kept as it came. */
    lateResponse: jsonb('late_response'),
    lateResponseAt: timestamp('late_response_at', { withTimezone: true }),
  },
  // Serves the command log of a station, newest first.
  (t) => [index('station_commands_station_created_idx').on(t.stationId, t.createdAt)],
);

export type StationCommand = typeof stationCommands.$inferSelect;
export type NewStationCommand = typeof stationCommands.$inferInsert;

/**
 * A file a charger uploads to ChargeOps (1.6 GetDiagnostics, 2.0.1 GetLog). The row is created with
 * the command and holds the secret upload URL's token (hashed); the file lands in it when the
 * charger uploads. Files are kept in the database so every instance can serve them.
 */
export const stationUploads = pgTable(
  'station_uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    commandId: uuid('command_id').references(() => stationCommands.id, { onDelete: 'set null' }),
    /** SHA-256 (hex) of the token in the upload URL. */
    tokenHash: text('token_hash').notNull(),
    /** Uploads are refused after this time. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The file name the charger announced in its response, then the one it uploaded. */
    fileName: text('file_name'),
    contentType: text('content_type'),
    sizeBytes: integer('size_bytes'),
    data: bytea('data'),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Serves the upload request, which knows only the token.
    uniqueIndex('station_uploads_token_idx').on(t.tokenHash),
    // Serves the files list of a station.
    index('station_uploads_station_idx').on(t.stationId, t.createdAt),
  ],
);

export type StationUpload = typeof stationUploads.$inferSelect;
