import { randomUUID } from "node:crypto";
import WebSocket from "ws";

/*
 * A deliberately small Stasis application for the simulator tests (the real one is the
 * bridge). It routes inbound calls round robin over `extensions`, dials desk phones' numbers,
 * bridges answered legs, follows phone transfers, records calls flagged SWITCHBOARD_RECORD and
 * hangs up what is left of a call when one side leaves.
 */

interface RawChannel {
  id: string;
  name: string;
  state: string;
  caller: { number: string };
  dialplan: { exten: string };
  channelvars?: Record<string, string>;
}

interface RawEvent {
  type: string;
  args?: string[];
  channel?: RawChannel;
  peer?: RawChannel;
  refer_to?: { requested_destination: { destination?: string } };
  referred_by?: { source_channel: RawChannel };
}

interface Call {
  readonly id: string;
  /** The channel that entered Stasis first and waits for the other side. */
  readonly waitingChannelId: string;
  readonly legIds: Set<string>;
  readonly record: boolean;
  /** Click-to-call: the number to dial once the agent's leg answered. */
  pendingCustomer: string | null;
  bridgeId: string | null;
  /** For inbound calls: the next position in the extensions round robin. */
  nextExtension: number;
  ringingLegId: string | null;
  transferFromId: string | null;
  ended: boolean;
}

export interface TestAppOptions {
  url: string;
  username: string;
  password: string;
  app?: string;
  /** Agents an inbound call rings, in turn. */
  extensions?: string[];
  /** Seconds each agent rings (ARI originate timeout). */
  ringTimeoutSeconds?: number;
}

export class StasisTestApp {
  private socket: WebSocket | null = null;
  private readonly calls = new Map<string, Call>();
  private readonly callOfChannel = new Map<string, Call>();
  private readonly app: string;
  private readonly extensions: string[];
  private readonly ringTimeoutSeconds: number;
  readonly errors: string[] = [];

  constructor(private readonly options: TestAppOptions) {
    this.app = options.app ?? "switchboard";
    this.extensions = options.extensions ?? ["1001", "1002"];
    this.ringTimeoutSeconds = options.ringTimeoutSeconds ?? 15;
  }

  async connect(): Promise<void> {
    const { url, username, password } = this.options;
    const wsUrl = `${url.replace(/^http/, "ws")}/ari/events?app=${this.app}&api_key=${username}:${password}`;
    const socket = new WebSocket(wsUrl);
    this.socket = socket;
    socket.on("message", (data) => {
      this.onEvent(JSON.parse(String(data)) as RawEvent).catch((error: unknown) =>
        this.errors.push(String(error)),
      );
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
  }

  close(): void {
    this.socket?.close();
  }

  /** Calls the ARI REST API; returns the status and the parsed JSON body (if any). */
  async ari(method: string, path: string, query: Record<string, string> = {}) {
    const url = new URL(`${this.options.url}/ari${path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const auth = Buffer.from(`${this.options.username}:${this.options.password}`).toString(
      "base64",
    );
    const response = await fetch(url, { method, headers: { authorization: `Basic ${auth}` } });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  private async onEvent(event: RawEvent): Promise<void> {
    switch (event.type) {
      case "StasisStart":
        return this.onStasisStart(event.channel as RawChannel, event.args ?? []);
      case "ChannelDestroyed":
        return this.onChannelDestroyed((event.channel as RawChannel).id);
      case "ChannelTransfer":
        return this.onTransfer(event);
    }
  }

  /** Click-to-call: ring the agent's phone first, dial the customer once the agent answers. */
  async clickToCall(extension: string, to: string): Promise<void> {
    const call = this.newCall(randomUUID(), false);
    call.pendingCustomer = to;
    await this.dialLeg(call, `PJSIP/${extension}`, to, 30, call.waitingChannelId);
  }

  private async onStasisStart(channel: RawChannel, args: string[]): Promise<void> {
    const [kind, callId] = args;
    const existingCall = callId ? this.calls.get(callId) : undefined;
    if (existingCall?.pendingCustomer) return this.dialPendingCustomer(existingCall);
    if (kind === "leg" && callId) return this.onLegAnswered(channel, callId);
    const call = this.newCall(channel.id, channel.channelvars?.SWITCHBOARD_RECORD === "yes");
    if (kind === "inbound") return this.ringNextAgent(call);
    const exten = channel.dialplan.exten;
    const endpoint = kind === "internal" ? `PJSIP/${exten}` : `PJSIP/${exten}@trunk`;
    await this.dialLeg(call, endpoint, channel.caller.number, 30);
  }

  private async dialPendingCustomer(call: Call): Promise<void> {
    const to = call.pendingCustomer ?? "";
    call.pendingCustomer = null;
    await this.dialLeg(call, `PJSIP/${to}@trunk`, "", 30);
  }

  private newCall(waitingChannelId: string, record: boolean): Call {
    const call: Call = {
      id: randomUUID(),
      waitingChannelId,
      legIds: new Set([waitingChannelId]),
      record,
      pendingCustomer: null,
      bridgeId: null,
      nextExtension: 0,
      ringingLegId: null,
      transferFromId: null,
      ended: false,
    };
    this.calls.set(call.id, call);
    this.callOfChannel.set(waitingChannelId, call);
    return call;
  }

  private async ringNextAgent(call: Call): Promise<void> {
    const extension = this.extensions[call.nextExtension % this.extensions.length] ?? "1001";
    call.nextExtension += 1;
    call.ringingLegId = await this.dialLeg(call, `PJSIP/${extension}`, "", this.ringTimeoutSeconds);
  }

  private async dialLeg(
    call: Call,
    endpoint: string,
    callerId: string,
    timeout: number,
    channelId: string = randomUUID(),
  ) {
    call.legIds.add(channelId);
    this.callOfChannel.set(channelId, call);
    const { status } = await this.ari("POST", "/channels", {
      endpoint,
      app: this.app,
      appArgs: `leg,${call.id}`,
      callerId,
      timeout: String(timeout),
      channelId,
    });
    if (status !== 200) this.errors.push(`originate ${endpoint} answered ${status}`);
    return channelId;
  }

  private async onLegAnswered(channel: RawChannel, callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call || call.ended) {
      await this.ari("DELETE", `/channels/${channel.id}`);
      return;
    }
    call.ringingLegId = null;
    if (call.bridgeId) {
      await this.ari("POST", `/bridges/${call.bridgeId}/addChannel`, { channel: channel.id });
      if (call.transferFromId) await this.ari("DELETE", `/channels/${call.transferFromId}`);
      return;
    }
    await this.ari("POST", `/channels/${call.waitingChannelId}/answer`);
    const bridge = await this.ari("POST", "/bridges", { type: "mixing" });
    call.bridgeId = (bridge.json as { id: string }).id;
    await this.ari("POST", `/bridges/${call.bridgeId}/addChannel`, {
      channel: `${call.waitingChannelId},${channel.id}`,
    });
    if (call.record) {
      await this.ari("POST", `/bridges/${call.bridgeId}/record`, {
        name: `${call.id}-1`,
        format: "wav",
      });
    }
  }

  private async onTransfer(event: RawEvent): Promise<void> {
    const from = event.referred_by?.source_channel;
    const destination = event.refer_to?.requested_destination.destination;
    const call = from ? this.callOfChannel.get(from.id) : undefined;
    if (!from || !destination || !call) return;
    call.transferFromId = from.id;
    await this.dialLeg(call, `PJSIP/${destination}`, "", 30);
  }

  private async onChannelDestroyed(channelId: string): Promise<void> {
    const call = this.callOfChannel.get(channelId);
    if (!call) return;
    call.legIds.delete(channelId);
    if (call.ended) return this.cleanUpIfEmpty(call);
    const isUnansweredAgent = call.ringingLegId === channelId && !call.bridgeId;
    if (isUnansweredAgent && call.legIds.has(call.waitingChannelId))
      return this.ringNextAgent(call);
    if (channelId === call.transferFromId) return;
    call.ended = true;
    for (const legId of call.legIds) await this.ari("DELETE", `/channels/${legId}`);
    return this.cleanUpIfEmpty(call);
  }

  private async cleanUpIfEmpty(call: Call): Promise<void> {
    if (call.legIds.size > 0 || !call.bridgeId) return;
    const bridgeId = call.bridgeId;
    call.bridgeId = null;
    await this.ari("DELETE", `/bridges/${bridgeId}`);
  }
}
