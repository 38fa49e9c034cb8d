import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { incidentKinds, type RemediationStep } from '../../domain/maintenance/incidents';
import { workOrderKinds, workOrderPriorities, workOrderStatuses } from '../../domain/maintenance/work-orders';
import { bytea } from './columns';
import { organisations } from './organisations';
import { chargingStations } from './stations';
import { users } from './users';

/**
 * Maintenance: incidents detected from what chargers report, the outages they cause per port, and
 * the work orders that send a technician to repair them, with the evidence an audit asks for.
 */

export const incidentKind = pgEnum('incident_kind', incidentKinds);
export const incidentStates = ['open', 'resolved'] as const;
export type IncidentState = (typeof incidentStates)[number];
export const incidentState = pgEnum('incident_state', incidentStates);

/**
 * Where automatic remote remediation of an incident stands: `none` (not tried: switched off or not
 * remediable), `running` (a step is under way or waiting), `recovered` (the station reported
 * healthy during the plan), `exhausted` (every step ran and the fault persists).
 */
export const remediationStates = ['none', 'running', 'recovered', 'exhausted'] as const;
export type RemediationState = (typeof remediationStates)[number];
export const remediationState = pgEnum('remediation_state', remediationStates);

/** One problem of one station or EVSE (evseId 0: the whole station), open until it clears. */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** 0 for a problem of the whole station (offline, boot, firmware, security). */
    evseId: integer('evse_id').notNull(),
    kind: incidentKind('kind').notNull(),
    state: incidentState('state').notNull().default('open'),
    title: text('title').notNull(),
    /** The OCPP error code and vendor information that opened it, where there are any. */
    errorCode: text('error_code'),
    vendorErrorCode: text('vendor_error_code'),
    info: text('info'),
    /** When the problem began (the fault's time, or the last sign of life of an offline station). */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** When ChargeOps opened the incident. */
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** How it cleared: e.g. "Connector reported Available", or the person who closed it and why. */
    resolution: text('resolution'),
    remediationState: remediationState('remediation_state').notNull().default('none'),
    /** The plan being run, copied from the organisation's settings when the incident opened. */
    remediationPlan: jsonb('remediation_plan').$type<RemediationStep[]>().notNull().default([]),
    /** Index of the next step of the plan to run, and when it is due. */
    remediationStep: integer('remediation_step').notNull().default(0),
    remediationDueAt: timestamp('remediation_due_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One open incident per problem: a repeated fault report adds evidence, never a duplicate.
    uniqueIndex('incidents_open_unique')
      .on(t.stationId, t.evseId, t.kind)
      .where(sql`${t.state} = 'open'`),
    // Serves the incidents list of an organisation, newest first.
    index('incidents_organisation_idx').on(t.organisationId, t.startedAt),
    // Serves the remediation job's "due steps" scan.
    index('incidents_remediation_due_idx')
      .on(t.remediationDueAt)
      .where(sql`${t.remediationState} = 'running'`),
  ],
);

/** The timeline of an incident: OCPP evidence, remediation steps, work orders, the end. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** detected | evidence | remediation | work-order | resolved | note */
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
    /** The OCPP report or command outcome behind the line, as kept. */
    details: jsonb('details'),
  },
  // Serves the timeline of an incident in order.
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.at)],
);

/**
 * Why an outage does not count against uptime (NEVI 680.116(b) exclusions). Mapped to EV-ChART's
 * numeric reason codes in one place, by the reports.
 */
export const outageExclusions = [
  'utility_interruption',
  'vehicle_fault',
  'scheduled_maintenance',
  'vandalism',
  'natural_disaster',
  'outside_hours',
] as const;
export type OutageExclusion = (typeof outageExclusions)[number];
export const outageExclusion = pgEnum('outage_exclusion', outageExclusions);

/** A period one port (EVSE) could not serve drivers, from an incident that counts as an outage. */
export const outages = pgTable(
  'outages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** The port (NEVI counts uptime per port, an EVSE in OCPP 2.0.1 terms). */
    evseId: integer('evse_id').notNull(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** Null while the outage lasts. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    excludedReason: outageExclusion('excluded_reason'),
    excludedNotes: text('excluded_notes'),
  },
  (t) => [
    // One outage per port per incident.
    uniqueIndex('outages_incident_evse_unique').on(t.incidentId, t.evseId),
    // Serves the outages of a period, per station and port.
    index('outages_organisation_started_idx').on(t.organisationId, t.startedAt),
  ],
);

/** How an organisation detects incidents, remediates them and dispatches work orders. */
export const maintenanceSettings = pgTable('maintenance_settings', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  offlineAfterMinutes: integer('offline_after_minutes').notNull().default(10),
  failedStartsInARow: integer('failed_starts_in_a_row').notNull().default(3),
  minSessionWh: integer('min_session_wh').notNull().default(50),
  remediationEnabled: boolean('remediation_enabled').notNull().default(false),
  remediationPlan: jsonb('remediation_plan').$type<RemediationStep[]>().notNull(),
  /** Open a work order for an incident that remediation did not clear (or at once without it). */
  autoWorkOrder: boolean('auto_work_order').notNull().default(true),
  /** Assign a new work order to the top-ranked eligible technician. */
  autoAssign: boolean('auto_assign').notNull().default(false),
  /** Hours from creation to the SLA due time, per priority. */
  slaHours: jsonb('sla_hours').$type<Record<string, number>>().notNull(),
  /** The safety checklist a technician confirms on site before work starts. */
  checklist: jsonb('checklist').$type<string[]>().notNull(),
  /** Certifications every corrective work order requires (e.g. EVITP). */
  defaultCertifications: jsonb('default_certifications').$type<string[]>().notNull().default([]),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const workOrderKind = pgEnum('work_order_kind', workOrderKinds);
export const workOrderPriority = pgEnum('work_order_priority', workOrderPriorities);
export const workOrderStatus = pgEnum('work_order_status', workOrderStatuses);

/** Recurring preventive maintenance of a station (e.g. every 6 months). */
export const maintenanceSchedules = pgTable(
  'maintenance_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    intervalMonths: integer('interval_months').notNull(),
    priority: workOrderPriority('priority').notNull().default('low'),
    requiredCertifications: jsonb('required_certifications').$type<string[]>().notNull().default([]),
    requiredSkills: jsonb('required_skills').$type<string[]>().notNull().default([]),
    /** When the next work order is created. */
    nextDueAt: timestamp('next_due_at', { withTimezone: true }).notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves the scheduler's scan of due schedules and the station's list.
  (t) => [
    index('maintenance_schedules_due_idx').on(t.nextDueAt),
    index('maintenance_schedules_station_idx').on(t.stationId),
  ],
);

/** A checklist step as the technician confirmed it. */
export interface ChecklistItem {
  label: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
}

/** A job for a technician at a station: corrective (from an incident) or preventive. */
export const workOrders = pgTable(
  'work_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The number people quote ("WO-1042"). */
    number: serial('number').notNull().unique(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => chargingStations.id, { onDelete: 'cascade' }),
    /** The EVSE concerned; null for the whole station. */
    evseId: integer('evse_id'),
    incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    scheduleId: uuid('schedule_id').references(() => maintenanceSchedules.id, { onDelete: 'set null' }),
    kind: workOrderKind('kind').notNull(),
    priority: workOrderPriority('priority').notNull(),
    status: workOrderStatus('status').notNull().default('new'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    requiredCertifications: jsonb('required_certifications').$type<string[]>().notNull().default([]),
    requiredSkills: jsonb('required_skills').$type<string[]>().notNull().default([]),
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    checklist: jsonb('checklist').$type<ChecklistItem[]>().notNull().default([]),
    notes: text('notes').notNull().default(''),
    /** Why the technician could not fix it, or why a manager cancelled or closed it. */
    reason: text('reason'),
    signatureName: text('signature_name'),
    signaturePng: bytea('signature_png'),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    // Serves the work orders list of an organisation by status.
    index('work_orders_organisation_status_idx').on(t.organisationId, t.status),
    // Serves "my work orders" of a technician and their workload.
    index('work_orders_assignee_idx').on(t.assigneeId, t.status),
    // Serves the work orders of a station and the verification of resolved ones.
    index('work_orders_station_idx').on(t.stationId, t.status),
    // At most one open corrective work order per incident.
    uniqueIndex('work_orders_incident_unique')
      .on(t.incidentId)
      .where(sql`${t.status} not in ('closed', 'cancelled')`),
  ],
);

/** Every change of a work order: transitions (with who and when), notes, parts, photos, signature. */
export const workOrderEvents = pgTable(
  'work_order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who, as shown: a person's name, or "ChargeOps" for the system. */
    actorLabel: text('actor_label').notNull(),
    /** status | assignment | note | checklist | part | photo | signature | verification */
    kind: text('kind').notNull(),
    fromStatus: workOrderStatus('from_status'),
    toStatus: workOrderStatus('to_status'),
    note: text('note'),
    details: jsonb('details'),
  },
  // Serves the timeline of a work order in order.
  (t) => [index('work_order_events_order_idx').on(t.workOrderId, t.at)],
);

/** A photo taken on site, compressed server-side; kept in the database so every instance serves it. */
export const workOrderPhotos = pgTable(
  'work_order_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    /** before | after | other */
    kind: text('kind').notNull(),
    caption: text('caption'),
    contentType: text('content_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    data: bytea('data').notNull(),
    thumbnail: bytea('thumbnail').notNull(),
    uploadedById: uuid('uploaded_by_id').references(() => users.id, { onDelete: 'set null' }),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
  },
  // Serves the photos of a work order.
  (t) => [index('work_order_photos_order_idx').on(t.workOrderId, t.takenAt)],
);

/** A technician's profile: what they may work on, where they start from and when they work. */
export const technicianProfiles = pgTable('technician_profiles', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  phone: text('phone'),
  skills: jsonb('skills').$type<string[]>().notNull().default([]),
  homeBase: text('home_base').notNull().default(''),
  homeLatitude: doublePrecision('home_latitude'),
  homeLongitude: doublePrecision('home_longitude'),
  /** ISO weekdays (1 = Monday) and local start/end times; no working days = always available. */
  workDays: jsonb('work_days').$type<number[]>().notNull().default([1, 2, 3, 4, 5]),
  workStart: text('work_start').notNull().default('08:00'),
  workEnd: text('work_end').notNull().default('17:00'),
  timezone: text('timezone').notNull().default('UTC'),
  /** Shared from the phone, with its time; dispatch ignores it once stale. */
  lastLatitude: doublePrecision('last_latitude'),
  lastLongitude: doublePrecision('last_longitude'),
  lastLocationAt: timestamp('last_location_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A certification a technician holds (EVITP, high voltage, a vendor's training), with its expiry. */
export const technicianCertifications = pgTable(
  'technician_certifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    reference: text('reference'),
    expiresOn: date('expires_on', { mode: 'date' }),
  },
  // Serves a technician's certifications.
  (t) => [index('technician_certifications_user_idx').on(t.userId)],
);

/** Certification names a work order required and the assignee held when it was assigned (audit). */
export const workOrderAssignments = pgTable(
  'work_order_assignments',
  {
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
    /** The ranking's reasons shown when the assignment was made. */
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    certifications: jsonb('certifications').$type<{ name: string; expiresOn: string | null }[]>().notNull(),
  },
  // One row per assignment of a person to an order.
  (t) => [primaryKey({ columns: [t.workOrderId, t.userId, t.assignedAt] })],
);

export type Incident = typeof incidents.$inferSelect;
export type IncidentEvent = typeof incidentEvents.$inferSelect;
export type Outage = typeof outages.$inferSelect;
export type MaintenanceSettings = typeof maintenanceSettings.$inferSelect;
export type MaintenanceSchedule = typeof maintenanceSchedules.$inferSelect;
export type WorkOrder = typeof workOrders.$inferSelect;
export type WorkOrderEvent = typeof workOrderEvents.$inferSelect;
export type WorkOrderPhoto = typeof workOrderPhotos.$inferSelect;
export type TechnicianProfile = typeof technicianProfiles.$inferSelect;
export type TechnicianCertification = typeof technicianCertifications.$inferSelect;
