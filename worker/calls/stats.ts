import { and, eq, gte, lt, sql } from "drizzle-orm";
import { users } from "../db/schema";
import { calls } from "../db/telephony-schema";
import { requirePermission, type TenantScope } from "../lib/scope";

const DEFAULT_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

const answered = sql<number>`count(*) filter (where ${calls.answeredAt} is not null)::int`;
const missed = sql<number>`count(*) filter (where ${calls.status} = 'missed')::int`;
const talkSeconds = sql<number>`coalesce(sum(${calls.durationSeconds}) filter (where ${calls.answeredAt} is not null), 0)::int`;

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

/** Calls per agent (answer rate counts calls the agent was rung for or placed) and per day. */
export async function callStats(scope: TenantScope, query: { from?: string; to?: string }) {
  requirePermission(scope.actor, "calls:read");
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from
    ? new Date(query.from)
    : new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
  const inWindow = and(gte(calls.startedAt, from), lt(calls.startedAt, to));

  const [totals] = await scope.tx
    .select({ calls: sql<number>`count(*)::int`, answered, missed, talkSeconds })
    .from(calls)
    .where(inWindow);
  const agents = await scope.tx
    .select({
      agentId: calls.agentId,
      name: users.name,
      calls: sql<number>`count(*)::int`,
      inbound: sql<number>`count(*) filter (where ${calls.direction} = 'inbound')::int`,
      outbound: sql<number>`count(*) filter (where ${calls.direction} = 'outbound')::int`,
      answered,
      talkSeconds,
    })
    .from(calls)
    .innerJoin(users, eq(users.id, calls.agentId))
    .where(inWindow)
    .groupBy(calls.agentId, users.name)
    .orderBy(sql`count(*) desc`);
  const daily = await scope.tx
    .select({
      day: sql<string>`to_char(date_trunc('day', ${calls.startedAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
      calls: sql<number>`count(*)::int`,
      answered,
      missed,
    })
    .from(calls)
    .where(inWindow)
    .groupBy(sql`1`)
    .orderBy(sql`1`);

  const total = totals ?? { calls: 0, answered: 0, missed: 0, talkSeconds: 0 };
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    totals: { ...total, answerRate: rate(total.answered, total.calls) },
    agents: agents.map((agent) => ({
      agentId: agent.agentId ?? "",
      name: agent.name,
      calls: agent.calls,
      inbound: agent.inbound,
      outbound: agent.outbound,
      answered: agent.answered,
      answerRate: rate(agent.answered, agent.calls),
      talkSeconds: agent.talkSeconds,
      averageTalkSeconds:
        agent.answered === 0 ? null : Math.round(agent.talkSeconds / agent.answered),
    })),
    daily,
  };
}
