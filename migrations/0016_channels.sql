CREATE TYPE "public"."channel_type" AS ENUM('whatsapp', 'webchat');--> statement-breakpoint
CREATE TABLE "channel_secrets" (
	"channel_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"access_token" text,
	"app_secret" text,
	"verify_token" text,
	"identity_secret" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_secrets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "channels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"type" "channel_type" NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "channels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "channel_secrets" ADD CONSTRAINT "channel_secrets_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_secrets" ADD CONSTRAINT "channel_secrets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channels_org_idx" ON "channels" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_whatsapp_number_key" ON "channels" USING btree (("settings"->>'phoneNumberId')) WHERE "channels"."type" = 'whatsapp' and "channels"."deleted_at" is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "channel_secrets" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "channels" AS PERMISSIVE FOR ALL TO public USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid) WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);--> statement-breakpoint
-- Row-level security holds for the tables' owner too (see 0001_tenant_rls.sql).
ALTER TABLE "channels" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "channel_secrets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Meta's webhook requests name a channel, not an organization: this is the one way to read
-- what checks them (which organization, the app secret, the verification token) before the
-- organization is known. Owner's rights, like unsent_outbox; a deleted channel has none.
CREATE OR REPLACE FUNCTION whatsapp_webhook_secrets(channel uuid)
RETURNS TABLE (org_id uuid, app_secret text, verify_token text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT c.org_id, s.app_secret, s.verify_token
  FROM channels c JOIN channel_secrets s ON s.channel_id = c.id
  WHERE c.id = channel AND c.type = 'whatsapp' AND c.deleted_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION whatsapp_webhook_secrets(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION whatsapp_webhook_secrets(uuid) TO switchboard_app;
