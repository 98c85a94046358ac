CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'done', 'failed', 'dead');--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text DEFAULT 'job' NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_org_created_idx" ON "outbox" USING btree ("org_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("created_at") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "outbox" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
-- Row-level security holds for the table's owner too (see 0001_tenant_rls.sql).
ALTER TABLE "outbox" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The relay's fallback (cron) looks across organizations for rows committed but never handed
-- to the queue (the isolate died between commit and send). It only reads: the relay sends
-- them and consumers skip a job whose row is already done. Owner's rights, like
-- purge_deleted_records.
CREATE OR REPLACE FUNCTION unsent_outbox(grace interval DEFAULT interval '2 minutes', max_rows integer DEFAULT 500)
RETURNS TABLE (id uuid, org_id uuid, payload jsonb)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT o.id, o.org_id, o.payload
  FROM outbox o
  WHERE o.status = 'pending' AND coalesce(o.sent_at, o.created_at) < now() - grace
  ORDER BY o.created_at
  LIMIT max_rows
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION unsent_outbox(interval, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION unsent_outbox(interval, integer) TO switchboard_app;
