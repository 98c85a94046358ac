import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { CHANNEL_TYPES } from "../../shared/inbox";
import { at, tenantColumn, tenantIsolation, timestamps, userColumn } from "./schema";

/*
 * The inbox's channels: where customers write in (a WhatsApp Business number, the website's
 * chat). What a channel is shown with lives in `channels`; what it authenticates with lives in
 * `channel_secrets`, one row per channel, written and never returned by the API, so that a
 * later change can encrypt those columns at rest without touching the rest. Tenant-scoped
 * under RLS like every other table (FORCE in the migration).
 */

export const channelType = pgEnum("channel_type", CHANNEL_TYPES);

/** WhatsApp: the Cloud API number and its business account. */
export interface WhatsAppChannelSettings {
  phoneNumberId: string;
  wabaId: string;
}

/** Website chat: where it may be embedded and what it asks first. */
export interface WebchatChannelSettings {
  allowedOrigins: string[];
  greeting: string | null;
  preChatForm: boolean;
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
