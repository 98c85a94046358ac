import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import {
  type BridgeMessage,
  bridgeMessageSchema,
  type CallEvent,
  type Command,
  type EdgeMessage,
  parseFrame,
  type RoutingInput,
} from "../../src/edge-protocol";

import { waitUntil } from "./wait";

type CommandResult = Extract<BridgeMessage, { type: "command.result" }>;

const ORGANIZATION_ID = "0b6c5a3e-9d1f-4c2a-8e7b-1f2d3c4b5a69";

/**
 * A stand-in for the edge's PbxGateway: a WebSocket server speaking edge-protocol.ts that
 * checks the bearer token, says `welcome` on connect (listing `batches` only when
 * `batching` is set; without, it is an edge from before batches), records every frame, and
 * acks events (unless told not to): one `ack` per event, or with `batching` one `acks` per
 * `events` frame.
 */
export class EdgeDouble {
  readonly frames: BridgeMessage[] = [];
  readonly invalidFrames: string[] = [];
  autoAck = true;
  batching = false;
  /** Set to false to play an edge that never says welcome. */
  welcomes = true;
  connections = 0;
  private socket: WebSocket | null = null;

  private constructor(private readonly server: WebSocketServer) {
    server.on("connection", (socket) => this.accept(socket));
  }

  static async start(token: string): Promise<EdgeDouble> {
    const server = new WebSocketServer({
      port: 0,
      host: "127.0.0.1",
      verifyClient: ({ req }: { req: IncomingMessage }) =>
        req.headers.authorization === `Bearer ${token}`,
    });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    return new EdgeDouble(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1/pbx/bridge`;
  }

  /** Events received, first delivery of each id only, in arrival order. */
  events(): CallEvent[] {
    const seen = new Set<string>();
    const events: CallEvent[] = [];
    for (const frame of this.frames) {
      const sent =
        frame.type === "event" ? [frame.event] : frame.type === "events" ? frame.events : [];
      for (const event of sent) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        events.push(event);
      }
    }
    return events;
  }

  callEvents(callId: string): CallEvent[] {
    return this.events().filter((event) => event.callId === callId);
  }

  send(message: EdgeMessage): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN)
      throw new Error("bridge not connected");
    this.socket.send(JSON.stringify(message));
  }

  /** Routing as the edge writes it (wrap-up times may be left to their defaults). */
  sendRouting(routing: RoutingInput): void {
    this.socket?.send(JSON.stringify({ type: "routing", routing }));
  }

  ack(eventId: string): void {
    this.send({ type: "ack", eventId });
  }

  acks(eventIds: string[]): void {
    this.send({ type: "acks", eventIds });
  }

  async command(command: Command, timeoutMs = 5000): Promise<CommandResult> {
    const commandId = crypto.randomUUID();
    this.send({ type: "command", commandId, command });
    let result: CommandResult | undefined;
    await this.waitFor(() => {
      result = this.frames.find(
        (f): f is CommandResult => f.type === "command.result" && f.commandId === commandId,
      );
      return result !== undefined;
    }, timeoutMs);
    return result as CommandResult;
  }

  /** Resolves once `predicate` holds (polled every few ms), or rejects after timeoutMs. */
  waitFor(predicate: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
    return waitUntil(predicate, timeoutMs, `edge double: ${what}`);
  }

  /** Drops the bridge's connection (it should reconnect). */
  kick(): void {
    this.socket?.terminate();
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.connections += 1;
    this.socket = socket;
    socket.on("message", (data) => this.receive(String(data)));
    if (this.welcomes) {
      this.send({
        type: "welcome",
        organizationId: ORGANIZATION_ID,
        features: this.batching ? ["batches"] : [],
      });
    }
  }

  private receive(raw: string): void {
    const frame = parseFrame(bridgeMessageSchema, raw);
    if (!frame) {
      this.invalidFrames.push(raw);
      return;
    }
    this.frames.push(frame);
    if (frame.type === "event" && this.autoAck) this.ack(frame.event.id);
    if (frame.type === "events" && this.autoAck) this.acks(frame.events.map((event) => event.id));
    if (frame.type === "ping") this.send({ type: "pong" });
  }
}
