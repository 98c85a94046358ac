import { z } from "zod";
import type { CallerIdJson } from "../ari-json";
import type { Dialer } from "../dialer";
import type { Endpoint, Pbx, SimChannel } from "../pbx";
import type { People } from "../people";
import type { Recordings } from "../recordings";
import { intParam, parseParams, variablesParam } from "./params";
import { startRecording } from "./recordings";
import { RestError, type RestResponse, type Router } from "./router";

export interface ChannelRouteDeps {
  pbx: Pbx;
  dialer: Dialer;
  people: People;
  recordings: Recordings;
}

const originateParams = z.object({
  endpoint: z.string({ error: "endpoint is required" }).min(1, "endpoint is required"),
  extension: z.string().optional(),
  context: z.string().optional(),
  priority: intParam.optional(),
  label: z.string().optional(),
  app: z.string().min(1).optional(),
  appArgs: z.string().default(""),
  callerId: z.string().optional(),
  timeout: intParam.default(30),
  variables: variablesParam.default({}),
  channelId: z.string().min(1).optional(),
  otherChannelId: z.string().optional(),
  originator: z.string().optional(),
  formats: z.string().optional(),
});

/** ARI's hangup `reason` names and the Q.850 causes Asterisk maps them to. */
const HANGUP_REASONS = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
} as const;

const hangupParams = z.object({
  reason_code: z.string().regex(/^\d+$/, "reason_code must be a cause number").optional(),
  reason: z.string().optional(),
});

export function addChannelRoutes(router: Router, deps: ChannelRouteDeps): void {
  const { pbx } = deps;
  const channelResponse = (channel: SimChannel): RestResponse => ({
    status: 200,
    json: pbx.channelJson(channel),
  });
  router
    .add("GET", "/ari/channels", () => ({
      status: 200,
      json: pbx.allChannels().map((channel) => pbx.channelJson(channel)),
    }))
    .add("POST", "/ari/channels", ({ params }) => channelResponse(originate(deps, params)))
    .add("GET", "/ari/channels/:channelId", ({ pathParams }) =>
      channelResponse(requireChannel(pbx, pathParams.channelId)),
    )
    .add("DELETE", "/ari/channels/:channelId", ({ pathParams, params }) => {
      const channel = requireChannel(pbx, pathParams.channelId);
      pbx.hangup(channel, { cause: hangupCause(params), initiator: "app" });
      return { status: 204 };
    })
    .add("POST", "/ari/channels/:channelId/answer", ({ pathParams }) => {
      pbx.answer(requireChannelInStasis(pbx, pathParams.channelId));
      return { status: 204 };
    })
    .add("POST", "/ari/channels/:channelId/ring", ({ pathParams }) => {
      requireChannelInStasis(pbx, pathParams.channelId);
      return { status: 204 };
    })
    .add("POST", "/ari/channels/:channelId/hold", ({ pathParams }) => {
      pbx.signalHold(requireChannelInStasis(pbx, pathParams.channelId), true);
      return { status: 204 };
    })
    .add("DELETE", "/ari/channels/:channelId/hold", ({ pathParams }) => {
      pbx.signalHold(requireChannelInStasis(pbx, pathParams.channelId), false);
      return { status: 204 };
    })
    .add("POST", "/ari/channels/:channelId/record", ({ pathParams, params }) => {
      const channel = requireChannel(pbx, pathParams.channelId);
      if (!channel.stasisApp) throw new RestError(409, "Channel not in Stasis application");
      if (channel.bridgeId) throw new RestError(409, "Channel is currently bridged");
      return startRecording(deps.recordings, params, {
        uri: `channel:${channel.id}`,
        audience: channel.apps,
      });
    });
}

function requireChannel(pbx: Pbx, channelId: string | undefined): SimChannel {
  const channel = channelId ? pbx.channel(channelId) : undefined;
  if (!channel) throw new RestError(404, "Channel not found");
  return channel;
}

function requireChannelInStasis(pbx: Pbx, channelId: string | undefined): SimChannel {
  const channel = requireChannel(pbx, channelId);
  if (!channel.stasisApp) throw new RestError(409, "Channel not in Stasis application");
  return channel;
}

function originate(deps: ChannelRouteDeps, rawParams: unknown): SimChannel {
  const params = parseParams(originateParams, rawParams);
  if (!params.app) {
    throw new RestError(400, "The simulator only originates into a Stasis application (app)");
  }
  if (params.channelId && deps.pbx.channel(params.channelId)) {
    throw new RestError(409, "Channel with given unique ID already exists");
  }
  const target = parseDialTarget(params.endpoint, deps.people);
  if (!target) throw new RestError(400, `Endpoint ${params.endpoint} does not exist`);
  const channel = deps.pbx.createOutgoingChannel({
    id: params.channelId,
    endpoint: target.endpoint,
    dialstring: target.dialstring,
    caller: parseCallerId(params.callerId),
    app: params.app,
    appArgs: params.appArgs === "" ? [] : params.appArgs.split(","),
    variables: params.variables,
  });
  deps.dialer.dial(channel, params.timeout > 0 ? params.timeout * 1000 : null);
  return channel;
}

/** `PJSIP/<extension>` for the desk phones, `PJSIP/<number>@trunk` for external numbers. */
function parseDialTarget(
  endpoint: string,
  people: People,
): { endpoint: Endpoint; dialstring: string } | null {
  const match = /^PJSIP\/([^/@]+)(@trunk)?$/i.exec(endpoint);
  const resource = match?.[1];
  if (!resource) return null;
  if (match[2])
    return { endpoint: { kind: "number", number: resource }, dialstring: `${resource}@trunk` };
  if (!people.isPhone(resource)) return null;
  return { endpoint: { kind: "phone", extension: resource }, dialstring: resource };
}

/** `"Name" <number>`, `Name <number>` or just `number`, as Asterisk's callerid parser reads them. */
export function parseCallerId(callerId: string | undefined): CallerIdJson {
  if (!callerId) return { name: "", number: "" };
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(callerId);
  if (match) return { name: match[1] ?? "", number: match[2] ?? "" };
  return { name: "", number: callerId.trim() };
}

function hangupCause(rawParams: unknown): number {
  const params = parseParams(hangupParams, rawParams);
  if (params.reason_code !== undefined && params.reason !== undefined) {
    throw new RestError(400, "The reason and reason_code can't both be specified");
  }
  if (params.reason_code !== undefined) return Number(params.reason_code);
  if (params.reason === undefined) return HANGUP_REASONS.normal;
  if (!isHangupReason(params.reason))
    throw new RestError(400, "Invalid reason for hangup provided");
  return HANGUP_REASONS[params.reason];
}

function isHangupReason(reason: string): reason is keyof typeof HANGUP_REASONS {
  return Object.hasOwn(HANGUP_REASONS, reason);
}
