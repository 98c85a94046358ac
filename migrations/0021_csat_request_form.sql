ALTER TYPE "public"."notification_kind" ADD VALUE 'csat_answered';--> statement-breakpoint
CREATE TABLE "csat_surveys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"solved_at" timestamp (3) with time zone NOT NULL,
	"token_hash" text NOT NULL,
	"assignee_id" uuid,
	"team_id" uuid,
	"priority" "ticket_priority" NOT NULL,
	"email_id" uuid,
	"rating" integer,
	"comment" text,
	"answered_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "csat_surveys_rating_check" CHECK ("csat_surveys"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "csat_surveys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "csat_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_email_id_email_messages_id_fk" FOREIGN KEY ("email_id") REFERENCES "public"."email_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "csat_surveys_token_hash_key" ON "csat_surveys" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "csat_surveys_ticket_solve_key" ON "csat_surveys" USING btree ("ticket_id","solved_at");--> statement-breakpoint
CREATE INDEX "csat_surveys_org_created_idx" ON "csat_surveys" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "csat_surveys" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
-- hand-written below
ALTER TABLE "csat_surveys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- A survey link (`/csat/<token>`, worker/csat/answers.ts) arrives before any organization is
-- known: this finds the survey by its token's SHA-256, and answers ids only.
CREATE OR REPLACE FUNCTION csat_survey_by_token(hash text)
RETURNS TABLE (org_id uuid, survey_id uuid)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT s.org_id, s.id FROM csat_surveys s WHERE s.token_hash = hash
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION csat_survey_by_token(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION csat_survey_by_token(text) TO switchboard_app;
