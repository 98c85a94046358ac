import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CallEvent } from "../../src/edge-protocol";
import { BridgeHarness, summary } from "./bridge-harness";
import { waitUntil } from "./wait";

const CLICK_CALL_ID = "5d0c3f0e-2b8f-4f55-9a7e-3c2b1a0f9e11";
const UNKNOWN_CALL_ID = "0d3c3f0e-2b8f-4f55-9a7e-3c2b1a0f9e11";

let h: BridgeHarness;

beforeEach(async () => {
  h = await BridgeHarness.start();
});

afterEach(async () => {
  await h.close();
});

async function waitForEvent(callId: string, match: (event: CallEvent) => boolean, what: string) {
  await h.edge.waitFor(() => h.edge.callEvents(callId).some(match), 5000, what);
}

describe("edge commands against the ARI simulator", () => {
  it("click-to-call rings the agent, then the customer, and bridges them", async () => {
    const result = await h.edge.command({
      action: "originate",
      callId: CLICK_CALL_ID,
      extension: "1004",
      to: "+15557654321",
      callerId: "+15550100100",
    });
    expect(result).toMatchObject({ ok: true, error: null });
    expect(summary(await h.endedCall())).toEqual([
      "ringing outbound 1004->+15557654321 ext=1004",
      "answered ext=1004",
      "ended answered by=customer cause=16",
    ]);
    expect(h.ended()[0]?.callId).toBe(CLICK_CALL_ID);
  });

  it("click-to-call to a busy agent phone ends as busy", async () => {
    h.sim.setPhone("1005", "busy");
    const result = await h.edge.command({
      action: "originate",
      callId: CLICK_CALL_ID,
      extension: "1005",
      to: "+15557654321",
      callerId: null,
    });
    expect(result.ok).toBe(true);
    expect(summary(await h.endedCall())).toEqual([
      "ringing outbound 1005->+15557654321 ext=1005",
      "ended busy by=agent cause=17",
    ]);
  });

  it("hold, resume, recording, transfer and hangup on a live inbound call", async () => {
    await h.sim.playScenario("inbound_answered", { talkSeconds: 120 });
    await h.edge.waitFor(
      () => h.edge.events().some((event) => event.type === "call.answered"),
      5000,
      "answered",
    );
    const callId = h.edge.events()[0]?.callId ?? "";
    const run = (command: Parameters<typeof h.edge.command>[0]) => h.edge.command(command);

    expect(await run({ action: "hold", callId })).toMatchObject({ ok: true });
    expect(await run({ action: "resume", callId })).toMatchObject({ ok: true });
    expect(await run({ action: "stop_recording", callId })).toMatchObject({
      ok: false,
      error: { code: "INVALID_STATE" },
    });
    expect(await run({ action: "start_recording", callId })).toMatchObject({ ok: true });
    expect(await run({ action: "stop_recording", callId })).toMatchObject({ ok: true });
    await waitForEvent(callId, (e) => e.type === "call.recording_ready", "recording_ready");
    expect(await run({ action: "transfer", callId, to: "1003" })).toMatchObject({ ok: true });
    await waitForEvent(
      callId,
      (e) => e.type === "call.answered" && e.extension === "1003",
      "answered by 1003",
    );
    expect(await run({ action: "hangup", callId })).toMatchObject({ ok: true });
    expect(summary(await h.endedCall())).toEqual([
      expect.stringContaining("ext=null"),
      expect.stringContaining("ext=1001"),
      "answered ext=1001",
      "held",
      "resumed",
      `recording_ready ${callId}-1`,
      "transferred 1001->1003",
      "answered ext=1003",
      "ended answered by=system cause=16",
    ]);
    expect(await run({ action: "hangup", callId })).toMatchObject({
      ok: false,
      error: { code: "CALL_NOT_FOUND" },
    });
  });

  it("answers CALL_NOT_FOUND for unknown calls and ARI_UNAVAILABLE while ARI is down", async () => {
    for (const action of ["hangup", "hold", "start_recording"] as const) {
      expect(await h.edge.command({ action, callId: UNKNOWN_CALL_ID })).toMatchObject({
        ok: false,
        error: { code: "CALL_NOT_FOUND" },
      });
    }
    h.sim.dropConnections(600);
    await waitUntil(() => h.bridge?.status().ariConnected === false, 2000, "ARI down");
    const result = await h.edge.command({
      action: "originate",
      callId: CLICK_CALL_ID,
      extension: "1004",
      to: "+15557654321",
      callerId: null,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "ARI_UNAVAILABLE" } });
    await waitUntil(() => h.bridge?.status().ariConnected === true, 5000, "ARI back");
    // The bridge's own status flips before its ari.status frame crosses the socket to the edge.
    const statuses = () =>
      h.edge.frames.flatMap((f) => (f.type === "ari.status" ? [f.connected] : []));
    await waitUntil(() => statuses().length >= 2, 2000, "ari.status frames at the edge");
    expect(statuses()).toEqual([false, true]);
    const metrics = await (await fetch(`${h.bridge?.httpUrl}/metrics`)).text();
    expect(metrics).toContain(
      'pbx_bridge_commands_total{action="originate",result="ARI_UNAVAILABLE"} 1',
    );
    expect(metrics).toContain(
      'pbx_bridge_commands_total{action="hangup",result="CALL_NOT_FOUND"} 1',
    );
    expect(metrics).toMatch(/pbx_bridge_command_duration_seconds_count 4/);
  });

  it("answers ARI_ERROR when ARI refuses the originate, and ends that call as failed", async () => {
    const result = await h.edge.command({
      action: "originate",
      callId: CLICK_CALL_ID,
      extension: "4242",
      to: "+15557654321",
      callerId: null,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "ARI_ERROR" } });
    expect(summary(await h.endedCall())).toEqual([
      "ringing outbound 4242->+15557654321 ext=4242",
      "ended failed by=system cause=0",
    ]);
  });
});
