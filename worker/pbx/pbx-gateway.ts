import { type Connection, type ConnectionContext, Server, type WSMessage } from "partyserver";
import { z } from "zod";
import {
  assertNever,
  type BridgeMessage,
  bridgeMessageSchema,
  type CallEvent,
  type Command,
  callEventSchema,
  type EdgeMessage,
  FEATURE_BATCHES,
  MAX_EVENTS_PER_FRAME,
  parseFrame,
} from "../../pbx-bridge/src/edge-protocol";
import { loadRouting } from "../call-center/routing";
import type { PbxStatus } from "../calls/call-view";
import { ingestCallEvents } from "../calls/ingest";
import { Database } from "../db/client";
import { type Env, readConfig } from "../env";
import { deliverAfterCommit } from "../lib/after-commit";
import type { Committed } from "../lib/unit-of-work";
import { publishToOrg } from "../realtime/publish";

/** Header through which the Worker hands the authenticated bridge identity to the gateway. */
export const BRIDGE_IDENTITY_HEADER = "x-switchboard-bridge";

const bridgeIdentitySchema = z.object({ orgId: z.string().uuid(), tokenId: z.string().uuid() });

/** What each bridge connection remembers (in its hibernation-safe attachment). */
interface BridgeConnectionState {
  orgId: string;
  tokenId: string;
  connectedAt: string;
  bridgeVersion: string | null;
  ariConnected: boolean;
  lastEventAt: string | null;
  /** The bridge listed `batches` in its hello: it takes one `acks` frame per batch. */
  batching?: boolean;
}

export type CommandOutcome =
  | { ok: true }
  | { ok: false; reason: "offline" | "timeout" }
  | { ok: false; reason: "failed"; code: string; message: string };

const OFFLINE: PbxStatus = {
  bridgeOnline: false,
  ariConnected: false,
  bridgeVersion: null,
  connectedAt: null,
  lastEventAt: null,
};

interface InboxItem {
  connectionId: string;
  event: CallEvent;
  /** When the frame arrived (ms since the epoch), for the trace of what it publishes. */
  receivedAt: number;
}

const COMMAND_TIMEOUT_MS = 8_000;
/** Most events applied per database transaction when the bridge sends faster than we commit. */
const INGEST_BATCH_SIZE = 500;
const DATABASE_IDLE_MS = 10_000;

/**
 * One gateway per organization: holds its pbx-bridge's socket, stores the bridge's call
 * events in order (idempotently, acking each after commit), routes commands to the bridge and
 * waits for their results, and tells the team whether the PBX is online.
 */
export class PbxGateway extends Server<Env> {
  static override options = { hibernate: true };

  #pendingCommands = new Map<string, (outcome: CommandOutcome) => void>();
  #inbox: InboxItem[] = [];
  #draining: Promise<void> | null = null;
  /** The last batch's after-commit delivery; the next one starts after it. */
  #delivering: Promise<void> = Promise.resolve();
  #database: Database | null = null;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  override async onConnect(connection: Connection<BridgeConnectionState>, ctx: ConnectionContext) {
    const identity = readBridgeIdentity(ctx.request);
    if (!identity) {
      connection.close(1008, "unauthenticated");
      return;
    }
    for (const other of this.getConnections()) {
      if (other.id !== connection.id) other.close(4000, "replaced by a newer bridge connection");
    }
    connection.setState({
      ...identity,
      connectedAt: new Date().toISOString(),
      bridgeVersion: null,
      ariConnected: false,
      lastEventAt: null,
    });
    send(connection, {
      type: "welcome",
      organizationId: identity.orgId,
      features: [FEATURE_BATCHES],
    });
    await this.sendRouting(connection);
    await this.publishStatus(identity.orgId);
  }

  override async onMessage(connection: Connection<BridgeConnectionState>, raw: WSMessage) {
    if (typeof raw !== "string") return;
    const message = parseFrame(bridgeMessageSchema, raw);
    if (!message) {
      const events = rejectMalformed(connection, raw);
      if (events.length > 0 && connection.state) {
        await this.handle(connection, connection.state, { type: "events", events });
      }
      return;
    }
    if (connection.state) await this.handle(connection, connection.state, message);
  }

  override async onClose(connection: Connection<BridgeConnectionState>) {
    const orgId = connection.state?.orgId;
    if (orgId) await this.publishStatus(orgId, connection.id);
  }

  /** Called by the Worker (RPC): send a command to the bridge and wait for its result. */
  async sendCommand(command: Command): Promise<CommandOutcome> {
    const bridge = this.activeBridge();
    if (!bridge) return { ok: false, reason: "offline" };
    const commandId = crypto.randomUUID();
    const outcome = new Promise<CommandOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.#pendingCommands.delete(commandId);
        resolve({ ok: false, reason: "timeout" });
      }, COMMAND_TIMEOUT_MS);
      this.#pendingCommands.set(commandId, (result) => {
        clearTimeout(timer);
        this.#pendingCommands.delete(commandId);
        resolve(result);
      });
    });
    send(bridge, { type: "command", commandId, command });
    return outcome;
  }

  /** Called by the Worker (RPC) after queues or agents changed. */
  async pushRouting(): Promise<void> {
    const bridge = this.activeBridge();
    if (bridge) await this.sendRouting(bridge);
  }

  /** Called by the Worker (RPC) after a bridge token was revoked: its bridge is dropped now. */
  async disconnectToken(tokenId: string): Promise<void> {
    for (const connection of this.getConnections<BridgeConnectionState>()) {
      if (connection.state?.tokenId !== tokenId) continue;
      connection.close(4001, "bridge token revoked");
      await this.publishStatus(connection.state.orgId, connection.id);
    }
  }

  async status(): Promise<PbxStatus> {
    const state = this.activeBridge()?.state ?? null;
    return {
      bridgeOnline: state !== null,
      ariConnected: state?.ariConnected ?? false,
      bridgeVersion: state?.bridgeVersion ?? null,
      connectedAt: state?.connectedAt ?? null,
      lastEventAt: state?.lastEventAt ?? null,
    };
  }

  private async handle(
    connection: Connection<BridgeConnectionState>,
    state: BridgeConnectionState,
    message: BridgeMessage,
  ) {
    switch (message.type) {
      case "hello":
        this.updateState(connection, {
          bridgeVersion: message.bridgeVersion,
          ariConnected: message.ariConnected,
          batching: message.features.includes(FEATURE_BATCHES),
        });
        await this.publishStatus(state.orgId);
        return;
      case "ari.status":
        this.updateState(connection, { ariConnected: message.connected });
        await this.publishStatus(state.orgId);
        return;
      case "event":
      case "events": {
        const receivedAt = Date.now();
        const events = message.type === "event" ? [message.event] : message.events;
        for (const event of events) {
          this.#inbox.push({ connectionId: connection.id, event, receivedAt });
        }
        await this.drainInbox();
        return;
      }
      case "command.result":
        this.#pendingCommands.get(message.commandId)?.(
          message.ok
            ? { ok: true }
            : {
                ok: false,
                reason: "failed",
                code: message.error?.code ?? "ARI_ERROR",
                message: message.error?.message ?? "The bridge reported a failure.",
              },
        );
        return;
      case "ping":
        send(connection, { type: "pong" });
        return;
      default:
        assertNever(message);
    }
  }

  /** Applies queued events in arrival order, one transaction per batch, one drain at a time. */
  private drainInbox(): Promise<void> {
    if (!this.#draining) {
      this.#draining = this.drainLoop().finally(() => {
        this.#draining = null;
      });
    }
    return this.#draining;
  }

  /**
   * Group commit: while a batch's transaction is in flight, arriving events queue in the
   * inbox, and the next transaction takes all of them (up to INGEST_BATCH_SIZE). A batch's
   * publish to the room does not hold up the next transaction; publishes still reach the room
   * one after another, in commit order.
   */
  private async drainLoop() {
    const database = this.database();
    try {
      while (this.#inbox.length > 0) {
        const batch = this.#inbox.splice(0, INGEST_BATCH_SIZE);
        await this.ingestBatch(database, batch);
      }
      await this.#delivering;
    } finally {
      this.closeDatabaseWhenIdle();
    }
  }

  /** One connection for a busy bridge's stream of events, closed once it goes quiet. */
  private database(): Database {
    clearTimeout(this.#idleTimer);
    if (!this.#database) {
      const config = readConfig(this.env);
      this.#database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
    }
    return this.#database;
  }

  private closeDatabaseWhenIdle() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      const database = this.#database;
      this.#database = null;
      void database?.close();
    }, DATABASE_IDLE_MS);
  }

  private async ingestBatch(database: Database, batch: InboxItem[]) {
    const bridge = this.activeBridge();
    if (!bridge?.state) return;
    const orgId = bridge.state.orgId;
    try {
      // The unit of work's after-commit step runs once the bridge has its acks, chained
      // after the previous batch's (unlike a request's): batches reach the room in the order
      // they committed.
      let committed: Committed | null = null;
      const stamps = { receivedAt: batch[0]?.receivedAt, beganAt: Date.now() };
      const result = await ingestCallEvents(
        database,
        orgId,
        batch.map((item) => item.event),
        (done) => {
          committed = { ...done, stamps };
        },
      );
      sendAcks(bridge, result.acked);
      for (const { eventId, reason } of result.rejected)
        send(bridge, { type: "reject", eventId, reason });
      if (result.routing) send(bridge, { type: "routing", routing: result.routing });
      this.updateState(bridge, { lastEventAt: new Date().toISOString() });
      const toDeliver: Committed | null = committed;
      if (toDeliver) {
        const deliver = deliverAfterCommit(this.env);
        this.#delivering = this.#delivering.then(() => deliver(toDeliver));
      }
    } catch (error) {
      // Nothing of the batch was stored. Dropping the socket makes the bridge resend
      // everything unacked, in order, once it reconnects.
      console.error(
        JSON.stringify({
          level: "error",
          msg: "call events not stored",
          orgId,
          error: String(error),
        }),
      );
      this.#inbox.length = 0;
      bridge.close(1011, "could not store events; reconnect and resend");
    }
  }

  private async sendRouting(connection: Connection<BridgeConnectionState>) {
    const orgId = connection.state?.orgId;
    if (!orgId) return;
    try {
      send(connection, { type: "routing", routing: await loadRouting(this.database(), orgId) });
    } finally {
      if (!this.#draining) this.closeDatabaseWhenIdle();
    }
  }

  private async publishStatus(orgId: string, closingConnectionId?: string) {
    const status = this.activeBridge(closingConnectionId) ? await this.status() : OFFLINE;
    await publishToOrg(this.env, orgId, [{ type: "pbx.status", status }]);
  }

  private activeBridge(excludingConnectionId?: string) {
    for (const connection of this.getConnections<BridgeConnectionState>()) {
      if (
        connection.id !== excludingConnectionId &&
        connection.state &&
        connection.readyState === WebSocket.OPEN
      )
        return connection;
    }
    return null;
  }

  private updateState(
    connection: Connection<BridgeConnectionState>,
    change: Partial<BridgeConnectionState>,
  ) {
    if (connection.state) connection.setState({ ...connection.state, ...change });
  }
}

function send(connection: Connection, message: EdgeMessage) {
  connection.send(JSON.stringify(message));
}

/** One `acks` frame per MAX_EVENTS_PER_FRAME ids to a bridge that takes them, else an `ack` each. */
function sendAcks(bridge: Connection<BridgeConnectionState>, eventIds: string[]) {
  if (!bridge.state?.batching) {
    for (const eventId of eventIds) send(bridge, { type: "ack", eventId });
    return;
  }
  for (let start = 0; start < eventIds.length; start += MAX_EVENTS_PER_FRAME) {
    send(bridge, { type: "acks", eventIds: eventIds.slice(start, start + MAX_EVENTS_PER_FRAME) });
  }
}

const namedEventSchema = z.object({ id: z.string().uuid() });
const looseEventsFrameSchema = z.object({
  type: z.literal("events"),
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_FRAME),
});

/**
 * A frame that names an event id but does not validate is rejected so the bridge drops it;
 * the reason names the fields that failed (e.g. a recording `url` that is not http(s)). In an
 * `events` frame each event is judged alone: the valid ones are returned, to be stored in
 * their order, and each invalid one that names an id is rejected.
 */
function rejectMalformed(connection: Connection, raw: string): CallEvent[] {
  const batch = parseFrame(looseEventsFrameSchema, raw);
  const candidates = batch
    ? batch.events
    : [parseFrame(z.object({ event: z.unknown() }), raw)?.event];
  const valid: CallEvent[] = [];
  for (const candidate of candidates) {
    const parsed = callEventSchema.safeParse(candidate);
    if (parsed.success && batch) {
      valid.push(parsed.data);
      continue;
    }
    const named = namedEventSchema.safeParse(candidate);
    if (named.success) {
      send(connection, { type: "reject", eventId: named.data.id, reason: rejectReason(parsed) });
    }
  }
  return valid;
}

function rejectReason(parsed: { error?: z.ZodError }): string {
  const issues = (parsed.error?.issues ?? []).map(
    (issue) => `${issue.path.join(".") || "event"}: ${issue.message}`,
  );
  return `The event does not match the protocol. ${issues.join("; ")}`.trim().slice(0, 500);
}

function readBridgeIdentity(request: Request) {
  return parseFrame(bridgeIdentitySchema, request.headers.get(BRIDGE_IDENTITY_HEADER) ?? "");
}
