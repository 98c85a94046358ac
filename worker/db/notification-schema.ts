import { sql } from "drizzle-orm";
import { boolean, index, pgEnum, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from "../../shared/notifications";
import { at, tenantColumn, tenantIsolation, userColumn } from "./schema";

/*
 * A person's notifications (the bell) and their preferences per kind. One row per person
 * told; `in_app` rows show in the bell, `email` rows go into the hourly digest while unread.
 */

export const notificationKind = pgEnum("notification_kind", NOTIFICATION_KINDS);
export const notificationChannel = pgEnum("notification_channel", NOTIFICATION_CHANNELS);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    userId: userColumn("user_id", "cascade").notNull(),
    kind: notificationKind("kind").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    /** The record it is about, as an app path (`/app/tickets/<id>`). */
    link: text("link").notNull(),
    inApp: boolean("in_app").notNull(),
    /** Wanted in the email digest if still unread after an hour. */
    email: boolean("email").notNull(),
    readAt: at("read_at"),
    emailedAt: at("emailed_at"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    index("notifications_user_created_idx").on(table.orgId, table.userId, table.createdAt.desc()),
    index("notifications_digest_idx")
      .on(table.createdAt)
      .where(sql`${table.email} and ${table.readAt} is null and ${table.emailedAt} is null`),
    tenantIsolation(),
  ],
).enableRLS();

export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    orgId: tenantColumn(),
    userId: userColumn("user_id", "cascade").notNull(),
    kind: notificationKind("kind").notNull(),
    channel: notificationChannel("channel").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.userId, table.kind] }), tenantIsolation()],
).enableRLS();
