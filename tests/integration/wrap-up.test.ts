import { describe, expect, it } from "vitest";
import type { EdgeMessage } from "../../pbx-bridge/src/edge-protocol";
import type { CallView } from "../../worker/calls/call-view";
import type { Collector } from "./helpers";
import { call, expectErrorEnvelope, type Session } from "./helpers";
import {
  acked,
  callEvent,
  createContact,
  organizationWithBridge,
  ringing,
  sendEvents,
} from "./pbx-helpers";

async function createQueue(owner: Session, name: string, wrapUpSeconds?: number) {
  const created = await call<{ id: string; wrapUpSeconds: number }>("/call-queues", {
    method: "POST",
    token: owner.accessToken,
    body: {
      name,
      memberIds: [owner.userId],
      ...(wrapUpSeconds === undefined ? {} : { wrapUpSeconds }),
    },
  });
  expect(created.status).toBe(201);
  return created.body.data;
}

/** An inbound call of `queue` that agent 1001 answered and that has now ended. */
async function talkedCall(
  bridge: Collector<EdgeMessage>,
  queue: string | null,
  outcome: "answered" | "missed" = "answered",
) {
  const callId = crypto.randomUUID();
  const events = [
    ringing(callId, "+14155550177", "1001", queue),
    ...(outcome === "answered" ? [callEvent("call.answered", callId, { extension: "1001" })] : []),
    callEvent("call.ended", callId, {
      outcome,
      durationSeconds: outcome === "answered" ? 30 : 0,
      hangupCause: 16,
      hangupCauseText: "Normal Clearing",
      hangupBy: "customer",
    }),
  ];
  sendEvents(bridge, events);
  for (const event of events) await acked(bridge, event.id);
  return callId;
}

const wrapUps = async (owner: Session) =>
  (await call<CallView[]>("/calls/wrap-ups", { token: owner.accessToken })).body.data;

describe("queue wrap-up time", () => {
  it("is set per queue through the API and pushed to the bridge", async () => {
    const { owner, bridge } = await organizationWithBridge("wrapup-queue");
    const queue = await createQueue(owner, "support");
    expect(queue.wrapUpSeconds).toBe(30);
    const updated = await call<{ wrapUpSeconds: number }>(`/call-queues/${queue.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { wrapUpSeconds: 45 },
    });
    expect(updated.body.data.wrapUpSeconds).toBe(45);
    await bridge.waitFor(
      (frame) =>
        frame.type === "routing" &&
        frame.routing.queues.some((q) => q.name === "support" && q.wrapUpSeconds === 45),
    );
    expectErrorEnvelope(
      await call(`/call-queues/${queue.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { wrapUpSeconds: 99_999 },
      }),
      422,
    );
    const listed = await call<{ wrapUpSeconds: number }[]>("/call-queues", {
      token: owner.accessToken,
    });
    expect(listed.body.data.map((q) => q.wrapUpSeconds)).toEqual([45]);
  });
});

describe("call wrap-up", () => {
  it("lists calls waiting for a wrap-up oldest first, keeps the draft, completes and skips", async () => {
    const { owner, bridge } = await organizationWithBridge("wrapup-flow");
    await createContact(owner, "+1 415 555 0177");
    await createQueue(owner, "support", 120);
    const missed = await talkedCall(bridge, "support", "missed");
    const first = await talkedCall(bridge, "support");
    const second = await talkedCall(bridge, null);
    const third = await talkedCall(bridge, "support");

    const waiting = await wrapUps(owner);
    expect(waiting.map((c) => c.id)).toEqual([first, second, third]);
    expect(waiting.map((c) => c.id)).not.toContain(missed);
    const [head] = waiting;
    expect(head?.wrapUp).toMatchObject({ status: "pending", draft: { notes: null } });
    const due = Date.parse(head?.wrapUp?.dueAt ?? "") - Date.parse(head?.endedAt ?? "");
    expect(due).toBe(120_000);

    // A draft is kept with the call: a reload finds it.
    const drafted = await call<CallView>(`/calls/${first}/wrap-up/draft`, {
      method: "PUT",
      token: owner.accessToken,
      body: { notes: "Wants a callback on Monday", disposition: "callback" },
    });
    expect(drafted.status).toBe(200);
    expect((await wrapUps(owner))[0]?.wrapUp?.draft).toEqual({
      notes: "Wants a callback on Monday",
      disposition: "callback",
    });

    const completed = await call<CallView>(`/calls/${first}/wrap-up`, {
      method: "POST",
      token: owner.accessToken,
      body: { action: "complete", notes: "Wants a callback on Monday", disposition: "callback" },
    });
    expect(completed.body.data).toMatchObject({
      notes: "Wants a callback on Monday",
      disposition: "callback",
      wrapUp: { status: "done" },
    });
    const skipped = await call<CallView>(`/calls/${second}/wrap-up`, {
      method: "POST",
      token: owner.accessToken,
      body: { action: "skip" },
    });
    expect(skipped.body.data).toMatchObject({ notes: null, wrapUp: { status: "skipped" } });
    expect((await wrapUps(owner)).map((c) => c.id)).toEqual([third]);

    // Finished wrap-ups cannot be finished again.
    expectErrorEnvelope(
      await call(`/calls/${first}/wrap-up`, {
        method: "POST",
        token: owner.accessToken,
        body: { action: "skip" },
      }),
      409,
    );

    const all = await call<{ skipped: number }>("/calls/wrap-ups/skip", {
      method: "POST",
      token: owner.accessToken,
    });
    expect(all.body.data).toEqual({ skipped: 1 });
    expect(await wrapUps(owner)).toEqual([]);
  });

  it("closes a wrap-up by itself after the queue's wrap-up time, with what was typed", async () => {
    const { owner, bridge } = await organizationWithBridge("wrapup-due");
    await createQueue(owner, "quick", 1);
    const callId = await talkedCall(bridge, "quick");
    await call(`/calls/${callId}/wrap-up/draft`, {
      method: "PUT",
      token: owner.accessToken,
      body: { notes: "Typed, never saved", disposition: null },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await wrapUps(owner)).toEqual([]);
    const detail = await call<CallView>(`/calls/${callId}`, { token: owner.accessToken });
    expect(detail.body.data).toMatchObject({
      notes: "Typed, never saved",
      wrapUp: { status: "done" },
    });
  });

  it("rejects a bad wrap-up body with a 422", async () => {
    const { owner, bridge } = await organizationWithBridge("wrapup-bad");
    const callId = await talkedCall(bridge, null);
    expectErrorEnvelope(
      await call(`/calls/${callId}/wrap-up`, {
        method: "POST",
        token: owner.accessToken,
        body: { action: "maybe" },
      }),
      422,
    );
  });
});
