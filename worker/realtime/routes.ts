import { getServerByName } from "partyserver";
import { PRESENCE_USER_HEADER } from "../../durable-objects/tenant-room";
import { readCredential } from "../auth/credentials";
import { requireOwnOriginForCookies } from "../auth/middleware";
import { ApiError } from "../lib/errors";
import type { createRouter } from "../lib/hono";
import { withTenant } from "../lib/hono";
import { requireWebSocketUpgrade, upgradeRequestFor } from "../lib/websocket-upgrade";
import type { PresenceUser } from "./events";

/**
 * GET /api/v1/realtime (WebSocket). The socket is authenticated here, before the upgrade,
 * with the access cookie or a Bearer token; the room is the caller's organization, chosen by
 * the server. The room learns who connected only from the header the Worker sets.
 */
export function registerRealtimeRoutes(app: ReturnType<typeof createRouter>) {
  app.get("/realtime", async (c) => {
    requireWebSocketUpgrade(c);
    const presented = await readCredential(c.req.raw, c.var.config);
    if (presented?.credential.kind !== "access_token") throw ApiError.unauthenticated();
    requireOwnOriginForCookies(c, presented.source === "cookie");
    c.set("credential", presented.credential);
    const user = await withTenant(c, async ({ actor }): Promise<PresenceUser> => {
      if (!actor.userId) throw ApiError.unauthenticated();
      return { userId: actor.userId, name: actor.name, role: actor.role };
    });
    const room = await getServerByName(c.env.TENANT_ROOM, presented.credential.claims.org);
    return room.fetch(upgradeRequestFor(c, PRESENCE_USER_HEADER, user));
  });
}
