import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  SELF,
} from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { CallView } from "../../worker/calls/call-view";
import { calls } from "../../worker/db/telephony-schema";
import worker from "../../worker/index";
import {
  addMember,
  BASE,
  call,
  connectBridge,
  connectSocket,
  expectErrorEnvelope,
  signUp,
  workerDatabase,
} from "./helpers";
import {
  acked,
  answerNextCommand,
  bearer,
  callEvent,
  createBridgeToken,
  createContact,
  organizationWithBridge,
  ringing,
  sendEvents,
  setExtension,
} from "./pbx-helpers";

describe("pbx bridge connection", () => {
  it("refuses a bridge without a valid, unrevoked token before upgrading", async () => {
    const owner = await signUp("pbx-auth");
    const missing = await SELF.fetch(`${BASE}/pbx/bridge`, { headers: { upgrade: "websocket" } });
    expect(missing.status).toBe(401);
    const forged = await SELF.fetch(`${BASE}/pbx/bridge`, {
      headers: {
        upgrade: "websocket",
        ...bearer(`sbb_${owner.orgId.replaceAll("-", "")}_${"x".repeat(43)}`),
      },
    });
    expect(forged.status).toBe(401);
    expect(forged.webSocket).toBeNull();

    const { id, token } = await createBridgeToken(owner);
    expect(token).toMatch(/^sbb_[0-9a-f]{32}_/);
    const listed = await call<{ id: string; lastUsedAt: string | null }[]>("/pbx/bridge-tokens", {
      token: owner.accessToken,
    });
    expect(listed.body.data.map((row) => row.id)).toEqual([id]);
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const revoked = await call(`/pbx/bridge-tokens/${id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(revoked.status).toBe(200);
    const afterRevoke = await SELF.fetch(`${BASE}/pbx/bridge`, {
      headers: { upgrade: "websocket", ...bearer(token) },
    });
    expect(afterRevoke.status).toBe(401);
  });

  it("only admins manage bridge tokens", async () => {
    const owner = await signUp("pbx-roles");
    const agent = await addMember(owner, "agent");
    expectErrorEnvelope(
      await call("/pbx/bridge-tokens", {
        method: "POST",
        token: agent.accessToken,
        body: { name: "x" },
      }),
      403,
    );
  });

  it("tells the team when the bridge connects and hands the bridge its routing", async () => {
    const owner = await signUp("pbx-online");
    await setExtension(owner, owner.userId, "1001");
    const watcher = await connectSocket(bearer(owner.accessToken));
    const offline = await call<{ bridgeOnline: boolean }>("/pbx/status", {
      token: owner.accessToken,
    });
    expect(offline.body.data.bridgeOnline).toBe(false);

    const { token } = await createBridgeToken(owner);
    const bridge = await connectBridge(token);
    const routing = await bridge.waitFor((frame) => frame.type === "routing");
    expect(routing).toMatchObject({
      type: "routing",
      routing: { agents: [{ extension: "1001", status: "away" }] },
    });
    bridge.socket.send(
      JSON.stringify({
        type: "hello",
        protocolVersion: 1,
        bridgeVersion: "test",
        ariConnected: true,
      }),
    );
    await watcher.waitFor(
      (event) =>
        event.type === "pbx.status" && event.status.bridgeOnline && event.status.ariConnected,
    );
    const online = await call<{ bridgeOnline: boolean; bridgeVersion: string }>("/pbx/status", {
      token: owner.accessToken,
    });
    expect(online.body.data).toMatchObject({ bridgeOnline: true, bridgeVersion: "test" });

    // An agent going available is pushed to the bridge at once.
    await call("/call-center/status", {
      method: "PUT",
      token: owner.accessToken,
      body: { status: "available" },
    });
    await bridge.waitFor(
      (frame) =>
        frame.type === "routing" &&
        frame.routing.agents.some((agent) => agent.status === "available"),
    );

    bridge.socket.close(1000, "done");
    await watcher.waitFor((event) => event.type === "pbx.status" && !event.status.bridgeOnline);
  });
});

describe("call events from the bridge", () => {
  it("builds the call from its lifecycle, matches the contact and logs it on the timeline", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-inbound");
    const contactId = await createContact(owner, "+1 (415) 555-0199");
    const watcher = await connectSocket(bearer(owner.accessToken));
    const callId = crypto.randomUUID();
    const start = Date.now();
    const events = [
      ringing(callId, "+14155550199", null, "sales"),
      ringing(callId, "+14155550199", "1001", "sales"),
      callEvent("call.answered", callId, { extension: "1001" }, new Date(start + 5_000)),
      callEvent("call.held", callId, {}),
      callEvent("call.resumed", callId, {}),
      callEvent(
        "call.ended",
        callId,
        {
          outcome: "answered",
          durationSeconds: 125,
          hangupCause: 16,
          hangupCauseText: "Normal Clearing",
          hangupBy: "customer",
        },
        new Date(start + 130_000),
      ),
      callEvent("call.recording_ready", callId, {
        recordingName: `${callId}-1`,
        durationSeconds: 125,
        url: "https://pbx.example.com/recordings/x",
      }),
    ];
    // Ringing and answered first: the team sees the screen-pop and the agent go on a call.
    sendEvents(bridge, events.slice(0, 3));
    for (const event of events.slice(0, 3)) await acked(bridge, event.id);
    const popped = await watcher.waitFor(
      (event) => event.type === "call.updated" && event.call.id === callId,
    );
    expect(popped).toMatchObject({ call: { contact: { id: contactId, name: "Ada Caller" } } });
    const onCall = await watcher.waitFor(
      (event) => event.type === "agent.status" && event.agent.status === "on_call",
    );
    expect(onCall).toMatchObject({ agent: { userId: owner.userId, extension: "1001" } });

    sendEvents(bridge, events.slice(3));
    for (const event of events.slice(3)) await acked(bridge, event.id);
    await watcher.waitFor(
      (event) => event.type === "agent.status" && event.agent.status !== "on_call",
    );

    const detail = await call<CallView & { events: { type: string }[] }>(`/calls/${callId}`, {
      token: owner.accessToken,
    });
    expect(detail.body.data).toMatchObject({
      direction: "inbound",
      status: "ended",
      outcome: "answered",
      durationSeconds: 125,
      hangupBy: "customer",
      hangupCause: 16,
      customerNumber: "+14155550199",
      queue: "sales",
      extension: "1001",
      agent: { id: owner.userId },
      contact: { id: contactId },
      recordingUrl: "https://pbx.example.com/recordings/x",
    });
    expect(detail.body.data.events.map((event) => event.type)).toEqual(events.map((e) => e.type));

    const timeline = await call<{ kind: string; activity?: { subject: string; type: string } }[]>(
      `/contacts/${contactId}/timeline`,
      { token: owner.accessToken },
    );
    const logged = timeline.body.data.filter((item) => item.activity?.type === "call");
    expect(logged.map((item) => item.activity?.subject)).toEqual(["Inbound call, answered (2:05)"]);
  });

  it("stores a replayed event once and rejects events for calls it never saw", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-replay");
    const callId = crypto.randomUUID();
    const first = ringing(callId, "+4930123456", "1001");
    const ended = callEvent("call.ended", callId, {
      outcome: "missed",
      durationSeconds: 0,
      hangupCause: 19,
      hangupCauseText: "No answer",
      hangupBy: "customer",
    });
    sendEvents(bridge, [first, ended]);
    await acked(bridge, ended.id);
    // The bridge restarts and replays everything it had not seen acknowledged.
    const again = await connectBridge((await createBridgeToken(owner)).token);
    bridge.socket.close();
    sendEvents(again, [first, ended]);
    await acked(again, first.id);
    await acked(again, ended.id);
    const log = await call<CallView[]>("/calls", { token: owner.accessToken });
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({ id: callId, status: "missed", outcome: "missed" });
    const detail = await call<{ events: unknown[] }>(`/calls/${callId}`, {
      token: owner.accessToken,
    });
    expect(detail.body.data.events).toHaveLength(2);

    const orphan = callEvent("call.answered", crypto.randomUUID(), { extension: "1001" });
    sendEvents(again, [orphan]);
    await again.waitFor((frame) => frame.type === "reject" && frame.eventId === orphan.id);
    const malformedId = crypto.randomUUID();
    again.socket.send(
      JSON.stringify({ type: "event", event: { id: malformedId, type: "call.ringing", seq: -1 } }),
    );
    await again.waitFor((frame) => frame.type === "reject" && frame.eventId === malformedId);
  });

  it("with a bridge that takes batches: one events frame in, one acks frame out, after commit", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-batches");
    expect(bridge.events.find((frame) => frame.type === "welcome")).toMatchObject({
      features: ["batches"],
    });
    bridge.socket.send(
      JSON.stringify({
        type: "hello",
        protocolVersion: 1,
        bridgeVersion: "test",
        ariConnected: true,
        features: ["batches"],
      }),
    );
    const callIds = [crypto.randomUUID(), crypto.randomUUID()];
    const events = callIds.flatMap((callId, index) => [
      ringing(callId, `+1415555012${index}`, "1001"),
      callEvent("call.answered", callId, { extension: "1001" }),
      callEvent("call.ended", callId, {
        outcome: "answered",
        durationSeconds: 30,
        hangupCause: 16,
        hangupCauseText: "Normal Clearing",
        hangupBy: "agent",
      }),
    ]);
    bridge.socket.send(JSON.stringify({ type: "events", events }));
    const acks = await bridge.waitFor(
      (frame) => frame.type === "acks" && frame.eventIds.includes(events[0]?.id ?? ""),
    );
    // Every id of the batch, in order, in one frame; none acked one by one.
    expect(acks).toEqual({ type: "acks", eventIds: events.map((event) => event.id) });
    expect(bridge.events.filter((frame) => frame.type === "ack")).toEqual([]);
    // Acked means committed: the calls read back ended at once.
    const log = await call<CallView[]>("/calls", { token: owner.accessToken });
    expect(log.body.data.map((row) => [row.id, row.status]).sort()).toEqual(
      callIds.map((id) => [id, "ended"]).sort(),
    );
    for (const callId of callIds) {
      const detail = await call<{ events: { type: string }[] }>(`/calls/${callId}`, {
        token: owner.accessToken,
      });
      expect(detail.body.data.events.map((event) => event.type)).toEqual([
        "call.ringing",
        "call.answered",
        "call.ended",
      ]);
    }
  });

  it("judges each event of an events frame alone: stores the valid ones in order, rejects the rest", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-batch-malformed");
    const callId = crypto.randomUUID();
    const first = ringing(callId, "+14155550131", "1001");
    const malformedId = crypto.randomUUID();
    const orphan = callEvent("call.answered", crypto.randomUUID(), { extension: "1001" });
    const answered = callEvent("call.answered", callId, { extension: "1001" });
    bridge.socket.send(
      JSON.stringify({
        type: "events",
        events: [first, { id: malformedId, type: "call.held", seq: -1 }, orphan, answered],
      }),
    );
    await bridge.waitFor((frame) => frame.type === "reject" && frame.eventId === malformedId);
    await bridge.waitFor((frame) => frame.type === "reject" && frame.eventId === orphan.id);
    // This bridge said no hello with `batches`: one ack per stored event.
    await acked(bridge, first.id);
    await acked(bridge, answered.id);
    const detail = await call<CallView & { events: { type: string }[] }>(`/calls/${callId}`, {
      token: owner.accessToken,
    });
    expect(detail.body.data.status).toBe("answered");
    expect(detail.body.data.events.map((event) => event.type)).toEqual([
      "call.ringing",
      "call.answered",
    ]);
  });

  it("refuses an event that comes before its call's ringing in the same batch", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-batch-order");
    const callId = crypto.randomUUID();
    const early = callEvent("call.answered", callId, { extension: "1001" });
    const rings = ringing(callId, "+14155550141", "1001");
    bridge.socket.send(JSON.stringify({ type: "events", events: [early, rings] }));
    await bridge.waitFor((frame) => frame.type === "reject" && frame.eventId === early.id);
    await acked(bridge, rings.id);
    const detail = await call<CallView>(`/calls/${callId}`, { token: owner.accessToken });
    expect(detail.body.data.status).toBe("ringing");
  });

  it("keeps calls inside their organization: by id, in the log and in realtime", async () => {
    const ours = await organizationWithBridge("pbx-ours");
    const theirs = await organizationWithBridge("pbx-theirs");
    const theirWatcher = await connectSocket(bearer(theirs.owner.accessToken));
    const callId = crypto.randomUUID();
    const event = ringing(callId, "+14155550111", "1001");
    sendEvents(ours.bridge, [event]);
    await acked(ours.bridge, event.id);

    expectErrorEnvelope(await call(`/calls/${callId}`, { token: theirs.owner.accessToken }), 404);
    const theirLog = await call<CallView[]>("/calls", { token: theirs.owner.accessToken });
    expect(theirLog.body.data).toEqual([]);
    // Their bridge cannot write into our call either: the id is unknown in their organization.
    const hijack = callEvent("call.answered", callId, { extension: "1001" });
    sendEvents(theirs.bridge, [hijack]);
    await theirs.bridge.waitFor((frame) => frame.type === "reject" && frame.eventId === hijack.id);
    expect(theirWatcher.events.some((e) => e.type === "call.updated")).toBe(false);
  });
});

describe("national numbers in the organization's default country", () => {
  it("match a caller and dial out for a GB organization", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-gb");
    const country = await call("/organization", {
      method: "PATCH",
      token: owner.accessToken,
      body: { defaultCountry: "GB" },
    });
    expect(country.status).toBe(200);
    const contactId = await createContact(owner, "020 7946 0958");
    const watcher = await connectSocket(bearer(owner.accessToken));

    // The PBX presents the caller as dialled in the UK: no country code.
    const callId = crypto.randomUUID();
    const rings = ringing(callId, "02079460958", "1001");
    sendEvents(bridge, [rings]);
    await acked(bridge, rings.id);
    const popped = await watcher.waitFor(
      (event) => event.type === "call.updated" && event.call.id === callId,
    );
    expect(popped).toMatchObject({ call: { contact: { id: contactId } } });

    // Click-to-call with the number as a British colleague types it.
    const placing = call<CallView>("/calls", {
      method: "POST",
      token: owner.accessToken,
      body: { to: "020 7946 0958" },
    });
    const command = await answerNextCommand(bridge, { ok: true });
    expect(command).toMatchObject({ action: "originate", to: "+442079460958" });
    expect((await placing).body.data).toMatchObject({ contact: { id: contactId } });
    watcher.socket.close();
  });
});

describe("one rule for who has a number", () => {
  it("pops, dials and looks up the same contact when several share the number", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-shared-number");
    const older = await createContact(owner, "+1 415 555 0123");
    const newer = await createContact(owner, "+1 415 555 0123");
    // The older contact is the one somebody worked on last.
    const current = await call<{ version: number }>(`/contacts/${older}`, {
      token: owner.accessToken,
    });
    const edited = await call(`/contacts/${older}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { title: "Buyer", version: current.body.data.version },
    });
    expect(edited.status).toBe(200);

    const lookup = await call<{ id: string }[]>("/contacts/lookup?phone=%2B14155550123", {
      token: owner.accessToken,
    });
    expect(lookup.body.data.map((contact) => contact.id).sort()).toEqual([older, newer].sort());
    const first = lookup.body.data[0]?.id;

    const watcher = await connectSocket(bearer(owner.accessToken));
    const callId = crypto.randomUUID();
    const rings = ringing(callId, "+14155550123", "1001");
    sendEvents(bridge, [rings]);
    await acked(bridge, rings.id);
    const popped = await watcher.waitFor(
      (event) => event.type === "call.updated" && event.call.id === callId,
    );
    expect(popped).toMatchObject({ call: { contact: { id: first } } });

    const placing = call<CallView>("/calls", {
      method: "POST",
      token: owner.accessToken,
      body: { to: "+1 415 555 0123" },
    });
    await answerNextCommand(bridge, { ok: true });
    expect((await placing).body.data).toMatchObject({ contact: { id: first } });
    watcher.socket.close();
  });
});

describe("click-to-call and call control", () => {
  it("dials through the bridge: the agent's extension first, then the number", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-dial");
    const contactId = await createContact(owner, "+44 20 7946 0958");
    const placing = call<CallView>("/calls", {
      method: "POST",
      token: owner.accessToken,
      body: { to: "+44 20 7946 0958" },
    });
    const command = await answerNextCommand(bridge, { ok: true });
    const placed = await placing;
    expect(placed.status).toBe(201);
    expect(command).toMatchObject({
      action: "originate",
      extension: "1001",
      to: "+442079460958",
      callId: placed.body.data.id,
    });
    expect(placed.body.data).toMatchObject({
      direction: "outbound",
      status: "ringing",
      contact: { id: contactId },
      agent: { id: owner.userId },
    });

    const hangingUp = call(`/calls/${placed.body.data.id}/hangup`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(await answerNextCommand(bridge, { ok: true })).toEqual({
      action: "hangup",
      callId: placed.body.data.id,
    });
    expect((await hangingUp).status).toBe(202);

    const transferring = call(`/calls/${placed.body.data.id}/transfer`, {
      method: "POST",
      token: owner.accessToken,
      body: { to: "1002" },
    });
    await answerNextCommand(bridge, {
      ok: false,
      code: "INVALID_STATE",
      message: "not answered yet",
    });
    expectErrorEnvelope(await transferring, 409, "pbx_command_failed");
  });

  it("reports why a call cannot be placed, and marks a refused one failed", async () => {
    const owner = await signUp("pbx-offline");
    expectErrorEnvelope(
      await call("/calls", {
        method: "POST",
        token: owner.accessToken,
        body: { to: "+14155550100" },
      }),
      503,
      "pbx_offline",
    );
    const { token } = await createBridgeToken(owner);
    const bridge = await connectBridge(token);
    await bridge.waitFor((frame) => frame.type === "welcome");
    expectErrorEnvelope(
      await call("/calls", {
        method: "POST",
        token: owner.accessToken,
        body: { to: "+14155550100" },
      }),
      409,
    );
    await setExtension(owner, owner.userId, "1001");
    expectErrorEnvelope(
      await call("/calls", {
        method: "POST",
        token: owner.accessToken,
        body: { to: "not a number" },
      }),
      422,
    );
    const placing = call("/calls", {
      method: "POST",
      token: owner.accessToken,
      body: { to: "+14155550100" },
    });
    await answerNextCommand(bridge, {
      ok: false,
      code: "ARI_ERROR",
      message: "Endpoint not found",
    });
    expectErrorEnvelope(await placing, 502, "pbx_command_failed");
    const log = await call<CallView[]>("/calls?status=failed", { token: owner.accessToken });
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]?.hangupCauseText).toContain("Endpoint not found");
  });

  it("lets agents act on their own calls and supervisors on anyone's", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-perms");
    const agent = await addMember(owner, "agent");
    const viewer = await addMember(owner, "viewer");
    const callId = crypto.randomUUID();
    const event = ringing(callId, "+14155550123", "1001");
    sendEvents(bridge, [event]);
    await acked(bridge, event.id);

    expectErrorEnvelope(
      await call(`/calls/${callId}/hold`, { method: "POST", token: agent.accessToken }),
      403,
    );
    expectErrorEnvelope(
      await call(`/calls/${callId}/hold`, { method: "POST", token: viewer.accessToken }),
      403,
    );
    const notes = await call<CallView>(`/calls/${callId}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { version: 1, notes: "Wants a callback", disposition: "callback" },
    });
    expect(notes.body.data).toMatchObject({ notes: "Wants a callback", disposition: "callback" });
    expectErrorEnvelope(
      await call(`/calls/${callId}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { version: 1, notes: "stale" },
      }),
      409,
    );
  });
});

describe("queues, agents and statistics", () => {
  it("shows callers waiting per queue with their position, and pushes queue changes to the bridge", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-queue");
    const agent = await addMember(owner, "agent");
    await setExtension(owner, agent.userId, "1002");
    expectErrorEnvelope(
      await call(`/call-center/agents/${agent.userId}`, {
        method: "PUT",
        token: owner.accessToken,
        body: { extension: "1001" },
      }),
      409,
    );
    const created = await call<{ id: string; members: { userId: string; extension: string }[] }>(
      "/call-queues",
      {
        method: "POST",
        token: owner.accessToken,
        body: { name: "support", memberIds: [agent.userId, owner.userId] },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.data.members.map((member) => member.extension)).toEqual(["1002", "1001"]);
    await bridge.waitFor(
      (frame) =>
        frame.type === "routing" &&
        frame.routing.queues.some(
          (queue) => queue.name === "support" && queue.extensions.join() === "1002,1001",
        ),
    );

    const first = crypto.randomUUID();
    const second = crypto.randomUUID();
    // The first caller arrived a second before the second (in the same millisecond their
    // order would be a tie).
    const events = [
      {
        ...ringing(first, "+14155550001", null, "support"),
        occurredAt: new Date(Date.now() - 1000).toISOString(),
      },
      ringing(second, "+14155550002", null, "support"),
    ];
    sendEvents(bridge, events);
    for (const event of events) await acked(bridge, event.id);
    const live = await call<
      { name: string; waiting: { id: string; position: number }[]; agents: unknown[] }[]
    >("/call-queues/live", { token: agent.accessToken });
    const support = live.body.data.find((queue) => queue.name === "support");
    expect(support?.waiting.map((waiting) => [waiting.id, waiting.position])).toEqual([
      [first, 1],
      [second, 2],
    ]);
    expect(support?.agents).toHaveLength(2);

    // A call for no queue rings every available agent; it waits in its own group.
    const direct = crypto.randomUUID();
    const directRinging = ringing(direct, "+14155550003", null);
    sendEvents(bridge, [directRinging]);
    await acked(bridge, directRinging.id);
    const withDirect = await call<{ name: string; direct: boolean; waiting: { id: string }[] }[]>(
      "/call-queues/live",
      { token: agent.accessToken },
    );
    expect(withDirect.body.data.find((queue) => queue.direct)?.waiting.map((w) => w.id)).toEqual([
      direct,
    ]);
  });

  it("counts calls, answers and talk time per agent", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-stats");
    const answeredCall = crypto.randomUUID();
    const missedCall = crypto.randomUUID();
    const events = [
      ringing(answeredCall, "+14155550301", "1001"),
      callEvent("call.answered", answeredCall, { extension: "1001" }),
      callEvent("call.ended", answeredCall, {
        outcome: "answered",
        durationSeconds: 60,
        hangupCause: 16,
        hangupCauseText: "Normal Clearing",
        hangupBy: "agent",
      }),
      ringing(missedCall, "+14155550302", "1001"),
      callEvent("call.ended", missedCall, {
        outcome: "missed",
        durationSeconds: 0,
        hangupCause: 19,
        hangupCauseText: "No answer",
        hangupBy: "customer",
      }),
    ];
    sendEvents(bridge, events);
    for (const event of events) await acked(bridge, event.id);
    const stats = await call<{
      totals: { calls: number; answered: number; missed: number; answerRate: number };
      agents: { agentId: string; calls: number; answerRate: number; talkSeconds: number }[];
      daily: { calls: number }[];
    }>("/calls/stats", { token: owner.accessToken });
    expect(stats.body.data.totals).toMatchObject({
      calls: 2,
      answered: 1,
      missed: 1,
      answerRate: 0.5,
    });
    expect(stats.body.data.agents).toEqual([
      expect.objectContaining({
        agentId: owner.userId,
        calls: 2,
        answerRate: 0.5,
        talkSeconds: 60,
      }),
    ]);
    expect(stats.body.data.daily.reduce((sum, day) => sum + day.calls, 0)).toBe(2);
    expectErrorEnvelope(await call("/calls?status=nonsense", { token: owner.accessToken }), 422);
  });
});

describe("missed calls", () => {
  const noAnswer = {
    outcome: "missed" as const,
    durationSeconds: 0,
    hangupCause: 19,
    hangupCauseText: "No answer",
    hangupBy: "customer" as const,
  };
  const bell = async (session: { accessToken: string }) =>
    (
      await call<{ kind: string; title: string; link: string }[]>("/notifications", {
        token: session.accessToken,
      })
    ).body.data.filter((item) => item.kind === "missed_call");

  it("tell the agent whose phone rang, or the contact's owner when it rang a queue, once", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-missed");
    const agent = await addMember(owner, "agent", "missed-agent");
    await setExtension(owner, agent.userId, "1002");
    // The queue caller is a contact the owner owns.
    await createContact(owner, "+14155550402");

    const rangAgent = crypto.randomUUID();
    const rangQueue = crypto.randomUUID();
    const answeredCall = crypto.randomUUID();
    const events = [
      ringing(rangAgent, "+14155550401", "1002"),
      callEvent("call.ended", rangAgent, noAnswer),
      ringing(rangQueue, "+14155550402", null, "support"),
      callEvent("call.ended", rangQueue, { ...noAnswer, outcome: "abandoned" }),
      ringing(answeredCall, "+14155550403", "1002"),
      callEvent("call.answered", answeredCall, { extension: "1002" }),
      callEvent("call.ended", answeredCall, {
        outcome: "answered",
        durationSeconds: 30,
        hangupCause: 16,
        hangupCauseText: "Normal Clearing",
        hangupBy: "agent",
      }),
    ];
    sendEvents(bridge, events);
    for (const event of events) await acked(bridge, event.id);

    expect(await bell(agent)).toEqual([
      expect.objectContaining({
        title: "Missed call from Caller",
        link: `/app/calls/${rangAgent}`,
      }),
    ]);
    const ownerNotices = await bell(owner);
    expect(ownerNotices).toEqual([
      expect.objectContaining({
        title: "Missed call from Ada Caller",
        link: `/app/calls/${rangQueue}`,
      }),
    ]);

    // The bridge replays its last events after a reconnect: nobody is told twice.
    const again = await connectBridge((await createBridgeToken(owner)).token);
    bridge.socket.close();
    sendEvents(again, events.slice(0, 4));
    for (const event of events.slice(0, 4)) await acked(again, event.id);
    expect(await bell(agent)).toHaveLength(1);
    expect(await bell(owner)).toHaveLength(1);
  });
});

describe("calls the phone system fell silent about", () => {
  it("are ended by the maintenance job after 12 hours without an event", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-stale");
    const stale = crypto.randomUUID();
    const fresh = crypto.randomUUID();
    const events = [ringing(stale, "+14155550401", "1001"), ringing(fresh, "+14155550402", "1001")];
    sendEvents(bridge, events);
    for (const event of events) await acked(bridge, event.id);
    const db = workerDatabase();
    try {
      await db.transaction({ orgId: owner.orgId, userId: null }, (tx) =>
        tx
          .update(calls)
          .set({ updatedAt: sql`now() - interval '13 hours'` })
          .where(eq(calls.id, stale)),
      );
    } finally {
      await db.close();
    }
    const batch = createMessageBatch("switchboard-jobs", [
      {
        id: "stale-calls",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "maintenance.close_stale_calls", requestedAt: new Date().toISOString() },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["stale-calls"]);

    const ended = await call<CallView>(`/calls/${stale}`, { token: owner.accessToken });
    expect(ended.body.data).toMatchObject({
      status: "failed",
      outcome: "failed",
      hangupBy: "system",
    });
    expect(ended.body.data.hangupCauseText).toMatch(/^No word from the phone system since/);
    const live = await call<CallView>(`/calls/${fresh}`, { token: owner.accessToken });
    expect(live.body.data).toMatchObject({ status: "ringing", endedAt: null });
  });
});
