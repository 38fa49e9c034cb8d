CREATE TYPE "public"."local_list_state" AS ENUM('in_sync', 'pending', 'failed', 'unsupported');--> statement-breakpoint
CREATE TABLE "station_local_list_entries" (
	"station_id" uuid NOT NULL,
	"id_token" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone,
	"parent_id_tag" text,
	CONSTRAINT "station_local_list_entries_pk" PRIMARY KEY("station_id","id_token")
);
--> statement-breakpoint
CREATE TABLE "station_local_lists" (
	"station_id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"state" "local_list_state" DEFAULT 'pending' NOT NULL,
	"charger_version" integer,
	"last_sent_version" integer DEFAULT 0 NOT NULL,
	"wanted_revision" integer DEFAULT 1 NOT NULL,
	"synced_revision" integer DEFAULT 0 NOT NULL,
	"needs_full" boolean DEFAULT true NOT NULL,
	"verify_version" boolean DEFAULT true NOT NULL,
	"left_out" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"failures" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"review_at" timestamp with time zone,
	"synced_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "station_local_list_entries" ADD CONSTRAINT "station_local_list_entries_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_local_lists" ADD CONSTRAINT "station_local_lists_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_local_lists" ADD CONSTRAINT "station_local_lists_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "station_local_lists_organisation_idx" ON "station_local_lists" USING btree ("organisation_id");