import { and, asc, eq, isNull } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import { selectCallViews, toCallView } from "../calls/load";
import { activeMemberIds } from "../crm/member-check";
import { users } from "../db/schema";
import { callAgents, callQueueMembers, callQueues, calls } from "../db/telephony-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { isUniqueViolation } from "../lib/postgres";
import { requirePermission, type TenantScope } from "../lib/scope";
import { loadAgentViews } from "./agents-query";

interface QueueInput {
  name: string;
  ringTimeoutSeconds: number;
  wrapUpSeconds: number;
  memberIds: string[];
}

async function queueView(scope: TenantScope, queue: typeof callQueues.$inferSelect) {
  const members = await scope.tx
    .select({ userId: callQueueMembers.userId, name: users.name, extension: callAgents.extension })
    .from(callQueueMembers)
    .innerJoin(users, eq(users.id, callQueueMembers.userId))
    .leftJoin(callAgents, eq(callAgents.userId, callQueueMembers.userId))
    .where(eq(callQueueMembers.queueId, queue.id))
    .orderBy(asc(callQueueMembers.position));
  return {
    id: queue.id,
    name: queue.name,
    ringTimeoutSeconds: queue.ringTimeoutSeconds,
    wrapUpSeconds: queue.wrapUpSeconds,
    members,
  };
}

export async function listQueues(scope: TenantScope) {
  requirePermission(scope.actor, "calls:read");
  const queues = await scope.tx.select().from(callQueues).orderBy(asc(callQueues.name));
  return Promise.all(queues.map((queue) => queueView(scope, queue)));
}

async function replaceMembers(scope: TenantScope, queueId: string, memberIds: string[]) {
  const unique = await activeMemberIds(scope, memberIds);
  await scope.tx.delete(callQueueMembers).where(eq(callQueueMembers.queueId, queueId));
  if (unique.length === 0) return;
  await scope.tx
    .insert(callQueueMembers)
    .values(
      unique.map((userId, position) => ({ orgId: scope.actor.orgId, queueId, userId, position })),
    );
}

function nameTaken(error: unknown): never {
  if (isUniqueViolation(error, "call_queues_org_name_key")) {
    throw ApiError.conflict("A queue with this name exists.", { name: ["Already taken."] });
  }
  throw error;
}

async function auditQueue(scope: TenantScope, queueId: string, change: Record<string, unknown>) {
  await recordScopedAudit(scope, {
    action: "pbx.queue_updated",
    target: { type: "call_queue", id: queueId },
    metadata: change,
  });
}

export async function createQueue(scope: TenantScope, input: QueueInput) {
  requirePermission(scope.actor, "pbx:configure");
  const id = newId();
  const [queue] = await scope.tx
    .insert(callQueues)
    .values({
      id,
      orgId: scope.actor.orgId,
      name: input.name,
      ringTimeoutSeconds: input.ringTimeoutSeconds,
      wrapUpSeconds: input.wrapUpSeconds,
    })
    .returning()
    .catch(nameTaken);
  if (!queue) throw new Error("queue insert returned no row");
  await replaceMembers(scope, id, input.memberIds);
  await auditQueue(scope, id, { created: input });
  return queueView(scope, queue);
}

export async function updateQueue(scope: TenantScope, id: string, input: Partial<QueueInput>) {
  requirePermission(scope.actor, "pbx:configure");
  const [queue] = await scope.tx
    .update(callQueues)
    .set({
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.ringTimeoutSeconds === undefined
        ? {}
        : { ringTimeoutSeconds: input.ringTimeoutSeconds }),
      ...(input.wrapUpSeconds === undefined ? {} : { wrapUpSeconds: input.wrapUpSeconds }),
      updatedAt: new Date(),
    })
    .where(eq(callQueues.id, id))
    .returning()
    .catch(nameTaken);
  if (!queue) throw ApiError.notFound("Call queue");
  if (input.memberIds) await replaceMembers(scope, id, input.memberIds);
  await auditQueue(scope, id, { updated: input });
  return queueView(scope, queue);
}

export async function deleteQueue(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "pbx:configure");
  const deleted = await scope.tx
    .delete(callQueues)
    .where(eq(callQueues.id, id))
    .returning({ id: callQueues.id });
  if (deleted.length === 0) throw ApiError.notFound("Call queue");
  await auditQueue(scope, id, { deleted: true });
}

/** The group of inbound calls that named no queue. */
const DIRECT_CALLS = "Direct calls";

const secondsSince = (since: Date, now: Date) =>
  Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));

/**
 * What a supervisor watches: per queue, the inbound calls still waiting for an agent (in
 * arrival order, with their position and wait) and the members' statuses.
 */
export async function liveQueues(scope: TenantScope) {
  requirePermission(scope.actor, "calls:read");
  const now = new Date();
  const queues = await listQueues(scope);
  const waitingRows = await selectCallViews(scope.tx)
    .where(and(isNull(calls.endedAt), eq(calls.status, "ringing"), eq(calls.direction, "inbound")))
    .orderBy(asc(calls.startedAt));
  const agents = await loadAgentViews(scope.tx);
  const names = new Set(queues.map((queue) => queue.name));
  const orphanQueues = [...new Set(waitingRows.map((row) => row.call.queue))].filter(
    (name): name is string => name !== null && !names.has(name),
  );
  const waitingIn = (queue: string | null) =>
    waitingRows
      .filter((row) => row.call.queue === queue)
      .map((row, index) => ({
        ...toCallView(row),
        position: index + 1,
        waitingSeconds: secondsSince(row.call.startedAt, now),
      }));
  const live = [...queues.map((queue) => queue.name), ...orphanQueues].map((name) => {
    const members = queues.find((queue) => queue.name === name)?.members ?? [];
    const waiting = waitingIn(name);
    return {
      name,
      direct: false,
      waiting,
      longestWaitSeconds: waiting[0]?.waitingSeconds ?? 0,
      agents: agents.filter((agent) => members.some((member) => member.userId === agent.userId)),
    };
  });
  // Calls for no queue ring every available agent (the bridge's router): list them too.
  const direct = waitingIn(null);
  if (direct.length === 0) return live;
  return [
    ...live,
    {
      name: DIRECT_CALLS,
      direct: true,
      waiting: direct,
      longestWaitSeconds: direct[0]?.waitingSeconds ?? 0,
      agents,
    },
  ];
}
