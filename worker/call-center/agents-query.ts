import { asc, eq, inArray, sql } from "drizzle-orm";
import type { AgentView } from "../calls/call-view";
import type { Tx } from "../db/client";
import { users } from "../db/schema";
import { callAgents, calls } from "../db/telephony-schema";
import { ApiError } from "../lib/errors";

/** Routing and the team see `on_call` while an agent has an answered or held call. */
const onCall = sql<boolean>`exists (select 1 from ${calls} where ${calls.agentId} = ${callAgents.userId} and ${calls.endedAt} is null and ${calls.status} in ('answered', 'held'))`;

/** Agents with the status routing uses; all of them, or those with the given user ids. */
export async function loadAgentViews(tx: Tx, userIds?: string[]): Promise<AgentView[]> {
  if (userIds?.length === 0) return [];
  const rows = await tx
    .select({
      userId: callAgents.userId,
      name: users.name,
      extension: callAgents.extension,
      status: callAgents.status,
      statusChangedAt: callAgents.statusChangedAt,
      onCall,
    })
    .from(callAgents)
    .innerJoin(users, eq(users.id, callAgents.userId))
    .where(userIds ? inArray(callAgents.userId, userIds) : undefined)
    .orderBy(asc(callAgents.extension));
  return rows.map((row) => ({
    userId: row.userId,
    name: row.name,
    extension: row.extension,
    status: row.onCall ? "on_call" : row.status,
    statusChangedAt: row.statusChangedAt.toISOString(),
  }));
}

export function noExtensionError(): ApiError {
  return ApiError.conflict(
    "You have no phone extension yet; an admin sets it under Settings → Phone.",
  );
}
