ALTER TABLE "tickets" ADD COLUMN "sla_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_warn_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "tickets_sla_warn_idx" ON "tickets" USING btree ("org_id","sla_warn_at");