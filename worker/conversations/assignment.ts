import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { teamMembers } from "../db/crm-schema";
import {
  type ChannelAssignment,
  type ChannelSettings,
  channels,
  conversations,
} from "../db/inbox-schema";
import { memberships } from "../db/schema";
import { callAgents } from "../db/telephony-schema";
import type { UnitOfWork } from "../lib/unit-of-work";

/*
 * Automatic assignment of new conversations (a channel's `assignment`): to the channel's team,
 * and to one of its members who is online (has the app open), not away (the agent status they
 * set), and under the cap of open conversations; `round_robin` takes the member assigned least
 * recently, `balanced` the one with the fewest open conversations (then least recently). No
 * one eligible: the conversation waits unassigned, in the team's queue.
 */

export interface Candidate {
  userId: string;
  open: number;
  /** When they were last given a conversation (0 if never). */
  lastAssignedAt: number;
}

/** Whose turn it is among eligible candidates; null when none may take one. */
export function pickAssignee(
  candidates: Candidate[],
  rule: Pick<ChannelAssignment, "mode" | "maxOpenPerAgent">,
): Candidate | null {
  const eligible = candidates.filter(
    (c) => rule.maxOpenPerAgent === null || c.open < rule.maxOpenPerAgent,
  );
  if (eligible.length === 0) return null;
  const byTurn = (a: Candidate, b: Candidate) =>
    a.lastAssignedAt - b.lastAssignedAt || a.userId.localeCompare(b.userId);
  eligible.sort(rule.mode === "balanced" ? (a, b) => a.open - b.open || byTurn(a, b) : byTurn);
  return eligible[0] ?? null;
}

/**
 * Assigns `created` conversations of channels with an assignment rule. `online` says who has
 * the app open (the organization's room); asked only when some channel has a rule.
 */
export async function assignNewConversations(
  unit: UnitOfWork,
  created: { id: string; channelId: string }[],
  online: () => Promise<Set<string>>,
): Promise<string[]> {
  if (created.length === 0) return [];
  const rules = await unit.tx
    .select({ id: channels.id, settings: channels.settings })
    .from(channels)
    .where(inArray(channels.id, [...new Set(created.map((c) => c.channelId))]));
  const ruleOf = new Map<string, ChannelAssignment>();
  for (const row of rules) {
    const assignment = (row.settings as ChannelSettings).assignment;
    if (assignment) ruleOf.set(row.id, assignment);
  }
  if (ruleOf.size === 0) return [];
  const present = await online();
  const teamIds = [...new Set([...ruleOf.values()].map((rule) => rule.teamId))];
  const members = await unit.tx
    .select({
      teamId: teamMembers.teamId,
      userId: teamMembers.userId,
      open: sql<number>`(select count(*)::int from ${conversations} c
        where c.assignee_id = ${teamMembers.userId} and c.status in ('open', 'pending')
          and c.merged_into_id is null)`,
      lastAssignedAt: sql<string | null>`(select max(c.created_at) from ${conversations} c
        where c.assignee_id = ${teamMembers.userId})`,
    })
    .from(teamMembers)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, teamMembers.userId), eq(memberships.status, "active")),
    )
    .leftJoin(callAgents, eq(callAgents.userId, teamMembers.userId))
    .where(
      and(
        inArray(teamMembers.teamId, teamIds),
        sql`(${callAgents.status} is null or ${callAgents.status} <> 'away')`,
      ),
    );
  const pools = new Map<string, Candidate[]>();
  const candidates = new Map<string, Candidate>();
  for (const member of members) {
    if (!present.has(member.userId)) continue;
    const candidate = candidates.get(member.userId) ?? {
      userId: member.userId,
      open: member.open,
      lastAssignedAt: member.lastAssignedAt ? new Date(member.lastAssignedAt).getTime() : 0,
    };
    candidates.set(member.userId, candidate);
    pools.set(member.teamId, [...(pools.get(member.teamId) ?? []), candidate]);
  }
  const assigned: string[] = [];
  let turn = Date.now();
  for (const conversation of created) {
    const rule = ruleOf.get(conversation.channelId);
    if (!rule) continue;
    const chosen = pickAssignee([...(pools.get(rule.teamId) ?? [])], rule);
    await unit.tx
      .update(conversations)
      .set({ teamId: rule.teamId, assigneeId: chosen?.userId ?? null })
      .where(and(eq(conversations.id, conversation.id), isNull(conversations.assigneeId)));
    if (chosen) {
      chosen.open += 1;
      turn += 1;
      chosen.lastAssignedAt = turn;
      assigned.push(conversation.id);
    }
  }
  return assigned;
}
