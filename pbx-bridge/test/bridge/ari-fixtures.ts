import type { AriEvent } from "../../src/ari-events";
import { ariEventSchema } from "../../src/ari-events";

/*
 * Builders for ARI events shaped like Asterisk's events.json models, parsed through the
 * bridge's own schemas so tests feed exactly what the runtime would.
 */

export interface ChannelSpec {
  id: string;
  name?: string;
  state?: string;
  callerNumber?: string;
  callerName?: string;
  exten?: string;
  vars?: Record<string, string>;
}

let clock = Date.parse("2026-01-01T10:00:00Z");

export function channel(spec: ChannelSpec) {
  return {
    id: spec.id,
    protocol_id: "",
    name: spec.name ?? `PJSIP/${spec.id}`,
    state: spec.state ?? "Up",
    caller: { name: spec.callerName ?? "", number: spec.callerNumber ?? "" },
    connected: { name: "", number: "" },
    accountcode: "",
    dialplan: {
      context: "from-trunk",
      exten: spec.exten ?? "s",
      priority: 1,
      app_name: "Stasis",
      app_data: "switchboard",
    },
    creationtime: new Date(clock).toISOString(),
    language: "en",
    ...(spec.vars ? { channelvars: spec.vars } : {}),
  };
}

function event(type: string, body: Record<string, unknown>): AriEvent {
  clock += 1;
  return ariEventSchema.parse({
    type,
    application: "switchboard",
    timestamp: new Date(clock).toISOString(),
    asterisk_id: "00:11:22:33:44:55",
    ...body,
  });
}

export const ari = {
  stasisStart: (spec: ChannelSpec, args: string[]) =>
    event("StasisStart", { args, channel: channel(spec) }),
  stasisEnd: (spec: ChannelSpec) => event("StasisEnd", { channel: channel(spec) }),
  ringing: (spec: ChannelSpec) =>
    event("ChannelStateChange", { channel: channel({ ...spec, state: "Ringing" }) }),
  dial: (spec: ChannelSpec, dialstatus: string) =>
    event("Dial", { peer: channel(spec), dialstatus }),
  hangupRequest: (spec: ChannelSpec, cause?: number) =>
    event("ChannelHangupRequest", { channel: channel(spec), ...(cause ? { cause } : {}) }),
  destroyed: (spec: ChannelSpec, cause: number, causeTxt: string) =>
    event("ChannelDestroyed", { channel: channel(spec), cause, cause_txt: causeTxt }),
  hold: (spec: ChannelSpec) => event("ChannelHold", { channel: channel(spec) }),
  unhold: (spec: ChannelSpec) => event("ChannelUnhold", { channel: channel(spec) }),
  transfer: (source: ChannelSpec, destination: string) =>
    event("ChannelTransfer", {
      refer_to: { requested_destination: { destination } },
      referred_by: { source_channel: channel(source) },
    }),
  recordingStarted: (name: string) =>
    event("RecordingStarted", {
      recording: { name, format: "wav", state: "recording", target_uri: "bridge:x" },
    }),
  recordingFinished: (name: string, duration?: number) =>
    event("RecordingFinished", {
      recording: {
        name,
        format: "wav",
        state: "done",
        target_uri: "bridge:x",
        ...(duration === undefined ? {} : { duration }),
      },
    }),
};
