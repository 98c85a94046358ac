ALTER TABLE "call_queues" ADD COLUMN "wrapup_seconds" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "wrapup_status" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "wrapup_draft" jsonb;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "wrapup_due_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "calls_wrapup_pending_idx" ON "calls" USING btree ("org_id","agent_id","ended_at") WHERE "calls"."wrapup_status" = 'pending';--> statement-breakpoint
ALTER TABLE "call_queues" ADD CONSTRAINT "call_queues_wrapup_seconds_check" CHECK ("call_queues"."wrapup_seconds" between 0 and 3600);--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_wrapup_status_check" CHECK ("calls"."wrapup_status" in ('pending', 'done', 'skipped'));