import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonBody, jsonResponse } from "../lib/openapi";
import {
  listNotificationsQuerySchema,
  markReadBodySchema,
  notificationSchema,
  preferenceSchema,
  putPreferencesBodySchema,
} from "./schemas";
import {
  listNotifications,
  listPreferences,
  markNotificationsRead,
  savePreferences,
} from "./service";

const tags = ["Notifications"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/notifications",
  tags,
  summary: "Your notifications (the bell): unread first, newest first; `meta.unreadCount`",
  request: { query: listNotificationsQuerySchema },
  responses: { 200: jsonResponse(z.array(notificationSchema), "Notifications"), ...errorResponses },
});

const readRoute = authenticatedRoute({
  method: "post",
  path: "/notifications/read",
  tags,
  summary: "Mark notifications read: `{ ids }` or `{ all: true }`",
  request: { body: jsonBody(markReadBodySchema) },
  responses: {
    200: jsonResponse(z.object({ read: z.number().int(), unreadCount: z.number().int() }), "Read"),
    ...errorResponses,
  },
});

const getPreferencesRoute = authenticatedRoute({
  method: "get",
  path: "/notifications/preferences",
  tags,
  summary: "Where each kind of notification reaches you (in-app, email digest, both, off)",
  responses: { 200: jsonResponse(z.array(preferenceSchema), "Preferences"), ...errorResponses },
});

const putPreferencesRoute = authenticatedRoute({
  method: "put",
  path: "/notifications/preferences",
  tags,
  summary: "Change where kinds of notification reach you (the kinds not sent stay as they are)",
  request: { body: jsonBody(putPreferencesBodySchema) },
  responses: { 200: jsonResponse(z.array(preferenceSchema), "Preferences"), ...errorResponses },
});

export function registerNotificationRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listNotifications(scope, query));
    return c.json(
      ok(result.notifications, "OK", {
        pagination: { nextCursor: result.nextCursor, limit: query.limit },
        unreadCount: result.unreadCount,
      }),
      200,
    );
  });

  app.openapi(readRoute, async (c) => {
    const body = c.req.valid("json");
    return c.json(ok(await withTenant(c, (scope) => markNotificationsRead(scope, body))), 200);
  });

  app.openapi(getPreferencesRoute, async (c) => {
    return c.json(ok(await withTenant(c, listPreferences)), 200);
  });

  app.openapi(putPreferencesRoute, async (c) => {
    const { preferences } = c.req.valid("json");
    const saved = await withTenant(c, (scope) => savePreferences(scope, preferences));
    return c.json(ok(saved, "Preferences saved."), 200);
  });
}
