import { describe, expect, it } from "vitest";
import type { CallView } from "../../worker/calls/call-view";
import { LiveClient, pbxStackForThisFile } from "./harness";

/*
 * Simulator -> pbx-bridge -> the Worker (workerd) -> PostgreSQL -> TenantRoom -> a WebSocket
 * client: what happens on the phone becomes a call record and live events.
 */

const pbx = pbxStackForThisFile("pbx-calls");

type CallDetail = CallView & { events: { type: string; data: Record<string, unknown> }[] };

const isCallUpdate =
  (callId: string | null, status: CallView["status"]) =>
  (event: { type: string; call?: CallView }) =>
    event.type === "call.updated" &&
    event.call !== undefined &&
    (callId === null || event.call.id === callId) &&
    event.call.status === status;

async function createContact(phone: string) {
  const created = await pbx.owner().api<{ id: string }>("/contacts", {
    method: "POST",
    body: { firstName: "Grace", lastName: "Hopper", phones: [{ raw: phone }] },
  });
  expect(created.status).toBe(201);
  return created.data.id;
}

describe("calls from the PBX, end to end", () => {
  it("turns an inbound call answered by the agent into a call record, live events and a timeline entry", async () => {
    const owner = pbx.owner();
    const contactId = await createContact("+14155550142");
    const live = await LiveClient.connect(pbx.baseUrl(), owner.accessToken);
    const started = await pbx.simulator().playScenario("inbound_answered", {
      from: "+14155550142",
      queue: null,
      // A second of real time: long enough that "answered" is published on its own, not in
      // the same batch as "ended" (on a loaded machine 2 s scaled were 100 ms).
      talkSeconds: 20,
    });

    const ringing = await live.waitFor(
      (event) => event.type === "call.updated" && event.call.fromNumber === "+14155550142",
    );
    if (ringing.type !== "call.updated") throw new Error("expected a call update");
    const callId = ringing.call.id;
    expect(ringing.call).toMatchObject({ direction: "inbound", contact: { id: contactId } });
    await live.waitFor(isCallUpdate(callId, "answered"));
    // The agent's status changes with the call (on_call, then back); a fast call may be
    // applied in one batch, so only the final status is certain to be published.
    await live.waitFor(
      (event) => event.type === "agent.status" && event.agent.userId === owner.userId,
    );
    await pbx.simulator().scenarioDone(started.scenarioId);
    await live.waitFor(isCallUpdate(callId, "ended"));

    const detail = await owner.api<CallDetail>(`/calls/${callId}`);
    expect(detail.data).toMatchObject({
      status: "ended",
      outcome: "answered",
      extension: "1001",
      agent: { id: owner.userId },
      customerNumber: "+14155550142",
      hangupCause: 16,
      hangupBy: "customer",
    });
    expect(detail.data.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(detail.data.events.map((event) => event.type)).toEqual([
      "call.ringing",
      "call.ringing",
      "call.answered",
      "call.ended",
    ]);
    const timeline = await owner.api<{ activity?: { type: string; subject: string } }[]>(
      `/contacts/${contactId}/timeline`,
    );
    expect(
      timeline.data.some((item) => item.activity?.subject.startsWith("Inbound call, answered")),
    ).toBe(true);
    live.close();
  });

  it("places a click-to-call: the agent's phone rings, then the customer's, then it ends", async () => {
    const owner = pbx.owner();
    const live = await LiveClient.connect(pbx.baseUrl(), owner.accessToken);
    const placed = await owner.api<CallView>("/calls", {
      method: "POST",
      body: { to: "+14155550177" },
    });
    expect(placed.status).toBe(201);
    const callId = placed.data.id;
    await live.waitFor(isCallUpdate(callId, "answered"));
    const hungUp = await owner.api(`/calls/${callId}/hangup`, { method: "POST" });
    expect(hungUp.status).toBe(202);
    const ended = await live.waitFor(isCallUpdate(callId, "ended"));
    expect(ended).toMatchObject({
      call: { direction: "outbound", outcome: "answered", hangupBy: "system" },
    });
    live.close();
  });

  it("records missed and busy calls with their outcome", async () => {
    const owner = pbx.owner();
    const live = await LiveClient.connect(pbx.baseUrl(), owner.accessToken);
    const missed = await pbx.simulator().playScenario("inbound_missed", {
      from: "+14155550188",
      queue: null,
      giveUpSeconds: 3,
    });
    await pbx.simulator().scenarioDone(missed.scenarioId);
    await live.waitFor(
      (event) =>
        event.type === "call.updated" &&
        event.call.fromNumber === "+14155550188" &&
        event.call.status === "missed",
    );
    const busy = await pbx
      .simulator()
      .playScenario("outbound_busy", { extension: "1001", to: "+14155550199" });
    await pbx.simulator().scenarioDone(busy.scenarioId);
    const ended = await live.waitFor(
      (event) =>
        event.type === "call.updated" &&
        event.call.toNumber === "+14155550199" &&
        event.call.status === "busy",
    );
    expect(ended).toMatchObject({ call: { outcome: "busy", hangupCause: 17 } });
    live.close();
  });

  it("shows the bridge online with Asterisk connected, and its health and metrics", async () => {
    const status = await pbx
      .owner()
      .api<{ bridgeOnline: boolean; ariConnected: boolean }>("/pbx/status");
    expect(status.data).toMatchObject({ bridgeOnline: true, ariConnected: true });
    const health = await fetch(`${pbx.bridge().httpUrl}/healthz`);
    expect(await health.json()).toMatchObject({
      status: "ok",
      ari: "connected",
      edge: "connected",
    });
    const metrics = await (await fetch(`${pbx.bridge().httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/pbx_bridge_call_events_delivered_total \d+/);
  });
});
