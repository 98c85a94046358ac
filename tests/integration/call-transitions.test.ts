import { describe, expect, it } from "vitest";
import type { CallEvent } from "../../pbx-bridge/src/edge-protocol";
import { DEFAULT_WRAP_UP_SECONDS } from "../../shared/telephony";
import { applyTransition, type CallRow } from "../../worker/calls/transitions";

/* The pure fold the batch ingest applies (worker/calls/transitions.ts), without a database. */

const CALL_ID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const AGENT_1001 = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d";
const AGENT_1002 = "2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e";
const context = {
  agentsByExtension: new Map([
    ["1001", AGENT_1001],
    ["1002", AGENT_1002],
  ]),
  wrapUpSecondsByQueue: new Map([["sales", 90]]),
};
const startedAt = new Date("2026-12-01T10:00:00.000Z");

function ringingCall(change: Partial<CallRow> = {}): CallRow {
  return {
    id: CALL_ID,
    orgId: "3d4e5f60-7182-4c9d-8e0f-2a3b4c5d6e7f",
    direction: "inbound",
    status: "ringing",
    fromNumber: "+14155550100",
    fromName: null,
    toNumber: "+14155550199",
    customerNumber: "+14155550100",
    contactId: null,
    agentId: AGENT_1001,
    extension: "1001",
    queue: "sales",
    startedAt,
    answeredAt: null,
    endedAt: null,
    durationSeconds: null,
    hangupCause: null,
    hangupCauseText: null,
    hangupBy: null,
    outcome: null,
    recordingName: null,
    recordingUrl: null,
    disposition: null,
    notes: null,
    wrapUpStatus: null,
    wrapUpDraft: null,
    wrapUpDueAt: null,
    activityId: null,
    version: 1,
    createdAt: startedAt,
    updatedAt: startedAt,
    ...change,
  };
}

let seq = 0;
function event<T extends CallEvent["type"]>(
  type: T,
  body: Omit<Extract<CallEvent, { type: T }>, "id" | "seq" | "callId" | "occurredAt" | "type">,
  occurredAt = "2026-12-01T10:00:10.000Z",
): CallEvent {
  seq += 1;
  return { id: crypto.randomUUID(), seq, callId: CALL_ID, occurredAt, type, ...body } as CallEvent;
}

const ended = (occurredAt = "2026-12-01T10:02:00.000Z") =>
  event(
    "call.ended",
    {
      outcome: "answered",
      durationSeconds: 110,
      hangupCause: 16,
      hangupCauseText: "Normal Clearing",
      hangupBy: "customer",
    },
    occurredAt,
  );

describe("call transitions", () => {
  it("moves a ringing call to the extension rung now, and ignores the same extension or none", () => {
    const moved = applyTransition(
      context,
      ringingCall(),
      event("call.ringing", {
        direction: "inbound",
        from: "+14155550100",
        fromName: null,
        to: "+14155550199",
        extension: "1002",
        queue: "sales",
      }),
    );
    expect(moved).toMatchObject({ extension: "1002", agentId: AGENT_1002, version: 2 });
    for (const extension of ["1001", null]) {
      const same = event("call.ringing", {
        direction: "inbound",
        from: "+14155550100",
        fromName: null,
        to: "+14155550199",
        extension,
        queue: "sales",
      });
      expect(applyTransition(context, ringingCall(), same)).toBeNull();
    }
  });

  it("answers once (the first answer time stays), holds and resumes only from the right state", () => {
    const answered = applyTransition(
      context,
      ringingCall(),
      event("call.answered", { extension: null }),
    );
    expect(answered).toMatchObject({
      status: "answered",
      answeredAt: new Date("2026-12-01T10:00:10.000Z"),
      extension: "1001",
      agentId: AGENT_1001,
      version: 2,
    });
    if (!answered) throw new Error("expected a change");
    const again = applyTransition(
      context,
      answered,
      event("call.answered", { extension: "1002" }, "2026-12-01T10:00:20.000Z"),
    );
    expect(again).toMatchObject({ answeredAt: answered.answeredAt, agentId: AGENT_1002 });
    expect(applyTransition(context, ringingCall(), event("call.held", {}))).toBeNull();
    const held = applyTransition(context, answered, event("call.held", {}));
    expect(held).toMatchObject({ status: "held", version: 3 });
    if (!held) throw new Error("expected a change");
    expect(applyTransition(context, held, event("call.held", {}))).toBeNull();
    expect(applyTransition(context, held, event("call.resumed", {}))).toMatchObject({
      status: "answered",
      version: 4,
    });
  });

  it("ends a live call once, with the wrap-up its queue asks for", () => {
    const answered = ringingCall({
      status: "answered",
      answeredAt: new Date("2026-12-01T10:00:10.000Z"),
    });
    const done = applyTransition(context, answered, ended());
    expect(done).toMatchObject({
      status: "ended",
      outcome: "answered",
      endedAt: new Date("2026-12-01T10:02:00.000Z"),
      durationSeconds: 110,
      hangupBy: "customer",
      wrapUpStatus: "pending",
      wrapUpDueAt: new Date("2026-12-01T10:03:30.000Z"),
      version: 2,
    });
    if (!done) throw new Error("expected a change");
    // Nothing ends twice, and an ended call is not answered or transferred any more.
    expect(applyTransition(context, done, ended("2026-12-01T10:05:00.000Z"))).toBeNull();
    expect(applyTransition(context, done, event("call.answered", { extension: null }))).toBeNull();
    expect(
      applyTransition(
        context,
        done,
        event("call.transferred", { fromExtension: "1001", to: "1002" }),
      ),
    ).toBeNull();
    // A recording may arrive after the end.
    expect(
      applyTransition(
        context,
        done,
        event("call.recording_ready", { recordingName: "r1", durationSeconds: 110, url: null }),
      ),
    ).toMatchObject({ recordingName: "r1", version: 3 });
  });

  it("asks no wrap-up of an inbound call nobody answered, and the default without a queue", () => {
    expect(applyTransition(context, ringingCall(), ended())).toMatchObject({
      wrapUpStatus: null,
      wrapUpDueAt: null,
    });
    const outbound = ringingCall({ direction: "outbound", queue: null });
    expect(applyTransition(context, outbound, ended())).toMatchObject({
      wrapUpStatus: "pending",
      wrapUpDueAt: new Date(
        new Date("2026-12-01T10:02:00.000Z").getTime() + DEFAULT_WRAP_UP_SECONDS * 1000,
      ),
    });
  });
});
