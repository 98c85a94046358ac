import { eq, inArray, sql } from "drizzle-orm";
import { slaPolicyKey } from "../../shared/desk";
import { recordScopedAudit } from "../audit/service";
import { teams } from "../db/crm-schema";
import { businessCalendars, slaPolicies } from "../db/desk-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { forgetSlaContext, slaContextOf } from "./clocks";
import { refreshOrgSlaDeadlines } from "./deadlines";
import type { SlaPolicyInput, SlaPolicyView } from "./schemas";

/*
 * The desk's SLA settings: a policy per priority (organization-wide, or scoped to a team and/or
 * a ticket type) and the business-hours calendar. Reading them is open to the team (the ticket
 * page shows the targets); changing them is for admins.
 */

type PolicyRow = typeof slaPolicies.$inferSelect;

function toView(row: PolicyRow): SlaPolicyView {
  return {
    priority: row.priority,
    firstResponseMinutes: row.firstResponseMinutes,
    nextResponseMinutes: row.nextResponseMinutes,
    resolutionMinutes: row.resolutionMinutes,
    businessHours: row.businessHours,
    teamId: row.teamId,
    ticketType: row.ticketType,
  };
}

/** Organization-wide policies first (by priority), then the scoped ones by team, type, priority. */
export async function listSlaPolicies(scope: TenantScope): Promise<SlaPolicyView[]> {
  requirePermission(scope.actor, "tickets:read");
  const rows = await scope.tx
    .select({ policy: slaPolicies })
    .from(slaPolicies)
    .leftJoin(teams, eq(teams.id, slaPolicies.teamId))
    .orderBy(
      sql`(${slaPolicies.teamId} is not null or ${slaPolicies.ticketType} is not null)`,
      sql`${teams.name} nulls first`,
      sql`${slaPolicies.ticketType} nulls first`,
      slaPolicies.priority,
    );
  return rows.map((row) => toView(row.policy));
}

/** 422 unless every team named is one of the organization's (RLS hides the others'). */
async function assertPolicyTeams(scope: TenantScope, policies: SlaPolicyInput[]) {
  const named = [...new Set(policies.flatMap((policy) => policy.teamId ?? []))];
  if (named.length === 0) return;
  const found = await scope.tx.select({ id: teams.id }).from(teams).where(inArray(teams.id, named));
  const known = new Set(found.map((team) => team.id));
  const errors: Record<string, string[]> = {};
  policies.forEach((policy, index) => {
    if (policy.teamId && !known.has(policy.teamId)) {
      errors[`policies.${index}.teamId`] = ["No such team."];
    }
  });
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
}

/**
 * Replaces the policies: the list is the whole set (as the list answers it), so a priority or
 * scope left out has none afterwards. Kept policies keep their ids.
 */
export async function replaceSlaPolicies(scope: TenantScope, policies: SlaPolicyInput[]) {
  requirePermission(scope.actor, "desk:configure");
  await assertPolicyTeams(scope, policies);
  const existing = new Map(
    (await scope.tx.select().from(slaPolicies)).map((row) => [slaPolicyKey(row), row]),
  );
  for (const policy of policies) {
    const values = {
      ...policy,
      teamId: policy.teamId ?? null,
      ticketType: policy.ticketType ?? null,
    };
    const current = existing.get(slaPolicyKey(values));
    existing.delete(slaPolicyKey(values));
    if (current) {
      await scope.tx
        .update(slaPolicies)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(slaPolicies.id, current.id));
    } else {
      await scope.tx.insert(slaPolicies).values({ id: newId(), orgId: scope.orgId, ...values });
    }
  }
  const dropped = [...existing.values()].map((row) => row.id);
  if (dropped.length > 0) {
    await scope.tx.delete(slaPolicies).where(inArray(slaPolicies.id, dropped));
  }
  await recordScopedAudit(scope, {
    action: "sla.updated",
    metadata: {
      priorities: policies.filter((p) => !p.teamId && !p.ticketType).map((p) => p.priority),
      scoped: policies
        .filter((p) => p.teamId || p.ticketType)
        .map((p) => ({
          priority: p.priority,
          teamId: p.teamId ?? null,
          ticketType: p.ticketType ?? null,
        })),
    },
  });
  forgetSlaContext(scope.tx);
  await refreshOrgSlaDeadlines(scope.tx, scope.orgId);
  return listSlaPolicies(scope);
}

export async function getBusinessCalendar(scope: TenantScope) {
  requirePermission(scope.actor, "tickets:read");
  return (await slaContextOf(scope.tx, scope.orgId)).calendar;
}

export async function replaceBusinessCalendar(
  scope: TenantScope,
  calendar: { timeZone: string; week: { start: string; end: string }[][]; holidays: string[] },
) {
  requirePermission(scope.actor, "desk:configure");
  const holidays = [...new Set(calendar.holidays)].sort();
  await scope.tx
    .insert(businessCalendars)
    .values({ orgId: scope.orgId, ...calendar, holidays })
    .onConflictDoUpdate({
      target: businessCalendars.orgId,
      set: { ...calendar, holidays, updatedAt: new Date() },
    });
  await recordScopedAudit(scope, { action: "sla.updated", metadata: { calendar: true } });
  forgetSlaContext(scope.tx);
  await refreshOrgSlaDeadlines(scope.tx, scope.orgId);
  return getBusinessCalendar(scope);
}
