import { HANGUP_CAUSE } from "./ari-json";
import type { Pbx, SimBridge, SimChannel } from "./pbx";
import { TIMING } from "./people";
import type { Scheduler } from "./scheduler";

/**
 * What every simulated person does whatever the scenario: hang up when the partner hung up
 * and nobody else is on the line, and (for calls no scenario scripts, like click-to-call) the
 * customer ends the conversation after a while.
 */
export function startReflexes(pbx: Pbx, scheduler: Scheduler): () => void {
  const customersWithTimer = new Set<string>();

  const hangUpIfStillAlone = (channel: SimChannel, bridge: SimBridge) => {
    if (!channel.destroyed && channel.bridgeId === bridge.id && bridge.channelIds.length === 1) {
      pbx.hangup(channel, { cause: HANGUP_CAUSE.normalClearing, initiator: "far_end" });
    }
  };

  const onHangup = (_gone: SimChannel, formerBridgeId: string | null) => {
    const bridge = formerBridgeId ? pbx.bridge(formerBridgeId) : undefined;
    const [remaining, ...others] = bridge ? pbx.bridgeMembers(bridge) : [];
    if (!bridge || !remaining || others.length > 0) return;
    scheduler.after(TIMING.lonelyHangupAfterMs, () => hangUpIfStillAlone(remaining, bridge));
  };

  const onChange = () => {
    for (const customer of pbx.allChannels()) {
      if (customersWithTimer.has(customer.id) || !isTalkingInUnscriptedCall(pbx, customer)) {
        continue;
      }
      customersWithTimer.add(customer.id);
      scheduler.after(TIMING.unscriptedTalkMs, () => {
        customersWithTimer.delete(customer.id);
        pbx.hangup(customer, { cause: HANGUP_CAUSE.normalClearing, initiator: "far_end" });
      });
    }
  };

  const stopHangups = pbx.onHangup(onHangup);
  const stopChanges = pbx.onChange(onChange);
  return () => {
    stopHangups();
    stopChanges();
  };
}

/** An external party the app dialled, talking in a bridge where no scenario channel is. */
function isTalkingInUnscriptedCall(pbx: Pbx, channel: SimChannel): boolean {
  if (channel.endpoint.kind !== "number" || channel.scenarioId !== null) return false;
  const peers = pbx.talkingPeers(channel);
  return peers.length > 0 && peers.every((peer) => peer.scenarioId === null);
}
