import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CallEvent, callEventSchema } from "../../src/edge-protocol";
import { BridgeHarness, summary } from "./bridge-harness";

const CUSTOMER = "+15551230001";
const DID = "+15550100100";

let h: BridgeHarness;

beforeEach(async () => {
  h = await BridgeHarness.start();
});

afterEach(async () => {
  if (process.env.DUMP_LOGS) console.log(h.logs.join("\n"));
  await h.close();
});

function expectWellFormed() {
  expect(h.edge.invalidFrames).toEqual([]);
  const events = h.edge.events();
  for (const event of events) expect(callEventSchema.safeParse(event).success).toBe(true);
  const seqs = events.map((event) => event.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  const byCall = new Map<string, CallEvent[]>();
  for (const event of events)
    byCall.set(event.callId, [...(byCall.get(event.callId) ?? []), event]);
  for (const callEvents of byCall.values()) {
    expect(callEvents[0]?.type).toBe("call.ringing");
    expect(callEvents.filter((event) => event.type === "call.ended")).toHaveLength(1);
    expect(callEvents.at(-1)?.type).toBe("call.ended");
  }
}

describe("bridge against the ARI simulator", () => {
  it("inbound_answered: rings a queue member, bridges, ends when the customer hangs up", async () => {
    await h.sim.playScenario("inbound_answered", { from: CUSTOMER, queue: "support" });
    const events = await h.endedCall();
    expect(summary(events)).toEqual([
      `ringing inbound ${CUSTOMER}->${DID} ext=null`,
      `ringing inbound ${CUSTOMER}->${DID} ext=1001`,
      "answered ext=1001",
      "ended answered by=customer cause=16",
    ]);
    expect(events[0]).toMatchObject({ queue: "support" });
    expectWellFormed();
    await expect.poll(() => h.bridge?.status().outboxDepth).toBe(0);
  });

  it("inbound_answered with the agent hanging up", async () => {
    await h.sim.playScenario("inbound_answered", { hangupBy: "agent" });
    expect(summary(await h.endedCall()).at(-1)).toBe("ended answered by=agent cause=16");
    expectWellFormed();
  });

  it("inbound_missed: rings members in turn, ends as missed", async () => {
    await h.sim.playScenario("inbound_missed", { from: CUSTOMER, giveUpSeconds: 30 });
    const events = summary(await h.endedCall());
    expect(events.slice(0, 3)).toEqual([
      `ringing inbound ${CUSTOMER}->${DID} ext=null`,
      `ringing inbound ${CUSTOMER}->${DID} ext=1001`,
      `ringing inbound ${CUSTOMER}->${DID} ext=1002`,
    ]);
    expect(events.at(-1)).toBe("ended missed by=customer cause=16");
    expectWellFormed();
  });

  it("outbound_desk: dials the trunk, bridges, the customer hangs up", async () => {
    await h.sim.playScenario("outbound_desk", { extension: "1003", to: "+15557654321" });
    expect(summary(await h.endedCall())).toEqual([
      "ringing outbound 1003->+15557654321 ext=1003",
      "answered ext=1003",
      "ended answered by=customer cause=16",
    ]);
    expectWellFormed();
  });

  it("outbound_busy and outbound_failed end as busy / failed", async () => {
    await h.sim.playScenario("outbound_busy", { to: "+15550000017" });
    expect(summary(await h.endedCall(1)).at(-1)).toBe("ended busy by=customer cause=17");
    await h.sim.playScenario("outbound_failed", { to: "+15550000034" });
    expect(summary(await h.endedCall(2)).at(-1)).toBe("ended failed by=customer cause=34");
    expectWellFormed();
  });

  it("internal: extension to extension", async () => {
    await h.sim.playScenario("internal", { from: "1001", to: "1002" });
    expect(summary(await h.endedCall())).toEqual([
      "ringing internal 1001->1002 ext=1001",
      "answered ext=1002",
      "ended answered by=caller cause=16",
    ]);
    expectWellFormed();
  });

  it("transfer: the phone's blind transfer reaches the target", async () => {
    await h.sim.playScenario("transfer", { from: CUSTOMER, transferTo: "1003" });
    expect(summary(await h.endedCall())).toEqual([
      `ringing inbound ${CUSTOMER}->${DID} ext=null`,
      `ringing inbound ${CUSTOMER}->${DID} ext=1001`,
      "answered ext=1001",
      "transferred 1001->1003",
      "answered ext=1003",
      "ended answered by=customer cause=16",
    ]);
    expectWellFormed();
  });

  it("hold: the phone holds and resumes", async () => {
    await h.sim.playScenario("hold", { from: CUSTOMER, holdSeconds: 5 });
    expect(summary(await h.endedCall()).slice(2)).toEqual([
      "answered ext=1001",
      "held",
      "resumed",
      "ended answered by=customer cause=16",
    ]);
    expectWellFormed();
  });

  it("long_recorded: records the bridge and serves the recording through a signed link", async () => {
    await h.sim.playScenario("long_recorded", { from: CUSTOMER, talkSeconds: 30 });
    const events = await h.endedCall();
    const callId = events[0]?.callId;
    expect(summary(events).slice(2)).toEqual([
      "answered ext=1001",
      `recording_ready ${callId}-1`,
      "ended answered by=customer cause=16",
    ]);
    const ready = events.find((event) => event.type === "call.recording_ready");
    if (ready?.type !== "call.recording_ready" || !ready.url) throw new Error("no recording url");
    expect(ready.url).toMatch(
      new RegExp(
        `^https://pbx\\.example\\.com/recordings/${callId}-1\\?expires=\\d+&sig=[0-9a-f]{64}$`,
      ),
    );
    const local = ready.url.replace("https://pbx.example.com", h.bridge?.httpUrl ?? "");
    const response = await fetch(local);
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 4).toString()).toBe("RIFF");
    const forged = await fetch(`${local.slice(0, -1)}${local.endsWith("0") ? "1" : "0"}`);
    expect(forged.status).toBe(403);
    await forged.body?.cancel();
    expectWellFormed();
  });
});
