import { DurableObject } from "cloudflare:workers";
import type { VisitorEvent } from "../../shared/webchat";
import type { Env } from "../env";

const PING = JSON.stringify({ type: "ping" });
const PONG = JSON.stringify({ type: "pong" } satisfies VisitorEvent);

/** Names the room of one visitor of one website chat. */
export function visitorRoomName(channelId: string, externalId: string): string {
  return `${channelId}:${externalId}`;
}

/**
 * One room per website visitor (`getByName(channelId + ":" + externalId)`): the sockets of
 * their open tabs. The Worker verifies the visitor token and chooses the room before the
 * upgrade; the room only fans out what the Worker pushes after a commit (the team's replies,
 * the visitor's own messages for their other tabs) and answers pings without waking
 * (hibernation API). It keeps nothing: a visitor who was away reads their conversation again
 * (GET /webchat/:channelId/messages).
 */
export class VisitorRoom extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("This room speaks WebSocket only.", { status: 426 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer) {
    if (raw === PING) ws.send(PONG);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string) {
    if (code === 1005 || code === 1006 || code === 1015) return;
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** Sends an event to every open socket of the visitor; how many took it. */
  async push(event: VisitorEvent): Promise<number> {
    const frame = JSON.stringify(event);
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
        sent += 1;
      } catch {
        // Closing already.
      }
    }
    return sent;
  }
}
