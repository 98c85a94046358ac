import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AriSimulator, startAriSimulator } from "../../simulator/index";
import { AriRestClient, appQuery, basicAuth, ListeningSocket } from "./ari-rest-client";
import { eventually, PASSWORD, TIME_SCALE, USERNAME } from "./harness";
import { SwaggerModels } from "./swagger-validator";

const models = SwaggerModels.load();

let sim: AriSimulator;
let ari: AriRestClient;
let app: ListeningSocket;

beforeEach(async () => {
  sim = await startAriSimulator({ username: USERNAME, password: PASSWORD, timeScale: TIME_SCALE });
  ari = new AriRestClient(sim.url, models);
  app = await ListeningSocket.open(sim.url, appQuery());
});

afterEach(async () => {
  app.close();
  await sim.close();
});

/** Originates `endpoint` into the app; resolves with the channel id once it is in Stasis. */
async function channelInStasis(endpoint = "PJSIP/1001", appArgs = "leg"): Promise<string> {
  const { json } = await ari.call("POST", "/channels", {
    query: { endpoint, app: "switchboard", appArgs },
  });
  const id = (json as { id: string }).id;
  await eventually(() =>
    app.ofType("StasisStart").some((event) => (event.channel as { id: string }).id === id),
  );
  return id;
}

async function newBridge(): Promise<string> {
  const { json } = await ari.call("POST", "/bridges", { query: { type: "mixing" } });
  return (json as { id: string }).id;
}

describe("authentication", () => {
  it("answers 401 without credentials or with wrong ones, on REST and on the WebSocket", async () => {
    const anonymous = await ari.call("GET", "/channels", { headers: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Basic");
    const wrong = await ari.call("GET", "/channels", {
      headers: { authorization: basicAuth(USERNAME, "nope") },
    });
    expect(wrong.status).toBe(401);
    expect(await ListeningSocket.refusal(sim.url, "app=switchboard")).toBe(401);
    expect(await ListeningSocket.refusal(sim.url, "app=switchboard&api_key=ari:nope")).toBe(401);
  });

  it("accepts basic auth and the api_key query parameter", async () => {
    expect((await ari.call("GET", "/channels")).status).toBe(200);
    const withKey = await ari.call("GET", "/channels", {
      headers: {},
      query: { api_key: `${USERNAME}:${PASSWORD}` },
    });
    expect(withKey.status).toBe(200);
  });

  it("refuses an events WebSocket without an app", async () => {
    expect(await ListeningSocket.refusal(sim.url, `api_key=${USERNAME}:${PASSWORD}`)).toBe(400);
  });
});

describe("asterisk and applications", () => {
  it("GET /asterisk/info answers an AsteriskInfo, filtered by `only`", async () => {
    const full = await ari.call("GET", "/asterisk/info");
    expect(Object.keys(full.json as object).sort()).toEqual([
      "build",
      "config",
      "status",
      "system",
    ]);
    const systemOnly = await ari.call("GET", "/asterisk/info", { query: { only: "system" } });
    expect(Object.keys(systemOnly.json as object)).toEqual(["system"]);
  });

  it("GET /applications lists the registered app and its channels", async () => {
    const channelId = await channelInStasis();
    const { json } = await ari.call("GET", "/applications");
    expect(json).toEqual([
      expect.objectContaining({ name: "switchboard", channel_ids: [channelId] }),
    ]);
  });
});

describe("channels", () => {
  it("originates from query params; the leg enters Stasis with the appArgs when answered", async () => {
    const { status, json } = await ari.call("POST", "/channels", {
      query: {
        endpoint: "PJSIP/1002",
        app: "switchboard",
        appArgs: "agent,call-1",
        callerId: '"Support" <+15550100100>',
        channelId: "leg-1",
        timeout: "20",
      },
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      id: "leg-1",
      state: "Down",
      caller: { name: "Support", number: "+15550100100" },
    });
    await eventually(() => app.ofType("StasisStart").length === 1);
    expect(app.ofType("StasisStart")[0]).toMatchObject({
      args: ["agent", "call-1"],
      channel: { state: "Up" },
    });
    expect(
      (await ari.call("GET", "/channels/{channelId}", { path: { channelId: "leg-1" } })).status,
    ).toBe(200);
  });

  it("originates from a JSON body, incl. variables", async () => {
    const { json } = await ari.call("POST", "/channels", {
      body: {
        endpoint: "PJSIP/+15557654321@trunk",
        app: "switchboard",
        appArgs: "customer",
        variables: { CALL_ID: "abc" },
      },
    });
    expect(json).toMatchObject({
      name: expect.stringMatching(/^PJSIP\/trunk-/),
      channelvars: { CALL_ID: "abc" },
    });
  });

  it("refuses bad originates: 400 without endpoint or for an unknown one, 409 for a taken channelId", async () => {
    expect((await ari.call("POST", "/channels", { query: { app: "switchboard" } })).status).toBe(
      400,
    );
    const unknown = await ari.call("POST", "/channels", {
      query: { endpoint: "PJSIP/4711", app: "switchboard" },
    });
    expect(unknown.status).toBe(400);
    const notNumeric = await ari.call("POST", "/channels", {
      query: { endpoint: "PJSIP/1001", app: "switchboard", timeout: "soon" },
    });
    expect(notNumeric.status).toBe(400);
    const query = { endpoint: "PJSIP/1001", app: "switchboard", channelId: "same" };
    expect((await ari.call("POST", "/channels", { query })).status).toBe(200);
    expect((await ari.call("POST", "/channels", { query })).status).toBe(409);
  });

  it("answers 404 for unknown channels", async () => {
    const path = { channelId: "nope" };
    expect((await ari.call("GET", "/channels/{channelId}", { path })).status).toBe(404);
    expect((await ari.call("DELETE", "/channels/{channelId}", { path })).status).toBe(404);
    expect((await ari.call("POST", "/channels/{channelId}/answer", { path })).status).toBe(404);
    expect((await ari.call("POST", "/channels/{channelId}/hold", { path })).status).toBe(404);
  });

  it("answers 409 for operations on a channel that is not in Stasis yet", async () => {
    sim.setPhone("1003", "no_answer");
    const { json } = await ari.call("POST", "/channels", {
      query: { endpoint: "PJSIP/1003", app: "switchboard" },
    });
    const path = { channelId: (json as { id: string }).id };
    expect((await ari.call("POST", "/channels/{channelId}/answer", { path })).status).toBe(409);
    expect((await ari.call("POST", "/channels/{channelId}/ring", { path })).status).toBe(409);
    expect((await ari.call("POST", "/channels/{channelId}/hold", { path })).status).toBe(409);
    expect((await ari.call("DELETE", "/channels/{channelId}/hold", { path })).status).toBe(409);
    const record = await ari.call("POST", "/channels/{channelId}/record", {
      path,
      query: { name: "r", format: "wav" },
    });
    expect(record.status).toBe(409);
  });

  it("holds and resumes a channel in Stasis (ChannelHold / ChannelUnhold)", async () => {
    const path = { channelId: await channelInStasis() };
    expect((await ari.call("POST", "/channels/{channelId}/answer", { path })).status).toBe(204);
    expect((await ari.call("POST", "/channels/{channelId}/ring", { path })).status).toBe(204);
    expect((await ari.call("POST", "/channels/{channelId}/hold", { path })).status).toBe(204);
    expect((await ari.call("DELETE", "/channels/{channelId}/hold", { path })).status).toBe(204);
    await eventually(() => app.ofType("ChannelUnhold").length === 1);
    expect(app.ofType("ChannelHold")).toHaveLength(1);
  });

  it("hangs up with the reason's cause (soft hangup request, then StasisEnd and ChannelDestroyed)", async () => {
    const path = { channelId: await channelInStasis() };
    const invalid = await ari.call("DELETE", "/channels/{channelId}", {
      path,
      query: { reason: "bored" },
    });
    expect(invalid.status).toBe(400);
    const both = await ari.call("DELETE", "/channels/{channelId}", {
      path,
      query: { reason: "busy", reason_code: "17" },
    });
    expect(both.status).toBe(400);
    expect(
      (await ari.call("DELETE", "/channels/{channelId}", { path, query: { reason: "busy" } }))
        .status,
    ).toBe(204);
    await eventually(() => app.ofType("ChannelDestroyed").length === 1);
    const tail = app.events.slice(-3).map((event) => event.type);
    expect(tail).toEqual(["ChannelHangupRequest", "StasisEnd", "ChannelDestroyed"]);
    expect(app.ofType("ChannelHangupRequest")[0]).toMatchObject({ cause: 17, soft: true });
    expect(app.ofType("ChannelDestroyed")[0]).toMatchObject({ cause: 17, cause_txt: "User busy" });
  });

  it("cancels a leg that is still ringing (Dial CANCEL)", async () => {
    sim.setPhone("1004", "no_answer");
    const { json } = await ari.call("POST", "/channels", {
      query: { endpoint: "PJSIP/1004", app: "switchboard" },
    });
    const channelId = (json as { id: string }).id;
    await eventually(() => app.ofType("Dial").length === 2);
    await ari.call("DELETE", "/channels/{channelId}", { path: { channelId } });
    await eventually(() => app.ofType("ChannelDestroyed").length === 1);
    expect(app.ofType("Dial").map((event) => event.dialstatus)).toEqual(["", "RINGING", "CANCEL"]);
  });
});

describe("bridges", () => {
  it("creates, lists, joins, leaves and destroys a mixing bridge", async () => {
    const first = await channelInStasis("PJSIP/1001");
    const second = await channelInStasis("PJSIP/+15551110000@trunk");
    const bridgeId = await newBridge();
    const path = { bridgeId };
    expect((await ari.call("GET", "/bridges")).json).toHaveLength(1);
    const add = await ari.call("POST", "/bridges/{bridgeId}/addChannel", {
      path,
      query: { channel: `${first},${second}` },
    });
    expect(add.status).toBe(204);
    const { json } = await ari.call("GET", "/bridges/{bridgeId}", { path });
    expect(json).toMatchObject({ bridge_type: "mixing", channels: [first, second] });
    const remove = await ari.call("POST", "/bridges/{bridgeId}/removeChannel", {
      path,
      query: { channel: first },
    });
    expect(remove.status).toBe(204);
    expect((await ari.call("DELETE", "/bridges/{bridgeId}", { path })).status).toBe(204);
    await eventually(() => app.ofType("BridgeDestroyed").length === 1);
    const types = app.events.map((event) => event.type).filter((type) => type.includes("Bridge"));
    expect(types).toEqual([
      "BridgeCreated",
      "ChannelEnteredBridge",
      "ChannelEnteredBridge",
      "ChannelLeftBridge",
      "ChannelLeftBridge",
      "BridgeDestroyed",
    ]);
  });

  it("answers the documented errors", async () => {
    const bridgeId = await newBridge();
    const path = { bridgeId };
    const duplicate = await ari.call("POST", "/bridges", { query: { bridgeId } });
    expect(duplicate.status).toBe(409);
    const missing = { bridgeId: "nope" };
    expect((await ari.call("GET", "/bridges/{bridgeId}", { path: missing })).status).toBe(404);
    expect((await ari.call("DELETE", "/bridges/{bridgeId}", { path: missing })).status).toBe(404);
    const toMissing = await ari.call("POST", "/bridges/{bridgeId}/addChannel", {
      path: missing,
      query: { channel: "x" },
    });
    expect(toMissing.status).toBe(404);
    expect((await ari.call("POST", "/bridges/{bridgeId}/addChannel", { path })).status).toBe(400);
    const unknownChannel = await ari.call("POST", "/bridges/{bridgeId}/addChannel", {
      path,
      query: { channel: "x" },
    });
    expect(unknownChannel.status).toBe(400);
    sim.setPhone("1005", "no_answer");
    const ringing = await ari.call("POST", "/channels", {
      query: { endpoint: "PJSIP/1005", app: "switchboard" },
    });
    const notInStasis = await ari.call("POST", "/bridges/{bridgeId}/addChannel", {
      path,
      query: { channel: (ringing.json as { id: string }).id },
    });
    expect(notInStasis.status).toBe(422);
    const outsider = await channelInStasis();
    const notMember = await ari.call("POST", "/bridges/{bridgeId}/removeChannel", {
      path,
      query: { channel: outsider },
    });
    expect(notMember.status).toBe(422);
  });
});

describe("recordings", () => {
  it("records a bridge: 201 queued, RecordingStarted, stop, RecordingFinished, stored WAV", async () => {
    const bridgeId = await newBridge();
    const path = { bridgeId };
    const started = await ari.call("POST", "/bridges/{bridgeId}/record", {
      path,
      query: { name: "call-1", format: "wav" },
    });
    expect(started.status).toBe(201);
    expect(started.json).toEqual({
      name: "call-1",
      format: "wav",
      target_uri: `bridge:${bridgeId}`,
      state: "queued",
    });
    const again = await ari.call("POST", "/bridges/{bridgeId}/record", {
      path,
      query: { name: "call-1", format: "wav" },
    });
    expect(again.status).toBe(409);
    const stop = await ari.call("POST", "/recordings/live/{recordingName}/stop", {
      path: { recordingName: "call-1" },
    });
    expect(stop.status).toBe(204);
    await eventually(() => app.ofType("RecordingFinished").length === 1);
    expect(app.ofType("RecordingStarted")[0]).toMatchObject({ recording: { state: "recording" } });
    expect(app.ofType("RecordingFinished")[0]).toMatchObject({
      recording: { state: "done", duration: expect.any(Number) },
    });
    expect((await ari.call("GET", "/recordings/stored")).json).toEqual([
      { name: "call-1", format: "wav" },
    ]);
    const file = await ari.call("GET", "/recordings/stored/{recordingName}/file", {
      path: { recordingName: "call-1" },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("audio/wav");
    expect(file.bytes.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(file.bytes.subarray(8, 12).toString("ascii")).toBe("WAVE");
    const stored = await ari.call("POST", "/bridges/{bridgeId}/record", {
      path,
      query: { name: "call-1", format: "wav" },
    });
    expect(stored.status).toBe(409);
    const overwrite = await ari.call("POST", "/bridges/{bridgeId}/record", {
      path,
      query: { name: "call-1", format: "wav", ifExists: "overwrite" },
    });
    expect(overwrite.status).toBe(201);
  });

  it("answers the documented errors", async () => {
    const path = { bridgeId: await newBridge() };
    const mp3 = await ari.call("POST", "/bridges/{bridgeId}/record", {
      path,
      query: { name: "x", format: "mp3" },
    });
    expect(mp3.status).toBe(422);
    expect(
      (await ari.call("POST", "/bridges/{bridgeId}/record", { path, query: { format: "wav" } }))
        .status,
    ).toBe(400);
    const nowhere = await ari.call("POST", "/bridges/{bridgeId}/record", {
      path: { bridgeId: "nope" },
      query: { name: "x", format: "wav" },
    });
    expect(nowhere.status).toBe(404);
    const recordingName = { recordingName: "nope" };
    expect(
      (await ari.call("POST", "/recordings/live/{recordingName}/stop", { path: recordingName }))
        .status,
    ).toBe(404);
    expect(
      (await ari.call("GET", "/recordings/stored/{recordingName}/file", { path: recordingName }))
        .status,
    ).toBe(404);
  });

  it("refuses to record a bridged channel (409) and records one in Stasis", async () => {
    const channelId = await channelInStasis();
    const record = { path: { channelId }, query: { name: "solo", format: "wav" } };
    expect((await ari.call("POST", "/channels/{channelId}/record", record)).status).toBe(201);
    const bridgeId = await newBridge();
    await ari.call("POST", "/bridges/{bridgeId}/addChannel", {
      path: { bridgeId },
      query: { channel: channelId },
    });
    const bridged = { path: { channelId }, query: { name: "other", format: "wav" } };
    expect((await ari.call("POST", "/channels/{channelId}/record", bridged)).status).toBe(409);
  });
});

describe("the events WebSocket", () => {
  it("Stasis() fails without a registered app: the inbound call is hung up", async () => {
    app.close();
    await eventually(
      () => sim.emitted().length === 0 && app.socket.readyState === app.socket.CLOSED,
    );
    const { channelIds } = await sim.playScenario("inbound_answered");
    expect(channelIds).toHaveLength(1);
    expect(sim.channels()).toEqual([]);
    expect(sim.emitted()).toEqual([]);
  });

  it("a newer socket for the app takes over; the older one gets ApplicationReplaced", async () => {
    const newer = await ListeningSocket.open(sim.url, appQuery());
    await eventually(() => app.ofType("ApplicationReplaced").length === 1);
    expect(models.validateEvent(app.ofType("ApplicationReplaced")[0])).toEqual([]);
    await sim.playScenario("inbound_answered");
    await eventually(() => newer.ofType("StasisStart").length === 1);
    expect(app.ofType("StasisStart")).toEqual([]);
    newer.close();
  });

  it("subscribeAll also delivers ChannelCreated of dialplan channels", async () => {
    const everything = await ListeningSocket.open(
      sim.url,
      `${appQuery("observer")}&subscribeAll=true`,
    );
    await sim.playScenario("inbound_answered");
    await eventually(() => everything.ofType("StasisStart").length === 1);
    expect(everything.events.map((event) => event.type).slice(0, 2)).toEqual([
      "ChannelCreated",
      "StasisStart",
    ]);
    expect(app.events.map((event) => event.type)[0]).toBe("StasisStart");
    expect(everything.events.every((event) => event.application === "observer")).toBe(true);
    everything.close();
  });

  it("dropConnections closes the sockets and refuses new ones for a while", async () => {
    const closed = new Promise((resolve) => app.socket.once("close", resolve));
    sim.dropConnections(150);
    await closed;
    expect(await ListeningSocket.refusal(sim.url, appQuery())).toBe(503);
    const started = Date.now();
    await eventually(() => Date.now() - started > 160);
    app = await ListeningSocket.open(sim.url, appQuery());
    await channelInStasis();
  });
});

describe("the control API", () => {
  async function control(method: string, path: string, body?: unknown) {
    const response = await fetch(`${sim.url}/_sim${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  it("plays scenarios, sets behaviours, drops connections and lists channels", async () => {
    const names = await control("GET", "/scenarios");
    expect(names.json).toContain("inbound_answered");
    const played = await control("POST", "/scenarios/inbound_answered", { from: "+15551234567" });
    expect(played).toEqual({
      status: 201,
      json: { scenarioId: expect.any(String), channelIds: [expect.any(String)] },
    });
    expect((await control("GET", "/channels")).json).toHaveLength(1);
    expect((await control("POST", "/scenarios/nope", {})).status).toBe(404);
    expect(
      (await control("POST", "/scenarios/internal", { from: "1001", to: "1001" })).status,
    ).toBe(400);
    expect((await control("POST", "/scenarios/outbound_desk", { colour: "red" })).status).toBe(400);
    expect((await control("POST", "/phones/1001", { behaviour: "busy" })).status).toBe(204);
    expect((await control("POST", "/phones/999", { behaviour: "busy" })).status).toBe(404);
    expect((await control("POST", "/phones/1001", { behaviour: "asleep" })).status).toBe(400);
    expect(
      (await control("POST", "/numbers/+15550000000", { behaviour: "no_answer" })).status,
    ).toBe(204);
    expect((await control("POST", "/drop", {})).status).toBe(204);
    await eventually(() => app.socket.readyState === app.socket.CLOSED);
  });
});
