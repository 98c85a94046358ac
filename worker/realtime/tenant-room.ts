import { DurableObject } from "cloudflare:workers";
import { assertNever, CLOSE_REVOKED } from "../../shared/realtime";
import { ACCESS_TOKEN_TTL_SECONDS } from "../auth/tokens";
import type { Env } from "../env";
import {
  type PresenceUser,
  type PublishedEvent,
  type PublishStamps,
  type PublishTrace,
  parseClientMessage,
  type ServerEvent,
  type SocketIdentity,
  socketIdentitySchema,
  type VisitorTypist,
} from "./events";
import type { AccessRevoked } from "./revocation";

/** Header through which the Worker hands the authenticated identity to the room. */
export const SOCKET_IDENTITY_HEADER = "x-switchboard-identity";

/** What each connection remembers (in its hibernation-safe attachment). */
interface ConnectionState extends SocketIdentity {
  /** Names the socket across hibernation (the runtime may hand the room new objects). */
  id?: string;
  /** The record this socket is looking at (`deal:<id>`), for per-record presence. */
  viewing?: string | null;
  /** Closed by a revocation: no longer counted, whatever the close handshake does. */
  revoked?: true;
}

/** Revocations are kept as long as a token issued before them could still be presented. */
const REVOCATION_TTL_MS = (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
const REVOCATIONS_KEY = "revocations";
/** The browser's keep-alive, answered by the runtime without waking a hibernated room. */
const PING = JSON.stringify({ type: "ping" });
const PONG = JSON.stringify({ type: "pong" });
/**
 * The least time between two typing frames the room forwards from one socket: the browser
 * sends one every 2 s while someone types; a faster client is simply not echoed.
 */
const TYPING_INTERVAL_MS = 1000;

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
  get(key: K): V | undefined {
    return this.#entries.get(key)?.value;
  }
  get size(): number {
    return this.#entries.size;
  }
  values(): V[] {
    return [...this.#entries.values()].map((entry) => entry.value);
  }
}

/**
 * One room per organization, a hibernating Durable Object on the runtime's WebSocket API (no
 * framework: see docs/decisions/023-realtime-fan-out.md). The Worker verifies the socket's
 * access token and fixes the room by its organization before upgrading (no database round
 * trip); the room trusts only the identity header the Worker sets.
 *
 * Every open socket and its state are mirrored in memory (`#sockets`), so a broadcast
 * serialises the event once and sends that one string to each socket, reading no attachment;
 * presence and per-record viewers are counts, O(1) per connect and disconnect; the sockets
 * viewing each record are indexed too, so a typing frame goes to those sockets only, found in
 * O(1) (`record.typing`, never to the sender, at most once a second per socket). Attachments are
 * written when a socket opens or changes what it views, and read once per socket only when the
 * object wakes from hibernation (the constructor rebuilds the mirror and the counts).
 * Revocations (a member deactivated or re-roled, a session signed out) close the affected
 * sockets at once and refuse their older tokens until those would have expired anyway.
 */
export class TenantRoom extends DurableObject<Env> {
  /** Open sockets by connection id: the socket and its state (as in its attachment). */
  readonly #sockets = new Map<string, { ws: WebSocket; state: ConnectionState }>();
  /** Connection ids of the socket objects this instance has seen (no attachment reads). */
  readonly #ids = new WeakMap<WebSocket, string>();
  readonly #online = new Counts<string, PresenceUser>();
  readonly #viewers = new Map<string, Counts<string, PresenceUser>>();
  /** Connection ids of the sockets viewing each record (where typing frames go). */
  readonly #watching = new Map<string, Set<string>>();
  /** When each socket's last typing frame was forwarded (ms), for the per-socket limit. */
  readonly #typedAt = new Map<string, number>();
  /** `user:<id>` / `session:<id>` -> revoked at (ms). */
  #revocations = new Map<string, number>();
  /** The serialised `presence.snapshot`, until presence changes. */
  #snapshot: string | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    void ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.get<[string, number][]>(REVOCATIONS_KEY);
      this.#revocations = new Map(stored ?? []);
      this.#pruneRevocations();
      // A new instance (first start, or woken from hibernation): recount who is here, once.
      for (const ws of ctx.getWebSockets()) {
        const state = stateOf(ws.deserializeAttachment());
        if (!state || state.revoked) continue;
        this.#track(ws, state);
      }
    });
  }

  /** The WebSocket upgrade, forwarded by the Worker with the identity it verified. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("This room speaks WebSocket only.", { status: 426 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    const identity = readIdentity(request);
    if (!identity || this.#isRevoked(identity)) {
      // Opened and closed at once, so that the client learns why (4001: renew, then retry).
      server.accept();
      if (identity) server.close(CLOSE_REVOKED, "credential revoked");
      else server.close(1008, "unauthenticated");
      return new Response(null, { status: 101, webSocket: client });
    }
    this.ctx.acceptWebSocket(server);
    const state: ConnectionState = { ...identity, id: crypto.randomUUID() };
    server.serializeAttachment(state);
    const joined = this.#track(server, state);
    server.send(this.#snapshotFrame());
    if (joined) this.#broadcast(frame({ type: "presence.joined", user: identity.user }), server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer) {
    if (typeof raw !== "string") return;
    const message = parseClientMessage(raw);
    if (!message) return;
    switch (message.type) {
      case "ping":
        ws.send(PONG);
        return;
      case "view":
        this.#changeViewing(ws, message.record);
        return;
      case "typing":
        this.#forwardTyping(ws, message.record);
        return;
      default:
        assertNever(message);
    }
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string) {
    this.#drop(ws);
    // Complete the close handshake, unless the peer is already gone (no Close frame to answer).
    if (code === 1005 || code === 1006 || code === 1015) return;
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  override webSocketError(ws: WebSocket) {
    this.#drop(ws);
  }

  /**
   * Called by the Worker (RPC) after a commit. Each event is serialised once, with the commit
   * and arrival times (`trace`, ms since the epoch, for measuring fan-out; clients ignore it),
   * and that one string goes to every socket.
   */
  async publish(events: PublishedEvent[], trace?: PublishStamps): Promise<number> {
    const receivedAt = Date.now();
    for (const event of events) {
      if (event.type === "access.revoked") {
        await this.#revoke(event);
        continue;
      }
      const stamp: PublishTrace = {
        committed: trace?.committedAt ?? receivedAt,
        room: receivedAt,
        ...(trace?.receivedAt ? { received: trace.receivedAt, began: trace.beganAt } : {}),
      };
      const payload = JSON.stringify({ ...event, trace: stamp });
      if (event.type === "notification.created" || event.type === "notification.read") {
        this.#sendToUser(event.userId, payload);
      } else this.#broadcast(payload);
    }
    return this.#sockets.size;
  }

  /** A person's own events (their notifications) reach their sockets and nobody else's. */
  #sendToUser(userId: string, payload: string) {
    for (const { ws, state } of this.#sockets.values()) {
      if (state.user.userId !== userId) continue;
      try {
        ws.send(payload);
      } catch {
        // A socket closing meanwhile; its close handler forgets it.
      }
    }
  }

  /**
   * A website visitor is typing in their conversation (`conversation:<id>`, found by the
   * Worker from their verified socket; worker/webchat/typing.ts): "… is typing" to the sockets
   * viewing it, and to no one else. How many sockets got it.
   */
  async visitorTyping(record: string, typist: VisitorTypist): Promise<number> {
    const watchers = this.#watching.get(record);
    if (!watchers) return 0;
    const message = frame({ type: "record.typing", record, user: typist });
    let sent = 0;
    for (const id of watchers) {
      try {
        this.#sockets.get(id)?.ws.send(message);
        sent += 1;
      } catch {
        // Closing already: its close event cleans up.
      }
    }
    return sent;
  }

  /** For the presence API and tests: who is connected right now. */
  async presence(): Promise<PresenceUser[]> {
    return this.#online.values();
  }

  /** Starts counting an open socket; true when its user was not online before. */
  #track(ws: WebSocket, state: ConnectionState): boolean {
    const id = state.id ?? crypto.randomUUID();
    this.#sockets.set(id, { ws, state });
    this.#ids.set(ws, id);
    if (state.viewing) {
      this.#viewersOf(state.viewing).add(state.user.userId, state.user);
      this.#watch(state.viewing, id);
    }
    const before = this.#online.get(state.user.userId);
    const joined = this.#online.add(state.user.userId, state.user);
    if (joined || before?.name !== state.user.name || before?.role !== state.user.role) {
      this.#snapshot = null;
    }
    return joined;
  }

  /** A socket closed or failed: presence and record viewers without it. */
  /** The tracked socket behind an event's socket object, and its connection id. */
  #lookup(ws: WebSocket): { id: string; ws: WebSocket; state: ConnectionState } | null {
    let id = this.#ids.get(ws);
    if (!id) {
      id = stateOf(ws.deserializeAttachment())?.id;
      if (id) this.#ids.set(ws, id);
    }
    const entry = id ? this.#sockets.get(id) : undefined;
    return id && entry ? { id, ...entry } : null;
  }

  #drop(ws: WebSocket) {
    const entry = this.#lookup(ws);
    if (entry) {
      this.#sockets.delete(entry.id);
      this.#forget(entry.id, entry.state, entry.ws);
      return;
    }
    // Woken by this very close: the runtime no longer lists the socket, so it was never counted
    // here. Its attachment says who left; tell the others if that user has no socket left.
    const state = stateOf(ws.deserializeAttachment());
    if (!state || state.revoked) return;
    if (state.viewing) this.#broadcastViewers(state.viewing);
    if (this.#online.get(state.user.userId) === undefined) {
      this.#broadcast(frame({ type: "presence.left", userId: state.user.userId }));
    }
  }

  async #revoke(event: AccessRevoked) {
    const key = revocationKey(event.target);
    this.#revocations.set(key, Math.max(event.at, this.#revocations.get(key) ?? 0));
    this.#pruneRevocations();
    await this.ctx.storage.put(REVOCATIONS_KEY, [...this.#revocations]);
    for (const [id, { ws, state }] of this.#sockets) {
      if (!this.#isRevoked(state)) continue;
      // Remembered in the attachment too: a close that arrives after hibernation is ignored.
      ws.serializeAttachment({ ...state, revoked: true });
      this.#sockets.delete(id);
      this.#forget(id, state, ws);
      try {
        ws.close(CLOSE_REVOKED, "credential revoked");
      } catch {
        // already closing
      }
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

  #forget(id: string, state: ConnectionState, ws: WebSocket) {
    this.#typedAt.delete(id);
    if (state.viewing) {
      this.#unwatch(state.viewing, id);
      this.#leaveRecord(state.viewing, state.user.userId, ws);
    }
    if (this.#online.remove(state.user.userId)) {
      this.#snapshot = null;
      this.#broadcast(frame({ type: "presence.left", userId: state.user.userId }), ws);
    }
  }

  #changeViewing(ws: WebSocket, record: string | null) {
    const entry = this.#lookup(ws);
    if (!entry) return;
    const { state } = entry;
    if ((state.viewing ?? null) === record) return;
    const previous = state.viewing ?? null;
    const next: ConnectionState = { ...state, viewing: record };
    this.#sockets.set(entry.id, { ws: entry.ws, state: next });
    ws.serializeAttachment(next);
    if (previous) {
      this.#unwatch(previous, entry.id);
      this.#leaveRecord(previous, state.user.userId);
    }
    if (record) {
      this.#viewersOf(record).add(state.user.userId, state.user);
      this.#watch(record, entry.id);
      this.#broadcastViewers(record);
    }
  }

  /**
   * "Maya is typing…": forwarded to the other sockets viewing the same record, and only for
   * the record the sender views itself. One lookup, one clock check, one frame serialised;
   * the fan-out is the record's viewers, not the organization.
   */
  #forwardTyping(ws: WebSocket, record: string) {
    const entry = this.#lookup(ws);
    if (!entry || entry.state.viewing !== record) return;
    const now = Date.now();
    if (now - (this.#typedAt.get(entry.id) ?? 0) < TYPING_INTERVAL_MS) return;
    this.#typedAt.set(entry.id, now);
    const watchers = this.#watching.get(record);
    if (!watchers || watchers.size < 2) return;
    const message = frame({ type: "record.typing", record, user: entry.state.user });
    for (const id of watchers) {
      if (id === entry.id) continue;
      try {
        this.#sockets.get(id)?.ws.send(message);
      } catch {
        // Closing already: its close event cleans up.
      }
    }
  }

  #watch(record: string, id: string) {
    let ids = this.#watching.get(record);
    if (!ids) {
      ids = new Set();
      this.#watching.set(record, ids);
    }
    ids.add(id);
  }

  #unwatch(record: string, id: string) {
    const ids = this.#watching.get(record);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.#watching.delete(record);
  }

  #leaveRecord(record: string, userId: string, without?: WebSocket) {
    const viewers = this.#viewers.get(record);
    if (!viewers) return;
    viewers.remove(userId);
    this.#broadcastViewers(record, without);
    if (viewers.size === 0) this.#viewers.delete(record);
  }

  #viewersOf(record: string): Counts<string, PresenceUser> {
    let viewers = this.#viewers.get(record);
    if (!viewers) {
      viewers = new Counts();
      this.#viewers.set(record, viewers);
    }
    return viewers;
  }

  #broadcastViewers(record: string, without?: WebSocket) {
    const users = this.#viewers.get(record)?.values() ?? [];
    this.#broadcast(frame({ type: "record.viewers", record, users } as ServerEvent), without);
  }

  #snapshotFrame(): string {
    this.#snapshot ??= frame({ type: "presence.snapshot", users: this.#online.values() });
    return this.#snapshot;
  }

  /** One string to every open socket (but `without`): no per-socket serialising or reads. */
  #broadcast(message: string, without?: WebSocket) {
    for (const { ws } of this.#sockets.values()) {
      if (ws === without) continue;
      try {
        ws.send(message);
      } catch {
        // Closing already: its close event cleans up.
      }
    }
  }
}

function frame(event: ServerEvent): string {
  return JSON.stringify(event);
}

/** A socket's attachment; sockets accepted through partyserver kept it under `__user`. */
function stateOf(attachment: unknown): ConnectionState | null {
  if (!attachment || typeof attachment !== "object") return null;
  const state = ("__user" in attachment ? attachment.__user : attachment) as ConnectionState | null;
  return state?.user ? state : null;
}

function revocationKey(target: AccessRevoked["target"]): string {
  return target.kind === "user" ? `user:${target.userId}` : `session:${target.sessionId}`;
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
