import { afterEach, describe, expect, it } from "vitest";
import { BridgeHarness, summary } from "./bridge-harness";
import { waitUntil } from "./wait";

let h: BridgeHarness;

afterEach(async () => {
  await h.close();
});

const answered = () =>
  h.edge.waitFor(
    () => h.edge.events().some((event) => event.type === "call.answered"),
    5000,
    "answered",
  );

async function dropAri(refuseMs: number) {
  h.sim.dropConnections(refuseMs);
  await waitUntil(() => h.bridge?.status().ariConnected === false, 2000, "ARI down");
  await waitUntil(() => h.bridge?.status().ariConnected === true, 5000 + refuseMs, "ARI back");
}

describe("ARI connection loss", () => {
  it("keeps calls whose channels survived the outage", async () => {
    h = await BridgeHarness.start();
    await h.sim.playScenario("inbound_answered", { talkSeconds: 40 });
    await answered();
    await dropAri(100);
    expect(summary(await h.endedCall()).slice(2)).toEqual([
      "answered ext=1001",
      "ended answered by=customer cause=16",
    ]);
  });

  it("ends calls whose channels vanished while ARI was away (hangupBy system)", async () => {
    h = await BridgeHarness.start();
    await h.sim.playScenario("inbound_answered", { talkSeconds: 5 });
    await answered();
    await dropAri(800);
    expect(summary(await h.endedCall()).slice(2)).toEqual([
      "answered ext=1001",
      "ended answered by=system cause=0",
    ]);
    expect(h.bridge?.status().activeCalls).toBe(0);
  });
});

describe("routing fallbacks", () => {
  it("rings FALLBACK_EXTENSIONS before the edge sent routing", async () => {
    h = await BridgeHarness.start({ routing: null });
    await h.sim.playScenario("inbound_answered", { queue: null });
    const events = await h.endedCall();
    expect(events[0]).toMatchObject({ queue: null });
    expect(summary(events).slice(1)).toEqual([
      expect.stringContaining("ext=1001"),
      "answered ext=1001",
      "ended answered by=customer cause=16",
    ]);
  });

  it("ends as abandoned when no queue member is available", async () => {
    h = await BridgeHarness.start({
      routing: {
        queues: [{ name: "support", extensions: ["1001"], ringTimeoutSeconds: 10 }],
        agents: [{ extension: "1001", status: "away" }],
      },
    });
    await h.sim.playScenario("inbound_missed", { giveUpSeconds: 10 });
    expect(summary(await h.endedCall())).toEqual([
      expect.stringContaining("ext=null"),
      "ended abandoned by=customer cause=16",
    ]);
  });
});

describe("durable delivery", () => {
  it("redelivers unacked events after a restart, in seq order, and keeps numbering", async () => {
    h = await BridgeHarness.start();
    h.edge.autoAck = false;
    await h.sim.playScenario("outbound_desk", { extension: "1003" });
    await h.endedCall();
    const first = h.edge.events();
    expect(h.bridge?.status().outboxDepth).toBe(3);
    const health = await (await fetch(`${h.bridge?.httpUrl}/healthz`)).json();
    expect(health).toEqual({ status: "ok", ari: "connected", edge: "connected", outboxDepth: 3 });
    await h.bridge?.stop();

    h.edge.autoAck = true;
    const framesBefore = h.edge.frames.length;
    const bridge = await h.startBridge();
    await waitUntil(() => bridge.status().outboxDepth === 0, 3000, "redelivery acked");
    const redelivered = h.edge.frames
      .slice(framesBefore)
      .flatMap((frame) => (frame.type === "event" ? [frame.event] : []));
    expect(redelivered).toEqual(first);

    await h.sim.playScenario("outbound_desk", { extension: "1003" });
    const next = await h.endedCall(2);
    expect(next.map((event) => event.seq)).toEqual([3, 4, 5]);
  });

  it("serves /healthz and /metrics", async () => {
    h = await BridgeHarness.start();
    await h.sim.playScenario("internal", { from: "1001", to: "1002" });
    await h.endedCall();
    await waitUntil(() => h.bridge?.status().outboxDepth === 0, 2000, "acks");
    const base = h.bridge?.httpUrl;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: "ok",
      ari: "connected",
      edge: "connected",
      outboxDepth: 0,
    });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    expect(text).toContain("pbx_bridge_call_events_emitted_total 3");
    expect(text).toContain("pbx_bridge_call_events_delivered_total 3");
    expect(text).toContain("pbx_bridge_outbox_depth 0");
    expect(text).toContain("pbx_bridge_ari_connected 1");
    expect(text).toContain("pbx_bridge_edge_connected 1");
    expect(text).toMatch(/pbx_bridge_ari_events_received_total [1-9]\d*/);
    expect(text).toContain("# TYPE pbx_bridge_command_duration_seconds histogram");
    expect(text).toContain('pbx_bridge_command_duration_seconds_bucket{le="+Inf"} 0');
    expect(text).toMatch(/^pbx_bridge_process_cpu_user_seconds_total \d/m);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/recordings/x?expires=1&sig=00`)).status).toBe(403);
  });

  it("logs one JSON object per line, with level, msg, fields and time", async () => {
    h = await BridgeHarness.start();
    await h.sim.playScenario("internal", { from: "1001", to: "1002" });
    const events = await h.endedCall();
    const entries = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(entry).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
      expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
    }
    expect(entries).toContainEqual(
      expect.objectContaining({ level: "info", msg: "started", http: h.bridge?.httpUrl }),
    );
    const logged = entries.filter((entry) => entry.msg === "call event");
    expect(logged.map(({ seq, type, callId }) => ({ seq, type, callId }))).toEqual(
      events.map(({ seq, type, callId }) => ({ seq, type, callId })),
    );
  });
});
