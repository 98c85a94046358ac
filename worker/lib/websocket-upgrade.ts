import { ApiError } from "./errors";
import type { AppContext } from "./hono";

const UPGRADE_HEADERS = [
  "upgrade",
  "connection",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
];

export function requireWebSocketUpgrade(c: Pick<AppContext, "req">) {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "bad_request", "This endpoint speaks WebSocket only.");
  }
}

/**
 * The upgrade request a Durable Object receives: only the WebSocket handshake headers from the
 * client, plus the one header through which the Worker tells the object who connected.
 */
export function upgradeRequestFor(
  c: Pick<AppContext, "req">,
  identityHeader: string,
  identity: unknown,
) {
  const headers = new Headers();
  for (const name of UPGRADE_HEADERS) {
    const value = c.req.header(name);
    if (value) headers.set(name, value);
  }
  headers.set(identityHeader, JSON.stringify(identity));
  return new Request(c.req.url, { headers });
}
