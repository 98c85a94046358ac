import { DurableObject } from "cloudflare:workers";
import type { VisitorEvent } from "../../shared/webchat";
import type { Env } from "../env";
import {
  forwardVisitorTyping,
  openVisitorConversationId,
  parseVisitorFrame,
  type VisitorSocket,
  visitorSocketSchema,
} from "./typing";

const PING = JSON.stringify({ type: "ping" });
const PONG = JSON.stringify({ type: "pong" } satisfies VisitorEvent);
/** At most one typing frame a second reaches the team from one visitor (all their tabs). */
const TYPING_INTERVAL_MS = 1000;
/** The open conversation a typing frame goes to is read again after this long. */
const CONVERSATION_KEPT_MS = 10_000;

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
 * (GET /webchat/:channelId/messages). The visitor's `typing` frames go to the team
 * (worker/webchat/typing.ts), one a second at most.
 */
export class VisitorRoom extends DurableObject<Env> {
  #typedAt = 0;
  #conversation: { id: string | null; until: number } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("This room speaks WebSocket only.", { status: 426 });
    }
    const visitor = readVisitor(request);
    if (!visitor) return new Response("Who is this?", { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(visitor);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer) {
    if (typeof raw !== "string") return;
    const frame = parseVisitorFrame(raw);
    if (frame?.type === "ping") ws.send(PONG);
    else if (frame?.type === "typing") await this.#typing(ws);
  }

  async #typing(ws: WebSocket) {
    const now = Date.now();
    if (now - this.#typedAt < TYPING_INTERVAL_MS) return;
    this.#typedAt = now;
    const visitor = visitorSocketSchema.safeParse(ws.deserializeAttachment());
    if (!visitor.success) return;
    const conversationId = await this.#openConversation(visitor.data, now);
    if (conversationId) await forwardVisitorTyping(this.env, visitor.data, conversationId);
  }

  /** The visitor's open conversation, kept a few seconds (typing goes on for a while). */
  async #openConversation(visitor: VisitorSocket, now: number) {
    if (this.#conversation && this.#conversation.until > now) return this.#conversation.id;
    const id = await openVisitorConversationId(this.env, visitor);
    this.#conversation = { id, until: now + CONVERSATION_KEPT_MS };
    return id;
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
    // The visitor wrote: their conversation may have just started (read it again).
    if (event.type === "message.created" && event.message.direction === "incoming") {
      this.#conversation = null;
    }
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

function readVisitor(request: Request): VisitorSocket | null {
  try {
    const parsed = visitorSocketSchema.safeParse(
      JSON.parse(request.headers.get("x-switchboard-visitor") ?? ""),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
