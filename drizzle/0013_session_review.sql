ALTER TABLE "transactions" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "transactions" ADD COLUMN "review_note" text;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transactions_awaiting_review_idx" ON "transactions" USING btree ("organisation_id","local_id") WHERE "transactions"."flags" <> '[]'::jsonb and "transactions"."reviewed_at" is null;--> statement-breakpoint
CREATE INDEX "authorization_attempts_transaction_idx" ON "authorization_attempts" USING btree ("transaction_id") WHERE "authorization_attempts"."transaction_id" is not null;