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

/**
 * A stand-in for the edge's PbxGateway: a WebSocket server speaking edge-protocol.ts that
 * checks the bearer token, records every frame, and acks events (unless told not to).
 */
export class EdgeDouble {
  readonly frames: BridgeMessage[] = [];
  readonly invalidFrames: string[] = [];
  autoAck = true;
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
      if (frame.type !== "event" || seen.has(frame.event.id)) continue;
      seen.add(frame.event.id);
      events.push(frame.event);
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
  }

  private receive(raw: string): void {
    const frame = parseFrame(bridgeMessageSchema, raw);
    if (!frame) {
      this.invalidFrames.push(raw);
      return;
    }
    this.frames.push(frame);
    if (frame.type === "event" && this.autoAck) this.ack(frame.event.id);
    if (frame.type === "ping") this.send({ type: "pong" });
  }
}
