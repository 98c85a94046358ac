CREATE TYPE "public"."account_token_purpose" AS ENUM('verify_email', 'reset_password');--> statement-breakpoint
CREATE TYPE "public"."email_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."ticket_author_kind" AS ENUM('agent', 'requester', 'system');--> statement-breakpoint
CREATE TYPE "public"."ticket_priority" AS ENUM('low', 'normal', 'high', 'urgent');--> statement-breakpoint
CREATE TYPE "public"."ticket_status" AS ENUM('new', 'open', 'pending', 'on_hold', 'solved', 'closed');--> statement-breakpoint
CREATE TYPE "public"."ticket_type" AS ENUM('question', 'incident', 'problem', 'task');--> statement-breakpoint
CREATE TYPE "public"."ticket_via" AS ENUM('agent', 'email', 'api', 'web_form', 'conversation');--> statement-breakpoint
CREATE TYPE "public"."notification_channel" AS ENUM('in_app', 'email', 'both', 'off');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('mention', 'assignment', 'task_due', 'sla_warning', 'sla_breach', 'missed_call', 'import_finished', 'export_finished', 'invitation_accepted');--> statement-breakpoint
CREATE TABLE "account_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" "account_token_purpose" NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"to_address" text NOT NULL,
	"template" text NOT NULL,
	"subject" text NOT NULL,
	"status" "email_status" DEFAULT 'pending' NOT NULL,
	"provider_message_id" text,
	"error" text,
	"content" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "email_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "business_calendars" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"time_zone" text NOT NULL,
	"week" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_calendars" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"priority" "ticket_priority" NOT NULL,
	"first_response_minutes" integer,
	"next_response_minutes" integer,
	"resolution_minutes" integer,
	"business_hours" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sla_policies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ticket_comments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"author_kind" "ticket_author_kind" NOT NULL,
	"author_id" uuid,
	"author_contact_id" uuid,
	"public" boolean NOT NULL,
	"body" text NOT NULL,
	"via" "ticket_via" NOT NULL,
	"email_message_id" text,
	"email_id" uuid,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ticket_comments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"subject" text NOT NULL,
	"status" "ticket_status" DEFAULT 'new' NOT NULL,
	"priority" "ticket_priority" DEFAULT 'normal' NOT NULL,
	"type" "ticket_type",
	"requester_id" uuid,
	"assignee_id" uuid,
	"team_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"due_at" timestamp (3) with time zone,
	"via" "ticket_via" NOT NULL,
	"reply_token" text NOT NULL,
	"first_response_at" timestamp (3) with time zone,
	"solved_at" timestamp (3) with time zone,
	"awaiting_reply_since" timestamp (3) with time zone,
	"sla_pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sla_alerts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"conversation_id" uuid,
	"merged_into_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"channel" "notification_channel" NOT NULL,
	CONSTRAINT "notification_preferences_org_id_user_id_kind_pk" PRIMARY KEY("org_id","user_id","kind")
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"link" text NOT NULL,
	"in_app" boolean NOT NULL,
	"email" boolean NOT NULL,
	"read_at" timestamp (3) with time zone,
	"emailed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "reminded_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_comments" ADD CONSTRAINT "ticket_comments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_comments" ADD CONSTRAINT "ticket_comments_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_comments" ADD CONSTRAINT "ticket_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_comments" ADD CONSTRAINT "ticket_comments_author_contact_id_contacts_id_fk" FOREIGN KEY ("author_contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_comments" ADD CONSTRAINT "ticket_comments_email_id_email_messages_id_fk" FOREIGN KEY ("email_id") REFERENCES "public"."email_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_requester_id_contacts_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_tokens_token_hash_key" ON "account_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "account_tokens_user_purpose_idx" ON "account_tokens" USING btree ("user_id","purpose");--> statement-breakpoint
CREATE INDEX "email_messages_org_created_idx" ON "email_messages" USING btree ("org_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "email_messages_with_content_idx" ON "email_messages" USING btree ("created_at" DESC NULLS LAST) WHERE "email_messages"."content" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_org_priority_key" ON "sla_policies" USING btree ("org_id","priority");--> statement-breakpoint
CREATE INDEX "ticket_comments_ticket_created_idx" ON "ticket_comments" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_comments_org_email_message_key" ON "ticket_comments" USING btree ("org_id","email_message_id") WHERE "ticket_comments"."email_message_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_org_number_key" ON "tickets" USING btree ("org_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_reply_token_key" ON "tickets" USING btree ("reply_token");--> statement-breakpoint
CREATE INDEX "tickets_org_status_updated_idx" ON "tickets" USING btree ("org_id","status","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_assignee_idx" ON "tickets" USING btree ("org_id","assignee_id");--> statement-breakpoint
CREATE INDEX "tickets_requester_idx" ON "tickets" USING btree ("requester_id");--> statement-breakpoint
CREATE INDEX "notifications_user_created_idx" ON "notifications" USING btree ("org_id","user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_digest_idx" ON "notifications" USING btree ("created_at") WHERE "notifications"."email" and "notifications"."read_at" is null and "notifications"."emailed_at" is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "email_messages" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "business_calendars" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sla_policies" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ticket_comments" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tickets" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notification_preferences" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notifications" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
-- Row-level security holds for the table's owner too (see 0001_tenant_rls.sql).
ALTER TABLE "email_messages" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tickets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ticket_comments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sla_policies" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "business_calendars" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notification_preferences" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The local mailbox (development and tests only, worker/email/mailbox.ts) lists what was sent
-- for every organization, as a mail catcher does. Only rows that still hold their content
-- are listed: outside development the content is dropped once sent. Owner's rights, like
-- unsent_outbox.
CREATE OR REPLACE FUNCTION local_mailbox(max_rows integer DEFAULT 100)
RETURNS TABLE (id uuid, to_address text, template text, status email_status, provider_message_id text, content jsonb, created_at timestamptz, sent_at timestamptz)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT e.id, e.to_address, e.template, e.status, e.provider_message_id, e.content, e.created_at, e.sent_at
  FROM email_messages e
  WHERE e.content IS NOT NULL
  ORDER BY e.created_at DESC, e.id DESC
  LIMIT max_rows
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION local_mailbox(integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION local_mailbox(integer) TO switchboard_app;--> statement-breakpoint
-- Inbound email (worker/email/inbound.ts) arrives for `<slug>@<INBOUND_EMAIL_DOMAIN>` before
-- any organization is known: this finds the organization by its slug, and nothing else.
CREATE OR REPLACE FUNCTION support_mailbox_org(mailbox_slug text)
RETURNS uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT o.id FROM organizations o WHERE o.slug = mailbox_slug
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION support_mailbox_org(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION support_mailbox_org(text) TO switchboard_app;
--> statement-breakpoint
-- The SLA check (every minute, worker/sla/check.ts) visits only organizations with running
-- clocks: unsolved tickets whose priority has a policy. Owner's rights; ids only.
CREATE OR REPLACE FUNCTION organizations_with_sla_clocks()
RETURNS TABLE (org_id uuid)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT DISTINCT t.org_id
  FROM tickets t
  JOIN sla_policies p ON p.org_id = t.org_id AND p.priority = t.priority
  WHERE t.status IN ('new', 'open', 'pending', 'on_hold') AND t.deleted_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION organizations_with_sla_clocks() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION organizations_with_sla_clocks() TO switchboard_app;--> statement-breakpoint
-- Task reminders (every minute, worker/notifications/reminders.ts) and the hourly email digest
-- visit only organizations with work to do. Owner's rights; ids only.
CREATE OR REPLACE FUNCTION organizations_with_due_tasks()
RETURNS TABLE (org_id uuid)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT DISTINCT a.org_id FROM activities a
  WHERE a.type = 'task' AND a.due_at <= now() AND a.done_at IS NULL AND a.reminded_at IS NULL
    AND a.assignee_id IS NOT NULL AND a.deleted_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION organizations_with_due_tasks() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION organizations_with_due_tasks() TO switchboard_app;--> statement-breakpoint
CREATE OR REPLACE FUNCTION organizations_with_unread_digest(older_than interval DEFAULT interval '1 hour')
RETURNS TABLE (org_id uuid)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT DISTINCT n.org_id FROM notifications n
  WHERE n.email AND n.read_at IS NULL AND n.emailed_at IS NULL AND n.created_at < now() - older_than
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION organizations_with_unread_digest(interval) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION organizations_with_unread_digest(interval) TO switchboard_app;
