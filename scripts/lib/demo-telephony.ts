import { and, eq, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { contacts } from "../../worker/db/crm-schema";
import { callAgents, callQueueMembers, callQueues, calls } from "../../worker/db/telephony-schema";

type Tx = Parameters<Parameters<NodePgDatabase["transaction"]>[0]>[0];

/** Demo extensions: the agent is 1001 (the simulator's first phone), then the others. */
export const DEMO_EXTENSIONS = ["1001", "1002", "1003", "1004"] as const;

const QUEUES = [
  { name: "sales", members: [0, 1] },
  { name: "support", members: [1, 0, 2] },
];

const HISTORY_DAYS = 7;
const CALLS_PER_DAY = 6;

/**
 * Agents (`agentIds` in extension order), two queues, and a week of past calls for the call
 * log and the dashboard. Live calls come from the ARI simulator once `npm run dev` runs.
 */
export async function seedDemoTelephony(tx: Tx, orgId: string, agentIds: string[]) {
  for (const [index, userId] of agentIds.entries()) {
    const extension = DEMO_EXTENSIONS[index];
    if (!extension) break;
    await tx.insert(callAgents).values({
      orgId,
      userId,
      extension,
      status: index < 2 ? "available" : "away",
    });
  }
  for (const queue of QUEUES) {
    const queueId = crypto.randomUUID();
    await tx.insert(callQueues).values({ id: queueId, orgId, name: queue.name });
    await tx.insert(callQueueMembers).values(
      queue.members.flatMap((member, position) => {
        const userId = agentIds[member];
        return userId ? [{ orgId, queueId, userId, position }] : [];
      }),
    );
  }
  await seedCallHistory(tx, orgId, agentIds);
}

async function seedCallHistory(tx: Tx, orgId: string, agentIds: string[]) {
  const people = await tx
    .select({ id: contacts.id, number: sql<string>`${contacts.phoneNumbers}[1]` })
    .from(contacts)
    .where(and(eq(contacts.orgId, orgId), sql`cardinality(${contacts.phoneNumbers}) > 0`));
  const now = Date.now();
  const rows: (typeof calls.$inferInsert)[] = [];
  for (let day = HISTORY_DAYS; day >= 1; day -= 1) {
    for (let slot = 0; slot < CALLS_PER_DAY; slot += 1) {
      const n = day * CALLS_PER_DAY + slot;
      const person = people[n % people.length];
      const agentIndex = n % 2;
      const agentId = agentIds[agentIndex];
      if (!person || !agentId) continue;
      const startedAt = new Date(now - day * 86_400_000 + slot * 3_600_000);
      const answered = n % 5 !== 0;
      const inbound = n % 3 !== 0;
      const duration = answered ? 30 + ((n * 37) % 420) : 0;
      const extension = DEMO_EXTENSIONS[agentIndex] ?? "1001";
      rows.push({
        id: crypto.randomUUID(),
        orgId,
        direction: inbound ? "inbound" : "outbound",
        status: answered ? "ended" : "missed",
        outcome: answered ? "answered" : inbound ? "missed" : "no_answer",
        fromNumber: inbound ? person.number : extension,
        toNumber: inbound ? "+14155550100" : person.number,
        customerNumber: person.number,
        contactId: person.id,
        agentId,
        extension,
        queue: inbound ? (QUEUES[n % QUEUES.length]?.name ?? null) : null,
        startedAt,
        answeredAt: answered ? new Date(startedAt.getTime() + 8_000) : null,
        endedAt: new Date(startedAt.getTime() + 8_000 + duration * 1000),
        durationSeconds: duration,
        hangupCause: answered ? 16 : 19,
        hangupCauseText: answered ? "Normal Clearing" : "No user responding",
        hangupBy: answered ? (n % 2 ? "customer" : "agent") : "customer",
      });
    }
  }
  if (rows.length > 0) await tx.insert(calls).values(rows);
}
