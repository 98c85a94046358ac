-- Snoozed conversations come back on their own: the cron's per-minute job reopens those whose
-- time has come, in every organization, through this one function (owner's rights, like
-- close_stale_calls), and says which ones so that each organization's inbox hears of them.
CREATE OR REPLACE FUNCTION wake_snoozed_conversations()
RETURNS TABLE (org_id uuid, id uuid)
LANGUAGE sql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  UPDATE conversations c
  SET status = 'open', snoozed_until = NULL, version = c.version + 1, updated_at = now()
  WHERE c.status = 'snoozed' AND c.snoozed_until <= now() AND c.merged_into_id IS NULL
  RETURNING c.org_id, c.id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION wake_snoozed_conversations() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION wake_snoozed_conversations() TO switchboard_app;
