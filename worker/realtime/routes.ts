import { readCredential } from "../auth/credentials";
import { requireOwnOriginForCookies } from "../auth/middleware";
import { ApiError } from "../lib/errors";
import type { createRouter } from "../lib/hono";
import { withTenant } from "../lib/hono";
import { requireWebSocketUpgrade, upgradeRequestFor } from "../lib/websocket-upgrade";
import type { PresenceUser, SocketIdentity } from "./events";
import { SOCKET_IDENTITY_HEADER } from "./tenant-room";

/**
 * GET /api/v1/realtime (WebSocket). The socket is authenticated here, before the upgrade,
 * with the access cookie or a Bearer token; the room is the caller's organization, chosen by
 * the server. The signed token says who (name and role included), so the common case needs no
 * database round trip; the room refuses tokens issued before a revocation that concerns them.
 * The room learns who connected only from the header the Worker sets.
 */
export function registerRealtimeRoutes(app: ReturnType<typeof createRouter>) {
  app.get("/realtime", async (c) => {
    requireWebSocketUpgrade(c);
    const presented = await readCredential(c.req.raw, c.var.config);
    if (presented?.credential.kind !== "access_token") throw ApiError.unauthenticated();
    requireOwnOriginForCookies(c, presented.source === "cookie");
    const { claims } = presented.credential;
    let user: PresenceUser;
    if (claims.name !== undefined && claims.role !== undefined) {
      user = { userId: claims.sub, name: claims.name, role: claims.role };
    } else {
      // A token signed before tokens carried name and role: ask the database once.
      c.set("credential", presented.credential);
      user = await withTenant(c, async ({ actor }): Promise<PresenceUser> => {
        if (!actor.userId) throw ApiError.unauthenticated();
        return { userId: actor.userId, name: actor.name, role: actor.role };
      });
    }
    const identity: SocketIdentity = { user, sessionId: claims.sid, issuedAt: claims.iat * 1000 };
    return c.env.TENANT_ROOM.getByName(claims.org).fetch(
      upgradeRequestFor(c, SOCKET_IDENTITY_HEADER, identity),
    );
  });
}
