import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import type { Env } from "../worker/env";
import {
  assertNever,
  type PresenceUser,
  type PublishedEvent,
  parseClientMessage,
  presenceUserSchema,
  type ServerEvent,
} from "../worker/realtime/events";

/** Header through which the Worker hands the authenticated user to the room. */
export const PRESENCE_USER_HEADER = "x-switchboard-presence";

/**
 * One room per organization. The Worker authenticates the socket and fixes the room by the
 * caller's organization before upgrading; the room only trusts what the Worker put in the
 * presence header. Hibernation is on: state lives in each connection's attachment.
 */
export class TenantRoom extends Server<Env> {
  static override options = { hibernate: true };

  override onConnect(connection: Connection<PresenceUser>, ctx: ConnectionContext) {
    const user = readPresenceUser(ctx.request);
    if (!user) {
      connection.close(1008, "unauthenticated");
      return;
    }
    const alreadyOnline = this.onlineUsers().some((online) => online.userId === user.userId);
    connection.setState(user);
    send(connection, { type: "presence.snapshot", users: this.onlineUsers() });
    if (!alreadyOnline) this.broadcastEvent({ type: "presence.joined", user }, [connection.id]);
  }

  override onMessage(connection: Connection<PresenceUser>, raw: WSMessage) {
    if (typeof raw !== "string") return;
    const message = parseClientMessage(raw);
    if (!message) return;
    switch (message.type) {
      case "ping":
        send(connection, { type: "pong" });
        return;
      default:
        assertNever(message.type);
    }
  }

  override onClose(connection: Connection<PresenceUser>) {
    const user = connection.state;
    if (!user) return;
    const stillOnline = this.onlineUsers(connection.id).some(
      (online) => online.userId === user.userId,
    );
    if (!stillOnline) this.broadcastEvent({ type: "presence.left", userId: user.userId });
  }

  /** Called by the Worker (RPC) after a commit. */
  async publish(events: PublishedEvent[]) {
    for (const event of events) this.broadcastEvent(event);
  }

  /** For the presence API and tests: who is connected right now. */
  async presence(): Promise<PresenceUser[]> {
    return this.onlineUsers();
  }

  private broadcastEvent(event: ServerEvent, without?: string[]) {
    this.broadcast(JSON.stringify(event), without);
  }

  private onlineUsers(excludingConnectionId?: string): PresenceUser[] {
    const byUser = new Map<string, PresenceUser>();
    for (const connection of this.getConnections<PresenceUser>()) {
      if (connection.id === excludingConnectionId || !connection.state) continue;
      byUser.set(connection.state.userId, { ...connection.state });
    }
    return [...byUser.values()];
  }
}

function send(connection: Connection, event: ServerEvent) {
  connection.send(JSON.stringify(event));
}

function readPresenceUser(request: Request): PresenceUser | null {
  const header = request.headers.get(PRESENCE_USER_HEADER);
  if (!header) return null;
  try {
    const parsed = presenceUserSchema.safeParse(JSON.parse(header));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
