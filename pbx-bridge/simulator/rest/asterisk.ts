import { z } from "zod";
import { asteriskTimestamp } from "../ari-json";
import type { EventHub } from "../event-hub";
import type { Pbx } from "../pbx";
import { listParam, parseParams } from "./params";
import type { Router } from "./router";

export interface AsteriskRouteDeps {
  pbx: Pbx;
  hub: EventHub;
  asteriskId: string;
  startedAt: Date;
}

const INFO_SECTIONS = ["build", "system", "config", "status"] as const;
type InfoSection = (typeof INFO_SECTIONS)[number];

const infoParams = z.object({
  only: listParam.pipe(z.array(z.enum(INFO_SECTIONS))).optional(),
});

export function addAsteriskRoutes(router: Router, deps: AsteriskRouteDeps): void {
  router
    .add("GET", "/ari/asterisk/info", ({ params }) => {
      const { only } = parseParams(infoParams, params);
      const info = asteriskInfo(deps);
      const sections = only ?? INFO_SECTIONS;
      return {
        status: 200,
        json: Object.fromEntries(sections.map((section) => [section, info[section]])),
      };
    })
    .add("GET", "/ari/applications", () => ({
      status: 200,
      json: deps.hub.registeredApps().map((app) => applicationJson(deps.pbx, app)),
    }));
}

function asteriskInfo(deps: AsteriskRouteDeps): Record<InfoSection, unknown> {
  const startedAt = asteriskTimestamp(deps.startedAt);
  return {
    build: {
      os: "Linux",
      kernel: "6.1.0",
      options: "",
      machine: "x86_64",
      date: "2025-01-01 00:00:00 UTC",
      user: "switchboard-simulator",
    },
    system: { version: "22.0.0-switchboard-simulator", entity_id: deps.asteriskId },
    config: {
      name: "switchboard-simulator",
      default_language: "en",
      setid: { user: "asterisk", group: "asterisk" },
    },
    status: { startup_time: startedAt, last_reload_time: startedAt },
  };
}

function applicationJson(pbx: Pbx, app: string) {
  return {
    name: app,
    channel_ids: pbx
      .allChannels()
      .filter((channel) => channel.apps.has(app))
      .map((channel) => channel.id),
    bridge_ids: pbx
      .allBridges()
      .filter((bridge) => bridge.apps.has(app))
      .map((bridge) => bridge.id),
    endpoint_ids: [],
    device_names: [],
    events_allowed: [],
    events_disallowed: [],
  };
}
