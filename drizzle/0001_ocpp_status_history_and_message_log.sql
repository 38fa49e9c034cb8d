CREATE TABLE "connector_status_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"evse_id" integer NOT NULL,
	"connector_id" integer NOT NULL,
	"status" text NOT NULL,
	"error_code" text,
	"vendor_error_code" text,
	"info" text,
	"charger_time" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ocpp_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"message_type" integer,
	"message_id" text,
	"action" text,
	"payload" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "charging_stations" ADD COLUMN "online" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "charging_stations" ADD COLUMN "last_boot_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "vendor_error_code" text;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "status_info" text;--> statement-breakpoint
ALTER TABLE "connector_status_history" ADD CONSTRAINT "connector_status_history_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ocpp_messages" ADD CONSTRAINT "ocpp_messages_station_id_charging_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."charging_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connector_status_history_station_idx" ON "connector_status_history" USING btree ("station_id","received_at");--> statement-breakpoint
CREATE INDEX "ocpp_messages_station_at_idx" ON "ocpp_messages" USING btree ("station_id","at");--> statement-breakpoint
CREATE INDEX "ocpp_messages_at_idx" ON "ocpp_messages" USING btree ("at");