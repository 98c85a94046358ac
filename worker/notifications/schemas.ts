import { z } from "@hono/zod-openapi";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from "../../shared/notifications";
import { paginationQuerySchema } from "../lib/pagination";

export const notificationSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string().nullable(),
    /** The record it is about, as an app path. */
    link: z.string(),
    readAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Notification");
export type NotificationView = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = paginationQuerySchema.extend({
  unread: z.enum(["true", "false"]).optional(),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuerySchema>;

export const markReadBodySchema = z
  .union([
    z.object({ ids: z.array(z.string().uuid()).min(1).max(200) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ])
  .openapi("MarkNotificationsReadRequest");

export const preferenceSchema = z
  .object({ kind: z.enum(NOTIFICATION_KINDS), channel: z.enum(NOTIFICATION_CHANNELS) })
  .strict()
  .openapi("NotificationPreference");

export const putPreferencesBodySchema = z
  .object({ preferences: z.array(preferenceSchema).min(1).max(NOTIFICATION_KINDS.length) })
  .strict()
  .openapi("PutNotificationPreferencesRequest");
