CREATE TABLE "meter_values" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"transaction_id" uuid,
	"evse_id" integer NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"measurand" text NOT NULL,
	"phase" text DEFAULT '' NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"context" text DEFAULT '' NOT NULL,
	"value" double precision NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meter_values_sample_unique" UNIQUE("station_id","evse_id","sampled_at","measurand","phase","location","context")
);
--> statement-breakpoint
CREATE TABLE "station_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"payload" jsonb NOT NULL,
	"charger_time" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transaction_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" uuid NOT NULL,
	"seq_no" integer NOT NULL,
	"event_type" text NOT NULL,
	"trigger_reason" text NOT NULL,
	"charger_time" timestamp with time zone NOT NULL,
	"offline" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transaction_events_tx_seq_unique" UNIQUE("transaction_id","seq_no")
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"local_id" serial NOT NULL,
	"organisation_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"charger_transaction_id" text NOT NULL,
	"ocpp_version" text NOT NULL,
	"evse_id" integer NOT NULL,
	"connector_id" integer,
	"id_token" text,
	"id_token_type" text,
	"status" text DEFAULT 'active' NOT NULL,
	"started_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"start_received_at" timestamp with time zone,
	"stop_received_at" timestamp with time zone,
	"meter_start_wh" bigint,
	"meter_stop_wh" bigint,
	"energy_wh" bigint,
	"stop_reason" text,
	"last_seq_no" integer,
	"offline" boolean DEFAULT false NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transactions_local_id_unique" UNIQUE("local_id"),
	CONSTRAINT "transactions_station_charger_tx_unique" UNIQUE("station_id","charger_transaction_id")
);
--> statement-breakpoint
ALTER TABLE "meter_values" ADD CONSTRAINT "meter_values_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_values" ADD CONSTRAINT "meter_values_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_events" ADD CONSTRAINT "station_events_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transaction_events" ADD CONSTRAINT "transaction_events_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meter_values_transaction_idx" ON "meter_values" USING btree ("transaction_id","sampled_at");--> statement-breakpoint
CREATE INDEX "station_events_station_idx" ON "station_events" USING btree ("station_id","received_at");--> statement-breakpoint
CREATE INDEX "transactions_organisation_started_idx" ON "transactions" USING btree ("organisation_id","started_at");--> statement-breakpoint
CREATE INDEX "transactions_station_status_idx" ON "transactions" USING btree ("station_id","status");