import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { conversations } from "../db/inbox-schema";
import { requirePermission, type TenantScope } from "../lib/scope";

/*
 * The sidebar's Inbox badge (docs/decisions/039-inbox-flow.md): conversations with unread
 * messages that the member can act on: open or pending, assigned to them or to no one (as
 * Chatwoot counts "mine + unassigned"). The shell reads their ids once (one read of the
 * `conversations_assignee_idx` index) and keeps the set current from `conversation.updated`
 * events (app/lib/use-inbox-badge.ts), with the same rule as `countsForInboxBadge`.
 */

/** The most ids the shell carries; beyond it the badge says "99+" anyway. */
export const INBOX_BADGE_LIMIT = 200;

export async function inboxBadgeIds(scope: TenantScope): Promise<string[]> {
  requirePermission(scope.actor, "inbox:read");
  const me = scope.actor.userId;
  const mineOrNobody = me
    ? or(eq(conversations.assigneeId, me), isNull(conversations.assigneeId))
    : isNull(conversations.assigneeId);
  const rows = await scope.tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.orgId, scope.actor.orgId),
        inArray(conversations.status, ["open", "pending"]),
        gt(conversations.unreadCount, 0),
        isNull(conversations.mergedIntoId),
        mineOrNobody,
      ),
    )
    .limit(INBOX_BADGE_LIMIT);
  return rows.map((row) => row.id);
}
