import { and, eq, inArray } from "drizzle-orm";
import type { Actor } from "../auth/actor";
import { can } from "../auth/permissions";
import { teamMembers } from "../db/crm-schema";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";

/**
 * Who may change a record: admins and owners any; managers those owned by them, by someone
 * in one of their teams, or by nobody; agents those they own (or that nobody owns); viewers none.
 */
export async function assertCanEdit(scope: TenantScope, ownerId: string | null) {
  if (!(await canEdit(scope, ownerId))) {
    throw ApiError.forbidden("You can only change records you own or that belong to your team.");
  }
}

export async function canEdit(scope: TenantScope, ownerId: string | null): Promise<boolean> {
  const { actor } = scope;
  if (!can(actor.role, "crm:write")) return false;
  if (actor.role === "owner" || actor.role === "admin") return true;
  if (ownerId === null || ownerId === actor.userId) return true;
  if (actor.role !== "manager" || !actor.userId) return false;
  return (await teammatesOf(scope, actor)).has(ownerId);
}

/** Everyone who shares a team with the actor (the actor included). */
export async function teammatesOf(scope: TenantScope, actor: Actor): Promise<Set<string>> {
  if (!actor.userId) return new Set();
  const myTeams = scope.tx
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, actor.userId));
  const rows = await scope.tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(inArray(teamMembers.teamId, myTeams)));
  return new Set([actor.userId, ...rows.map((row) => row.userId)]);
}
