CREATE TABLE "evse_load_settings" (
	"evse_id" uuid PRIMARY KEY NOT NULL,
	"min_current_a" double precision DEFAULT 6 NOT NULL,
	"max_current_a" double precision,
	"phases" integer DEFAULT 3 NOT NULL,
	"line" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evse_load_settings_min_max" CHECK ("evse_load_settings"."max_current_a" is null or "evse_load_settings"."max_current_a" >= "evse_load_settings"."min_current_a")
);
--> statement-breakpoint
CREATE TABLE "load_allocations" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"snapshot" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"voltage" double precision DEFAULT 230 NOT NULL,
	"phases" integer DEFAULT 3 NOT NULL,
	"limit_unit" text,
	"limit_value" double precision,
	"schedule" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"safety_margin_percent" double precision DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"non_ev_source" text DEFAULT 'none' NOT NULL,
	"non_ev_station_id" uuid,
	"non_ev_amps" jsonb,
	"non_ev_watts" double precision,
	"non_ev_at" timestamp with time zone,
	"non_ev_stale_seconds" integer DEFAULT 300 NOT NULL,
	"fallback_unit" text,
	"fallback_value" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "load_nodes_limit_pair" CHECK (("load_nodes"."limit_unit" is null) = ("load_nodes"."limit_value" is null)),
	CONSTRAINT "load_nodes_root_is_site" CHECK (("load_nodes"."parent_id" is null) = ("load_nodes"."kind" = 'site'))
);
--> statement-breakpoint
CREATE TABLE "load_overruns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"unit" text NOT NULL,
	"limit" double precision NOT NULL,
	"peak_measured" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"limit_a" double precision,
	"allocated_a" double precision NOT NULL,
	"measured_a" double precision,
	"limit_w" double precision,
	"allocated_w" double precision NOT NULL,
	"measured_w" double precision
);
--> statement-breakpoint
CREATE TABLE "load_setpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"station_id" uuid NOT NULL,
	"evse_id" integer NOT NULL,
	"purpose" text NOT NULL,
	"transaction_id" uuid,
	"limit_a" double precision NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"retry_at" timestamp with time zone,
	CONSTRAINT "load_setpoints_station_evse_purpose_unique" UNIQUE("station_id","evse_id","purpose")
);
--> statement-breakpoint
CREATE TABLE "session_load_overrides" (
	"transaction_id" uuid PRIMARY KEY NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"cap_a" double precision,
	"set_by_user_id" uuid,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "station_load_settings" (
	"station_id" uuid PRIMARY KEY NOT NULL,
	"node_id" uuid,
	"pinned_max_a" double precision,
	"pinned_by_user_id" uuid,
	"pinned_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "driver_groups" ADD COLUMN "load_priority" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "evse_load_settings" ADD CONSTRAINT "evse_load_settings_evse_id_evses_id_fk" FOREIGN KEY ("evse_id") REFERENCES "public"."evses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_allocations" ADD CONSTRAINT "load_allocations_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_nodes" ADD CONSTRAINT "load_nodes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_nodes" ADD CONSTRAINT "load_nodes_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_nodes" ADD CONSTRAINT "load_nodes_parent_id_load_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."load_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_nodes" ADD CONSTRAINT "load_nodes_non_ev_station_id_charging_stations_id_fk" FOREIGN KEY ("non_ev_station_id") REFERENCES "public"."charging_stations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_overruns" ADD CONSTRAINT "load_overruns_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_overruns" ADD CONSTRAINT "load_overruns_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_overruns" ADD CONSTRAINT "load_overruns_node_id_load_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."load_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_samples" ADD CONSTRAINT "load_samples_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_samples" ADD CONSTRAINT "load_samples_node_id_load_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."load_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_setpoints" ADD CONSTRAINT "load_setpoints_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_setpoints" ADD CONSTRAINT "load_setpoints_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_load_overrides" ADD CONSTRAINT "session_load_overrides_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_load_overrides" ADD CONSTRAINT "session_load_overrides_set_by_user_id_users_id_fk" FOREIGN KEY ("set_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_load_settings" ADD CONSTRAINT "station_load_settings_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_load_settings" ADD CONSTRAINT "station_load_settings_node_id_load_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."load_nodes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_load_settings" ADD CONSTRAINT "station_load_settings_pinned_by_user_id_users_id_fk" FOREIGN KEY ("pinned_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "load_nodes_site_idx" ON "load_nodes" USING btree ("site_id");--> statement-breakpoint
CREATE UNIQUE INDEX "load_nodes_site_root_idx" ON "load_nodes" USING btree ("site_id") WHERE "load_nodes"."parent_id" is null;--> statement-breakpoint
CREATE INDEX "load_overruns_site_started_idx" ON "load_overruns" USING btree ("site_id","started_at");--> statement-breakpoint
CREATE INDEX "load_samples_site_at_idx" ON "load_samples" USING btree ("site_id","at");--> statement-breakpoint
CREATE INDEX "load_samples_at_idx" ON "load_samples" USING btree ("at");--> statement-breakpoint
CREATE INDEX "load_setpoints_retry_idx" ON "load_setpoints" USING btree ("retry_at");