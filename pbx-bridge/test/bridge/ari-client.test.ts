import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AriSimulator, startAriSimulator } from "../../simulator/index";
import { AriClient, AriError } from "../../src/ari-client";
import type { AriEvent } from "../../src/ari-events";
import { silentLogger } from "../../src/logger";
import { waitUntil } from "./wait";

let sim: AriSimulator;
const clients: AriClient[] = [];

beforeEach(async () => {
  sim = await startAriSimulator({ username: "ari", password: "secret", timeScale: 0.02 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.stop();
  await sim.close();
});

function client(url: string, password = "secret") {
  const state = { events: [] as AriEvent[], frames: 0, changes: [] as boolean[] };
  const ari = new AriClient(
    {
      url,
      user: "ari",
      password,
      app: "switchboard",
      backoff: { minMs: 20, maxMs: 100 },
      log: silentLogger,
    },
    {
      onEvent: (event) => state.events.push(event),
      onFrame: () => {
        state.frames += 1;
      },
      onConnectionChange: (connected) => state.changes.push(connected),
    },
  );
  clients.push(ari);
  return { ari, state };
}

async function errorOf(promise: Promise<unknown>): Promise<AriError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AriError) return error;
    throw error;
  }
  throw new Error("expected an AriError");
}

describe("AriClient", () => {
  it("connects the events socket, receives parsed events and reconnects after a drop", async () => {
    const { ari, state } = client(sim.url);
    ari.start();
    await waitUntil(() => ari.connected, 2000, "connected");
    const started = await sim.playScenario("inbound_answered", { talkSeconds: 1 });
    const caller = started.channelIds[0] ?? "";
    expect(await ari.listChannelIds()).toContain(caller);
    await waitUntil(() => state.events.some((e) => e.type === "StasisStart"), 2000, "StasisStart");
    const start = state.events.find((e) => e.type === "StasisStart");
    expect(start).toMatchObject({ args: ["inbound", "support"] });
    expect(state.frames).toBeGreaterThanOrEqual(state.events.length);
    sim.dropConnections(100);
    await waitUntil(() => state.changes.length >= 3, 3000, "reconnect");
    expect(state.changes.slice(0, 3)).toEqual([true, false, true]);
  });

  it("maps HTTP errors to AriError with the status, unreachable ARI to status null", async () => {
    const { ari } = client(sim.url);
    expect((await errorOf(ari.hangup("no-such-channel", "normal"))).status).toBe(404);
    expect((await errorOf(ari.answer("no-such-channel"))).status).toBe(404);
    const { ari: wrong } = client(sim.url, "wrong");
    expect((await errorOf(wrong.listChannelIds())).status).toBe(401);
    const { ari: down } = client("http://127.0.0.1:9");
    const unreachable = await errorOf(down.listChannelIds());
    expect(unreachable.status).toBeNull();
  });

  it("does not connect the events socket with bad credentials", async () => {
    const { ari, state } = client(sim.url, "wrong");
    ari.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ari.connected).toBe(false);
    expect(state.changes).toEqual([]);
  });
});
