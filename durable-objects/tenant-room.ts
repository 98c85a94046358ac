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
/** What each connection remembers (in its hibernation-safe attachment). */
interface ConnectionState extends PresenceUser {
  /** The record this socket is looking at (`deal:<id>`), for per-record presence. */
  viewing?: string | null;
}

export class TenantRoom extends Server<Env> {
  static override options = { hibernate: true };

  override onConnect(connection: Connection<ConnectionState>, ctx: ConnectionContext) {
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

  override onMessage(connection: Connection<ConnectionState>, raw: WSMessage) {
    if (typeof raw !== "string") return;
    const message = parseClientMessage(raw);
    if (!message) return;
    switch (message.type) {
      case "ping":
        send(connection, { type: "pong" });
        return;
      case "view":
        this.changeViewing(connection, message.record);
        return;
      default:
        assertNever(message);
    }
  }

  override onClose(connection: Connection<ConnectionState>) {
    const user = connection.state;
    if (!user) return;
    if (user.viewing) this.broadcastViewers(user.viewing, connection.id);
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

  private changeViewing(connection: Connection<ConnectionState>, record: string | null) {
    const state = connection.state;
    if (!state || state.viewing === record) return;
    const previous = state.viewing ?? null;
    connection.setState({ ...state, viewing: record });
    if (previous) this.broadcastViewers(previous);
    if (record) this.broadcastViewers(record);
  }

  private broadcastViewers(record: string, excludingConnectionId?: string) {
    const viewers = new Map<string, PresenceUser>();
    for (const connection of this.getConnections<ConnectionState>()) {
      const state = connection.state;
      if (connection.id === excludingConnectionId || state?.viewing !== record) continue;
      viewers.set(state.userId, { userId: state.userId, name: state.name, role: state.role });
    }
    this.broadcastEvent({ type: "record.viewers", record, users: [...viewers.values()] });
  }

  private broadcastEvent(event: ServerEvent, without?: string[]) {
    this.broadcast(JSON.stringify(event), without);
  }

  private onlineUsers(excludingConnectionId?: string): PresenceUser[] {
    const byUser = new Map<string, PresenceUser>();
    for (const connection of this.getConnections<ConnectionState>()) {
      const state = connection.state;
      if (connection.id === excludingConnectionId || !state) continue;
      byUser.set(state.userId, { userId: state.userId, name: state.name, role: state.role });
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
