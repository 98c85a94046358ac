import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { AriEvent, ChannelJson } from "./ari-json";
import { Dialer } from "./dialer";
import { EventHub } from "./event-hub";
import { Pbx } from "./pbx";
import { type PartyBehaviour, People } from "./people";
import { Recordings } from "./recordings";
import { startReflexes } from "./reflexes";
import { addAsteriskRoutes } from "./rest/asterisk";
import { addBridgeRoutes } from "./rest/bridges";
import { addChannelRoutes } from "./rest/channels";
import { addControlRoutes, type SimulatorControls } from "./rest/control";
import { addRecordingRoutes } from "./rest/recordings";
import { Router } from "./rest/router";
import { ScenarioRunner, type StartedScenario } from "./scenario-runner";
import type { ScenarioName } from "./scenarios";
import { Scheduler } from "./scheduler";
import { createSimulatorServer } from "./server";

export type { AriEvent, ChannelJson } from "./ari-json";
export { PARTY_BEHAVIOURS, type PartyBehaviour, PHONE_EXTENSIONS } from "./people";
export type { StartedScenario } from "./scenario-runner";
export { SCENARIO_NAMES, type ScenarioName } from "./scenarios";

export interface AriSimulatorOptions {
  /** 0 (the default) = a random free port. */
  port?: number;
  username: string;
  password: string;
  /** The Stasis application the dialplan sends calls to (default "switchboard"). */
  app?: string;
  /** Multiplies every simulated delay, incl. originate timeouts (default 1; tests ~0.02). */
  timeScale?: number;
  log?: (line: string) => void;
  /** Called with every event as it is sent on an events WebSocket. */
  onEvent?: (event: AriEvent) => void;
}

export interface AriSimulator {
  /** `http://127.0.0.1:PORT`; ARI lives under `/ari`, the control API under `/_sim`. */
  url: string;
  port: number;
  /** Resolves once the scenario's first call(s) exist (and were offered to Stasis). */
  playScenario(name: ScenarioName, params?: Record<string, unknown>): Promise<StartedScenario>;
  /** Resolves when the scenario's script ended and all of its call's channels are destroyed. */
  scenarioDone(scenarioId: string): Promise<void>;
  setPhone(extension: string, behaviour: PartyBehaviour): void;
  setNumber(number: string, behaviour: PartyBehaviour): void;
  /** Drops every events WebSocket; refuses new ones for `refuseMs` real milliseconds. */
  dropConnections(refuseMs?: number): void;
  /** The live channels, as GET /ari/channels shows them. */
  channels(): ChannelJson[];
  /** Every event sent on an events WebSocket, in order (the latest 20 000). */
  emitted(): AriEvent[];
  close(): Promise<void>;
}

export async function startAriSimulator(options: AriSimulatorOptions): Promise<AriSimulator> {
  const log = options.log ?? (() => {});
  const app = options.app ?? "switchboard";
  const asteriskId = randomMacAddress();
  const scheduler = new Scheduler(options.timeScale ?? 1);
  const hub = new EventHub(asteriskId, options.onEvent);
  const recordings = new Recordings(hub, scheduler);
  const pbx = new Pbx(hub, recordings);
  const people = new People();
  const dialer = new Dialer(pbx, people, scheduler);
  const runner = new ScenarioRunner({ pbx, people, scheduler, app, log });
  const stopReflexes = startReflexes(pbx, scheduler);
  let refuseEventSocketsUntil = 0;

  const controls: SimulatorControls = {
    playScenario: (name, params) => runner.play(name, params),
    setPhone: (extension, behaviour) => people.setPhone(extension, behaviour),
    setNumber: (number, behaviour) => people.setNumber(number, behaviour),
    dropConnections: (refuseMs = 0) => {
      refuseEventSocketsUntil = Date.now() + refuseMs;
      hub.dropAll();
      log(`dropped every events WebSocket; refusing new ones for ${refuseMs} ms`);
    },
    channels: () => pbx.allChannels().map((channel) => pbx.channelJson(channel)),
  };

  const ariRouter = new Router();
  addAsteriskRoutes(ariRouter, { pbx, hub, asteriskId, startedAt: new Date() });
  addChannelRoutes(ariRouter, { pbx, dialer, people, recordings });
  addBridgeRoutes(ariRouter, { pbx, hub, recordings });
  addRecordingRoutes(ariRouter, recordings);
  const controlRouter = new Router();
  addControlRoutes(controlRouter, controls);

  const { server, wss } = createSimulatorServer({
    ariRouter,
    controlRouter,
    hub,
    credentials: { username: options.username, password: options.password },
    refusingEventSockets: () => Date.now() < refuseEventSocketsUntil,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  log(`ARI simulator listening on http://127.0.0.1:${port} (app ${app})`);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    playScenario: async (name, params) => controls.playScenario(name, params),
    scenarioDone: (scenarioId) => runner.done(scenarioId),
    setPhone: controls.setPhone,
    setNumber: controls.setNumber,
    dropConnections: controls.dropConnections,
    channels: controls.channels,
    emitted: () => hub.emitted(),
    close: async () => {
      stopReflexes();
      scheduler.close();
      hub.dropAll();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Asterisk identifies itself by a MAC-address-like entity id. */
function randomMacAddress(): string {
  return [...randomBytes(6)].map((byte) => byte.toString(16).padStart(2, "0")).join(":");
}
