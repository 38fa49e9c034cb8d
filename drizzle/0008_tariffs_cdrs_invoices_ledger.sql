CREATE TYPE "public"."cdr_payment_status" AS ENUM('unpaid', 'paid', 'failed', 'free');--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_kind" AS ENUM('session', 'payment', 'top-up', 'credit-note', 'adjustment');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('account', 'prepaid', 'card');--> statement-breakpoint
CREATE TABLE "billing_accounts" (
	"driver_id" uuid PRIMARY KEY NOT NULL,
	"method" "payment_method" DEFAULT 'account' NOT NULL,
	"currency" text NOT NULL,
	"provider_customer_ref" text,
	"provider_payment_method_ref" text,
	"card_label" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"legal_name" text NOT NULL,
	"address" text,
	"tax_id" text,
	"invoice_prefix" text DEFAULT 'INV' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charge_detail_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"transaction_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"site_id" uuid,
	"evse_id" integer NOT NULL,
	"driver_id" uuid,
	"group_id" uuid,
	"id_token" text,
	"tariff_id" uuid,
	"tariff_version_id" uuid,
	"tariff_name" text NOT NULL,
	"tariff_reason" text NOT NULL,
	"currency" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"energy_wh" bigint NOT NULL,
	"charging_seconds" integer NOT NULL,
	"idle_seconds" integer NOT NULL,
	"lines" jsonb NOT NULL,
	"net" bigint NOT NULL,
	"tax" bigint NOT NULL,
	"total" bigint NOT NULL,
	"tax_rate_bp" integer NOT NULL,
	"prices_include_tax" boolean NOT NULL,
	"payment_status" "cdr_payment_status" DEFAULT 'unpaid' NOT NULL,
	"payment_method" "payment_method",
	"payment_reference" text,
	"payment_error" text,
	"paid_at" timestamp with time zone,
	"invoice_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cdrs_transaction_unique" UNIQUE("transaction_id"),
	CONSTRAINT "cdrs_organisation_number_unique" UNIQUE("organisation_id","number")
);
--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"cdr_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_notes_organisation_number_unique" UNIQUE("organisation_id","number")
);
--> statement-breakpoint
CREATE TABLE "document_counters" (
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"last" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "document_counters_pk" PRIMARY KEY("organisation_id","kind")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"driver_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"currency" text NOT NULL,
	"net" bigint NOT NULL,
	"tax" bigint NOT NULL,
	"total" bigint NOT NULL,
	"issued_by" uuid,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_organisation_number_unique" UNIQUE("organisation_id","number")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"driver_id" uuid NOT NULL,
	"kind" "ledger_entry_kind" NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"cdr_id" uuid,
	"description" text NOT NULL,
	"reference" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cdr_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"reference" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"tariff_id" uuid NOT NULL,
	"site_id" uuid,
	"station_id" uuid,
	"evse_id" integer,
	"group_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tariff_id" uuid NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"currency" text NOT NULL,
	"tax_rate_bp" integer DEFAULT 0 NOT NULL,
	"prices_include_tax" boolean DEFAULT false NOT NULL,
	"energy_per_kwh" integer,
	"time_per_minute" integer,
	"idle_per_minute" integer,
	"idle_grace_minutes" integer DEFAULT 0 NOT NULL,
	"session_fee" integer DEFAULT 0 NOT NULL,
	"min_price" integer,
	"max_price" integer,
	"bands" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tariff_versions_tariff_valid_from_unique" UNIQUE("tariff_id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "tariffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tariffs_organisation_name_unique" UNIQUE("organisation_id","name")
);
--> statement-breakpoint
ALTER TABLE "charging_stations" ADD COLUMN "california_pricing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "transaction_events" ADD COLUMN "charging_state" text;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "pricing" jsonb;--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD CONSTRAINT "billing_accounts_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_group_id_driver_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."driver_groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_tariff_version_id_tariff_versions_id_fk" FOREIGN KEY ("tariff_version_id") REFERENCES "public"."tariff_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_cdr_id_charge_detail_records_id_fk" FOREIGN KEY ("cdr_id") REFERENCES "public"."charge_detail_records"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_counters" ADD CONSTRAINT "document_counters_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_driver_id_drivers_id_fk" FOREIGN KEY ("driver_id") REFERENCES "public"."drivers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_cdr_id_charge_detail_records_id_fk" FOREIGN KEY ("cdr_id") REFERENCES "public"."charge_detail_records"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_cdr_id_charge_detail_records_id_fk" FOREIGN KEY ("cdr_id") REFERENCES "public"."charge_detail_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_assignments" ADD CONSTRAINT "tariff_assignments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_assignments" ADD CONSTRAINT "tariff_assignments_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_assignments" ADD CONSTRAINT "tariff_assignments_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_assignments" ADD CONSTRAINT "tariff_assignments_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_assignments" ADD CONSTRAINT "tariff_assignments_group_id_driver_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."driver_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_versions" ADD CONSTRAINT "tariff_versions_tariff_id_tariffs_id_fk" FOREIGN KEY ("tariff_id") REFERENCES "public"."tariffs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_versions" ADD CONSTRAINT "tariff_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cdrs_organisation_ended_idx" ON "charge_detail_records" USING btree ("organisation_id","ended_at");--> statement-breakpoint
CREATE INDEX "cdrs_driver_ended_idx" ON "charge_detail_records" USING btree ("driver_id","ended_at");--> statement-breakpoint
CREATE INDEX "credit_notes_cdr_idx" ON "credit_notes" USING btree ("cdr_id");--> statement-breakpoint
CREATE INDEX "invoices_driver_idx" ON "invoices" USING btree ("driver_id","issued_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_driver_created_idx" ON "ledger_entries" USING btree ("driver_id","created_at");--> statement-breakpoint
CREATE INDEX "payment_attempts_cdr_idx" ON "payment_attempts" USING btree ("cdr_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tariff_assignments_scope_idx" ON "tariff_assignments" USING btree ("organisation_id",coalesce("site_id", '00000000-0000-0000-0000-000000000000'::uuid),coalesce("station_id", '00000000-0000-0000-0000-000000000000'::uuid),coalesce("evse_id", 0),coalesce("group_id", '00000000-0000-0000-0000-000000000000'::uuid));