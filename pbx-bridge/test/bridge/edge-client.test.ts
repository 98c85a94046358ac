import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EdgeClient, type EdgeHandlers } from "../../src/edge-client";
import {
  type Command,
  type Routing,
  type RoutingInput,
  routingSchema,
} from "../../src/edge-protocol";
import { silentLogger } from "../../src/logger";
import { type CallEventDraft, Outbox } from "../../src/outbox";
import { EdgeDouble } from "./edge-double";

const TOKEN = "test-token-0123456789";
const CALL_ID = "5d0c3f0e-2b8f-4f55-9a7e-3c2b1a0f9e11";

const held = (): CallEventDraft => ({
  type: "call.held",
  callId: CALL_ID,
  occurredAt: new Date().toISOString(),
});

let dir: string;
let outbox: Outbox;
let edge: EdgeDouble;
let client: EdgeClient | null;
let routings: Routing[];
let commands: Command[];

function startClient(token = TOKEN, welcomeWaitMs?: number): EdgeClient {
  const handlers: EdgeHandlers = {
    onRouting: (routing) => routings.push(routing),
    onCommand: async (command) => {
      commands.push(command);
      return command.action === "hangup"
        ? { ok: false, error: { code: "CALL_NOT_FOUND", message: "no such call" } }
        : { ok: true, error: null };
    },
    onDelivered: () => {},
  };
  client = new EdgeClient(
    {
      url: edge.url,
      token,
      bridgeVersion: "test",
      outbox,
      ariConnected: () => true,
      backoff: { minMs: 10, maxMs: 50 },
      welcomeWaitMs,
      log: silentLogger,
    },
    handlers,
  );
  client.start();
  return client;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "edge-client-"));
  outbox = Outbox.open(dir);
  edge = await EdgeDouble.start(TOKEN);
  client = null;
  routings = [];
  commands = [];
});

afterEach(async () => {
  await client?.stop();
  await edge.close();
  outbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("EdgeClient", () => {
  it("says hello, then delivers the outbox in seq order until acked", async () => {
    const before = [outbox.append(held()), outbox.append(held())];
    startClient();
    await edge.waitFor(() => outbox.depth === 0, 2000, "acks");
    const after = outbox.append(held());
    await edge.waitFor(() => outbox.depth === 0 && edge.events().length === 3, 2000, "live event");
    expect(edge.frames[0]).toEqual({
      type: "hello",
      protocolVersion: 1,
      bridgeVersion: "test",
      ariConnected: true,
      features: ["batches"],
    });
    expect(edge.events().map((e) => e.id)).toEqual([...before, after].map((e) => e.id));
    // An edge that did not list `batches` gets one frame per event.
    expect(edge.frames.filter((f) => f.type === "events")).toEqual([]);
    expect(edge.invalidFrames).toEqual([]);
  });

  it("keeps at most 256 events in flight", async () => {
    edge.autoAck = false;
    for (let i = 0; i < 300; i += 1) outbox.append(held());
    startClient();
    await edge.waitFor(() => edge.events().length === 256, 2000, "first window");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(edge.events()).toHaveLength(256);
    edge.ack(edge.events()[0]?.id ?? "");
    await edge.waitFor(() => edge.events().length === 257, 2000, "one more");
    expect(edge.events().map((e) => e.seq)).toEqual([...Array(257).keys()]);
  });

  it("redelivers unacked events in order after the connection drops", async () => {
    edge.autoAck = false;
    const events = [outbox.append(held()), outbox.append(held()), outbox.append(held())];
    startClient();
    await edge.waitFor(() => edge.events().length === 3, 2000, "first delivery");
    edge.ack(events[0]?.id ?? "");
    await edge.waitFor(() => outbox.depth === 2, 2000, "ack");
    edge.kick();
    await edge.waitFor(
      () => edge.connections === 2 && countEventFrames(edge) === 5,
      3000,
      "redelivery",
    );
    const redelivered = edge.frames
      .filter((f) => f.type === "event")
      .slice(3)
      .map((f) => (f.type === "event" ? f.event.seq : -1));
    expect(redelivered).toEqual([1, 2]);
    expect(edge.frames.filter((f) => f.type === "hello")).toHaveLength(2);
  });

  it("with an edge that takes batches, sends waiting events in one frame and keeps each until an acks frame names it", async () => {
    edge.batching = true;
    edge.autoAck = false;
    const events = Array.from({ length: 5 }, () => outbox.append(held()));
    startClient();
    await edge.waitFor(() => edge.events().length === 5, 2000, "the batch");
    expect(edge.frames.filter((f) => f.type === "event")).toEqual([]);
    expect(edge.frames.filter((f) => f.type === "events")).toHaveLength(1);
    expect(edge.events().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);

    edge.acks(events.slice(0, 3).map((e) => e.id));
    await edge.waitFor(() => outbox.depth === 2, 2000, "the acks");
    expect([...outbox.pendingAfter(-1)].map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));

    // Whatever no acks frame named is sent again, in order, on the next connection.
    const framesBefore = edge.frames.length;
    edge.kick();
    await edge.waitFor(
      () =>
        edge.connections === 2 && edge.frames.slice(framesBefore).some((f) => f.type === "events"),
      3000,
      "redelivery",
    );
    const resent = edge.frames
      .slice(framesBefore)
      .flatMap((f) => (f.type === "events" ? f.events : []));
    expect(resent.map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
  });

  it("sends new events in frames of their own turn while a batch waits for its acks", async () => {
    edge.batching = true;
    edge.autoAck = false;
    startClient();
    await edge.waitFor(() => edge.frames.some((f) => f.type === "hello"), 2000, "hello");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = outbox.append(held());
    await edge.waitFor(() => edge.events().length === 1, 2000, "first event");
    outbox.append(held());
    outbox.append(held());
    await edge.waitFor(() => edge.events().length === 3, 2000, "the next two");
    const batches = edge.frames.flatMap((f) => (f.type === "events" ? [f.events.length] : []));
    expect(batches).toEqual([1, 2]);
    edge.acks([first.id]);
    await edge.waitFor(() => outbox.depth === 2, 2000, "ack of the first");
  });

  it("with an edge that never says welcome, sends events one per frame after a wait", async () => {
    edge.welcomes = false;
    outbox.append(held());
    startClient(TOKEN, 50);
    await edge.waitFor(() => outbox.depth === 0, 2000, "ack");
    expect(edge.frames.filter((f) => f.type === "event")).toHaveLength(1);
  });

  it("stores routing, runs commands and answers with command.result", async () => {
    startClient();
    await edge.waitFor(() => edge.frames.length > 0, 2000, "hello");
    const routing: RoutingInput = {
      queues: [{ name: "support", extensions: ["1001"], ringTimeoutSeconds: 15 }],
      agents: [{ extension: "1001", status: "available" }],
    };
    edge.sendRouting(routing);
    const ok = await edge.command({ action: "hold", callId: CALL_ID });
    const failed = await edge.command({ action: "hangup", callId: CALL_ID });
    expect(routings).toEqual([routingSchema.parse(routing)]);
    expect(commands.map((c) => c.action)).toEqual(["hold", "hangup"]);
    expect(ok).toMatchObject({ ok: true, error: null });
    expect(failed).toMatchObject({ ok: false, error: { code: "CALL_NOT_FOUND" } });
    client?.sendAriStatus(false);
    await edge.waitFor(() => edge.frames.some((f) => f.type === "ari.status"), 2000, "ari.status");
  });

  it("keeps retrying when the edge refuses the token", async () => {
    startClient("wrong-token-0123456789");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(edge.connections).toBe(0);
    expect(client?.connected).toBe(false);
  });
});

function countEventFrames(double: EdgeDouble): number {
  return double.frames.filter((f) => f.type === "event").length;
}
