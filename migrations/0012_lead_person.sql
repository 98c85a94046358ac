-- Leads carry the person and company they are about (until conversion makes records of them)
-- and an expected amount. The search vector now covers those words too: a generated column's
-- expression cannot change in place, so it is dropped (with its index) and added again.
ALTER TABLE "leads" ADD COLUMN "first_name" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "last_name" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "company_name" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "amount" bigint;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "leads" DROP COLUMN "search";--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', sb_search_text(coalesce(title, '') || ' ' || coalesce(source, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company_name, '')))) STORED;--> statement-breakpoint
CREATE INDEX "leads_search_idx" ON "leads" USING gin ("search");--> statement-breakpoint
CREATE INDEX "leads_channels_trgm_idx" ON "leads" USING gin ((coalesce("email", '') || ' ' || coalesce("phone", '')) gin_trgm_ops);
