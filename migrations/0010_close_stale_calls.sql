-- A call the phone system fell silent about (its bridge restarted mid-call, say) would stay
-- "live" for ever. The cron ends such calls, in every organization, through this one function
-- (owner's rights, like purge_deleted_records).
CREATE OR REPLACE FUNCTION close_stale_calls(silence interval DEFAULT interval '12 hours')
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  closed bigint;
BEGIN
  UPDATE calls
  SET status = 'failed',
      outcome = 'failed',
      ended_at = now(),
      duration_seconds = coalesce(floor(extract(epoch FROM now() - answered_at))::integer, 0),
      hangup_cause = 0,
      hangup_cause_text = 'No word from the phone system since ' || to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC',
      hangup_by = 'system',
      version = version + 1,
      updated_at = now()
  WHERE ended_at IS NULL AND updated_at < now() - silence;
  GET DIAGNOSTICS closed = ROW_COUNT;
  RETURN closed;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION close_stale_calls(interval) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION close_stale_calls(interval) TO switchboard_app;
