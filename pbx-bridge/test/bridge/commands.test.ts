import { describe, expect, it } from "vitest";
import { AriError } from "../../src/ari-client";
import { CallTracker } from "../../src/call-tracker";
import { CommandRunner } from "../../src/commands";
import type { Command } from "../../src/edge-protocol";
import { type AriOperations, EffectExecutor } from "../../src/executor";
import { silentLogger } from "../../src/logger";
import { Metrics } from "../../src/metrics";
import { Router } from "../../src/router";

const CALL_ID = "5d0c3f0e-2b8f-4f55-9a7e-3c2b1a0f9e11";
const ORIGINATE: Command = {
  action: "originate",
  callId: CALL_ID,
  extension: "1001",
  to: "+15557654321",
  callerId: null,
};

/** An ARI whose originate behaves as given; every other operation succeeds. */
function fakeAri(originate: () => Promise<void>): AriOperations {
  const ok = async () => {};
  return {
    originate,
    hangup: ok,
    answer: ok,
    ring: ok,
    hold: ok,
    unhold: ok,
    createBridge: ok,
    addChannel: ok,
    destroyBridge: ok,
    recordBridge: ok,
    stopRecording: ok,
  };
}

function runner(originate: () => Promise<void>, ariConnected = true) {
  const emitted: string[] = [];
  const tracker = new CallTracker({
    router: new Router({ fallbackExtensions: [], fallbackRingTimeoutSeconds: 20 }),
    newId: () => crypto.randomUUID(),
    trunkEndpoint: "PJSIP/{number}@trunk",
    extensionEndpoint: "PJSIP/{extension}",
    defaultQueue: null,
    ringTimeoutSeconds: 20,
    dialTimeoutSeconds: 60,
    queueRetryMs: 2000,
    recordingWaitMs: 5000,
    recordingUrl: () => null,
  });
  const executor = new EffectExecutor({
    ari: fakeAri(originate),
    tracker,
    emit: (event) => emitted.push(event.type),
    now: Date.now,
    log: silentLogger,
  });
  const metrics = new Metrics({
    outboxDepth: () => 0,
    ariConnected: () => ariConnected,
    edgeConnected: () => true,
    activeCalls: () => tracker.activeCalls,
  });
  const commands = new CommandRunner({
    tracker,
    executor,
    metrics,
    ariConnected: () => ariConnected,
    timeoutMs: 100,
    now: Date.now,
  });
  return { commands, metrics, emitted, executor };
}

describe("CommandRunner", () => {
  it("answers ok once ARI accepted the originate", async () => {
    const { commands, emitted, metrics } = runner(async () => {});
    expect(await commands.run(ORIGINATE)).toEqual({ ok: true, error: null });
    expect(emitted).toEqual(["call.ringing"]);
    expect(await metrics.render()).toContain(
      'pbx_bridge_commands_total{action="originate",result="ok"} 1',
    );
  });

  it("maps ARI HTTP errors to ARI_ERROR and unreachable ARI to ARI_UNAVAILABLE", async () => {
    const refused = runner(() => Promise.reject(new AriError(400, "POST /channels: HTTP 400")));
    expect(await refused.commands.run(ORIGINATE)).toEqual({
      ok: false,
      error: { code: "ARI_ERROR", message: "POST /channels: HTTP 400" },
    });
    const unreachable = runner(() => Promise.reject(new AriError(null, "ECONNREFUSED")));
    expect((await unreachable.commands.run(ORIGINATE)).error?.code).toBe("ARI_UNAVAILABLE");
    const down = runner(async () => {}, false);
    expect((await down.commands.run(ORIGINATE)).error?.code).toBe("ARI_UNAVAILABLE");
  });

  it("answers TIMEOUT when ARI takes longer than COMMAND_TIMEOUT_MS", async () => {
    let release: () => void = () => {};
    const slow = runner(() => new Promise<void>((resolve) => (release = resolve)));
    const result = await slow.commands.run(ORIGINATE);
    expect(result).toEqual({
      ok: false,
      error: { code: "TIMEOUT", message: "no result within 100 ms" },
    });
    expect(await slow.metrics.render()).toContain('result="TIMEOUT"} 1');
    release();
    await slow.executor.stop();
  });
});
