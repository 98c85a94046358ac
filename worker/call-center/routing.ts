import { asc, eq } from "drizzle-orm";
import { DEFAULT_WRAP_UP_SECONDS, type Routing } from "../../pbx-bridge/src/edge-protocol";
import type { Database, Tx } from "../db/client";
import { callAgents, callQueueMembers, callQueues } from "../db/telephony-schema";
import { loadAgentViews } from "./agents-query";

/** What the bridge needs to route inbound calls: queues' member extensions and agent statuses. */
export async function routingOf(tx: Tx): Promise<Routing> {
  const [queues, members, agents] = await Promise.all([
    tx.select().from(callQueues).orderBy(asc(callQueues.name)),
    tx
      .select({ queueId: callQueueMembers.queueId, extension: callAgents.extension })
      .from(callQueueMembers)
      .innerJoin(callAgents, eq(callAgents.userId, callQueueMembers.userId))
      .orderBy(asc(callQueueMembers.position)),
    loadAgentViews(tx),
  ]);
  return {
    queues: queues.map((queue) => ({
      name: queue.name,
      extensions: members
        .filter((member) => member.queueId === queue.id)
        .map((member) => member.extension),
      ringTimeoutSeconds: queue.ringTimeoutSeconds,
      wrapUpSeconds: queue.wrapUpSeconds,
    })),
    noQueueWrapUpSeconds: DEFAULT_WRAP_UP_SECONDS,
    agents: agents.map((agent) => ({ extension: agent.extension, status: agent.status })),
  };
}

export function loadRouting(database: Database, orgId: string): Promise<Routing> {
  return database.transaction({ orgId, userId: null }, routingOf);
}
