import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { UNSOLVED_TICKET_STATUSES } from "../../shared/desk";
import { messagePreview } from "../conversations/conversation-view";
import { loadConversationViews } from "../conversations/load";
import { tickets } from "../db/desk-schema";
import { messages } from "../db/inbox-schema";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { TicketView } from "./schemas";
import { insertComment, insertTicket, loadTicketView, publishTicket } from "./store";

/*
 * An inbox conversation becomes a ticket in one click: the customer's contact is the
 * requester, the conversation's assignee keeps it, and its latest messages (not the team's
 * private notes) are the ticket's first, internal comment. Asking again while that ticket is
 * unsolved answers the same ticket.
 */

const TRANSCRIPT_MESSAGES = 30;

export async function ticketFromConversation(
  scope: TenantScope,
  conversationId: string,
): Promise<{ ticket: TicketView; created: boolean }> {
  requirePermission(scope.actor, "tickets:write");
  const [conversation] = await loadConversationViews(scope.tx, [conversationId]);
  if (!conversation) throw ApiError.notFound("Conversation");
  const [existing] = await scope.tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        eq(tickets.conversationId, conversationId),
        inArray(tickets.status, [...UNSOLVED_TICKET_STATUSES]),
      ),
    )
    .limit(1);
  if (existing) return { ticket: await loadTicketView(scope.tx, existing.id), created: false };

  const latest = await scope.tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), ne(messages.private, true)))
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(TRANSCRIPT_MESSAGES);
  latest.reverse();
  const customer = conversation.contact?.name ?? "Customer";
  const firstWords = latest.find((m) => m.direction === "incoming");
  const subject = firstWords
    ? messagePreview(firstWords.kind, firstWords.body).slice(0, 120) ||
      `${conversation.channel.name} conversation`
    : `${conversation.channel.name} conversation with ${customer}`;
  const ticket = await insertTicket(scope, {
    subject,
    via: "conversation",
    requesterId: conversation.contact?.id ?? null,
    assigneeId: conversation.assigneeId,
    status: conversation.assigneeId ? "open" : "new",
    conversationId,
  });
  const transcript = latest
    .map(
      (m) =>
        `${m.direction === "incoming" ? customer : "Team"} (${m.sentAt.toISOString().slice(0, 16).replace("T", " ")} UTC): ${messagePreview(m.kind, m.body)}`,
    )
    .join("\n");
  await insertComment(scope.tx, scope.orgId, {
    ticketId: ticket.id,
    authorKind: "system",
    authorId: scope.actor.userId,
    public: false,
    body: `Opened from the ${conversation.channel.name} conversation with ${customer}.\n\n${transcript || "(no messages yet)"}`,
    via: "conversation",
  });
  return { ticket: await publishTicket(scope, ticket.id), created: true };
}
