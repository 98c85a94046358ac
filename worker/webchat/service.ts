import { and, arrayContains, desc, eq, isNull, sql } from "drizzle-orm";
import type { VisitorConversation, VisitorMessage } from "../../shared/webchat";
import { mostRecentlyWorkedOn } from "../contacts/by-number";
import { assignNewConversations } from "../conversations/assignment";
import { messagePreview } from "../conversations/conversation-view";
import { applyMessageCounts } from "../conversations/counters";
import {
  contactFromCustomer,
  customerConversations,
  earlierCustomerContact,
} from "../conversations/customers";
import { loadConversationViews, toMessageView } from "../conversations/load";
import type { Database, Tx } from "../db/client";
import { contacts } from "../db/crm-schema";
import { channels, conversations, messages } from "../db/inbox-schema";
import { users } from "../db/schema";
import { newOrderedId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { type AfterCommit, runUnitOfWork, type UnitOfWork } from "../lib/unit-of-work";
import type { WebchatChannel } from "./channel";
import type { VisitorClaims } from "./visitor-token";

/*
 * The website chat's visitor side: the visitor's conversation and its messages (never a
 * private note, never another visitor's), and what they write, stored as an incoming message
 * of their open conversation in one unit of work, as WhatsApp's ingest stores a customer's
 * (worker/whatsapp/ingest.ts): the same rule for the open conversation
 * (`customerConversations`), the same counters, the same events for the inbox.
 */

export interface Visitor {
  channel: WebchatChannel;
  claims: VisitorClaims;
}

/** How many of the latest messages a visitor's chat shows. */
const HISTORY_LIMIT = 200;

type MessageRow = typeof messages.$inferSelect;

const VISITOR_MEDIA_KINDS = new Set(["image", "document", "audio", "video"]);

/** A message as its visitor sees it; a file's URL is signed on the way out (./media.ts). */
export function toVisitorMessage(row: MessageRow, author: string | null): VisitorMessage {
  const message: VisitorMessage = {
    id: row.id,
    direction: row.direction,
    body: row.body ?? "",
    author: row.direction === "outgoing" ? author : null,
    status: row.status,
    sentAt: row.sentAt.toISOString(),
  };
  const { content } = row;
  if (VISITOR_MEDIA_KINDS.has(row.kind) && content.stored === true) {
    message.media = {
      kind: row.kind as NonNullable<VisitorMessage["media"]>["kind"],
      mimeType: typeof content.mimeType === "string" ? content.mimeType : "",
      filename: typeof content.filename === "string" ? content.filename : null,
      size: typeof content.size === "number" ? content.size : null,
    };
  }
  return message;
}

function scopeOf(visitor: Visitor) {
  return { orgId: visitor.channel.orgId, userId: null };
}

/**
 * The visitor's conversation on the channel: the open one, else their latest (resolved; their
 * next message starts a new one). A merged conversation's messages moved to another
 * conversation, perhaps on another channel: the visitor sees neither.
 */
/** Serializes the writes of one visitor of a chat (their messages, their identification). */
export async function lockVisitor(unit: UnitOfWork, channelId: string, externalId: string) {
  await unit.tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`webchat ${channelId} ${externalId}`}, 0))`,
  );
}

async function visitorConversation(tx: Tx, visitor: Visitor) {
  const [row] = await tx
    .select({ id: conversations.id, status: conversations.status })
    .from(conversations)
    .where(
      and(
        eq(conversations.channelId, visitor.channel.id),
        eq(conversations.externalId, visitor.claims.sub),
        isNull(conversations.mergedIntoId),
      ),
    )
    .orderBy(sql`${conversations.status} <> 'resolved' desc`, desc(conversations.createdAt))
    .limit(1);
  return row ?? null;
}

async function conversationMessages(tx: Tx, conversationId: string): Promise<VisitorMessage[]> {
  const rows = await tx
    .select({ message: messages, author: users.name })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(and(eq(messages.conversationId, conversationId), eq(messages.private, false)))
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(HISTORY_LIMIT);
  return rows.reverse().map((row) => toVisitorMessage(row.message, row.author));
}

/** The visitor's conversation (or null) and its latest messages, oldest first. */
export async function readVisitorConversation(
  database: Database,
  visitor: Visitor,
): Promise<{ conversation: VisitorConversation | null; messages: VisitorMessage[] }> {
  return database.transaction(scopeOf(visitor), async (tx) => {
    const conversation = await visitorConversation(tx, visitor);
    if (!conversation) return { conversation: null, messages: [] };
    return { conversation, messages: await conversationMessages(tx, conversation.id) };
  });
}

/**
 * Stores what the visitor wrote in their open conversation (started where there is none, with
 * their contact), announces it to the inbox and to the visitor's other tabs.
 */
export async function storeVisitorMessage(
  database: Database,
  afterCommit: AfterCommit,
  visitor: Visitor,
  body: string,
  /** Who has the app open (for automatic assignment), asked only when needed. */
  online: () => Promise<Set<string>>,
): Promise<{ message: VisitorMessage; conversation: VisitorConversation }> {
  return runUnitOfWork(database, scopeOf(visitor), afterCommit, async (unit) => {
    const channelId = visitor.channel.id;
    const externalId = visitor.claims.sub;
    const [live] = await unit.tx
      .select({ id: channels.id })
      .from(channels)
      .where(
        and(eq(channels.id, channelId), eq(channels.type, "webchat"), isNull(channels.deletedAt)),
      );
    if (!live) throw ApiError.notFound("Website chat");
    // One visitor's first messages from two tabs at once make one contact, not two.
    await lockVisitor(unit, channelId, externalId);
    const [open] = await unit.tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(
          eq(conversations.channelId, channelId),
          eq(conversations.externalId, externalId),
          sql`${conversations.status} <> 'resolved'`,
          isNull(conversations.mergedIntoId),
        ),
      );
    const now = new Date();
    const contactId = open ? null : await visitorContact(unit, visitor);
    const { conversationOf, created } = await customerConversations(unit, [
      { channelId, externalId, contactId, startedAt: now, channelLabel: "Website chat" },
    ]);
    await assignNewConversations(unit, created, online);
    const conversationId = conversationOf(channelId, externalId);
    const [row] = await unit.tx
      .insert(messages)
      .values({
        id: newOrderedId(),
        orgId: unit.orgId,
        conversationId,
        channelId,
        direction: "incoming",
        kind: "text",
        body,
        status: "received",
        sentAt: now,
      })
      .returning();
    if (!row) throw new Error("message not stored");
    await applyMessageCounts(unit, [
      { conversationId, direction: "incoming", at: now, preview: messagePreview("text", body) },
    ]);
    unit.emit({ type: "message.created", message: toMessageView(row) });
    const [view] = await loadConversationViews(unit.tx, [conversationId]);
    if (!view) throw new Error("conversation vanished");
    unit.emit({ type: "conversation.updated", conversation: view });
    const message = toVisitorMessage(row, null);
    unit.notifyVisitor({ channelId, externalId, event: { type: "message.created", message } });
    return { message, conversation: { id: view.id, status: view.status } };
  });
}

/**
 * The contact a visitor already has: the one of their earlier conversation on this chat, else,
 * for a visitor the site identified, the contact with their e-mail; null for a newcomer.
 */
export async function knownVisitorContact(
  unit: UnitOfWork,
  visitor: Visitor,
): Promise<string | null> {
  const { claims } = visitor;
  const earlier = await earlierCustomerContact(unit, visitor.channel.id, claims.sub);
  if (earlier) return earlier;
  const email = claims.email?.toLowerCase() ?? null;
  if (!claims.sub.startsWith("user:") || !email) return null;
  const [known] = await unit.tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(arrayContains(contacts.emailAddresses, [email]), isNull(contacts.deletedAt)))
    .orderBy(...mostRecentlyWorkedOn)
    .limit(1);
  return known?.id ?? null;
}

/**
 * The contact a visitor's new conversation joins: the one of their earlier conversation on this
 * chat; for a visitor the site identified (a valid hash), the contact with their e-mail; else a
 * new contact with the name and e-mail they gave. An anonymous visitor's e-mail is not proof of
 * who they are, so it never joins them to an existing contact.
 */
async function visitorContact(unit: UnitOfWork, visitor: Visitor): Promise<string> {
  const { claims } = visitor;
  const known = await knownVisitorContact(unit, visitor);
  if (known) return known;
  const email = claims.email?.toLowerCase() ?? null;
  const contact = contactFromCustomer(unit.orgId, null, claims.name ?? null, email);
  await unit.tx.insert(contacts).values(contact);
  unit.emit({ type: "contact.created", id: contact.id, version: 1, actorId: null });
  return contact.id;
}
