import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import { ACCESS_TOKEN_TTL_SECONDS } from "../worker/auth/tokens";
import type { Env } from "../worker/env";
import {
  assertNever,
  CLOSE_REVOKED,
  type PresenceUser,
  type PublishedEvent,
  parseClientMessage,
  type ServerEvent,
  type SocketIdentity,
  socketIdentitySchema,
} from "../worker/realtime/events";
import type { AccessRevoked } from "../worker/realtime/revocation";

/** Header through which the Worker hands the authenticated identity to the room. */
export const SOCKET_IDENTITY_HEADER = "x-switchboard-identity";

/** What each connection remembers (in its hibernation-safe attachment). */
interface ConnectionState extends SocketIdentity {
  /** The record this socket is looking at (`deal:<id>`), for per-record presence. */
  viewing?: string | null;
  /** Closed by a revocation: no longer counted, whatever the close handshake does. */
  revoked?: true;
}

/** Revocations are kept as long as a token issued before them could still be presented. */
const REVOCATION_TTL_MS = (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
const REVOCATIONS_KEY = "revocations";

/** How many sockets hold a value (a user online, a user viewing a record). */
class Counts<K, V> {
  readonly #entries = new Map<K, { value: V; count: number }>();
  /** True when `key` was not counted before. */
  add(key: K, value: V): boolean {
    const entry = this.#entries.get(key);
    if (entry) {
      entry.count += 1;
      entry.value = value;
      return false;
    }
    this.#entries.set(key, { value, count: 1 });
    return true;
  }
  /** True when `key` is no longer counted. */
  remove(key: K): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    entry.count -= 1;
    if (entry.count > 0) return false;
    this.#entries.delete(key);
    return true;
  }
  values(): V[] {
    return [...this.#entries.values()].map((entry) => entry.value);
  }
}

/**
 * One room per organization. The Worker verifies the socket's access token and fixes the room
 * by its organization before upgrading (no database round trip); the room trusts only the
 * identity header the Worker sets. Presence and per-record viewers are counted in memory, O(1)
 * per connect and disconnect, and rebuilt once from the connections' attachments when the
 * object wakes from hibernation. Revocations (a member deactivated or re-roled, a session
 * signed out) close the affected sockets at once and refuse their older tokens until those
 * would have expired anyway.
 */
export class TenantRoom extends Server<Env> {
  static override options = { hibernate: true };

  readonly #online = new Counts<string, PresenceUser>();
  readonly #viewers = new Map<string, Counts<string, PresenceUser>>();
  /** `user:<id>` / `session:<id>` -> revoked at (ms). */
  #revocations = new Map<string, number>();

  override async onStart() {
    const stored = await this.ctx.storage.get<[string, number][]>(REVOCATIONS_KEY);
    this.#revocations = new Map(stored ?? []);
    this.#pruneRevocations();
    // Woken from hibernation: recount who is here, once.
    for (const connection of this.getConnections<ConnectionState>()) {
      const state = connection.state;
      if (!state || state.revoked) continue;
      this.#online.add(state.user.userId, state.user);
      if (state.viewing) this.#viewersOf(state.viewing).add(state.user.userId, state.user);
    }
  }

  override onConnect(connection: Connection<ConnectionState>, ctx: ConnectionContext) {
    const identity = readIdentity(ctx.request);
    if (!identity) {
      connection.close(1008, "unauthenticated");
      return;
    }
    if (this.#isRevoked(identity)) {
      connection.close(CLOSE_REVOKED, "credential revoked");
      return;
    }
    connection.setState(identity);
    const joined = this.#online.add(identity.user.userId, identity.user);
    send(connection, { type: "presence.snapshot", users: this.#online.values() });
    if (joined) this.#broadcast({ type: "presence.joined", user: identity.user }, [connection.id]);
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
        this.#changeViewing(connection, message.record);
        return;
      default:
        assertNever(message);
    }
  }

  override onClose(connection: Connection<ConnectionState>) {
    const state = connection.state;
    if (!state || state.revoked) return;
    this.#forget(state, connection.id);
  }

  /** Called by the Worker (RPC) after a commit. */
  async publish(events: PublishedEvent[]) {
    for (const event of events) {
      if (event.type === "access.revoked") await this.#revoke(event);
      else this.#broadcast(event);
    }
  }

  /** For the presence API and tests: who is connected right now. */
  async presence(): Promise<PresenceUser[]> {
    return this.#online.values();
  }

  async #revoke(event: AccessRevoked) {
    const key = revocationKey(event.target);
    this.#revocations.set(key, Math.max(event.at, this.#revocations.get(key) ?? 0));
    this.#pruneRevocations();
    await this.ctx.storage.put(REVOCATIONS_KEY, [...this.#revocations]);
    for (const connection of this.getConnections<ConnectionState>()) {
      const state = connection.state;
      if (!state || state.revoked || !this.#isRevoked(state)) continue;
      connection.setState({ ...state, revoked: true });
      this.#forget(state, connection.id);
      connection.close(CLOSE_REVOKED, "credential revoked");
    }
  }

  #isRevoked(identity: SocketIdentity): boolean {
    const byUser = this.#revocations.get(`user:${identity.user.userId}`) ?? 0;
    const bySession = this.#revocations.get(`session:${identity.sessionId}`) ?? 0;
    return identity.issuedAt < Math.max(byUser, bySession);
  }

  #pruneRevocations() {
    const horizon = Date.now() - REVOCATION_TTL_MS;
    for (const [key, at] of this.#revocations) if (at < horizon) this.#revocations.delete(key);
  }

  /** A socket left (closed or revoked): presence and record viewers without it. */
  #forget(state: ConnectionState, connectionId: string) {
    if (state.viewing) this.#leaveRecord(state.viewing, state.user.userId, connectionId);
    if (this.#online.remove(state.user.userId)) {
      this.#broadcast({ type: "presence.left", userId: state.user.userId }, [connectionId]);
    }
  }

  #changeViewing(connection: Connection<ConnectionState>, record: string | null) {
    const state = connection.state;
    if (!state || state.viewing === record) return;
    const previous = state.viewing ?? null;
    connection.setState({ ...state, viewing: record });
    if (previous) this.#leaveRecord(previous, state.user.userId);
    if (record) {
      this.#viewersOf(record).add(state.user.userId, state.user);
      this.#broadcastViewers(record);
    }
  }

  #leaveRecord(record: string, userId: string, connectionId?: string) {
    const viewers = this.#viewers.get(record);
    if (!viewers) return;
    viewers.remove(userId);
    this.#broadcastViewers(record, connectionId);
    if (viewers.values().length === 0) this.#viewers.delete(record);
  }

  #viewersOf(record: string): Counts<string, PresenceUser> {
    let viewers = this.#viewers.get(record);
    if (!viewers) {
      viewers = new Counts();
      this.#viewers.set(record, viewers);
    }
    return viewers;
  }

  #broadcastViewers(record: string, without?: string) {
    const users = this.#viewers.get(record)?.values() ?? [];
    this.#broadcast(
      { type: "record.viewers", record, users } as ServerEvent,
      without ? [without] : undefined,
    );
  }

  #broadcast(event: ServerEvent, without?: string[]) {
    this.broadcast(JSON.stringify(event), without);
  }
}

function revocationKey(target: AccessRevoked["target"]): string {
  return target.kind === "user" ? `user:${target.userId}` : `session:${target.sessionId}`;
}

function send(connection: Connection, event: ServerEvent) {
  connection.send(JSON.stringify(event));
}

function readIdentity(request: Request): SocketIdentity | null {
  const header = request.headers.get(SOCKET_IDENTITY_HEADER);
  if (!header) return null;
  try {
    const parsed = socketIdentitySchema.safeParse(JSON.parse(header));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
