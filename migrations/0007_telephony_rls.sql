-- Row-level security holds for the telephony tables' owner too (see 0001_tenant_rls.sql).
ALTER TABLE "pbx_bridge_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "call_agents" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "call_queues" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "call_queue_members" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "calls" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "call_events" FORCE ROW LEVEL SECURITY;
