import { and, arrayContains, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { MessageKind } from "../../shared/inbox";
import type { OutgoingMediaKind } from "../../shared/inbox-media";
import { can } from "../auth/permissions";
import { assertActiveMember } from "../crm/member-check";
import { assertVersion } from "../crm/records";
import { teams } from "../db/crm-schema";
import { conversations, messages } from "../db/inbox-schema";
import { newOrderedId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import { isUniqueViolation } from "../lib/postgres";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { UnitOfWork } from "../lib/unit-of-work";
import { mentionedMembers } from "../members/mentions";
import { notify } from "../notifications/service";
import { toVisitorMessage } from "../webchat/service";
import { visitorRoomName } from "../webchat/visitor-room";
import { mediaKey } from "../whatsapp/media";
import { renderKnownTemplate } from "../whatsapp/templates";
import {
  type ConversationView,
  type MessageView,
  messagePreview,
  replyWindowEndsAt,
} from "./conversation-view";
import { applyMessageCounts } from "./counters";
import {
  loadConversationViews,
  selectConversationViews,
  toConversationView,
  toMessageView,
} from "./load";
import type {
  ListConversationsQuery,
  ListMessagesQuery,
  SendMessageBody,
  UpdateConversationBody,
} from "./schemas";

/*
 * The shared inbox: conversations (newest activity first, filtered as the inbox's views
 * need), their messages (oldest first), replies, templates and private notes, and the
 * conversation's state (status, assignee, team, labels, priority, snooze), merge, read.
 * Every change is announced to the organization's room (`conversation.updated`,
 * `message.created`); a reply to WhatsApp goes out through the `whatsapp.send` job.
 */

const notMerged = isNull(conversations.mergedIntoId);

function listConditions(scope: TenantScope, query: ListConversationsQuery) {
  const conditions = [notMerged];
  if (query.status) conditions.push(inArray(conversations.status, query.status));
  if (query.assignee === "none") conditions.push(isNull(conversations.assigneeId));
  else if (query.assignee) {
    const assignee = query.assignee === "me" ? scope.actor.userId : query.assignee;
    conditions.push(
      eq(conversations.assigneeId, assignee ?? "00000000-0000-0000-0000-000000000000"),
    );
  }
  if (query.teamId) conditions.push(eq(conversations.teamId, query.teamId));
  if (query.channelId) conditions.push(eq(conversations.channelId, query.channelId));
  if (query.contactId) conditions.push(eq(conversations.contactId, query.contactId));
  if (query.label) conditions.push(arrayContains(conversations.labels, [query.label]));
  if (query.priority) conditions.push(inArray(conversations.priority, query.priority));
  if (query.unread === "true") conditions.push(gt(conversations.unreadCount, 0));
  if (query.unread === "false") conditions.push(eq(conversations.unreadCount, 0));
  if (query.q) {
    conditions.push(
      sql`exists (select 1 from ${messages} m where m.conversation_id = ${conversations.id}
        and m.search @@ plainto_tsquery('simple', sb_search_text(${query.q})))`,
    );
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    const older = or(
      lt(conversations.lastMessageAt, cursor.at),
      and(eq(conversations.lastMessageAt, cursor.at), lt(conversations.id, cursor.id)),
    );
    if (older) conditions.push(older);
  }
  return conditions;
}

export async function listConversations(scope: TenantScope, query: ListConversationsQuery) {
  requirePermission(scope.actor, "inbox:read");
  const rows = await selectConversationViews(scope.tx)
    .where(and(...listConditions(scope, query)))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor(last.conversation.lastMessageAt, last.conversation.id)
      : null;
  return { conversations: page.map(toConversationView), nextCursor };
}

async function conversationView(scope: TenantScope, id: string): Promise<ConversationView> {
  const [view] = await loadConversationViews(scope.tx, [id]);
  if (!view) throw ApiError.notFound("Conversation");
  return view;
}

export async function getConversation(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "inbox:read");
  return conversationView(scope, id);
}

/** A conversation's messages, oldest first; notes included (the team's inbox). */
export async function listMessages(scope: TenantScope, id: string, query: ListMessagesQuery) {
  requirePermission(scope.actor, "inbox:read");
  const given = [query.cursor, query.before, query.from].filter((value) => value !== undefined);
  if (given.length > 1) {
    throw ApiError.validation({ cursor: ["Give only one of cursor, before and from."] });
  }
  await conversationView(scope, id);
  if (query.before !== undefined || query.from === "latest") {
    return newestMessages(scope, id, query.limit, query.before);
  }
  const conditions = [eq(messages.conversationId, id)];
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    const newer = or(
      gt(messages.sentAt, cursor.at),
      and(eq(messages.sentAt, cursor.at), gt(messages.id, cursor.id)),
    );
    if (newer) conditions.push(newer);
  }
  const rows = await scope.tx
    .select()
    .from(messages)
    .where(and(...conditions))
    .orderBy(asc(messages.sentAt), asc(messages.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.sentAt, last.id) : null;
  const first = page[0];
  const previousCursor = query.cursor && first ? encodeCursor(first.sentAt, first.id) : null;
  return { messages: page.map(toMessageView), nextCursor, previousCursor };
}

/**
 * The `limit` messages just older than `before` (or the newest), read newest first by the
 * same (sent_at, id) key and handed back oldest first. `previousCursor` reads further back
 * while there is more; `nextCursor` (the page's last message) reads forward again.
 */
async function newestMessages(scope: TenantScope, id: string, limit: number, before?: string) {
  const conditions = [eq(messages.conversationId, id)];
  if (before !== undefined) {
    const cursor = decodeCursor(before);
    const older = or(
      lt(messages.sentAt, cursor.at),
      and(eq(messages.sentAt, cursor.at), lt(messages.id, cursor.id)),
    );
    if (older) conditions.push(older);
  }
  const rows = await scope.tx
    .select()
    .from(messages)
    .where(and(...conditions))
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit).reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    messages: page.map(toMessageView),
    previousCursor: rows.length > limit && first ? encodeCursor(first.sentAt, first.id) : null,
    nextCursor: before !== undefined && last ? encodeCursor(last.sentAt, last.id) : null,
  };
}

function templateText(template: { name: string; parameters: string[] }): string {
  return template.parameters.length > 0
    ? `${template.name}: ${template.parameters.join(" · ")}`
    : template.name;
}

/** A message from the team (a reply, a template, a note) in the conversation, by the actor. */
async function insertOutgoing(
  scope: TenantScope,
  conversation: ConversationView,
  {
    id,
    ...fields
  }: Omit<
    typeof messages.$inferInsert,
    "id" | "orgId" | "conversationId" | "channelId" | "direction" | "authorId"
  > & { id?: string },
) {
  const [row] = await scope.tx
    .insert(messages)
    .values({
      id: id ?? newOrderedId(),
      orgId: scope.actor.orgId,
      conversationId: conversation.id,
      channelId: conversation.channel.id,
      direction: "outgoing",
      authorId: scope.actor.userId,
      ...fields,
    })
    .returning();
  if (!row) throw new Error("message not stored");
  return row;
}

/**
 * A file the team sends (checked against shared/inbox-media.ts by the caller): `store` writes
 * it to R2 under the key it is given, the organization's `<orgId>/media/<messageId>` as for a
 * customer's file; the caller removes what it wrote if the unit of work fails
 * (worker/conversations/attachments.ts).
 */
export interface OutgoingAttachment {
  kind: OutgoingMediaKind;
  mimeType: string;
  size: number;
  filename: string;
  store: (key: string) => Promise<void>;
}

/** A file with an optional caption: the reply's other shape. */
export interface MediaReply {
  attachment: OutgoingAttachment;
  body: string | null;
}

/**
 * A reply, a template, a file or a private note. Replies to WhatsApp go out through the
 * `whatsapp.send` job once committed (the message shows `pending` until Meta takes it); free
 * text outside WhatsApp's 24-hour window is a 422 (send an approved template). A reply on the
 * website chat is `sent` and pushed to the visitor's room after commit (`delivered` once an open
 * socket of theirs took it, worker/webchat/deliver.ts); a private note never is.
 */
export async function sendMessage(
  scope: TenantScope,
  id: string,
  input: SendMessageBody | MediaReply,
): Promise<MessageView> {
  requirePermission(scope.actor, "inbox:write");
  const conversation = await conversationView(scope, id);
  if (conversation.mergedIntoId) {
    throw ApiError.conflict("This conversation was merged into another; write there.");
  }
  const now = new Date();
  if ("note" in input && input.note === true) {
    const mentions = await mentionedMembers(scope, input.body);
    const view = toMessageView(
      await insertOutgoing(scope, conversation, {
        kind: "text",
        private: true,
        body: input.body,
        status: "received",
        mentions,
        sentAt: now,
      }),
    );
    scope.emit({ type: "message.created", message: view });
    await notify(
      scope,
      mentions,
      {
        kind: "mention",
        title: `${scope.actor.name} mentioned you in a conversation${conversation.contact ? ` with ${conversation.contact.name}` : ""}`,
        body: input.body,
        link: `/app/inbox?c=${conversation.id}`,
      },
      scope.actor.userId,
    );
    return view;
  }
  const isTemplate = "template" in input;
  const attachment = "attachment" in input ? input.attachment : null;
  if (conversation.channel.type === "whatsapp" && !isTemplate) {
    const window = replyWindowEndsAt(
      "whatsapp",
      conversation.lastIncomingAt ? new Date(conversation.lastIncomingAt) : null,
    );
    if (!window) {
      throw ApiError.validation(
        {
          [attachment ? "file" : "body"]: [
            "WhatsApp's 24-hour window is closed: send an approved template instead.",
          ],
        },
        "Outside WhatsApp's 24-hour customer-service window only templates may be sent.",
      );
    }
  }
  if (isTemplate && conversation.channel.type !== "whatsapp") {
    throw ApiError.validation({ template: ["Templates are WhatsApp's; write a reply instead."] });
  }
  if (
    conversation.channel.type === "whatsapp" &&
    attachment?.kind === "audio" &&
    "attachment" in input &&
    input.body
  ) {
    throw ApiError.validation({
      body: ["WhatsApp's audio messages carry no caption; send the text as a reply of its own."],
    });
  }
  const kind: MessageKind = isTemplate ? "template" : (attachment?.kind ?? "text");
  const body = isTemplate
    ? (renderKnownTemplate(conversation.channel.id, input.template) ?? templateText(input.template))
    : input.body;
  const webchat = conversation.channel.type === "webchat";
  const messageId = newOrderedId();
  if (attachment) await attachment.store(mediaKey(scope.actor.orgId, messageId));
  const row = await insertOutgoing(scope, conversation, {
    id: messageId,
    kind,
    body,
    content: isTemplate
      ? { template: input.template }
      : attachment
        ? {
            stored: true,
            mimeType: attachment.mimeType,
            size: attachment.size,
            filename: attachment.filename,
          }
        : {},
    status: webchat ? "sent" : "pending",
    sentAt: now,
  });
  await applyMessageCounts(scope, [
    { conversationId: id, direction: "outgoing", at: now, preview: messagePreview(kind, body) },
  ]);
  if (conversation.channel.type === "whatsapp") {
    scope.enqueue({ type: "whatsapp.send", jobId: row.id, messageId: row.id });
  }
  if (webchat) {
    scope.notifyVisitor({
      channelId: conversation.channel.id,
      externalId: conversation.externalId,
      event: { type: "message.created", message: toVisitorMessage(row, scope.actor.name) },
      deliveredMessageId: row.id,
    });
  }
  const view = toMessageView(row);
  scope.emit({ type: "message.created", message: view });
  scope.emit({ type: "conversation.updated", conversation: await conversationView(scope, id) });
  return view;
}

export async function updateConversation(
  scope: TenantScope,
  id: string,
  input: UpdateConversationBody,
): Promise<ConversationView> {
  requirePermission(scope.actor, "inbox:write");
  const current = await conversationView(scope, id);
  assertVersion(current, input.version);
  if (current.mergedIntoId) throw ApiError.conflict("This conversation was merged into another.");
  if (input.assigneeId) await assertActiveMember(scope, input.assigneeId, "assigneeId");
  if (input.teamId) {
    const [team] = await scope.tx
      .select({ id: teams.id })
      .from(teams)
      .where(eq(teams.id, input.teamId));
    if (!team) throw ApiError.validation({ teamId: ["No such team in this organization."] });
  }
  const status = input.status ?? current.status;
  const snoozedUntil =
    input.snoozedUntil !== undefined
      ? input.snoozedUntil
      : status === "snoozed"
        ? current.snoozedUntil
        : null;
  if (status === "snoozed") {
    if (!snoozedUntil || new Date(snoozedUntil).getTime() <= Date.now()) {
      throw ApiError.validation({ snoozedUntil: ["Snoozing needs a time in the future."] });
    }
  } else if (input.snoozedUntil) {
    throw ApiError.validation({
      snoozedUntil: ["Only a snoozed conversation has a wake-up time."],
    });
  }
  const statusChanged = input.status !== undefined && input.status !== current.status;
  try {
    await scope.tx
      .update(conversations)
      .set({
        status,
        snoozedUntil: status === "snoozed" && snoozedUntil ? new Date(snoozedUntil) : null,
        resolvedAt: statusChanged ? (status === "resolved" ? new Date() : null) : undefined,
        assigneeId: input.assigneeId,
        teamId: input.teamId,
        labels: input.labels ? [...new Set(input.labels)] : undefined,
        priority: input.priority,
        updatedAt: new Date(),
        version: current.version + 1,
      })
      .where(eq(conversations.id, id));
  } catch (error) {
    if (isUniqueViolation(error, "conversations_live_key")) {
      throw ApiError.conflict(
        "This customer has another open conversation on this channel; merge the two instead.",
      );
    }
    throw error;
  }
  const view = await conversationView(scope, id);
  scope.emit({ type: "conversation.updated", conversation: view });
  if (input.assigneeId && input.assigneeId !== current.assigneeId) {
    await notify(
      scope,
      [input.assigneeId],
      {
        kind: "assignment",
        title: `A conversation${view.contact ? ` with ${view.contact.name}` : ""} was assigned to you`,
        body: view.lastMessagePreview ?? null,
        link: `/app/inbox?c=${view.id}`,
      },
      scope.actor.userId,
    );
  }
  return view;
}

/**
 * An agent writes a reply: on a website chat, the visitor's room to tell (with the agent's
 * name); null for channels that show nothing (WhatsApp has no typing indicator to send).
 */
export async function agentTyping(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "inbox:write");
  const conversation = await conversationView(scope, id);
  if (conversation.channel.type !== "webchat" || conversation.status === "resolved") return null;
  return {
    room: visitorRoomName(conversation.channel.id, conversation.externalId),
    author: scope.actor.name,
  };
}

/**
 * The team has read the conversation: its unread count goes to zero. Someone who only
 * watches the inbox (a viewer) reads without clearing it for the people who answer.
 */
export async function markConversationRead(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "inbox:read");
  const current = await conversationView(scope, id);
  if (current.unreadCount === 0 || !can(scope.actor.role, "inbox:write")) return current;
  await scope.tx
    .update(conversations)
    .set({ unreadCount: 0, updatedAt: new Date(), version: current.version + 1 })
    .where(eq(conversations.id, id));
  const view = await conversationView(scope, id);
  scope.emit({ type: "conversation.updated", conversation: view });
  return view;
}

/**
 * Merges a conversation into another of the same contact: its messages move (in their order
 * of writing), the target's counters are recounted, and the merged one is resolved and points
 * at the target (old links lead there).
 */
export async function mergeConversation(scope: TenantScope, id: string, intoId: string) {
  requirePermission(scope.actor, "inbox:write");
  if (id === intoId) {
    throw ApiError.validation({ intoId: ["A conversation cannot be merged into itself."] });
  }
  const [source, target] = await Promise.all([
    conversationView(scope, id),
    loadConversationViews(scope.tx, [intoId]).then(([view]) => view),
  ]);
  if (!target) throw ApiError.validation({ intoId: ["No such conversation."] });
  if (source.mergedIntoId || target.mergedIntoId) {
    throw ApiError.conflict("One of the two conversations was merged already.");
  }
  if (!source.contact || source.contact.id !== target.contact?.id) {
    throw ApiError.validation({ intoId: ["Only two conversations of the same contact merge."] });
  }
  return moveConversationInto(scope, source, intoId);
}

/**
 * The merge itself, for a caller that checked it (two live conversations of one contact): the
 * messages move, the source is resolved with `mergedIntoId`, the target's counters are redone.
 * An agent's merge and a website visitor the site identified both merge through here.
 */
export async function moveConversationInto(
  scope: UnitOfWork,
  source: ConversationView,
  intoId: string,
) {
  const id = source.id;
  await scope.tx
    .update(messages)
    .set({ conversationId: intoId })
    .where(eq(messages.conversationId, id));
  await scope.tx
    .update(conversations)
    .set({
      mergedIntoId: intoId,
      status: "resolved",
      resolvedAt: sql`coalesce(${conversations.resolvedAt}, now())`,
      snoozedUntil: null,
      unreadCount: 0,
      messageCount: 0,
      updatedAt: new Date(),
      version: source.version + 1,
    })
    .where(eq(conversations.id, id));
  await scope.tx.execute(sql`
    update ${conversations} c set
      message_count = s.total,
      unread_count = c.unread_count + ${source.unreadCount},
      last_message_at = greatest(c.last_message_at, s.last_at),
      last_incoming_at = s.last_incoming_at,
      first_response_at = least(c.first_response_at, ${source.firstResponseAt}::timestamptz),
      labels = array(select distinct unnest(c.labels || ${sql.param(source.labels)}::text[])),
      updated_at = now(),
      version = c.version + 1
    from (
      select count(*) filter (where not m.private)::int as total,
        max(m.sent_at) filter (where not m.private) as last_at,
        max(m.sent_at) filter (where m.direction = 'incoming') as last_incoming_at
      from ${messages} m where m.conversation_id = ${intoId}
    ) s
    where c.id = ${intoId}`);
  const [latest] = await scope.tx
    .select({ kind: messages.kind, body: messages.body })
    .from(messages)
    .where(and(eq(messages.conversationId, intoId), eq(messages.private, false)))
    .orderBy(desc(messages.sentAt), desc(messages.id))
    .limit(1);
  if (latest) {
    await scope.tx
      .update(conversations)
      .set({ lastMessagePreview: messagePreview(latest.kind, latest.body) })
      .where(eq(conversations.id, intoId));
  }
  const views = await loadConversationViews(scope.tx, [id, intoId]);
  for (const conversation of views) scope.emit({ type: "conversation.updated", conversation });
  const merged = views.find((view) => view.id === intoId);
  if (!merged) throw new Error("merged conversation vanished");
  return merged;
}
