import { eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { contacts } from "../db/crm-schema";
import { channels, conversations, type messages } from "../db/inbox-schema";
import { type ConversationView, type MessageView, replyWindowEndsAt } from "./conversation-view";

/* Conversation and message rows read into their views (conversation-view.ts). */

type MessageRow = typeof messages.$inferSelect;

export function toMessageView(row: MessageRow): MessageView {
  const error = row.error as MessageView["error"] | null;
  return {
    id: row.id,
    conversationId: row.conversationId,
    direction: row.direction,
    kind: row.kind,
    private: row.private,
    body: row.body,
    content: row.content,
    status: row.status,
    error: error ?? null,
    authorId: row.authorId,
    mentions: row.mentions,
    externalId: row.externalId,
    sentAt: row.sentAt.toISOString(),
    statusAt: row.statusAt?.toISOString() ?? null,
  };
}

/** The columns a conversation view needs: the row, its channel and its contact. */
const conversationViewColumns = {
  conversation: conversations,
  channelType: channels.type,
  channelName: channels.name,
  contactName: sql<
    string | null
  >`nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), '')`,
  contactPhone: sql<string | null>`${contacts.phoneNumbers}[1]`,
};

type ConversationViewRow = {
  conversation: typeof conversations.$inferSelect;
  channelType: ConversationView["channel"]["type"];
  channelName: string;
  contactName: string | null;
  contactPhone: string | null;
};

export function selectConversationViews(tx: Tx) {
  return tx
    .select(conversationViewColumns)
    .from(conversations)
    .innerJoin(channels, eq(channels.id, conversations.channelId))
    .leftJoin(contacts, eq(contacts.id, conversations.contactId));
}

export function toConversationView(row: ConversationViewRow): ConversationView {
  const c = row.conversation;
  return {
    id: c.id,
    channel: { id: c.channelId, type: row.channelType, name: row.channelName },
    contact: c.contactId
      ? { id: c.contactId, name: row.contactName ?? "Unnamed contact", phone: row.contactPhone }
      : null,
    externalId: c.externalId,
    status: c.status,
    priority: c.priority,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    labels: c.labels,
    snoozedUntil: c.snoozedUntil?.toISOString() ?? null,
    lastMessageAt: c.lastMessageAt.toISOString(),
    lastMessagePreview: c.lastMessagePreview,
    lastIncomingAt: c.lastIncomingAt?.toISOString() ?? null,
    replyWindowEndsAt: replyWindowEndsAt(row.channelType, c.lastIncomingAt)?.toISOString() ?? null,
    unreadCount: c.unreadCount,
    messageCount: c.messageCount,
    firstResponseAt: c.firstResponseAt?.toISOString() ?? null,
    resolvedAt: c.resolvedAt?.toISOString() ?? null,
    mergedIntoId: c.mergedIntoId,
    createdAt: c.createdAt.toISOString(),
    version: c.version,
  };
}

export async function loadConversationViews(tx: Tx, ids: string[]): Promise<ConversationView[]> {
  if (ids.length === 0) return [];
  const rows = await selectConversationViews(tx).where(inArray(conversations.id, ids));
  return rows.map(toConversationView);
}
