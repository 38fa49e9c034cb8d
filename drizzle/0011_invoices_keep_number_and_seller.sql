-- Invoices and credit notes keep the number and seller they were issued with; rows issued before
-- this migration get them from the billing settings in force now (the same as they printed).
ALTER TABLE "credit_notes" ADD COLUMN "seller" jsonb;--> statement-breakpoint
UPDATE "credit_notes" SET "seller" = (
  SELECT jsonb_build_object('name', coalesce(bs.legal_name, o.name), 'address', bs.address, 'taxId', bs.tax_id)
  FROM "organisations" o LEFT JOIN "billing_settings" bs ON bs.organisation_id = o.id
  WHERE o.id = "credit_notes"."organisation_id"
);--> statement-breakpoint
ALTER TABLE "credit_notes" ALTER COLUMN "seller" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "document_number" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "seller" jsonb;--> statement-breakpoint
UPDATE "invoices" SET
  "document_number" = (
    SELECT coalesce(bs.invoice_prefix, 'INV') || '-' || lpad("invoices"."number"::text, 6, '0')
    FROM "organisations" o LEFT JOIN "billing_settings" bs ON bs.organisation_id = o.id
    WHERE o.id = "invoices"."organisation_id"
  ),
  "seller" = (
    SELECT jsonb_build_object('name', coalesce(bs.legal_name, o.name), 'address', bs.address, 'taxId', bs.tax_id)
    FROM "organisations" o LEFT JOIN "billing_settings" bs ON bs.organisation_id = o.id
    WHERE o.id = "invoices"."organisation_id"
  );--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "document_number" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "seller" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "charge_detail_records" ADD CONSTRAINT "charge_detail_records_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;
