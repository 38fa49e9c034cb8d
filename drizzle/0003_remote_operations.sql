CREATE TYPE "public"."command_status" AS ENUM('pending', 'accepted', 'rejected', 'failed', 'timed_out', 'offline');--> statement-breakpoint
CREATE TABLE "station_commands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" serial NOT NULL,
	"organisation_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ocpp_action" text,
	"params" jsonb NOT NULL,
	"requested_by_user_id" uuid,
	"requested_by_label" text NOT NULL,
	"status" "command_status" DEFAULT 'pending' NOT NULL,
	"detail" text,
	"error_code" text,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"late_response" jsonb,
	"late_response_at" timestamp with time zone,
	CONSTRAINT "station_commands_request_id_unique" UNIQUE("request_id")
);
--> statement-breakpoint
CREATE TABLE "station_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"command_id" uuid,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"file_name" text,
	"content_type" text,
	"size_bytes" integer,
	"data" "bytea",
	"uploaded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "configuration_defaults" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid,
	"ocpp_version" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "configuration_defaults_key_unique" UNIQUE NULLS NOT DISTINCT("organisation_id","ocpp_version","key","site_id")
);
--> statement-breakpoint
CREATE TABLE "station_variables" (
	"station_id" uuid NOT NULL,
	"component" text DEFAULT '' NOT NULL,
	"component_instance" text DEFAULT '' NOT NULL,
	"evse_id" integer DEFAULT 0 NOT NULL,
	"connector_id" integer DEFAULT 0 NOT NULL,
	"variable" text NOT NULL,
	"variable_instance" text DEFAULT '' NOT NULL,
	"attribute_type" text DEFAULT 'Actual' NOT NULL,
	"value" text,
	"readonly" boolean DEFAULT false NOT NULL,
	"mutability" text,
	"data_type" text,
	"unit" text,
	"values_list" text,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "station_variables_pk" PRIMARY KEY("station_id","component","component_instance","evse_id","connector_id","variable","variable_instance","attribute_type")
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"ocpp_reservation_id" integer NOT NULL,
	"command_id" uuid,
	"evse_id" integer NOT NULL,
	"id_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "reservations_ocpp_reservation_id_unique" UNIQUE("ocpp_reservation_id")
);
--> statement-breakpoint
ALTER TABLE "charging_stations" ADD COLUMN "firmware_status" text;--> statement-breakpoint
ALTER TABLE "charging_stations" ADD COLUMN "firmware_status_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "station_commands" ADD CONSTRAINT "station_commands_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_commands" ADD CONSTRAINT "station_commands_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_commands" ADD CONSTRAINT "station_commands_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_uploads" ADD CONSTRAINT "station_uploads_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_uploads" ADD CONSTRAINT "station_uploads_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_uploads" ADD CONSTRAINT "station_uploads_command_id_station_commands_id_fk" FOREIGN KEY ("command_id") REFERENCES "public"."station_commands"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "configuration_defaults" ADD CONSTRAINT "configuration_defaults_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "configuration_defaults" ADD CONSTRAINT "configuration_defaults_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_variables" ADD CONSTRAINT "station_variables_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_command_id_station_commands_id_fk" FOREIGN KEY ("command_id") REFERENCES "public"."station_commands"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "station_commands_station_created_idx" ON "station_commands" USING btree ("station_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "station_uploads_token_idx" ON "station_uploads" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "station_uploads_station_idx" ON "station_uploads" USING btree ("station_id","created_at");--> statement-breakpoint
CREATE INDEX "configuration_defaults_site_idx" ON "configuration_defaults" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "reservations_station_status_idx" ON "reservations" USING btree ("station_id","status");