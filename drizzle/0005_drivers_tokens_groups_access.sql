CREATE TYPE "public"."access_mode" AS ENUM('public', 'restricted');--> statement-breakpoint
CREATE TYPE "public"."id_token_kind" AS ENUM('rfid', 'app', 'key_fob');--> statement-breakpoint
CREATE TYPE "public"."id_token_status" AS ENUM('active', 'blocked', 'expired');--> statement-breakpoint
CREATE TABLE "access_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"windows" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"max_power_w" integer,
	CONSTRAINT "access_grants_policy_group_unique" UNIQUE("policy_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "access_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"site_id" uuid,
	"station_id" uuid,
	"mode" "access_mode" DEFAULT 'public' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_policies_one_target" CHECK (("access_policies"."site_id" is null) <> ("access_policies"."station_id" is null))
);
--> statement-breakpoint
CREATE TABLE "authorization_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"id_token" text NOT NULL,
	"token_id" uuid,
	"driver_id" uuid,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"group_id" uuid,
	"transaction_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "driver_group_members" (
	"group_id" uuid NOT NULL,
	"driver_id" uuid NOT NULL,
	CONSTRAINT "driver_group_members_pk" PRIMARY KEY("group_id","driver_id")
);
--> statement-breakpoint
CREATE TABLE "driver_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "driver_groups_organisation_name_unique" UNIQUE("organisation_id","name")
);
--> statement-breakpoint
CREATE TABLE "drivers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"company" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "id_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"driver_id" uuid,
	"id_token" text NOT NULL,
	"kind" "id_token_kind" DEFAULT 'rfid' NOT NULL,
	"ocpp_type" text DEFAULT 'ISO14443' NOT NULL,
	"status" "id_token_status" DEFAULT 'active' NOT NULL,
	"blocked_reason" text,
	"expires_at" timestamp with time zone,
	"parent_id_tag" text,
	"label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_policy_id_access_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."access_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_group_id_driver_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."driver_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_policies" ADD CONSTRAINT "access_policies_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_policies" ADD CONSTRAINT "access_policies_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_policies" ADD CONSTRAINT "access_policies_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_attempts" ADD CONSTRAINT "authorization_attempts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_attempts" ADD CONSTRAINT "authorization_attempts_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_attempts" ADD CONSTRAINT "authorization_attempts_token_id_id_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."id_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_attempts" ADD CONSTRAINT "authorization_attempts_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_attempts" ADD CONSTRAINT "authorization_attempts_group_id_driver_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."driver_groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "authorization_attempts" ADD CONSTRAINT "authorization_attempts_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver_group_members" ADD CONSTRAINT "driver_group_members_group_id_driver_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."driver_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver_group_members" ADD CONSTRAINT "driver_group_members_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "driver_groups" ADD CONSTRAINT "driver_groups_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drivers" ADD CONSTRAINT "drivers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "id_tokens" ADD CONSTRAINT "id_tokens_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "id_tokens" ADD CONSTRAINT "id_tokens_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_policies_site_idx" ON "access_policies" USING btree ("site_id");--> statement-breakpoint
CREATE UNIQUE INDEX "access_policies_station_idx" ON "access_policies" USING btree ("station_id");--> statement-breakpoint
CREATE INDEX "authorization_attempts_organisation_at_idx" ON "authorization_attempts" USING btree ("organisation_id","at");--> statement-breakpoint
CREATE INDEX "authorization_attempts_station_at_idx" ON "authorization_attempts" USING btree ("station_id","at");--> statement-breakpoint
CREATE INDEX "authorization_attempts_token_idx" ON "authorization_attempts" USING btree ("organisation_id","id_token","at");--> statement-breakpoint
CREATE INDEX "driver_group_members_driver_idx" ON "driver_group_members" USING btree ("driver_id");--> statement-breakpoint
CREATE INDEX "drivers_organisation_name_idx" ON "drivers" USING btree ("organisation_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "id_tokens_organisation_value_idx" ON "id_tokens" USING btree ("organisation_id",upper("id_token"));--> statement-breakpoint
CREATE INDEX "id_tokens_driver_idx" ON "id_tokens" USING btree ("driver_id");