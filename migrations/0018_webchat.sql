-- The website chat's visitor API names a channel, not an organization: this is the one way to
-- read what it needs (which organization, where the chat may be embedded, its greeting and
-- pre-chat form, the secret that signs known visitors' ids) before the organization is known.
-- Owner's rights, like whatsapp_webhook_secrets; a removed channel has none.
CREATE OR REPLACE FUNCTION webchat_channel(channel uuid)
RETURNS TABLE (org_id uuid, settings jsonb, identity_secret text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  SELECT c.org_id, c.settings, s.identity_secret
  FROM channels c LEFT JOIN channel_secrets s ON s.channel_id = c.id
  WHERE c.id = channel AND c.type = 'webchat' AND c.deleted_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION webchat_channel(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION webchat_channel(uuid) TO switchboard_app;
