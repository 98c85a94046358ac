import { eq } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import type { AgentView } from "../calls/call-view";
import { assertActiveMember } from "../crm/member-check";
import { callAgents } from "../db/telephony-schema";
import { ApiError } from "../lib/errors";
import { isUniqueViolation } from "../lib/postgres";
import { requirePermission, type TenantScope } from "../lib/scope";
import { loadAgentViews, noExtensionError } from "./agents-query";

export async function listAgents(scope: TenantScope): Promise<AgentView[]> {
  requirePermission(scope.actor, "calls:read");
  return loadAgentViews(scope.tx);
}

async function agentView(scope: TenantScope, userId: string): Promise<AgentView | null> {
  const [agent] = await loadAgentViews(scope.tx, [userId]);
  if (agent) scope.emit({ type: "agent.status", agent });
  return agent ?? null;
}

/** An admin maps a member to an extension (null takes the member off the phones). */
export async function setExtension(
  scope: TenantScope,
  userId: string,
  extension: string | null,
): Promise<AgentView | null> {
  requirePermission(scope.actor, "pbx:configure");
  await assertActiveMember(scope, userId, "userId");
  if (extension === null) {
    await scope.tx.delete(callAgents).where(eq(callAgents.userId, userId));
  } else {
    try {
      await scope.tx
        .insert(callAgents)
        .values({ orgId: scope.actor.orgId, userId, extension })
        .onConflictDoUpdate({
          target: [callAgents.orgId, callAgents.userId],
          set: { extension, updatedAt: new Date() },
        });
    } catch (error) {
      if (isUniqueViolation(error, "call_agents_org_extension_key")) {
        throw ApiError.conflict("Another member has this extension.", {
          extension: ["Already taken."],
        });
      }
      throw error;
    }
  }
  await recordScopedAudit(scope, {
    action: "pbx.agent_updated",
    target: { type: "user", id: userId },
    metadata: { extension },
  });
  return agentView(scope, userId);
}

/** An agent says whether queues may ring them. */
export async function setOwnStatus(
  scope: TenantScope,
  status: "available" | "busy" | "away",
): Promise<AgentView> {
  requirePermission(scope.actor, "calls:write");
  const userId = scope.actor.userId;
  if (!userId) throw ApiError.forbidden("Only members have an agent status.");
  const updated = await scope.tx
    .update(callAgents)
    .set({ status, statusChangedAt: new Date(), updatedAt: new Date() })
    .where(eq(callAgents.userId, userId))
    .returning({ userId: callAgents.userId });
  if (updated.length === 0) {
    throw noExtensionError();
  }
  const agent = await agentView(scope, userId);
  if (!agent) throw new Error("agent vanished after its status changed");
  return agent;
}
