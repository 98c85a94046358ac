import { and, eq, notInArray } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import { businessCalendars, slaPolicies } from "../db/desk-schema";
import { newId } from "../lib/crypto";
import { requirePermission, type TenantScope } from "../lib/scope";
import { forgetSlaContext, slaContextOf } from "./clocks";
import { refreshOrgSlaDeadlines } from "./deadlines";
import type { SlaPolicyInput } from "./schemas";

/*
 * The desk's SLA settings: a policy per priority and the business-hours calendar. Reading them
 * is open to the team (the ticket page shows the targets); changing them is for admins.
 */

export async function listSlaPolicies(scope: TenantScope): Promise<SlaPolicyInput[]> {
  requirePermission(scope.actor, "tickets:read");
  const rows = await scope.tx.select().from(slaPolicies).orderBy(slaPolicies.priority);
  return rows.map((row) => ({
    priority: row.priority,
    firstResponseMinutes: row.firstResponseMinutes,
    nextResponseMinutes: row.nextResponseMinutes,
    resolutionMinutes: row.resolutionMinutes,
    businessHours: row.businessHours,
  }));
}

/** Replaces the policies: priorities left out have none afterwards. */
export async function replaceSlaPolicies(scope: TenantScope, policies: SlaPolicyInput[]) {
  requirePermission(scope.actor, "desk:configure");
  const kept = policies.map((policy) => policy.priority);
  await scope.tx
    .delete(slaPolicies)
    .where(
      kept.length > 0
        ? and(eq(slaPolicies.orgId, scope.orgId), notInArray(slaPolicies.priority, kept))
        : eq(slaPolicies.orgId, scope.orgId),
    );
  for (const policy of policies) {
    await scope.tx
      .insert(slaPolicies)
      .values({ id: newId(), orgId: scope.orgId, ...policy })
      .onConflictDoUpdate({
        target: [slaPolicies.orgId, slaPolicies.priority],
        set: { ...policy, updatedAt: new Date() },
      });
  }
  await recordScopedAudit(scope, { action: "sla.updated", metadata: { priorities: kept } });
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
