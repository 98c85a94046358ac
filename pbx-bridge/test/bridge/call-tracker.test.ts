import { describe, expect, it } from "vitest";
import { callEventSchema, type RoutingInput } from "../../src/edge-protocol";
import { ari, type ChannelSpec } from "./ari-fixtures";
import { opSummary, TrackerHarness } from "./tracker-harness";

const CUSTOMER = "+15551234567";
const DID = "+15550100100";

const routing = (available: string[], extensions = ["1001", "1002", "1003"]): RoutingInput => ({
  queues: [{ name: "support", extensions, ringTimeoutSeconds: 15 }],
  agents: extensions.map((extension) => ({
    extension,
    status: available.includes(extension) ? "available" : "away",
  })),
});

const trunkCaller = (vars?: Record<string, string>): ChannelSpec => ({
  id: "trunk-1",
  name: "PJSIP/trunk-00000001",
  state: "Ring",
  callerNumber: CUSTOMER,
  callerName: "Ada Lovelace",
  exten: DID,
  vars,
});

const deskPhone = (extension: string, dialled: string): ChannelSpec => ({
  id: `desk-${extension}`,
  name: `PJSIP/${extension}-00000001`,
  state: "Ring",
  callerNumber: extension,
  exten: dialled,
});

/** Plays the agent leg `n`-th id ringing then answering. */
function answerLeg(h: TrackerHarness, id: string, callId: string) {
  const leg = { id, name: `PJSIP/leg-${id.slice(-4)}` };
  h.feed(ari.dial(leg, ""), ari.dial(leg, "RINGING"), ari.ringing(leg));
  h.feed(ari.dial(leg, "ANSWER"), ari.stasisStart(leg, ["dialed", callId]));
  return leg;
}

function hangUp(h: TrackerHarness, leg: ChannelSpec, cause = 16, text = "Normal Clearing") {
  h.feed(ari.hangupRequest(leg), ari.stasisEnd(leg), ari.destroyed(leg, cause, text));
}

/** Every emitted event must be valid per edge-protocol once the outbox numbers it. */
function expectValid(events: unknown[]) {
  for (const [seq, event] of events.entries()) {
    const full = { ...(event as object), id: "9b2f9f5e-8a53-4c8a-9d0b-5a2d4f6f1e01", seq };
    expect(callEventSchema.safeParse(full).success, JSON.stringify(full)).toBe(true);
  }
}

describe("inbound calls", () => {
  it("rings an available member, bridges on answer, ends when the customer hangs up", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1002", "1003"]));
    const caller = trunkCaller();
    h.feed(ari.stasisStart(caller, ["inbound", "support"]));
    const callId = h.id(1);
    let step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({
        type: "call.ringing",
        callId,
        direction: "inbound",
        from: CUSTOMER,
        fromName: "Ada Lovelace",
        to: DID,
        extension: null,
        queue: "support",
      }),
    ]);
    expect(opSummary(step.ops)).toEqual(["ring trunk-1", "originate PJSIP/1002"]);
    expect(step.ops[1]).toMatchObject({
      timeoutSeconds: 15,
      callerId: `"Ada Lovelace" <${CUSTOMER}>`,
    });

    const agent = answerLeg(h, h.id(2), callId);
    step = h.take();
    expect(step.events.map((e) => [e.type, "extension" in e ? e.extension : undefined])).toEqual([
      ["call.ringing", "1002"],
      ["call.answered", "1002"],
    ]);
    expect(opSummary(step.ops)).toEqual([
      "answer trunk-1",
      "createBridge",
      `addChannel trunk-1`,
      `addChannel ${agent.id}`,
    ]);

    h.advance(42);
    hangUp(h, caller);
    step = h.take();
    expect(step.events).toEqual([]);
    expect(opSummary(step.ops)).toEqual([`hangup ${agent.id} normal`]);
    h.feed(ari.stasisEnd(agent), ari.destroyed(agent, 16, "Normal Clearing"));
    step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({
        type: "call.ended",
        outcome: "answered",
        durationSeconds: 42,
        hangupCause: 16,
        hangupCauseText: "Normal Clearing",
        hangupBy: "customer",
      }),
    ]);
    expect(opSummary(step.ops)).toEqual(["destroyBridge"]);
    expect(h.tracker.activeCalls).toBe(0);
  });

  it("reports hangupBy agent when the agent hangs up first", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1001"]));
    const caller = trunkCaller();
    h.feed(ari.stasisStart(caller, ["inbound", "support"]));
    const agent = answerLeg(h, h.id(2), h.id(1));
    h.take();
    hangUp(h, agent);
    expect(opSummary(h.take().ops)).toEqual(["hangup trunk-1 normal"]);
    h.feed(ari.destroyed(caller, 16, "Normal Clearing"));
    expect(h.take().events).toEqual([
      expect.objectContaining({ type: "call.ended", outcome: "answered", hangupBy: "agent" }),
    ]);
  });

  it("rings members round robin and ends as missed when the caller gives up", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1001", "1002"]));
    const caller = trunkCaller();
    h.feed(ari.stasisStart(caller, ["inbound"]));
    const callId = h.id(1);
    const first = { id: h.id(2) };
    h.feed(ari.dial(first, "RINGING"));
    h.feed(ari.dial(first, "NOANSWER"), ari.destroyed(first, 19, "No user responding"));
    let step = h.take();
    expect(step.events.map((e) => e.type)).toEqual(["call.ringing", "call.ringing"]);
    expect(opSummary(step.ops)).toEqual([
      "ring trunk-1",
      "originate PJSIP/1001",
      "originate PJSIP/1002",
    ]);

    const second = { id: h.id(3) };
    h.feed(ari.ringing(second), ari.destroyed(second, 17, "User busy"));
    step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({ type: "call.ringing", extension: "1002" }),
    ]);
    expect(step.ops).toEqual([]);
    expect(h.timers).toEqual([{ kind: "timer", callId, timer: "route", delayMs: 2000 }]);
    h.fireTimers();
    expect(opSummary(h.take().ops)).toEqual(["originate PJSIP/1001"]);

    const third = { id: h.id(4) };
    h.feed(ari.ringing(third));
    h.take();
    hangUp(h, caller);
    expect(opSummary(h.take().ops)).toEqual([`hangup ${third.id} normal`]);
    h.feed(ari.destroyed(third, 16, "Normal Clearing"));
    const ended = h.take().events;
    expect(ended).toEqual([
      expect.objectContaining({
        type: "call.ended",
        outcome: "missed",
        durationSeconds: 0,
        hangupCause: 16,
        hangupBy: "customer",
      }),
    ]);
  });

  it("ends as abandoned when nobody was available to ring", () => {
    const h = new TrackerHarness();
    h.routing(routing([]));
    const caller = trunkCaller();
    h.feed(ari.stasisStart(caller, ["inbound", "support"]));
    expect(opSummary(h.take().ops)).toEqual(["ring trunk-1"]);
    expect(h.timers).toHaveLength(1);
    hangUp(h, caller, 16);
    expect(h.take().events).toEqual([
      expect.objectContaining({ type: "call.ended", outcome: "abandoned", hangupBy: "customer" }),
    ]);
    h.fireTimers();
    expect(h.take().ops).toEqual([]);
  });

  it("rings a member as soon as routing says one became available", () => {
    const h = new TrackerHarness();
    h.routing(routing([]));
    h.feed(ari.stasisStart(trunkCaller(), ["inbound", "support"]));
    h.take();
    h.routing(routing(["1003"]));
    expect(opSummary(h.take().ops)).toEqual(["originate PJSIP/1003"]);
  });

  it("uses the fallback extensions and the default queue before any routing arrives", () => {
    const h = new TrackerHarness();
    h.feed(ari.stasisStart(trunkCaller(), ["inbound"]));
    const step = h.take();
    expect(step.events[0]).toMatchObject({ queue: "support" });
    expect(opSummary(step.ops)).toEqual(["ring trunk-1", "originate PJSIP/1001"]);
    expect(step.ops[1]).toMatchObject({ timeoutSeconds: 20 });
  });

  it("does not ring an extension that is already on a call", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1001", "1002"]));
    h.feed(ari.stasisStart(deskPhone("1001", "+15559990000"), ["outbound"]));
    h.take();
    h.feed(ari.stasisStart(trunkCaller(), ["inbound", "support"]));
    expect(opSummary(h.take().ops)).toEqual(["ring trunk-1", "originate PJSIP/1002"]);
  });

  it("records the bridge when SWITCHBOARD_RECORD=yes and waits for the recording before ending", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1001"]));
    const caller = trunkCaller({ SWITCHBOARD_RECORD: "yes" });
    h.feed(ari.stasisStart(caller, ["inbound", "support"]));
    const callId = h.id(1);
    const agent = answerLeg(h, h.id(2), callId);
    const name = `${callId}-1`;
    const step = h.take();
    expect(opSummary(step.ops).at(-1)).toBe(`record ${name}`);
    expect(step.ops.at(-1)).toMatchObject({ bridgeId: h.id(3) });
    h.feed(ari.recordingStarted(name));
    h.advance(61);
    hangUp(h, caller);
    expect(opSummary(h.take().ops)).toEqual([`hangup ${agent.id} normal`, `stopRecording ${name}`]);
    h.feed(ari.destroyed(agent, 16, "Normal Clearing"));
    expect(h.take().events).toEqual([]);
    h.feed(ari.recordingFinished(name, 61));
    const events = h.take().events;
    expect(events).toEqual([
      expect.objectContaining({
        type: "call.recording_ready",
        recordingName: name,
        durationSeconds: 61,
        url: `https://rec.example/recordings/${name}`,
      }),
      expect.objectContaining({ type: "call.ended", outcome: "answered", durationSeconds: 61 }),
    ]);
    expectValid(events);
  });

  it("ends a recorded call anyway when RecordingFinished never comes", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1001"]));
    const caller = trunkCaller({ SWITCHBOARD_RECORD: "yes" });
    h.feed(ari.stasisStart(caller, ["inbound"]));
    const agent = answerLeg(h, h.id(2), h.id(1));
    hangUp(h, caller);
    h.feed(ari.destroyed(agent, 16, "Normal Clearing"));
    h.take();
    h.fireTimers();
    expect(h.types()).toEqual(["call.ended"]);
  });
});

describe("outbound calls from the desk phone", () => {
  const start = (h: TrackerHarness) => {
    h.feed(ari.stasisStart(deskPhone("1001", "+15557654321"), ["outbound"]));
    return { callId: h.id(1), trunk: { id: h.id(2), name: "PJSIP/trunk-00000002" } };
  };

  it("dials the trunk, bridges when the customer answers", () => {
    const h = new TrackerHarness();
    const { trunk } = start(h);
    let step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({
        type: "call.ringing",
        direction: "outbound",
        from: "1001",
        to: "+15557654321",
        extension: "1001",
        queue: null,
      }),
    ]);
    expect(opSummary(step.ops)).toEqual(["originate PJSIP/+15557654321@trunk"]);
    expect(step.ops[0]).toMatchObject({ timeoutSeconds: 60 });
    h.feed(
      ari.dial(trunk, "RINGING"),
      ari.dial(trunk, "ANSWER"),
      ari.stasisStart(trunk, ["dialed"]),
    );
    step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({ type: "call.answered", extension: "1001" }),
    ]);
    expect(opSummary(step.ops)).toEqual([
      "answer desk-1001",
      "createBridge",
      `addChannel ${trunk.id}`,
      "addChannel desk-1001",
    ]);
    h.advance(30);
    hangUp(h, trunk);
    h.feed(ari.destroyed(deskPhone("1001", ""), 16, "Normal Clearing"));
    expect(h.take().events).toEqual([
      expect.objectContaining({
        type: "call.ended",
        outcome: "answered",
        durationSeconds: 30,
        hangupBy: "customer",
      }),
    ]);
  });

  it.each([
    [17, "User busy", "busy", "busy"],
    [19, "No user responding", "no_answer", "no_answer"],
    [34, "Circuit/channel congestion", "failed", "congestion"],
  ] as const)(
    "cause %i ends the call as %s and hangs up the agent",
    (cause, text, outcome, reason) => {
      const h = new TrackerHarness();
      const { trunk } = start(h);
      h.take();
      h.feed(ari.dial(trunk, "RINGING"), ari.destroyed(trunk, cause, text));
      const step = h.take();
      expect(step.events).toEqual([]);
      expect(opSummary(step.ops)).toEqual([`hangup desk-1001 ${reason}`]);
      h.feed(ari.destroyed(deskPhone("1001", ""), 16, "Normal Clearing"));
      expect(h.take().events).toEqual([
        expect.objectContaining({
          type: "call.ended",
          outcome,
          hangupCause: cause,
          hangupCauseText: text,
          hangupBy: "customer",
        }),
      ]);
    },
  );

  it("ends as no_answer when the agent gives up while the customer rings", () => {
    const h = new TrackerHarness();
    const { trunk } = start(h);
    h.take();
    hangUp(h, deskPhone("1001", ""));
    expect(opSummary(h.take().ops)).toEqual([`hangup ${trunk.id} normal`]);
    h.feed(ari.destroyed(trunk, 16, "Normal Clearing"));
    expect(h.take().events).toEqual([
      expect.objectContaining({ type: "call.ended", outcome: "no_answer", hangupBy: "agent" }),
    ]);
  });
});

describe("internal calls", () => {
  it("rings the other extension and reports caller/callee", () => {
    const h = new TrackerHarness();
    const caller = deskPhone("1001", "1002");
    h.feed(ari.stasisStart(caller, ["internal"]));
    let step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({
        type: "call.ringing",
        direction: "internal",
        from: "1001",
        to: "1002",
        extension: "1001",
      }),
    ]);
    expect(opSummary(step.ops)).toEqual(["originate PJSIP/1002"]);
    const callee = answerLeg(h, h.id(2), h.id(1));
    step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({ type: "call.answered", extension: "1002" }),
    ]);
    hangUp(h, caller);
    h.feed(ari.destroyed(callee, 16, "Normal Clearing"));
    expect(h.take().events).toEqual([
      expect.objectContaining({ type: "call.ended", outcome: "answered", hangupBy: "caller" }),
    ]);
  });

  it("ends as busy with hangupBy callee when the callee is busy", () => {
    const h = new TrackerHarness();
    h.feed(ari.stasisStart(deskPhone("1001", "1002"), ["internal"]));
    h.feed(ari.destroyed({ id: h.id(2) }, 17, "User busy"));
    h.feed(ari.destroyed(deskPhone("1001", ""), 16, "Normal Clearing"));
    expect(h.take().events.at(-1)).toMatchObject({
      type: "call.ended",
      outcome: "busy",
      hangupBy: "callee",
      hangupCause: 17,
    });
  });
});

describe("click-to-call", () => {
  const callId = "5d0c3f0e-2b8f-4f55-9a7e-3c2b1a0f9e11";
  const originate = {
    action: "originate",
    callId,
    extension: "1003",
    to: "+15557654321",
    callerId: "+15550100100",
  } as const;

  it("rings the agent first, then the customer, and bridges them", () => {
    const h = new TrackerHarness();
    expect(h.command(originate)).toMatchObject({ ok: true });
    let step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({
        type: "call.ringing",
        callId,
        direction: "outbound",
        from: "1003",
        to: "+15557654321",
        extension: "1003",
      }),
    ]);
    expect(opSummary(step.ops)).toEqual(["originate PJSIP/1003"]);
    const agent = answerLeg(h, h.id(1), callId);
    step = h.take();
    expect(step.events).toEqual([]);
    expect(opSummary(step.ops)).toEqual(["originate PJSIP/+15557654321@trunk"]);
    expect(step.ops[0]).toMatchObject({ callerId: "+15550100100" });
    const customer = { id: h.id(2) };
    h.feed(ari.dial(customer, "RINGING"), ari.stasisStart(customer, ["dialed"]));
    step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({ type: "call.answered", extension: "1003" }),
    ]);
    expect(opSummary(step.ops)).toEqual([
      "createBridge",
      `addChannel ${customer.id}`,
      `addChannel ${agent.id}`,
    ]);
    expect(h.command(originate)).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("ends as no_answer when the agent does not pick up", () => {
    const h = new TrackerHarness();
    h.command(originate);
    h.feed(ari.ringing({ id: h.id(1) }), ari.destroyed({ id: h.id(1) }, 19, "No answer"));
    expect(h.take().events.at(-1)).toMatchObject({
      type: "call.ended",
      outcome: "no_answer",
      hangupBy: "agent",
      hangupCause: 19,
    });
  });

  it("ends as failed (system) when ARI refuses to originate the agent leg", () => {
    const h = new TrackerHarness();
    h.command(originate);
    const op = h.lastOp("originate");
    h.take();
    h.fail(op, 400);
    expect(h.take().events).toEqual([
      expect.objectContaining({
        type: "call.ended",
        outcome: "failed",
        hangupBy: "system",
        hangupCause: 0,
        hangupCauseText: "Unknown",
      }),
    ]);
  });
});

describe("commands on a live call", () => {
  function answeredInbound(h: TrackerHarness) {
    h.routing(routing(["1001", "1002"]));
    const caller = trunkCaller();
    h.feed(ari.stasisStart(caller, ["inbound", "support"]));
    const callId = h.id(1);
    const agent = answerLeg(h, h.id(2), callId);
    h.take();
    return { callId, caller, agent };
  }

  it("answers unknown calls with CALL_NOT_FOUND and unanswered ones with INVALID_STATE", () => {
    const h = new TrackerHarness();
    const unknown = "0d3c3f0e-2b8f-4f55-9a7e-3c2b1a0f9e11";
    expect(h.command({ action: "hangup", callId: unknown })).toMatchObject({
      ok: false,
      code: "CALL_NOT_FOUND",
    });
    h.feed(ari.stasisStart(trunkCaller(), ["inbound"]));
    const callId = h.id(1);
    for (const action of ["hold", "resume", "start_recording", "stop_recording"] as const) {
      expect(h.command({ action, callId })).toMatchObject({ ok: false, code: "INVALID_STATE" });
    }
    expect(h.command({ action: "transfer", callId, to: "1002" })).toMatchObject({
      ok: false,
      code: "INVALID_STATE",
    });
  });

  it("holds and resumes once per state change, whether asked by the edge or the phone", () => {
    const h = new TrackerHarness();
    const { callId, agent } = answeredInbound(h);
    h.command({ action: "hold", callId });
    const hold = h.lastOp("hold");
    expect(hold).toMatchObject({ channelId: "trunk-1" });
    expect(h.take().events).toEqual([]);
    h.succeed(hold);
    h.feed(ari.hold(trunkCaller()), ari.hold(agent));
    expect(h.types()).toEqual(["call.held"]);
    expect(h.command({ action: "hold", callId })).toEqual({ ok: true, effects: [] });
    h.feed(ari.unhold(agent), ari.unhold(agent));
    expect(h.types()).toEqual(["call.resumed"]);
    h.feed(ari.hold(agent));
    h.command({ action: "resume", callId });
    h.succeed(h.lastOp("unhold"));
    expect(h.types()).toEqual(["call.held", "call.resumed"]);
  });

  it("blind-transfers to another extension on the edge's command", () => {
    const h = new TrackerHarness();
    const { callId, caller, agent } = answeredInbound(h);
    h.command({ action: "transfer", callId, to: "1002" });
    let step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({ type: "call.transferred", fromExtension: "1001", to: "1002" }),
    ]);
    expect(opSummary(step.ops)).toEqual(["originate PJSIP/1002"]);
    const target = answerLeg(h, h.id(4), callId);
    step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({ type: "call.answered", extension: "1002" }),
    ]);
    expect(opSummary(step.ops)).toEqual([`addChannel ${target.id}`, `hangup ${agent.id} normal`]);
    h.feed(ari.destroyed(agent, 16, "Normal Clearing"));
    expect(h.take()).toEqual({ events: [], ops: [] });
    hangUp(h, target);
    h.feed(ari.destroyed(caller, 16, "Normal Clearing"));
    expect(h.take().events).toEqual([
      expect.objectContaining({ type: "call.ended", outcome: "answered", hangupBy: "agent" }),
    ]);
  });

  it("follows a transfer the phone made (ChannelTransfer) to an external number", () => {
    const h = new TrackerHarness();
    const { callId, agent } = answeredInbound(h);
    h.feed(ari.transfer(agent, "+15558887777"));
    let step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({
        type: "call.transferred",
        fromExtension: "1001",
        to: "+15558887777",
      }),
    ]);
    expect(opSummary(step.ops)).toEqual(["originate PJSIP/+15558887777@trunk"]);
    h.feed(ari.stasisStart({ id: h.id(4) }, ["dialed", callId]));
    step = h.take();
    expect(step.events).toEqual([
      expect.objectContaining({ type: "call.answered", extension: null }),
    ]);
  });

  it("keeps the agent when the transfer target does not answer", () => {
    const h = new TrackerHarness();
    const { callId } = answeredInbound(h);
    h.command({ action: "transfer", callId, to: "1002" });
    h.feed(ari.destroyed({ id: h.id(4) }, 17, "User busy"));
    h.take();
    expect(h.tracker.activeCalls).toBe(1);
    expect(h.command({ action: "transfer", callId, to: "1003" })).toMatchObject({ ok: true });
  });

  it("starts and stops recordings on command", () => {
    const h = new TrackerHarness({ recordingsUrl: null });
    const { callId, caller, agent } = answeredInbound(h);
    h.command({ action: "start_recording", callId });
    expect(h.command({ action: "start_recording", callId })).toMatchObject({
      code: "INVALID_STATE",
    });
    h.command({ action: "stop_recording", callId });
    expect(opSummary(h.take().ops)).toEqual([`record ${callId}-1`, `stopRecording ${callId}-1`]);
    h.feed(ari.recordingFinished(`${callId}-1`));
    expect(h.take().events).toEqual([
      expect.objectContaining({
        type: "call.recording_ready",
        recordingName: `${callId}-1`,
        durationSeconds: 0,
        url: null,
      }),
    ]);
    h.command({ action: "start_recording", callId });
    expect(h.lastOp("record")).toMatchObject({ name: `${callId}-2` });
    hangUp(h, caller);
    h.feed(ari.destroyed(agent, 16, "Normal Clearing"));
    h.feed(ari.recordingFinished(`${callId}-2`, 3));
    expect(h.types()).toEqual(["call.recording_ready", "call.ended"]);
  });

  it("hangs up every leg on the edge's hangup command (hangupBy system)", () => {
    const h = new TrackerHarness();
    const { callId, caller, agent } = answeredInbound(h);
    h.command({ action: "hangup", callId });
    expect(opSummary(h.take().ops)).toEqual(["hangup trunk-1 normal", `hangup ${agent.id} normal`]);
    expect(h.command({ action: "hangup", callId })).toMatchObject({ code: "CALL_NOT_FOUND" });
    h.feed(
      ari.destroyed(caller, 16, "Normal Clearing"),
      ari.destroyed(agent, 16, "Normal Clearing"),
    );
    expect(h.take().events).toEqual([
      expect.objectContaining({ type: "call.ended", hangupBy: "system", hangupCause: 16 }),
    ]);
  });
});

describe("reconciliation and stray channels", () => {
  it("ends a call whose legs vanished while ARI was away (system, cause 0)", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1001"]));
    h.feed(ari.stasisStart(trunkCaller(), ["inbound"]));
    const agent = answerLeg(h, h.id(2), h.id(1));
    h.take();
    h.advance(10);
    expect(new Set(h.tracker.trackedChannelIds())).toEqual(new Set(["trunk-1", agent.id]));
    h.apply(h.tracker.channelsVanished(["trunk-1"], h.now));
    expect(opSummary(h.take().ops)).toEqual([`hangup ${agent.id} normal`]);
    h.apply(h.tracker.channelsVanished([agent.id], h.now));
    expect(h.take().events).toEqual([
      expect.objectContaining({
        type: "call.ended",
        outcome: "answered",
        durationSeconds: 10,
        hangupCause: 0,
        hangupCauseText: "Unknown",
        hangupBy: "system",
      }),
    ]);
  });

  it("treats a 404 on hangup as the leg being gone", () => {
    const h = new TrackerHarness();
    h.routing(routing(["1001"]));
    const caller = trunkCaller();
    h.feed(ari.stasisStart(caller, ["inbound"]));
    const agent = answerLeg(h, h.id(2), h.id(1));
    hangUp(h, caller);
    const hangup = h.lastOp("hangup");
    expect(hangup).toMatchObject({ channelId: agent.id });
    h.take();
    h.fail(hangup, 404);
    expect(h.types()).toEqual(["call.ended"]);
  });

  it("hangs up channels that enter Stasis without a known purpose", () => {
    const h = new TrackerHarness();
    h.feed(ari.stasisStart({ id: "stray" }, []));
    expect(h.take()).toEqual({
      events: [],
      ops: [{ op: "hangup", callId: null, channelId: "stray", reason: "normal" }],
    });
  });
});

describe("agent busy state in routing", () => {
  const withWrapUp = (available: string[], wrapUpSeconds: number): RoutingInput => ({
    ...routing(available, ["1001", "1002"]),
    queues: [
      { name: "support", extensions: ["1001", "1002"], ringTimeoutSeconds: 15, wrapUpSeconds },
    ],
  });
  const caller = (n: number): ChannelSpec => ({ ...trunkCaller(), id: `trunk-${n}` });
  const originated = (h: TrackerHarness) =>
    opSummary(h.take().ops).filter((op) => op.startsWith("originate"));

  it("never offers a second call to an agent who is ringing, on a call or on hold", () => {
    const h = new TrackerHarness();
    h.routing(withWrapUp(["1001"], 0));
    h.feed(ari.stasisStart(caller(1), ["inbound", "support"]));
    expect(originated(h)).toEqual(["originate PJSIP/1001"]);
    // 1001 is ringing for the first call: the second call waits.
    h.feed(ari.stasisStart(caller(2), ["inbound", "support"]));
    expect(originated(h)).toEqual([]);
    answerLeg(h, h.id(2), h.id(1));
    h.take();
    h.fireTimers();
    expect(originated(h)).toEqual([]);
    // On hold is still on the call.
    h.command({ action: "hold", callId: h.id(1) });
    h.fireTimers();
    expect(originated(h)).toEqual([]);
  });

  it("keeps an agent out of the queue for its wrap-up time after a call", () => {
    const h = new TrackerHarness();
    h.routing(withWrapUp(["1001"], 30));
    const first = caller(1);
    h.feed(ari.stasisStart(first, ["inbound", "support"]));
    const agent = answerLeg(h, h.id(2), h.id(1));
    hangUp(h, first);
    h.feed(ari.stasisEnd(agent), ari.destroyed(agent, 16, "Normal Clearing"));
    expect(h.types()).toContain("call.ended");

    h.feed(ari.stasisStart(caller(2), ["inbound", "support"]));
    expect(originated(h)).toEqual([]);
    h.advance(29);
    h.fireTimers();
    expect(originated(h)).toEqual([]);
    h.advance(2);
    h.fireTimers();
    expect(originated(h)).toEqual(["originate PJSIP/1001"]);
  });

  it("rings only available, idle agents for a call that names no queue", () => {
    const h = new TrackerHarness();
    h.routing({ ...withWrapUp(["1002"], 0), noQueueWrapUpSeconds: 0 });
    h.feed(ari.stasisStart(caller(1), ["inbound", ""]));
    // The harness's default queue is "support"; a queue the edge does not know rings everyone.
    expect(originated(h)).toEqual(["originate PJSIP/1002"]);
  });
});
