import { describe, expect, it } from "vitest";
import type { CallView } from "../../worker/calls/call-view";
import { call, connectBridge } from "./helpers";
import {
  acked,
  callEvent,
  createBridgeToken,
  organizationWithBridge,
  ringing,
  sendEvents,
} from "./pbx-helpers";

describe("URLs from the bridge", () => {
  it("rejects a recording link that is not http(s) and never stores it", async () => {
    const { owner, bridge } = await organizationWithBridge("pbx-js-url");
    const callId = crypto.randomUUID();
    const first = ringing(callId, "+14155550123", "1001");
    sendEvents(bridge, [first]);
    await acked(bridge, first.id);
    for (const url of ["javascript:alert(document.cookie)", "data:text/html,<script>1</script>"]) {
      const bad = callEvent("call.recording_ready", callId, {
        recordingName: `${callId}-1`,
        durationSeconds: 5,
        url,
      });
      sendEvents(bridge, [bad]);
      const rejected = await bridge.waitFor(
        (frame) => frame.type === "reject" && frame.eventId === bad.id,
      );
      expect(rejected).toMatchObject({ reason: expect.stringMatching(/url.*http/i) });
    }
    const good = callEvent("call.recording_ready", callId, {
      recordingName: `${callId}-2`,
      durationSeconds: 5,
      url: "https://pbx.example.com/recordings/2",
    });
    sendEvents(bridge, [good]);
    await acked(bridge, good.id);
    const detail = await call<CallView & { events: { type: string }[] }>(`/calls/${callId}`, {
      token: owner.accessToken,
    });
    expect(detail.body.data.recordingUrl).toBe("https://pbx.example.com/recordings/2");
    expect(detail.body.data.events.map((event) => event.type)).toEqual([
      "call.ringing",
      "call.recording_ready",
    ]);
  });
});

describe("revoking a bridge token", () => {
  it("disconnects the bridge using it within 2 s and the status shows it offline", async () => {
    const { owner } = await organizationWithBridge("pbx-revoke-live");
    const { id, token } = await createBridgeToken(owner);
    const bridge = await connectBridge(token);
    await bridge.waitFor((frame) => frame.type === "welcome");
    const closed = new Promise<number>((resolve) =>
      bridge.socket.addEventListener("close", (event) => resolve(event.code)),
    );
    const online = await call<{ bridgeOnline: boolean }>("/pbx/status", {
      token: owner.accessToken,
    });
    expect(online.body.data.bridgeOnline).toBe(true);

    const revokedAt = Date.now();
    const revoked = await call(`/pbx/bridge-tokens/${id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(revoked.status).toBe(200);
    const code = await Promise.race([
      closed,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000)),
    ]);
    expect(code).not.toBeNull();
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
    const status = await call<{ bridgeOnline: boolean }>("/pbx/status", {
      token: owner.accessToken,
    });
    expect(status.body.data.bridgeOnline).toBe(false);
  });
});
