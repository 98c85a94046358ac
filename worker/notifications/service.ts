import { and, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import {
  DEFAULT_NOTIFICATION_CHANNEL,
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from "../../shared/notifications";
import { notificationPreferences, notifications } from "../db/notification-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import type { TenantScope } from "../lib/scope";
import type { UnitOfWork } from "../lib/unit-of-work";
import type { ListNotificationsQuery, NotificationView } from "./schemas";

/*
 * Telling people: `notify` is the one way any part of the product notifies members (mentions,
 * assignments, task reminders, SLA alerts, ...). Each person's preference for the kind decides
 * where it goes: the bell (in-app, live on their own sockets only), the hourly email digest of
 * what they have not read (digest.ts), both, or nowhere. Nobody is notified of their own act.
 */

export interface Notice {
  kind: NotificationKind;
  title: string;
  body?: string | null;
  /** An app path to the record (`/app/tickets/<id>`). */
  link: string;
}

export async function notify(
  unit: UnitOfWork,
  recipients: (string | null | undefined)[],
  notice: Notice,
  actorId: string | null = null,
) {
  const userIds = [...new Set(recipients.filter((id): id is string => !!id && id !== actorId))];
  if (userIds.length === 0) return;
  const chosen = await unit.tx
    .select({ userId: notificationPreferences.userId, channel: notificationPreferences.channel })
    .from(notificationPreferences)
    .where(
      and(
        inArray(notificationPreferences.userId, userIds),
        eq(notificationPreferences.kind, notice.kind),
      ),
    );
  const channelOf = new Map(chosen.map((row) => [row.userId, row.channel]));
  const rows = userIds.flatMap((userId) => {
    const channel: NotificationChannel = channelOf.get(userId) ?? DEFAULT_NOTIFICATION_CHANNEL;
    if (channel === "off") return [];
    return [
      {
        id: newId(),
        orgId: unit.orgId,
        userId,
        kind: notice.kind,
        title: notice.title.slice(0, 300),
        body: notice.body?.slice(0, 1000) ?? null,
        link: notice.link,
        inApp: channel === "in_app" || channel === "both",
        email: channel === "email" || channel === "both",
      },
    ];
  });
  if (rows.length === 0) return;
  const inserted = await unit.tx.insert(notifications).values(rows).returning();
  for (const row of inserted) {
    if (row.inApp)
      unit.emit({ type: "notification.created", userId: row.userId, notification: toView(row) });
  }
}

function toView(row: typeof notifications.$inferSelect): NotificationView {
  return {
    id: row.id,
    userId: row.userId,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function ownUserId(scope: TenantScope): string {
  if (!scope.actor.userId)
    throw ApiError.forbidden("Notifications belong to people, not API keys.");
  return scope.actor.userId;
}

/** What the bell's badge counts: the person's in-app notifications not read yet. */
async function unreadCount(scope: TenantScope, userId: string): Promise<number> {
  const [count] = await scope.tx
    .select({ unread: sql<number>`count(*)::int` })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.inApp, true),
        isNull(notifications.readAt),
      ),
    );
  return count?.unread ?? 0;
}

/** The caller's bell: unread first, then newest; with the unread count. */
export async function listNotifications(scope: TenantScope, query: ListNotificationsQuery) {
  const userId = ownUserId(scope);
  const mine = and(eq(notifications.userId, userId), eq(notifications.inApp, true));
  const conditions = [mine];
  if (query.unread === "true") conditions.push(isNull(notifications.readAt));
  if (query.unread === "false") conditions.push(sql`${notifications.readAt} is not null`);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    conditions.push(
      or(
        lt(notifications.createdAt, cursor.at),
        and(eq(notifications.createdAt, cursor.at), lt(notifications.id, cursor.id)),
      ),
    );
  }
  const unreadFirst = query.unread === undefined && !query.cursor;
  const rows = await scope.tx
    .select()
    .from(notifications)
    .where(and(...conditions))
    .orderBy(
      ...(unreadFirst ? [sql`${notifications.readAt} is not null`] : []),
      desc(notifications.createdAt),
      desc(notifications.id),
    )
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last && !unreadFirst
      ? encodeCursor(last.createdAt, last.id)
      : null;
  return {
    notifications: page.map(toView),
    nextCursor,
    unreadCount: await unreadCount(scope, userId),
  };
}

/** Marks the caller's notifications read (the ones named, or all); their other tabs follow. */
export async function markNotificationsRead(
  scope: TenantScope,
  input: { ids: string[] } | { all: true },
) {
  const userId = ownUserId(scope);
  const rows = await scope.tx
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        "ids" in input ? inArray(notifications.id, input.ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  const ids = rows.map((row) => row.id);
  if (ids.length > 0) scope.emit({ type: "notification.read", userId, ids });
  return { read: ids.length, unreadCount: await unreadCount(scope, userId) };
}

export async function listPreferences(scope: TenantScope) {
  const userId = ownUserId(scope);
  const rows = await scope.tx
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  const chosen = new Map(rows.map((row) => [row.kind, row.channel]));
  return NOTIFICATION_KINDS.map((kind) => ({
    kind,
    channel: chosen.get(kind) ?? DEFAULT_NOTIFICATION_CHANNEL,
  }));
}

export async function savePreferences(
  scope: TenantScope,
  preferences: { kind: NotificationKind; channel: NotificationChannel }[],
) {
  const userId = ownUserId(scope);
  for (const { kind, channel } of preferences) {
    await scope.tx
      .insert(notificationPreferences)
      .values({ orgId: scope.orgId, userId, kind, channel })
      .onConflictDoUpdate({
        target: [
          notificationPreferences.orgId,
          notificationPreferences.userId,
          notificationPreferences.kind,
        ],
        set: { channel },
      });
  }
  return listPreferences(scope);
}
