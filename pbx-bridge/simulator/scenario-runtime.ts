import { HANGUP_CAUSE } from "./ari-json";
import type { Pbx, SimChannel } from "./pbx";
import type { People } from "./people";
import type { Scheduler } from "./scheduler";
import { waitForPbx } from "./wait";

export interface TrunkCallSpec {
  from: string;
  fromName: string;
  did: string;
  args: string[];
  variables: Record<string, string>;
}

export interface DeskCallSpec {
  extension: string;
  dialled: string;
  args: string[];
}

/** The toolbox scenario scripts use to play the callers and the agents at their phones. */
export class ScenarioRuntime {
  constructor(
    readonly scenarioId: string,
    readonly people: People,
    private readonly pbx: Pbx,
    private readonly scheduler: Scheduler,
    private readonly app: string,
  ) {}

  /** A customer calls a DID; the dialplan sends the call to Stasis(app, args). */
  callFromTrunk(spec: TrunkCallSpec): SimChannel {
    const channel = this.pbx.createIncomingChannel({
      endpoint: { kind: "trunk" },
      caller: { name: spec.fromName, number: spec.from },
      context: "from-trunk",
      exten: spec.did,
      variables: spec.variables,
      scenarioId: this.scenarioId,
    });
    this.pbx.enterStasis(channel, this.app, spec.args);
    return channel;
  }

  /** An agent dials from the desk phone; the dialplan sends the call to Stasis(app, args). */
  callFromDesk(spec: DeskCallSpec): SimChannel {
    const channel = this.pbx.createIncomingChannel({
      endpoint: { kind: "phone", extension: spec.extension },
      caller: { name: `Agent ${spec.extension}`, number: spec.extension },
      context: "from-internal",
      exten: spec.dialled,
      variables: {},
      scenarioId: this.scenarioId,
    });
    this.pbx.enterStasis(channel, this.app, spec.args);
    return channel;
  }

  sleep(simulatedMs: number): Promise<void> {
    return this.scheduler.sleep(simulatedMs);
  }

  /**
   * Waits until `channel` talks to a peer `accept` likes and returns that peer; null when the
   * channel is gone or `patienceMs` ran out first.
   */
  untilTalking(
    channel: SimChannel,
    patienceMs: number,
    accept: (peer: SimChannel) => boolean = () => true,
  ): Promise<SimChannel | null> {
    return this.waitFor(() => {
      if (channel.destroyed) return { value: null };
      const peer = this.pbx.talkingPeers(channel).find(accept);
      return peer ? { value: peer } : undefined;
    }, patienceMs);
  }

  /** Waits until the channel is destroyed; false when `patienceMs` ran out first. */
  async untilGone(channel: SimChannel, patienceMs: number): Promise<boolean> {
    const gone = await this.waitFor(
      () => (channel.destroyed ? { value: true } : undefined),
      patienceMs,
    );
    return gone === true;
  }

  /** The person on this channel hangs up (a no-op when the channel is already gone). */
  hangUp(channel: SimChannel): void {
    this.pbx.hangup(channel, { cause: HANGUP_CAUSE.normalClearing, initiator: "far_end" });
  }

  /** The phone on this channel presses hold / resume. */
  holdFromPhone(channel: SimChannel, held: boolean): void {
    if (!channel.destroyed) this.pbx.signalHold(channel, held);
  }

  /** The phone on this channel does a blind transfer (SIP REFER) to `destination`. */
  transferFromPhone(channel: SimChannel, destination: string): void {
    if (!channel.destroyed) this.pbx.requestBlindTransfer(channel, destination);
  }

  private waitFor<T>(check: () => { value: T } | undefined, timeoutMs: number): Promise<T | null> {
    return waitForPbx(this.pbx, this.scheduler, check, timeoutMs);
  }
}
