-- Row-level security holds for the CRM tables' owner too (see 0001_tenant_rls.sql).
ALTER TABLE "teams" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "team_members" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "companies" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "contacts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "leads" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "pipelines" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "pipeline_stages" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "deals" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "deal_stage_history" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activities" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "custom_field_definitions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "saved_views" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "import_jobs" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "export_jobs" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Soft-deleted records can be restored for 30 days; after that the cron removes them for
-- every organization through this one function (owner's rights, like purge_expired_auth_rows).
CREATE OR REPLACE FUNCTION purge_deleted_records(retention interval DEFAULT interval '30 days')
RETURNS TABLE (table_name text, deleted bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  n bigint;
BEGIN
  DELETE FROM activities WHERE deleted_at < now() - retention;
  GET DIAGNOSTICS n = ROW_COUNT; table_name := 'activities'; deleted := n; RETURN NEXT;
  DELETE FROM deals WHERE deleted_at < now() - retention;
  GET DIAGNOSTICS n = ROW_COUNT; table_name := 'deals'; deleted := n; RETURN NEXT;
  DELETE FROM leads WHERE deleted_at < now() - retention;
  GET DIAGNOSTICS n = ROW_COUNT; table_name := 'leads'; deleted := n; RETURN NEXT;
  DELETE FROM contacts WHERE deleted_at < now() - retention;
  GET DIAGNOSTICS n = ROW_COUNT; table_name := 'contacts'; deleted := n; RETURN NEXT;
  DELETE FROM companies WHERE deleted_at < now() - retention;
  GET DIAGNOSTICS n = ROW_COUNT; table_name := 'companies'; deleted := n; RETURN NEXT;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION purge_deleted_records(interval) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION purge_deleted_records(interval) TO switchboard_app;
