import { asc, eq } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import { activeMemberIds } from "../crm/member-check";
import { teamMembers, teams } from "../db/crm-schema";
import { slaPolicies } from "../db/desk-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { isUniqueViolation } from "../lib/postgres";
import { requirePermission, type TenantScope } from "../lib/scope";
import { forgetSlaContext } from "../sla/clocks";
import { refreshOrgSlaDeadlines } from "../sla/deadlines";

/**
 * Teams group members for the CRM's ownership rule: a manager may edit records owned by
 * anyone who shares a team with them (worker/crm/access.ts). Admins manage teams.
 */
export interface TeamView {
  id: string;
  name: string;
  memberIds: string[];
  createdAt: string;
}

async function membersOf(scope: TenantScope, teamId: string): Promise<string[]> {
  const rows = await scope.tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, teamId));
  return rows.map((row) => row.userId);
}

export async function listTeams(scope: TenantScope): Promise<TeamView[]> {
  requirePermission(scope.actor, "members:read");
  const rows = await scope.tx.select().from(teams).orderBy(asc(teams.name));
  return Promise.all(
    rows.map(async (team) => ({
      id: team.id,
      name: team.name,
      memberIds: await membersOf(scope, team.id),
      createdAt: team.createdAt.toISOString(),
    })),
  );
}

async function replaceMembers(scope: TenantScope, teamId: string, memberIds: string[]) {
  const unique = await activeMemberIds(scope, memberIds);
  await scope.tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (unique.length > 0) {
    await scope.tx
      .insert(teamMembers)
      .values(unique.map((userId) => ({ orgId: scope.actor.orgId, teamId, userId })));
  }
}

async function auditTeam(scope: TenantScope, teamId: string, change: Record<string, unknown>) {
  await recordScopedAudit(scope, {
    action: "team.updated",
    target: { type: "team", id: teamId },
    metadata: change,
  });
}

function nameTaken(error: unknown): never {
  if (isUniqueViolation(error, "teams_org_name_key")) {
    throw ApiError.conflict("A team with this name exists.", { name: ["Already taken."] });
  }
  throw error;
}

export async function createTeam(
  scope: TenantScope,
  input: { name: string; memberIds: string[] },
): Promise<TeamView> {
  requirePermission(scope.actor, "members:manage");
  const id = newId();
  const [team] = await scope.tx
    .insert(teams)
    .values({ id, orgId: scope.actor.orgId, name: input.name })
    .returning()
    .catch(nameTaken);
  if (!team) throw new Error("Team insert returned no row");
  await replaceMembers(scope, id, input.memberIds);
  await auditTeam(scope, id, { name: input.name, memberIds: input.memberIds });
  return {
    id,
    name: team.name,
    memberIds: await membersOf(scope, id),
    createdAt: team.createdAt.toISOString(),
  };
}

export async function updateTeam(
  scope: TenantScope,
  teamId: string,
  input: { name?: string | undefined; memberIds?: string[] | undefined },
): Promise<TeamView> {
  requirePermission(scope.actor, "members:manage");
  const [team] = await scope.tx
    .update(teams)
    .set({ ...(input.name ? { name: input.name } : {}), updatedAt: new Date() })
    .where(eq(teams.id, teamId))
    .returning()
    .catch(nameTaken);
  if (!team) throw ApiError.notFound("Team");
  if (input.memberIds) await replaceMembers(scope, teamId, input.memberIds);
  await auditTeam(scope, teamId, input);
  return {
    id: team.id,
    name: team.name,
    memberIds: await membersOf(scope, teamId),
    createdAt: team.createdAt.toISOString(),
  };
}

export async function deleteTeam(scope: TenantScope, teamId: string) {
  requirePermission(scope.actor, "members:manage");
  const [scoped] = await scope.tx
    .select({ id: slaPolicies.id })
    .from(slaPolicies)
    .where(eq(slaPolicies.teamId, teamId))
    .limit(1);
  const [team] = await scope.tx.delete(teams).where(eq(teams.id, teamId)).returning();
  if (!team) throw ApiError.notFound("Team");
  await auditTeam(scope, teamId, { deleted: true });
  // Its SLA policies went with it, and its tickets now fall back to the others.
  if (scoped) {
    forgetSlaContext(scope.tx);
    await refreshOrgSlaDeadlines(scope.tx, scope.orgId);
  }
}
