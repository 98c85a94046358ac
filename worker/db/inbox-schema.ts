import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  CHANNEL_TYPES,
  CONVERSATION_PRIORITIES,
  CONVERSATION_STATUSES,
  MESSAGE_DIRECTIONS,
  MESSAGE_KINDS,
  MESSAGE_STATUSES,
} from "../../shared/inbox";
import { contacts, teams } from "./crm-schema";
import { at, tenantColumn, tenantIsolation, timestamps, userColumn } from "./schema";

/*
 * The inbox's channels: where customers write in (a WhatsApp Business number, the website's
 * chat). What a channel is shown with lives in `channels`; what it authenticates with lives in
 * `channel_secrets`, one row per channel, written and never returned by the API, so that a
 * later change can encrypt those columns at rest without touching the rest. Tenant-scoped
 * under RLS like every other table (FORCE in the migration).
 */

export const channelType = pgEnum("channel_type", CHANNEL_TYPES);

/**
 * Who takes a channel's new conversations: a team, and among its members (online, not away,
 * under the cap) the one whose turn it is (`round_robin`) or who has the fewest open
 * conversations (`balanced`). Absent: conversations arrive unassigned.
 */
export interface ChannelAssignment {
  teamId: string;
  mode: "round_robin" | "balanced";
  /** Open conversations an agent may hold before being skipped; null for no cap. */
  maxOpenPerAgent: number | null;
}

/** WhatsApp: the Cloud API number and its business account. */
export interface WhatsAppChannelSettings {
  phoneNumberId: string;
  wabaId: string;
  assignment?: ChannelAssignment | null;
}

/** Website chat: where it may be embedded and what it asks first. */
export interface WebchatChannelSettings {
  allowedOrigins: string[];
  greeting: string | null;
  preChatForm: boolean;
  assignment?: ChannelAssignment | null;
}

export type ChannelSettings = WhatsAppChannelSettings | WebchatChannelSettings;

export const channels = pgTable(
  "channels",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    type: channelType("type").notNull(),
    name: text("name").notNull(),
    settings: jsonb("settings").$type<ChannelSettings>().notNull(),
    createdBy: userColumn("created_by", "set null"),
    ...timestamps,
    deletedAt: at("deleted_at"),
  },
  (table) => [
    index("channels_org_idx").on(table.orgId),
    // One live channel per WhatsApp number across every organization: Meta names the number
    // in each webhook, and a number belongs to one business.
    uniqueIndex("channels_whatsapp_number_key")
      .on(sql`(${table.settings}->>'phoneNumberId')`)
      .where(sql`${table.type} = 'whatsapp' and ${table.deletedAt} is null`),
    tenantIsolation(),
  ],
).enableRLS();

/** A channel's credentials; null where the channel type has none. */
export const channelSecrets = pgTable(
  "channel_secrets",
  {
    channelId: uuid("channel_id")
      .primaryKey()
      .references(() => channels.id, { onDelete: "cascade" }),
    orgId: tenantColumn(),
    /** WhatsApp: the Graph API token the channel sends with. */
    accessToken: text("access_token"),
    /** WhatsApp: signs each webhook (X-Hub-Signature-256). */
    appSecret: text("app_secret"),
    /** WhatsApp: what Meta's verification request must present. */
    verifyToken: text("verify_token"),
    /** Website chat: signs the ids of visitors the tenant's site already knows. */
    identitySecret: text("identity_secret"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  () => [tenantIsolation()],
).enableRLS();

export const conversationStatus = pgEnum("conversation_status", CONVERSATION_STATUSES);
export const conversationPriority = pgEnum("conversation_priority", CONVERSATION_PRIORITIES);
export const messageDirection = pgEnum("message_direction", MESSAGE_DIRECTIONS);
export const messageKind = pgEnum("message_kind", MESSAGE_KINDS);
export const messageStatus = pgEnum("message_status", MESSAGE_STATUSES);

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * A conversation: one customer (`externalId`, their WhatsApp id or the website visitor's id)
 * writing on one channel, attached to the contact they are. While it is not resolved, every
 * message of that customer on that channel joins it (the partial unique index); once resolved,
 * the next one opens a new conversation. Counters are kept on the row so the list is one
 * indexed read.
 */
export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    externalId: text("external_id").notNull(),
    status: conversationStatus("status").notNull().default("open"),
    priority: conversationPriority("priority").notNull().default("none"),
    assigneeId: userColumn("assignee_id", "set null"),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    snoozedUntil: at("snoozed_until"),
    lastMessageAt: at("last_message_at").notNull().defaultNow(),
    lastMessagePreview: text("last_message_preview"),
    /** The customer's last message: WhatsApp's 24-hour window runs from it. */
    lastIncomingAt: at("last_incoming_at"),
    unreadCount: integer("unread_count").notNull().default(0),
    messageCount: integer("message_count").notNull().default(0),
    firstResponseAt: at("first_response_at"),
    resolvedAt: at("resolved_at"),
    /** Set when this conversation was merged into another (its messages moved there). */
    mergedIntoId: uuid("merged_into_id"),
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (table) => [
    index("conversations_org_recent_idx").on(
      table.orgId,
      table.lastMessageAt.desc(),
      table.id.desc(),
    ),
    index("conversations_contact_idx").on(table.contactId),
    index("conversations_assignee_idx").on(table.orgId, table.assigneeId, table.status),
    uniqueIndex("conversations_live_key")
      .on(table.channelId, table.externalId)
      .where(sql`${table.status} <> 'resolved' and ${table.mergedIntoId} is null`),
    foreignKey({
      name: "conversations_merged_into_fk",
      columns: [table.mergedIntoId],
      foreignColumns: [table.id],
    }).onDelete("set null"),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * A conversation's messages, both ways, and the team's private notes. A message from a
 * provider is stored once: `externalId` (WhatsApp's wamid) is unique per channel.
 */
export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    direction: messageDirection("direction").notNull(),
    kind: messageKind("kind").notNull().default("text"),
    /** A private note: seen by the team only, never sent. */
    private: boolean("private").notNull().default(false),
    body: text("body"),
    /** What the kind carries beyond text: media, location, reply ids, template parameters. */
    content: jsonb("content").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    externalId: text("external_id"),
    status: messageStatus("status").notNull(),
    /** Why it failed, in the provider's words: `{ code, title, message }`. */
    error: jsonb("error").$type<Record<string, unknown>>(),
    authorId: userColumn("author_id", "set null"),
    mentions: uuid("mentions").array().notNull().default(sql`'{}'::uuid[]`),
    /** When it was written (the provider's time for incoming messages). */
    sentAt: at("sent_at").notNull().defaultNow(),
    statusAt: at("status_at"),
    search: tsvector("search").generatedAlwaysAs(
      sql.raw("to_tsvector('simple', sb_search_text(coalesce(body, '')))"),
    ),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    index("messages_conversation_idx").on(table.conversationId, table.sentAt, table.id),
    uniqueIndex("messages_external_key")
      .on(table.channelId, table.externalId)
      .where(sql`${table.externalId} is not null`),
    index("messages_search_idx").using("gin", table.search),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * A status Meta reported for a message we have not stored yet (its send's transaction has not
 * committed, or the webhook overtook it): kept until the message arrives, then applied.
 */
export const pendingMessageStatuses = pgTable(
  "pending_message_statuses",
  {
    orgId: tenantColumn(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    status: messageStatus("status").notNull(),
    occurredAt: at("occurred_at").notNull(),
    error: jsonb("error").$type<Record<string, unknown>>(),
    receivedAt: at("received_at").notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.channelId, table.externalId, table.status] }),
    tenantIsolation(),
  ],
).enableRLS();
