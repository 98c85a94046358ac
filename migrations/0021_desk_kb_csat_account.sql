CREATE TYPE "public"."kb_article_status" AS ENUM('draft', 'published');--> statement-breakpoint
ALTER TYPE "public"."account_token_purpose" ADD VALUE 'change_email';--> statement-breakpoint
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
CREATE TABLE "kb_articles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"slug" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"category_id" uuid,
	"status" "kb_article_status" DEFAULT 'draft' NOT NULL,
	"author_id" uuid,
	"published_at" timestamp (3) with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', sb_search_text(coalesce(title, ''))), 'A') || setweight(to_tsvector('simple', sb_search_text(coalesce(body, ''))), 'B')) STORED,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_articles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "kb_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_categories" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "csat_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sla_warn_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_email_id_email_messages_id_fk" FOREIGN KEY ("email_id") REFERENCES "public"."email_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_category_id_kb_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."kb_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_categories" ADD CONSTRAINT "kb_categories_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "csat_surveys_token_hash_key" ON "csat_surveys" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "csat_surveys_ticket_solve_key" ON "csat_surveys" USING btree ("ticket_id","solved_at");--> statement-breakpoint
CREATE INDEX "csat_surveys_org_created_idx" ON "csat_surveys" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_articles_org_slug_key" ON "kb_articles" USING btree ("org_id","slug") WHERE "kb_articles"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "kb_articles_org_updated_idx" ON "kb_articles" USING btree ("org_id","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "kb_articles_category_idx" ON "kb_articles" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "kb_articles_search_idx" ON "kb_articles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "kb_articles_title_trgm_idx" ON "kb_articles" USING gin (sb_search_text("title") gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "kb_categories_org_slug_key" ON "kb_categories" USING btree ("org_id","slug");--> statement-breakpoint
CREATE INDEX "tickets_sla_warn_idx" ON "tickets" USING btree ("org_id","sla_warn_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "csat_surveys" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "kb_articles" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "kb_categories" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
-- hand-written below (the knowledge base, decision 031)
-- Row-level security holds for the table's owner too (see 0001_tenant_rls.sql).
ALTER TABLE "kb_categories" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "kb_articles" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Knowledge-base search (worker/kb/search.ts), with global search's typo tolerance (crm_search,
-- 0013): full-text matches on title and body, trigram matches on the title, ranked by
-- ts_rank + similarity + word similarity, so "pasword reset" finds "Password reset". Owner's
-- rights so the indexes apply; it filters by the caller's app.org_id as the policies do, and
-- only published articles when asked (the public help page).
CREATE OR REPLACE FUNCTION kb_search(q text, published_only boolean, max_results integer)
RETURNS TABLE (id uuid, score double precision)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
#variable_conflict use_column
DECLARE
  org uuid := nullif(current_setting('app.org_id', true), '')::uuid;
  needle text := sb_search_text(q);
  words tsquery := websearch_to_tsquery('simple', sb_search_text(q));
BEGIN
  IF org IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  SELECT a.id,
      (ts_rank(a.search, words)
        + similarity(sb_search_text(a.title), needle)
        + word_similarity(needle, sb_search_text(a.title)))::double precision AS score
    FROM kb_articles a
    WHERE a.org_id = org
      AND a.deleted_at IS NULL
      AND (NOT published_only OR a.status = 'published')
      AND (a.search @@ words
           OR sb_search_text(a.title) % needle
           OR needle <% sb_search_text(a.title))
    ORDER BY 2 DESC, a.title ASC
    LIMIT max_results;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION kb_search(text, boolean, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kb_search(text, boolean, integer) TO switchboard_app;
--> statement-breakpoint
-- hand-written below (CSAT, decision 032)
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
