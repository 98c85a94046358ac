import WebSocket from "ws";
import { Backoff, type BackoffOptions, RECONNECT_BACKOFF } from "./backoff";
import {
  assertNever,
  type BridgeMessage,
  type CallEvent,
  type Command,
  type EdgeMessage,
  edgeMessageSchema,
  FEATURE_BATCHES,
  MAX_EVENTS_PER_FRAME,
  PROTOCOL_VERSION,
  parseFrame,
  type Routing,
} from "./edge-protocol";
import type { Logger } from "./logger";
import type { Outbox } from "./outbox";
import { closeSocket } from "./socket";

/*
 * The WebSocket to the edge (PbxGateway). On open: `hello`, then the outbox in seq order with
 * at most MAX_IN_FLIGHT unacked events on the wire; acks/rejects drop events from the
 * outbox. Once the edge's `welcome` lists `batches`, the events waiting for the window go out
 * together in `events` frames and the edge acks a stored batch with one `acks` frame; before
 * that (or with an edge without it) one `event` frame per event. Reconnects with backoff;
 * pings every PING_INTERVAL_MS and gives up on a connection that stayed silent for two
 * intervals.
 */

const MAX_IN_FLIGHT = 256;
const PING_INTERVAL_MS = 20_000;
/** Events wait for the edge's `welcome` (which says whether it takes batches) this long at most. */
const WELCOME_WAIT_MS = 2_000;

export type CommandResultBody = Pick<
  Extract<BridgeMessage, { type: "command.result" }>,
  "ok" | "error"
>;

export interface EdgeHandlers {
  onRouting(routing: Routing): void;
  onCommand(command: Command): Promise<CommandResultBody>;
  /** An event left the outbox (acked or rejected). */
  onDelivered(): void;
}

export interface EdgeClientOptions {
  url: string;
  token: string;
  bridgeVersion: string;
  outbox: Outbox;
  ariConnected: () => boolean;
  backoff?: BackoffOptions;
  pingIntervalMs?: number;
  welcomeWaitMs?: number;
  log: Logger;
}

export class EdgeClient {
  private socket: WebSocket | null = null;
  private open = false;
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private lastFrameAt = 0;
  private lastSentSeq = -1;
  /** The edge said it takes `events` frames (reset on every connection). */
  private batching = false;
  /** Events go out once the edge's `welcome` arrived (or WELCOME_WAIT_MS passed without it). */
  private welcomed = false;
  private welcomeTimer: NodeJS.Timeout | null = null;
  private pumpScheduled = false;
  private readonly inFlight = new Set<string>();
  private readonly backoff: Backoff;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly options: EdgeClientOptions,
    private readonly handlers: EdgeHandlers,
  ) {
    this.backoff = new Backoff(options.backoff ?? RECONNECT_BACKOFF);
  }

  get connected(): boolean {
    return this.open;
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.options.outbox.onAppend(() => this.pump());
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    if (socket) await closeSocket(socket);
    this.markClosed();
  }

  sendAriStatus(connected: boolean): void {
    this.send({ type: "ari.status", connected });
  }

  private connect(): void {
    const socket = new WebSocket(this.options.url, {
      headers: { authorization: `Bearer ${this.options.token}` },
      // No permessage-deflate: ws compresses each frame on libuv's thread pool, one at a time
      // per socket, and a burst of frames waited its turn there (bench:pbx, 100 calls: p99
      // 135 ms from send to the gateway with it, 31 ms without; decision 025). The frames are
      // small JSON, a few KB/s even for a busy PBX.
      perMessageDeflate: false,
    });
    this.socket = socket;
    socket.on("open", () => this.handleOpen());
    socket.on("message", (data) => this.handleFrame(String(data)));
    socket.on("error", (error) =>
      this.options.log.warn("edge socket error", { error: error.message }),
    );
    socket.on("close", (code) => this.handleClose(socket, code));
  }

  private handleOpen(): void {
    this.open = true;
    this.backoff.reset();
    this.lastFrameAt = Date.now();
    this.options.log.info("edge connected");
    this.send({
      type: "hello",
      protocolVersion: PROTOCOL_VERSION,
      bridgeVersion: this.options.bridgeVersion,
      ariConnected: this.options.ariConnected(),
      features: [FEATURE_BATCHES],
    });
    this.startPinging();
    this.welcomeTimer = setTimeout(() => {
      this.welcomeTimer = null;
      this.options.log.warn("no welcome from the edge, sending events one per frame");
      this.welcomed = true;
      this.pump();
    }, this.options.welcomeWaitMs ?? WELCOME_WAIT_MS);
  }

  private handleClose(socket: WebSocket, code: number): void {
    if (this.socket !== socket) return;
    this.markClosed();
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.options.log.warn("edge disconnected", { code, retryInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private markClosed(): void {
    this.socket = null;
    this.open = false;
    this.inFlight.clear();
    this.lastSentSeq = -1;
    this.batching = false;
    this.welcomed = false;
    if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
    this.welcomeTimer = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private startPinging(): void {
    const interval = this.options.pingIntervalMs ?? PING_INTERVAL_MS;
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * interval) {
        this.options.log.warn("edge silent for two ping intervals, reconnecting", {
          silentMs: Date.now() - this.lastFrameAt,
        });
        this.socket?.terminate();
        return;
      }
      this.send({ type: "ping" });
    }, interval);
  }

  /**
   * Sends outbox events not yet on the wire, in seq order, while the window has room: one
   * frame each, or in `events` frames once the edge takes them. Appends and acks of one turn
   * of the event loop are sent together (the pump runs at the next microtask).
   */
  private pump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pumpNow();
    });
  }

  private pumpNow(): void {
    if (!this.open || !this.welcomed) return;
    let batch: CallEvent[] = [];
    const flush = () => {
      if (batch.length > 0) this.send({ type: "events", events: batch });
      batch = [];
    };
    for (const event of this.options.outbox.pendingAfter(this.lastSentSeq)) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) break;
      if (this.batching) {
        batch.push(event);
        if (batch.length >= MAX_EVENTS_PER_FRAME) flush();
      } else {
        this.send({ type: "event", event });
      }
      this.inFlight.add(event.id);
      this.lastSentSeq = event.seq;
    }
    flush();
  }

  private handleFrame(raw: string): void {
    this.lastFrameAt = Date.now();
    const message = parseFrame(edgeMessageSchema, raw);
    if (!message) {
      this.options.log.warn("edge frame malformed, ignored", { frame: raw.slice(0, 200) });
      return;
    }
    this.dispatch(message);
  }

  private dispatch(message: EdgeMessage): void {
    switch (message.type) {
      case "welcome":
        this.options.log.info("edge welcome", {
          organizationId: message.organizationId,
          features: message.features,
        });
        if (this.welcomeTimer) clearTimeout(this.welcomeTimer);
        this.welcomeTimer = null;
        this.batching = message.features.includes(FEATURE_BATCHES);
        this.welcomed = true;
        this.pump();
        return;
      case "ack":
        this.delivered(message.eventId);
        return;
      case "acks":
        this.deliveredAll(message.eventIds);
        return;
      case "reject":
        this.options.log.warn("edge rejected event", {
          eventId: message.eventId,
          reason: message.reason,
        });
        this.delivered(message.eventId);
        return;
      case "command":
        void this.runCommand(message.commandId, message.command);
        return;
      case "routing":
        this.handlers.onRouting(message.routing);
        return;
      case "pong":
        return;
      default:
        assertNever(message);
    }
  }

  private delivered(eventId: string): void {
    this.deliveredAll([eventId]);
  }

  private deliveredAll(eventIds: readonly string[]): void {
    for (const eventId of eventIds) this.inFlight.delete(eventId);
    const dropped = this.options.outbox.ackAll(eventIds);
    for (let count = 0; count < dropped; count += 1) this.handlers.onDelivered();
    this.pump();
  }

  private async runCommand(commandId: string, command: Command): Promise<void> {
    const result = await this.handlers.onCommand(command);
    this.send({ type: "command.result", commandId, ...result });
  }

  private send(message: BridgeMessage): void {
    if (this.open && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }
}
