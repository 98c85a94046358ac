-- Row-level security holds for the tables' owner too, and the Worker connects as a role
-- that owns nothing and cannot bypass it. Deployments make `switchboard_app` able to log in
-- (ALTER ROLE switchboard_app LOGIN PASSWORD '...') or grant it to the Worker's login role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchboard_app') THEN
    CREATE ROLE switchboard_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO switchboard_app;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO switchboard_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO switchboard_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO switchboard_app;--> statement-breakpoint
ALTER TABLE "organizations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sessions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Maintenance across every organization runs as the migration owner (which bypasses RLS),
-- through one narrow function the Worker may call but not change.
CREATE OR REPLACE FUNCTION purge_expired_auth_rows()
RETURNS TABLE (sessions_deleted bigint, invitations_deleted bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  s bigint;
  i bigint;
BEGIN
  DELETE FROM sessions
  WHERE expires_at < now() - interval '1 day'
     OR revoked_at < now() - interval '7 days';
  GET DIAGNOSTICS s = ROW_COUNT;
  DELETE FROM invitations
  WHERE accepted_at IS NULL AND expires_at < now() - interval '30 days';
  GET DIAGNOSTICS i = ROW_COUNT;
  RETURN QUERY SELECT s, i;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION purge_expired_auth_rows() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION purge_expired_auth_rows() TO switchboard_app;
