import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { BridgeType } from "../ari-json";
import type { EventHub } from "../event-hub";
import type { Pbx, SimBridge, SimChannel } from "../pbx";
import type { Recordings } from "../recordings";
import { listParam, parseParams } from "./params";
import { startRecording } from "./recordings";
import { RestError, type Router } from "./router";

export interface BridgeRouteDeps {
  pbx: Pbx;
  hub: EventHub;
  recordings: Recordings;
}

const BRIDGE_FLAGS = [
  "mixing",
  "holding",
  "dtmf_events",
  "proxy_media",
  "video_sfu",
  "video_single",
  "sdp_label",
] as const;

const createParams = z.object({
  type: listParam.pipe(z.array(z.enum(BRIDGE_FLAGS))).default(["mixing"]),
  bridgeId: z.string().min(1).optional(),
  name: z.string().default(""),
});

const membershipParams = z.object({
  channel: listParam.pipe(z.array(z.string()).min(1, "channel is required")),
});

export function addBridgeRoutes(router: Router, deps: BridgeRouteDeps): void {
  const { pbx } = deps;
  router
    .add("GET", "/ari/bridges", () => ({
      status: 200,
      json: pbx.allBridges().map((bridge) => pbx.bridgeJson(bridge)),
    }))
    .add("POST", "/ari/bridges", ({ params }) => ({
      status: 200,
      json: pbx.bridgeJson(createBridge(deps, params)),
    }))
    .add("GET", "/ari/bridges/:bridgeId", ({ pathParams }) => ({
      status: 200,
      json: pbx.bridgeJson(requireBridge(pbx, pathParams.bridgeId)),
    }))
    .add("DELETE", "/ari/bridges/:bridgeId", ({ pathParams }) => {
      pbx.destroyBridge(requireBridge(pbx, pathParams.bridgeId));
      return { status: 204 };
    })
    .add("POST", "/ari/bridges/:bridgeId/addChannel", ({ pathParams, params }) => {
      const bridge = requireBridge(pbx, pathParams.bridgeId);
      const channels = membersToChange(pbx, params);
      for (const channel of channels) {
        if (!channel.stasisApp) throw new RestError(422, "Channel not in Stasis application");
      }
      for (const channel of channels) pbx.addToBridge(bridge, channel);
      return { status: 204 };
    })
    .add("POST", "/ari/bridges/:bridgeId/removeChannel", ({ pathParams, params }) => {
      const bridge = requireBridge(pbx, pathParams.bridgeId);
      const channels = membersToChange(pbx, params);
      for (const channel of channels) {
        if (channel.bridgeId !== bridge.id) throw new RestError(422, "Channel not in this bridge");
      }
      for (const channel of channels) pbx.removeFromBridge(bridge, channel);
      return { status: 204 };
    })
    .add("POST", "/ari/bridges/:bridgeId/record", ({ pathParams, params }) => {
      const bridge = requireBridge(pbx, pathParams.bridgeId);
      return startRecording(deps.recordings, params, {
        uri: `bridge:${bridge.id}`,
        audience: bridge.apps,
      });
    });
}

/**
 * ARI requests carry no application, so a bridge created over REST is announced to every
 * registered application (in practice: the one Stasis app using this simulator).
 */
function createBridge(deps: BridgeRouteDeps, rawParams: unknown): SimBridge {
  const params = parseParams(createParams, rawParams);
  const id = params.bridgeId ?? randomUUID();
  if (deps.pbx.bridge(id)) throw new RestError(409, "Bridge with the same bridgeId already exists");
  const type: BridgeType = params.type.includes("holding") ? "holding" : "mixing";
  return deps.pbx.createBridge({ id, type, name: params.name, apps: deps.hub.registeredApps() });
}

function requireBridge(pbx: Pbx, bridgeId: string | undefined): SimBridge {
  const bridge = bridgeId ? pbx.bridge(bridgeId) : undefined;
  if (!bridge) throw new RestError(404, "Bridge not found");
  return bridge;
}

/** The `channel` parameter's channels; 400 when one does not exist (as ARI answers). */
function membersToChange(pbx: Pbx, rawParams: unknown): SimChannel[] {
  const params = parseParams(membershipParams, rawParams);
  return params.channel.map((id) => {
    const channel = pbx.channel(id);
    if (!channel) throw new RestError(400, "Channel not found");
    return channel;
  });
}
