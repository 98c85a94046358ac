import { afterEach, describe, expect, it } from "vitest";
import type { AriEvent, ScenarioName } from "../../simulator/index";
import {
  channelIdsNamed,
  channelOrderProblems,
  dialStatuses,
  eventsOfChannel,
  firstOfType,
  typesOfChannel,
} from "./event-checks";
import { eventually, type Harness, startHarness } from "./harness";
import type { TestAppOptions } from "./stasis-test-app";
import { SwaggerModels } from "./swagger-validator";

const models = SwaggerModels.load();
const CUSTOMER = "+15551234567";
const DID = "+15550100100";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/** Plays a scenario against the test app and returns every event the app received. */
async function play(
  name: ScenarioName,
  params: Record<string, unknown> = {},
  appOptions: Partial<TestAppOptions> = {},
): Promise<AriEvent[]> {
  harness = await startHarness(appOptions);
  const { scenarioId } = await harness.sim.playScenario(name, params);
  await harness.sim.scenarioDone(scenarioId);
  await untilPbxIsIdle(harness);
  expect(harness.app.errors).toEqual([]);
  return harness.sim.emitted();
}

/** No channel left and the app deleted its bridges. */
async function untilPbxIsIdle({ sim, app }: Harness): Promise<void> {
  await eventually(() => sim.channels().length === 0);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const bridges = await app.ari("GET", "/bridges");
    if (Array.isArray(bridges.json) && bridges.json.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the app left bridges behind");
}

/** Every event is a valid instance of its events.json model, and per-channel order holds. */
function expectWellFormed(events: AriEvent[]): void {
  expect(events.length).toBeGreaterThan(0);
  const problems = events.flatMap((event) =>
    models.validateEvent(event).map((problem) => `${event.type} ${problem}`),
  );
  expect(problems).toEqual([]);
  expect(channelOrderProblems(events)).toEqual([]);
  expect(new Set(events.map((event) => event.application))).toEqual(new Set(["switchboard"]));
}

function stasisStartOf(events: AriEvent[], namePrefix: string): AriEvent {
  const [id] = channelIdsNamed(events, namePrefix);
  return firstOfType(events, "StasisStart", id);
}

describe("scenarios: every event valid per events.json, in Asterisk's order", () => {
  it("inbound_answered: StasisStart(inbound), agent leg dialled and bridged, customer hangs up", async () => {
    const events = await play("inbound_answered", {
      from: CUSTOMER,
      fromName: "Ada Lovelace",
      to: DID,
      queue: "sales",
      talkSeconds: 5,
    });
    expectWellFormed(events);
    const start = stasisStartOf(events, "PJSIP/trunk-");
    expect(start.args).toEqual(["inbound", "sales"]);
    expect(start.channel).toMatchObject({
      state: "Ring",
      caller: { name: "Ada Lovelace", number: CUSTOMER },
      dialplan: {
        context: "from-trunk",
        exten: DID,
        app_name: "Stasis",
        app_data: "switchboard,inbound,sales",
      },
    });
    const customerId = (start.channel as { id: string }).id;
    expect(typesOfChannel(events, customerId)).toEqual([
      "StasisStart",
      "ChannelStateChange",
      "ChannelEnteredBridge",
      "ChannelHangupRequest",
      "ChannelLeftBridge",
      "StasisEnd",
      "ChannelDestroyed",
    ]);
    expect(firstOfType(events, "ChannelHangupRequest", customerId).soft).toBeUndefined();
    const [agentId] = channelIdsNamed(events, "PJSIP/1001-");
    expect(typesOfChannel(events, agentId ?? "")).toEqual([
      "ChannelCreated",
      "Dial",
      "ChannelStateChange",
      "Dial",
      "ChannelStateChange",
      "Dial",
      "StasisStart",
      "ChannelEnteredBridge",
      "ChannelHangupRequest",
      "ChannelLeftBridge",
      "StasisEnd",
      "ChannelDestroyed",
    ]);
    expect(dialStatuses(events, agentId ?? "")).toEqual(["", "RINGING", "ANSWER"]);
    expect(firstOfType(events, "ChannelHangupRequest", agentId).soft).toBe(true);
    expect(firstOfType(events, "ChannelDestroyed", customerId)).toMatchObject({
      cause: 16,
      cause_txt: "Normal Clearing",
    });
    expect(events.map((event) => event.type)).toContain("BridgeDestroyed");
  });

  it("inbound_answered with hangupBy agent: the agent's leg hangs up first", async () => {
    const events = await play("inbound_answered", { talkSeconds: 5, hangupBy: "agent" });
    expectWellFormed(events);
    const firstDestroyed = firstOfType(events, "ChannelDestroyed");
    expect((firstDestroyed.channel as { name: string }).name).toMatch(/^PJSIP\/1001-/);
  });

  it("inbound_missed: agents ring until the timeout in turn, the caller gives up", async () => {
    const events = await play(
      "inbound_missed",
      { from: CUSTOMER, giveUpSeconds: 25 },
      { extensions: ["1001", "1002"], ringTimeoutSeconds: 10 },
    );
    expectWellFormed(events);
    expect(events.map((event) => event.type)).not.toContain("BridgeCreated");
    const agentLegs = [
      ...channelIdsNamed(events, "PJSIP/1001-"),
      ...channelIdsNamed(events, "PJSIP/1002-"),
    ];
    expect(agentLegs.length).toBeGreaterThanOrEqual(2);
    const timedOut = agentLegs.filter((id) => dialStatuses(events, id).includes("NOANSWER"));
    expect(timedOut.length).toBeGreaterThanOrEqual(2);
    for (const id of timedOut) {
      expect(firstOfType(events, "ChannelDestroyed", id)).toMatchObject({ cause: 19 });
      expect(typesOfChannel(events, id)).not.toContain("StasisStart");
    }
    const [customerId] = channelIdsNamed(events, "PJSIP/trunk-");
    expect(firstOfType(events, "ChannelDestroyed", customerId)).toMatchObject({ cause: 16 });
  });

  it("outbound_desk: StasisStart(outbound) from the desk phone, trunk leg answers, customer hangs up", async () => {
    const events = await play("outbound_desk", {
      extension: "1003",
      to: "+15557654321",
      talkSeconds: 5,
    });
    expectWellFormed(events);
    const start = stasisStartOf(events, "PJSIP/1003-");
    expect(start.args).toEqual(["outbound"]);
    expect(start.channel).toMatchObject({
      caller: { number: "1003" },
      dialplan: { context: "from-internal", exten: "+15557654321" },
    });
    const [trunkLeg] = channelIdsNamed(events, "PJSIP/trunk-");
    expect(dialStatuses(events, trunkLeg ?? "")).toEqual(["", "RINGING", "ANSWER"]);
    const firstDestroyed = firstOfType(events, "ChannelDestroyed");
    expect((firstDestroyed.channel as { id: string }).id).toBe(trunkLeg);
  });

  it("outbound_busy: the trunk leg reports BUSY and cause 17", async () => {
    const events = await play("outbound_busy", { to: "+15550000017" });
    expectWellFormed(events);
    const [trunkLeg = ""] = channelIdsNamed(events, "PJSIP/trunk-");
    expect(dialStatuses(events, trunkLeg)).toEqual(["", "BUSY"]);
    expect(typesOfChannel(events, trunkLeg)).toEqual([
      "ChannelCreated",
      "Dial",
      "ChannelHangupRequest",
      "Dial",
      "ChannelDestroyed",
    ]);
    expect(firstOfType(events, "ChannelDestroyed", trunkLeg)).toMatchObject({
      cause: 17,
      cause_txt: "User busy",
    });
  });

  it("outbound_failed: the trunk leg reports CONGESTION and cause 34", async () => {
    const events = await play("outbound_failed", { to: "+15550000034" });
    expectWellFormed(events);
    const [trunkLeg = ""] = channelIdsNamed(events, "PJSIP/trunk-");
    expect(dialStatuses(events, trunkLeg)).toEqual(["", "CONGESTION"]);
    expect(firstOfType(events, "ChannelDestroyed", trunkLeg)).toMatchObject({ cause: 34 });
  });

  it("internal: StasisStart(internal), the other extension's phone is dialled", async () => {
    const events = await play("internal", { from: "1004", to: "1005", talkSeconds: 5 });
    expectWellFormed(events);
    const start = stasisStartOf(events, "PJSIP/1004-");
    expect(start.args).toEqual(["internal"]);
    expect(start.channel).toMatchObject({ dialplan: { exten: "1005" } });
    const [callee = ""] = channelIdsNamed(events, "PJSIP/1005-");
    expect(dialStatuses(events, callee)).toEqual(["", "RINGING", "ANSWER"]);
    const firstDestroyed = firstOfType(events, "ChannelDestroyed");
    expect((firstDestroyed.channel as { name: string }).name).toMatch(/^PJSIP\/1004-/);
  });

  it("transfer: the agent's phone sends ChannelTransfer, the target joins the bridge", async () => {
    const events = await play("transfer", { from: CUSTOMER, transferTo: "1003", talkSeconds: 6 });
    expectWellFormed(events);
    const [agentA = ""] = channelIdsNamed(events, "PJSIP/1001-");
    const transfer = firstOfType(events, "ChannelTransfer");
    expect(transfer).toMatchObject({
      refer_to: { requested_destination: { destination: "1003" } },
      referred_by: { source_channel: { id: agentA } },
    });
    const [agentB = ""] = channelIdsNamed(events, "PJSIP/1003-");
    expect(typesOfChannel(events, agentB)).toContain("ChannelEnteredBridge");
    const types = events.map((event) => event.type);
    expect(types.indexOf("ChannelTransfer")).toBeLessThan(
      events.indexOf(firstOfType(events, "ChannelCreated", agentB)),
    );
    expect(firstOfType(events, "ChannelHangupRequest", agentA).soft).toBe(true);
  });

  it("hold: the agent's phone holds and resumes", async () => {
    const events = await play("hold", { talkSeconds: 4, holdSeconds: 2 });
    expectWellFormed(events);
    const [agent = ""] = channelIdsNamed(events, "PJSIP/1001-");
    const holdEvents = typesOfChannel(events, agent).filter((type) => type.includes("old"));
    expect(holdEvents).toEqual(["ChannelHold", "ChannelUnhold"]);
  });

  it("long_recorded: channelvars flag the call; the bridge recording starts and finishes", async () => {
    const events = await play("long_recorded", { talkSeconds: 30 });
    expectWellFormed(events);
    const start = stasisStartOf(events, "PJSIP/trunk-");
    expect(start.channel).toMatchObject({ channelvars: { SWITCHBOARD_RECORD: "yes" } });
    const bridgeId = (firstOfType(events, "BridgeCreated").bridge as { id: string }).id;
    expect(firstOfType(events, "RecordingStarted").recording).toMatchObject({
      format: "wav",
      state: "recording",
      target_uri: `bridge:${bridgeId}`,
    });
    const finished = firstOfType(events, "RecordingFinished").recording as { duration: number };
    expect(finished).toMatchObject({ state: "done" });
    expect(finished.duration).toBeGreaterThanOrEqual(25);
    expect(finished.duration).toBeLessThanOrEqual(40);
  });
});

describe("calls the app starts and people's behaviours", () => {
  it("click-to-call: agent's phone rings first, then the customer; the customer hangs up", async () => {
    harness = await startHarness();
    const { sim, app } = harness;
    await app.clickToCall("1002", "+15559876543");
    await eventually(() => sim.emitted().some((event) => event.type === "BridgeDestroyed"), 5_000);
    const events = sim.emitted();
    expectWellFormed(events);
    const [agentLeg = ""] = channelIdsNamed(events, "PJSIP/1002-");
    const [customerLeg = ""] = channelIdsNamed(events, "PJSIP/trunk-");
    expect(events.indexOf(firstOfType(events, "StasisStart", agentLeg))).toBeLessThan(
      events.indexOf(firstOfType(events, "ChannelCreated", customerLeg)),
    );
    expect(dialStatuses(events, customerLeg)).toEqual(["", "RINGING", "ANSWER"]);
    const firstRequest = firstOfType(events, "ChannelHangupRequest");
    expect(firstRequest).toMatchObject({ channel: { id: customerLeg } });
    expect(firstRequest.soft).toBeUndefined();
    expect(app.errors).toEqual([]);
  });

  it("an unavailable phone fails fast with cause 20 and the next agent answers", async () => {
    harness = await startHarness({ extensions: ["1001", "1002"] });
    harness.sim.setPhone("1001", "unavailable");
    const { scenarioId } = await harness.sim.playScenario("inbound_answered", { talkSeconds: 5 });
    await harness.sim.scenarioDone(scenarioId);
    const events = harness.sim.emitted();
    expectWellFormed(events);
    const [first = ""] = channelIdsNamed(events, "PJSIP/1001-");
    expect(dialStatuses(events, first)).toEqual(["", "CHANUNAVAIL"]);
    expect(firstOfType(events, "ChannelDestroyed", first)).toMatchObject({
      cause: 20,
      cause_txt: "Subscriber absent",
    });
    const [second = ""] = channelIdsNamed(events, "PJSIP/1002-");
    expect(typesOfChannel(events, second)).toContain("ChannelEnteredBridge");
  });

  it("a number set to no_answer rings until the originate timeout (scaled)", async () => {
    harness = await startHarness();
    harness.sim.setNumber("+15550000019", "no_answer");
    const { scenarioId } = await harness.sim.playScenario("outbound_desk", { to: "+15550000019" });
    await harness.sim.scenarioDone(scenarioId);
    const events = harness.sim.emitted();
    expectWellFormed(events);
    const [trunkLeg = ""] = channelIdsNamed(events, "PJSIP/trunk-");
    expect(dialStatuses(events, trunkLeg)).toEqual(["", "RINGING", "NOANSWER"]);
    expect(firstOfType(events, "ChannelDestroyed", trunkLeg)).toMatchObject({
      cause: 19,
      cause_txt: "User alerting, no answer",
    });
  });

  it("a busy phone answers the originate with BUSY", async () => {
    harness = await startHarness();
    harness.sim.setPhone("1005", "busy");
    const { scenarioId } = await harness.sim.playScenario("internal", { from: "1001", to: "1005" });
    await harness.sim.scenarioDone(scenarioId);
    const events = harness.sim.emitted();
    expectWellFormed(events);
    const [callee = ""] = channelIdsNamed(events, "PJSIP/1005-");
    expect(eventsOfChannel(events, callee).at(-1)).toMatchObject({ cause: 17 });
  });
});
