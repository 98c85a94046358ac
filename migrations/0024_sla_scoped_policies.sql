DROP INDEX "sla_policies_org_priority_key";--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "ticket_type" "ticket_type";--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_scope_key" UNIQUE NULLS NOT DISTINCT("org_id","priority","team_id","ticket_type");