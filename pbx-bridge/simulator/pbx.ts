import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import {
  type AriEventBody,
  asteriskTimestamp,
  type BridgeJson,
  type BridgeType,
  type CallerIdJson,
  type ChannelJson,
  type ChannelState,
  causeText,
  type DialplanJson,
  HANGUP_CAUSE,
} from "./ari-json";
import type { EventHub } from "./event-hub";
import type { Recordings } from "./recordings";

/** What a channel is connected to on the far side. */
export type Endpoint =
  | { kind: "phone"; extension: string }
  | { kind: "number"; number: string }
  | { kind: "trunk" };

export interface SimChannel {
  readonly id: string;
  readonly protocolId: string;
  readonly name: string;
  readonly endpoint: Endpoint;
  readonly createdAt: Date;
  readonly caller: CallerIdJson;
  readonly variables: Readonly<Record<string, string>>;
  /** The scenario that created the channel; null for channels the application originated. */
  readonly scenarioId: string | null;
  /** Applications that receive this channel's events. */
  readonly apps: Set<string>;
  state: ChannelState;
  dialplan: DialplanJson;
  stasisApp: string | null;
  bridgeId: string | null;
  /** Set while an originated channel is being dialled, until it answers or fails. */
  dialing: DialAttempt | null;
  destroyed: boolean;
}

export interface DialAttempt {
  readonly dialstring: string;
  readonly app: string;
  readonly appArgs: readonly string[];
}

export interface SimBridge {
  readonly id: string;
  readonly type: BridgeType;
  readonly name: string;
  readonly createdAt: Date;
  readonly channelIds: string[];
  readonly apps: Set<string>;
}

/** Who ended a channel: the app (DELETE, a soft hangup), the far end (BYE/4xx), or the PBX itself. */
export type HangupInitiator = "app" | "far_end" | "pbx";

export interface HangupRequest {
  cause: number;
  initiator: HangupInitiator;
  /** The Dial status reported when the channel was still being dialled. */
  dialstatus?: string;
}

export interface IncomingChannelSpec {
  endpoint: Endpoint;
  caller: CallerIdJson;
  context: string;
  exten: string;
  variables: Record<string, string>;
  scenarioId: string;
}

export interface OutgoingChannelSpec {
  id: string | undefined;
  endpoint: Endpoint;
  dialstring: string;
  caller: CallerIdJson;
  app: string;
  appArgs: string[];
  variables: Record<string, string>;
}

type HangupListener = (channel: SimChannel, formerBridgeId: string | null) => void;

/**
 * The simulated Asterisk core: channels, bridges and the ARI events their changes produce,
 * in the order Asterisk sends them. It enforces nothing: the REST layer checks preconditions.
 */
export class Pbx {
  private readonly channels = new Map<string, SimChannel>();
  private readonly bridges = new Map<string, SimBridge>();
  private readonly notifications = new EventEmitter();
  private channelCounter = 0;

  constructor(
    private readonly hub: EventHub,
    private readonly recordings: Recordings,
  ) {
    this.notifications.setMaxListeners(0);
  }

  channel(id: string): SimChannel | undefined {
    return this.channels.get(id);
  }

  bridge(id: string): SimBridge | undefined {
    return this.bridges.get(id);
  }

  allChannels(): SimChannel[] {
    return [...this.channels.values()];
  }

  allBridges(): SimBridge[] {
    return [...this.bridges.values()];
  }

  bridgeMembers(bridge: SimBridge): SimChannel[] {
    return bridge.channelIds.flatMap((id) => this.channels.get(id) ?? []);
  }

  /** The answered channels this one talks to (all Up, same bridge). */
  talkingPeers(channel: SimChannel): SimChannel[] {
    if (channel.destroyed || channel.state !== "Up" || !channel.bridgeId) return [];
    const bridge = this.bridges.get(channel.bridgeId);
    if (!bridge) return [];
    return this.bridgeMembers(bridge).filter((c) => c !== channel && c.state === "Up");
  }

  /** Called after every change of state (channels, bridges, holds). */
  onChange(listener: () => void): () => void {
    this.notifications.on("change", listener);
    return () => this.notifications.off("change", listener);
  }

  onHangup(listener: HangupListener): () => void {
    this.notifications.on("hangup", listener);
    return () => this.notifications.off("hangup", listener);
  }

  channelJson(channel: SimChannel): ChannelJson {
    const json: ChannelJson = {
      id: channel.id,
      protocol_id: channel.protocolId,
      name: channel.name,
      state: channel.state,
      caller: { ...channel.caller },
      connected: { name: "", number: "" },
      accountcode: "",
      dialplan: { ...channel.dialplan },
      creationtime: asteriskTimestamp(channel.createdAt),
      language: "en",
    };
    if (Object.keys(channel.variables).length > 0) json.channelvars = { ...channel.variables };
    return json;
  }

  bridgeJson(bridge: SimBridge): BridgeJson {
    return {
      id: bridge.id,
      technology: bridgeTechnology(bridge),
      bridge_type: bridge.type,
      bridge_class: "stasis",
      creator: "Stasis",
      name: bridge.name,
      channels: [...bridge.channelIds],
      creationtime: asteriskTimestamp(bridge.createdAt),
    };
  }

  /** A call arriving from the network (trunk or desk phone), still in the dialplan. */
  createIncomingChannel(spec: IncomingChannelSpec): SimChannel {
    const channel = this.newChannel({
      endpoint: spec.endpoint,
      caller: spec.caller,
      variables: spec.variables,
      scenarioId: spec.scenarioId,
      state: "Ring",
      dialplan: {
        context: spec.context,
        exten: spec.exten,
        priority: 1,
        app_name: "",
        app_data: "",
      },
    });
    this.publishChannel({ type: "ChannelCreated" }, channel);
    this.changed();
    return channel;
  }

  /** A channel originated by an application (POST /channels): created and dialled. */
  createOutgoingChannel(spec: OutgoingChannelSpec): SimChannel {
    const channel = this.newChannel({
      id: spec.id,
      endpoint: spec.endpoint,
      caller: spec.caller,
      variables: spec.variables,
      scenarioId: null,
      state: "Down",
      dialplan: {
        context: "default",
        exten: "s",
        priority: 1,
        app_name: "AppDial2",
        app_data: "(Outgoing Line)",
      },
    });
    channel.apps.add(spec.app);
    channel.dialing = { dialstring: spec.dialstring, app: spec.app, appArgs: spec.appArgs };
    this.publishChannel({ type: "ChannelCreated" }, channel);
    this.publishDial(channel, "");
    this.changed();
    return channel;
  }

  /** The dialled far end is alerting. */
  dialRinging(channel: SimChannel): void {
    this.setState(channel, "Ringing");
    this.publishDial(channel, "RINGING");
    this.changed();
  }

  /** The dialled far end answered: the channel goes Up and enters its application. */
  dialAnswered(channel: SimChannel): void {
    const attempt = channel.dialing;
    if (!attempt) return;
    this.setState(channel, "Up");
    this.publishDial(channel, "ANSWER");
    channel.dialing = null;
    this.enterStasis(channel, attempt.app, attempt.appArgs);
  }

  /** Stasis(app,args): fails (and the channel is hung up) when the app has no WebSocket. */
  enterStasis(channel: SimChannel, app: string, args: readonly string[]): void {
    if (!this.hub.hasApp(app)) {
      this.hangup(channel, { cause: HANGUP_CAUSE.normalClearing, initiator: "pbx" });
      return;
    }
    channel.stasisApp = app;
    channel.apps.add(app);
    channel.dialplan = {
      ...channel.dialplan,
      app_name: "Stasis",
      app_data: [app, ...args].join(","),
    };
    this.publishChannel({ type: "StasisStart", args: [...args] }, channel);
    this.changed();
  }

  answer(channel: SimChannel): void {
    if (channel.state === "Up") return;
    this.setState(channel, "Up");
    this.changed();
  }

  /** The channel put its far end on hold or took it off (an app request or the phone). */
  signalHold(channel: SimChannel, held: boolean): void {
    this.publishChannel({ type: held ? "ChannelHold" : "ChannelUnhold" }, channel);
    this.changed();
  }

  /** A phone asks for a blind transfer (SIP REFER) of the call it is in. */
  requestBlindTransfer(channel: SimChannel, destination: string): void {
    const bridge = channel.bridgeId ? this.bridges.get(channel.bridgeId) : undefined;
    const [peer] = this.talkingPeers(channel);
    const referredBy: Record<string, unknown> = { source_channel: this.channelJson(channel) };
    if (peer) referredBy.connected_channel = this.channelJson(peer);
    if (bridge) referredBy.bridge = this.bridgeJson(bridge);
    this.publish(
      {
        type: "ChannelTransfer",
        refer_to: { requested_destination: { destination } },
        referred_by: referredBy,
      },
      channel.apps,
    );
  }

  hangup(channel: SimChannel, request: HangupRequest): void {
    if (channel.destroyed) return;
    this.publishHangupRequest(channel, request);
    if (channel.dialing) {
      this.publishDial(channel, request.dialstatus ?? "CANCEL");
      channel.dialing = null;
    }
    const formerBridgeId = channel.bridgeId;
    const bridge = formerBridgeId ? this.bridges.get(formerBridgeId) : undefined;
    if (bridge) this.leaveBridge(bridge, channel);
    this.recordings.finishTarget(`channel:${channel.id}`);
    if (channel.stasisApp) {
      this.publishChannel({ type: "StasisEnd" }, channel);
      channel.stasisApp = null;
    }
    channel.destroyed = true;
    this.channels.delete(channel.id);
    this.publishChannel(
      { type: "ChannelDestroyed", cause: request.cause, cause_txt: causeText(request.cause) },
      channel,
    );
    this.notifications.emit("hangup", channel, formerBridgeId);
    this.changed();
  }

  createBridge(spec: { id: string; type: BridgeType; name: string; apps: string[] }): SimBridge {
    const bridge: SimBridge = {
      id: spec.id,
      type: spec.type,
      name: spec.name,
      createdAt: new Date(),
      channelIds: [],
      apps: new Set(spec.apps),
    };
    this.bridges.set(bridge.id, bridge);
    this.publish({ type: "BridgeCreated", bridge: this.bridgeJson(bridge) }, bridge.apps);
    this.changed();
    return bridge;
  }

  addToBridge(bridge: SimBridge, channel: SimChannel): void {
    if (channel.bridgeId === bridge.id) return;
    const current = channel.bridgeId ? this.bridges.get(channel.bridgeId) : undefined;
    if (current) this.leaveBridge(current, channel);
    bridge.channelIds.push(channel.id);
    channel.bridgeId = bridge.id;
    if (channel.stasisApp) bridge.apps.add(channel.stasisApp);
    this.publishBridgeMembership("ChannelEnteredBridge", bridge, channel);
    this.changed();
  }

  removeFromBridge(bridge: SimBridge, channel: SimChannel): void {
    this.leaveBridge(bridge, channel);
    this.changed();
  }

  destroyBridge(bridge: SimBridge): void {
    this.recordings.finishTarget(`bridge:${bridge.id}`);
    for (const member of this.bridgeMembers(bridge)) this.leaveBridge(bridge, member);
    this.bridges.delete(bridge.id);
    this.publish({ type: "BridgeDestroyed", bridge: this.bridgeJson(bridge) }, bridge.apps);
    this.changed();
  }

  private newChannel(spec: {
    id?: string | undefined;
    endpoint: Endpoint;
    caller: CallerIdJson;
    variables: Record<string, string>;
    scenarioId: string | null;
    state: ChannelState;
    dialplan: DialplanJson;
  }): SimChannel {
    this.channelCounter += 1;
    const channel: SimChannel = {
      id: spec.id ?? `${Math.floor(Date.now() / 1000)}.${this.channelCounter}`,
      protocolId: randomUUID(),
      name: `PJSIP/${endpointResource(spec.endpoint)}-${this.channelCounter.toString(16).padStart(8, "0")}`,
      endpoint: spec.endpoint,
      createdAt: new Date(),
      caller: spec.caller,
      variables: spec.variables,
      scenarioId: spec.scenarioId,
      apps: new Set(),
      state: spec.state,
      dialplan: spec.dialplan,
      stasisApp: null,
      bridgeId: null,
      dialing: null,
      destroyed: false,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  private setState(channel: SimChannel, state: ChannelState): void {
    if (channel.state === state) return;
    channel.state = state;
    this.publishChannel({ type: "ChannelStateChange" }, channel);
  }

  private leaveBridge(bridge: SimBridge, channel: SimChannel): void {
    const index = bridge.channelIds.indexOf(channel.id);
    if (index < 0) return;
    bridge.channelIds.splice(index, 1);
    channel.bridgeId = null;
    this.publishBridgeMembership("ChannelLeftBridge", bridge, channel);
  }

  private publishHangupRequest(channel: SimChannel, request: HangupRequest): void {
    if (request.initiator === "pbx") return;
    const soft = request.initiator === "app" ? { soft: true } : {};
    this.publishChannel({ type: "ChannelHangupRequest", cause: request.cause, ...soft }, channel);
  }

  private publishDial(channel: SimChannel, dialstatus: string): void {
    const dialstring = channel.dialing?.dialstring ?? "";
    this.publish(
      { type: "Dial", peer: this.channelJson(channel), dialstring, dialstatus },
      channel.apps,
    );
  }

  private publishBridgeMembership(
    type: "ChannelEnteredBridge" | "ChannelLeftBridge",
    bridge: SimBridge,
    channel: SimChannel,
  ): void {
    const audience = new Set([...bridge.apps, ...channel.apps]);
    this.publish(
      { type, bridge: this.bridgeJson(bridge), channel: this.channelJson(channel) },
      audience,
    );
  }

  private publishChannel(body: AriEventBody, channel: SimChannel): void {
    this.publish({ ...body, channel: this.channelJson(channel) }, channel.apps);
  }

  private publish(body: AriEventBody, audience: ReadonlySet<string>): void {
    this.hub.publish(body, audience);
  }

  private changed(): void {
    this.notifications.emit("change");
  }
}

export function endpointResource(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case "phone":
      return endpoint.extension;
    case "number":
    case "trunk":
      return "trunk";
  }
}

function bridgeTechnology(bridge: SimBridge): string {
  if (bridge.type === "holding") return "holding_bridge";
  return bridge.channelIds.length > 2 ? "softmix" : "simple_bridge";
}
