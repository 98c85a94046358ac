import type { HangupReason } from "./ari-client";
import type { AriChannel, AriEvent } from "./ari-events";
import type {
  CallDirection,
  CallOutcome,
  COMMAND_ERROR_CODES,
  Command,
  HANGUP_PARTIES,
} from "./edge-protocol";
import type { AriOp, Effect, TimerName } from "./effects";
import type { CallEventDraft } from "./outbox";
import type { Router } from "./router";

/*
 * The call state machine. Pure: it consumes ARI events, edge commands, timer expiries and the
 * outcome of the ARI operations it asked for, and returns effects (call events to emit, ARI
 * operations, timers). Time is passed in; ids come from `newId`.
 *
 * Legs: `initial` is the channel that entered Stasis from the dialplan (inbound caller, desk
 * phone dialling out, internal caller). `dial` is the leg being rung now (an agent for
 * inbound, the customer/callee otherwise, or the agent's phone first for click-to-call).
 * Once answered the call has an `agent` leg and a `customer` leg in one mixing bridge.
 */

type Party = (typeof HANGUP_PARTIES)[number];
type CommandErrorCode = (typeof COMMAND_ERROR_CODES)[number];

type LegPurpose = "initial" | "agentDial" | "clickAgent" | "customerDial" | "transfer";

interface Leg {
  channelId: string;
  callId: string;
  purpose: LegPurpose;
  party: Party;
  extension: string | null;
  ringing: boolean;
  /** The bridge hung this leg up on purpose: its end is not the call's hangup. */
  hungUpBySystem: boolean;
}

interface Transfer {
  legId: string;
  replacesLegId: string;
  extension: string | null;
}

interface FirstHangup {
  party: Party;
  channelId: string | null;
  cause: number | null;
  causeText: string | null;
}

interface Call {
  id: string;
  direction: CallDirection;
  from: string;
  fromName: string | null;
  to: string;
  queue: string | null;
  phase: "ringing" | "answered" | "ending";
  legs: Map<string, Leg>;
  initialLegId: string | null;
  dialLegId: string | null;
  agentLegId: string | null;
  customerLegId: string | null;
  extension: string | null;
  /** Caller id for the customer leg of a click-to-call. */
  customerCallerId: string | null;
  lastRungExtension: string | null;
  waitingForAgent: boolean;
  agentRung: boolean;
  bridgeId: string | null;
  answeredAt: number | null;
  record: boolean;
  recordingCount: number;
  activeRecording: string | null;
  unfinishedRecordings: Set<string>;
  held: boolean;
  transfer: Transfer | null;
  firstHangup: FirstHangup | null;
  failedOutcome: CallOutcome | null;
  /** Agents who talked on this call: each goes into wrap-up when it ends. */
  talkedExtensions: Set<string>;
}

export interface TrackerOptions {
  router: Router;
  newId: () => string;
  trunkEndpoint: string;
  extensionEndpoint: string;
  defaultQueue: string | null;
  ringTimeoutSeconds: number;
  dialTimeoutSeconds: number;
  /** Pause before another round through a queue's members (or when nobody is available). */
  queueRetryMs: number;
  /** How long a finished call waits for its recordings' RecordingFinished. */
  recordingWaitMs: number;
  recordingUrl: (name: string, now: number) => string | null;
}

export type CommandOutcome =
  | { ok: true; effects: Effect[] }
  | { ok: false; code: CommandErrorCode; message: string };

const EXTENSION_PATTERN = /^[0-9]{2,6}$/;
const EVENT_EXTENSION = /^[0-9A-Za-z_*#+-]{1,32}$/;

/** Targets of up to 6 digits are extensions; anything else goes out through the trunk. */
function isExtension(target: string): boolean {
  return EXTENSION_PATTERN.test(target);
}

function asExtension(value: string): string | null {
  return EVENT_EXTENSION.test(value) ? value : null;
}

function orUnknown(value: string, fallback: string): string {
  return value.trim() === "" ? fallback : value.slice(0, 64);
}

/** The outcome of a call whose dialled leg ended before answering with this Q.850 cause. */
function outcomeForCause(cause: number | null): CallOutcome {
  if (cause === 17) return "busy";
  if (cause === 16 || cause === 18 || cause === 19) return "no_answer";
  return "failed";
}

function hangupReasonFor(outcome: CallOutcome): HangupReason {
  if (outcome === "busy") return "busy";
  if (outcome === "no_answer") return "no_answer";
  if (outcome === "failed") return "congestion";
  return "normal";
}

export class CallTracker {
  private readonly calls = new Map<string, Call>();
  private readonly legs = new Map<string, Leg>();
  private readonly recordings = new Map<string, string>();
  /** Extension -> when its wrap-up after the last call ends (ms). */
  private readonly wrapUpUntil = new Map<string, number>();
  private out: Effect[] = [];
  private now = 0;

  constructor(private readonly options: TrackerOptions) {}

  get activeCalls(): number {
    return this.calls.size;
  }

  // ---- inputs -------------------------------------------------------------------------------

  handleAriEvent(event: AriEvent, now: number): Effect[] {
    return this.step(now, () => this.onAriEvent(event));
  }

  /** Validates and starts an edge command; its ARI operations decide the command's result. */
  handleCommand(command: Command, now: number): CommandOutcome {
    this.now = now;
    this.out = [];
    const error = this.onCommand(command);
    const effects = this.out;
    this.out = [];
    return error ?? { ok: true, effects };
  }

  opSucceeded(op: AriOp, now: number): Effect[] {
    return this.step(now, () => {
      const call = op.callId === null ? undefined : this.calls.get(op.callId);
      if (call && (op.op === "hold" || op.op === "unhold")) this.setHeld(call, op.op === "hold");
    });
  }

  /** An ARI operation failed; `status` is the HTTP status or null when ARI was unreachable. */
  opFailed(op: AriOp, status: number | null, now: number): Effect[] {
    return this.step(now, () => this.onOpFailed(op, status));
  }

  timerFired(callId: string, timer: TimerName, now: number): Effect[] {
    return this.step(now, () => {
      const call = this.calls.get(callId);
      if (!call) return;
      if (timer === "route" && call.waitingForAgent && call.phase === "ringing") {
        call.waitingForAgent = false;
        this.routeNext(call);
      }
      if (timer === "recordingWait" && call.phase === "ending") {
        call.unfinishedRecordings.clear();
        this.tryFinish(call);
      }
    });
  }

  /** New routing data: calls waiting for an available agent try again now. */
  routingChanged(now: number): Effect[] {
    return this.step(now, () => {
      for (const call of this.calls.values()) {
        if (call.phase === "ringing" && call.waitingForAgent) {
          call.waitingForAgent = false;
          this.routeNext(call);
        }
      }
    });
  }

  /** Channel ids of every live leg, for reconciling after an ARI reconnect. */
  trackedChannelIds(): string[] {
    return [...this.legs.keys()];
  }

  /** Legs found missing after an ARI reconnect: treated as destroyed by the system. */
  channelsVanished(channelIds: Iterable<string>, now: number): Effect[] {
    return this.step(now, () => {
      for (const channelId of channelIds) {
        const leg = this.legs.get(channelId);
        if (leg) this.legGone(leg);
      }
    });
  }

  private step(now: number, body: () => void): Effect[] {
    this.now = now;
    this.out = [];
    body();
    const effects = this.out;
    this.out = [];
    return effects;
  }

  // ---- ARI events ---------------------------------------------------------------------------

  private onAriEvent(event: AriEvent): void {
    switch (event.type) {
      case "StasisStart":
        this.onStasisStart(event.channel, event.args);
        return;
      case "ChannelStateChange":
        if (event.channel.state === "Ringing") this.onRinging(event.channel.id);
        return;
      case "Dial":
        if (event.dialstatus === "RINGING") this.onRinging(event.peer.id);
        return;
      case "ChannelHangupRequest":
        this.onHangupRequest(event.channel.id);
        return;
      case "ChannelDestroyed":
        this.onDestroyed(event.channel.id, event.cause, event.cause_txt);
        return;
      case "ChannelHold":
      case "ChannelUnhold":
        this.onPhoneHold(event.channel.id, event.type === "ChannelHold");
        return;
      case "ChannelTransfer":
        this.onPhoneTransfer(
          event.referred_by.source_channel.id,
          event.refer_to.requested_destination.destination ?? null,
        );
        return;
      case "RecordingFinished":
        this.onRecordingDone(event.recording.name, event.recording.duration ?? 0);
        return;
      case "RecordingFailed":
        this.onRecordingDone(event.recording.name, null);
        return;
      case "StasisEnd":
      case "RecordingStarted":
        return;
    }
  }

  private onStasisStart(channel: AriChannel, args: string[]): void {
    const leg = this.legs.get(channel.id);
    if (leg) {
      this.onLegAnswered(this.callOf(leg), leg);
      return;
    }
    const kind = args[0];
    if (kind === "inbound") {
      this.startInbound(channel, args[1] ?? null);
      return;
    }
    if (kind === "outbound" || kind === "internal") {
      this.startFromDesk(channel, kind);
      return;
    }
    this.ari({ op: "hangup", callId: null, channelId: channel.id, reason: "normal" });
  }

  private onRinging(channelId: string): void {
    const leg = this.legs.get(channelId);
    if (!leg || leg.ringing) return;
    leg.ringing = true;
    const call = this.callOf(leg);
    if (leg.purpose !== "agentDial" || call.phase !== "ringing") return;
    call.agentRung = true;
    this.emitRinging(call, leg.extension);
  }

  private onHangupRequest(channelId: string): void {
    const leg = this.legs.get(channelId);
    if (!leg || leg.hungUpBySystem) return;
    const call = this.callOf(leg);
    if (call.firstHangup || !this.endsCall(call, leg)) return;
    call.firstHangup = { party: leg.party, channelId, cause: null, causeText: null };
  }

  private onDestroyed(channelId: string, cause: number, causeText: string): void {
    const leg = this.legs.get(channelId);
    if (!leg) return;
    const call = this.callOf(leg);
    this.removeLeg(call, leg);
    const first = call.firstHangup;
    if (first && first.cause === null && (first.channelId === channelId || !first.channelId)) {
      first.cause = cause;
      first.causeText = causeText;
    }
    this.afterLegEnded(call, leg, { party: leg.party, channelId, cause, causeText });
  }

  /** A leg vanished without a ChannelDestroyed (ARI reconnect, or 404 on hangup). */
  private legGone(leg: Leg): void {
    const call = this.callOf(leg);
    this.removeLeg(call, leg);
    this.afterLegEnded(call, leg, {
      party: "system",
      channelId: null,
      cause: null,
      causeText: null,
    });
  }

  private afterLegEnded(call: Call, leg: Leg, hangup: FirstHangup): void {
    if (call.phase === "ending") {
      this.tryFinish(call);
      return;
    }
    if (call.transfer?.legId === leg.channelId) {
      call.transfer = null;
      return;
    }
    if (leg.hungUpBySystem) return;
    if (leg.channelId === call.dialLegId) {
      this.onDialLegEnded(call, leg, hangup);
      return;
    }
    if (!this.endsCall(call, leg)) return;
    call.firstHangup ??= hangup;
    this.endCall(call, "normal");
  }

  private onDialLegEnded(call: Call, leg: Leg, hangup: FirstHangup): void {
    call.dialLegId = null;
    if (leg.purpose === "agentDial") {
      this.routeNext(call);
      return;
    }
    call.firstHangup ??= hangup;
    call.failedOutcome ??= hangup.party === "system" ? "failed" : outcomeForCause(hangup.cause);
    this.endCall(call, hangupReasonFor(call.failedOutcome));
  }

  private endsCall(call: Call, leg: Leg): boolean {
    return [call.initialLegId, call.agentLegId, call.customerLegId].includes(leg.channelId);
  }

  private onPhoneHold(channelId: string, held: boolean): void {
    const leg = this.legs.get(channelId);
    if (!leg) return;
    const call = this.callOf(leg);
    if (call.phase === "answered") this.setHeld(call, held);
  }

  private onPhoneTransfer(sourceChannelId: string, destination: string | null): void {
    const leg = this.legs.get(sourceChannelId);
    if (!leg || !destination) return;
    const call = this.callOf(leg);
    if (call.phase !== "answered" || call.transfer) return;
    this.startTransfer(call, leg, orUnknown(destination, "unknown"));
  }

  private onRecordingDone(name: string, durationSeconds: number | null): void {
    const callId = this.recordings.get(name);
    const call = callId === undefined ? undefined : this.calls.get(callId);
    if (!call) return;
    this.recordings.delete(name);
    call.unfinishedRecordings.delete(name);
    if (call.activeRecording === name) call.activeRecording = null;
    if (durationSeconds !== null) {
      this.emit(call, {
        type: "call.recording_ready",
        recordingName: name,
        durationSeconds: Math.max(0, Math.round(durationSeconds)),
        url: this.options.recordingUrl(name, this.now),
      });
    }
    if (call.phase === "ending") this.tryFinish(call);
  }

  // ---- starting calls -----------------------------------------------------------------------

  private startInbound(channel: AriChannel, queue: string | null): void {
    const call = this.newCall(this.options.newId(), "inbound", {
      from: orUnknown(channel.caller.number, "anonymous"),
      fromName: displayName(channel),
      to: orUnknown(channel.dialplan.exten, "unknown"),
      queue: (queue || this.options.defaultQueue)?.slice(0, 100) ?? null,
      extension: null,
    });
    call.record = wantsRecording(channel);
    const leg = this.addLeg(call, channel.id, "initial", "customer", null);
    call.initialLegId = leg.channelId;
    call.customerLegId = leg.channelId;
    this.emitRinging(call, null);
    this.ari({ op: "ring", callId: call.id, channelId: channel.id });
    this.routeNext(call);
  }

  private startFromDesk(channel: AriChannel, kind: "outbound" | "internal"): void {
    const extension = asExtension(channel.caller.number);
    const to = orUnknown(channel.dialplan.exten, "unknown");
    const call = this.newCall(this.options.newId(), kind, {
      from: orUnknown(channel.caller.number, "unknown"),
      fromName: displayName(channel),
      to,
      queue: null,
      extension,
    });
    call.record = wantsRecording(channel);
    const caller = kind === "internal" ? "caller" : "agent";
    const leg = this.addLeg(call, channel.id, "initial", caller, extension);
    call.initialLegId = leg.channelId;
    call.agentLegId = leg.channelId;
    this.emitRinging(call, extension);
    this.dialCustomer(call, to, null);
  }

  private startClickToCall(command: Extract<Command, { action: "originate" }>): void {
    const call = this.newCall(command.callId, "outbound", {
      from: command.extension,
      fromName: null,
      to: command.to,
      queue: null,
      extension: command.extension,
    });
    call.customerCallerId = command.callerId;
    this.emitRinging(call, command.extension);
    const channelId = this.options.newId();
    this.addLeg(call, channelId, "clickAgent", "agent", command.extension);
    call.dialLegId = channelId;
    this.originate(call, channelId, this.extensionEndpoint(command.extension), {
      callerId: command.to,
      timeoutSeconds: this.options.ringTimeoutSeconds,
    });
  }

  /** Rings the customer (outbound, click-to-call) or the callee (internal). */
  private dialCustomer(call: Call, target: string, callerId: string | null): void {
    const channelId = this.options.newId();
    const party = call.direction === "internal" ? "callee" : "customer";
    const extension = call.direction === "internal" ? asExtension(target) : null;
    this.addLeg(call, channelId, "customerDial", party, extension);
    call.dialLegId = channelId;
    this.originate(call, channelId, this.endpointFor(target), {
      callerId,
      timeoutSeconds: isExtension(target)
        ? this.options.ringTimeoutSeconds
        : this.options.dialTimeoutSeconds,
    });
  }

  /** Rings the next available queue member, or waits when nobody can be rung now. */
  private routeNext(call: Call): void {
    if (call.phase !== "ringing" || call.dialLegId) return;
    const target = this.options.router.next(
      call.queue,
      call.lastRungExtension,
      this.extensionsInUse(this.options.router.isQueue(call.queue)),
    );
    if (!target || target.newRound) {
      call.lastRungExtension = null;
      this.waitForAgent(call);
      return;
    }
    call.lastRungExtension = target.extension;
    const channelId = this.options.newId();
    this.addLeg(call, channelId, "agentDial", "agent", target.extension);
    call.dialLegId = channelId;
    this.originate(call, channelId, this.extensionEndpoint(target.extension), {
      callerId: call.fromName ? `"${call.fromName.replaceAll('"', "")}" <${call.from}>` : call.from,
      timeoutSeconds: target.ringTimeoutSeconds,
    });
  }

  private waitForAgent(call: Call): void {
    call.waitingForAgent = true;
    this.out.push({
      kind: "timer",
      callId: call.id,
      timer: "route",
      delayMs: this.options.queueRetryMs,
    });
  }

  // ---- answering, bridging ------------------------------------------------------------------

  private onLegAnswered(call: Call, leg: Leg): void {
    if (call.phase === "ending") {
      this.hangupLeg(call, leg, "normal");
      return;
    }
    if (call.transfer?.legId === leg.channelId) {
      this.completeTransfer(call, leg);
      return;
    }
    if (call.phase !== "ringing" || call.dialLegId !== leg.channelId) {
      this.hangupLeg(call, leg, "normal");
      return;
    }
    call.dialLegId = null;
    if (leg.purpose === "clickAgent") {
      call.agentLegId = leg.channelId;
      this.dialCustomer(call, call.to, call.customerCallerId);
      return;
    }
    if (leg.purpose === "agentDial") {
      call.agentLegId = leg.channelId;
      call.extension = leg.extension;
    } else {
      call.customerLegId = leg.channelId;
    }
    this.connect(call, call.direction === "internal" ? leg.extension : call.extension);
  }

  private connect(call: Call, answeredExtension: string | null): void {
    const bridgeId = this.options.newId();
    call.bridgeId = bridgeId;
    call.phase = "answered";
    call.answeredAt = this.now;
    this.noteTalking(call, call.agentLegId);
    if (call.initialLegId) {
      this.ari({ op: "answer", callId: call.id, channelId: call.initialLegId });
    }
    this.ari({ op: "createBridge", callId: call.id, bridgeId });
    for (const channelId of [call.customerLegId, call.agentLegId]) {
      if (channelId) this.ari({ op: "addChannel", callId: call.id, bridgeId, channelId });
    }
    this.emit(call, { type: "call.answered", extension: answeredExtension });
    if (call.record) this.startRecording(call);
  }

  private setHeld(call: Call, held: boolean): void {
    if (call.held === held) return;
    call.held = held;
    this.emit(call, held ? { type: "call.held" } : { type: "call.resumed" });
  }

  // ---- transfer -----------------------------------------------------------------------------

  private startTransfer(call: Call, transferring: Leg, to: string): void {
    const channelId = this.options.newId();
    const extension = isExtension(to) ? to : null;
    this.addLeg(call, channelId, "transfer", transferring.party, extension);
    call.transfer = { legId: channelId, replacesLegId: transferring.channelId, extension };
    this.emit(call, {
      type: "call.transferred",
      fromExtension: transferring.extension,
      to,
    });
    this.originate(call, channelId, this.endpointFor(to), {
      callerId: call.direction === "inbound" ? call.from : null,
      timeoutSeconds: extension ? this.options.ringTimeoutSeconds : this.options.dialTimeoutSeconds,
    });
  }

  private completeTransfer(call: Call, leg: Leg): void {
    const transfer = call.transfer as Transfer;
    call.transfer = null;
    if (call.bridgeId) {
      this.ari({
        op: "addChannel",
        callId: call.id,
        bridgeId: call.bridgeId,
        channelId: leg.channelId,
      });
    }
    if (call.agentLegId === transfer.replacesLegId) call.agentLegId = leg.channelId;
    else call.customerLegId = leg.channelId;
    this.noteTalking(call, leg.channelId);
    if (call.initialLegId === transfer.replacesLegId) call.initialLegId = null;
    const replaced = call.legs.get(transfer.replacesLegId);
    if (replaced) this.hangupLeg(call, replaced, "normal");
    call.extension = transfer.extension;
    this.emit(call, { type: "call.answered", extension: transfer.extension });
  }

  // ---- recording ----------------------------------------------------------------------------

  private startRecording(call: Call): void {
    if (!call.bridgeId) return;
    call.recordingCount += 1;
    const name = `${call.id}-${call.recordingCount}`;
    call.activeRecording = name;
    call.unfinishedRecordings.add(name);
    this.recordings.set(name, call.id);
    this.ari({ op: "record", callId: call.id, bridgeId: call.bridgeId, name });
  }

  private stopRecording(call: Call, name: string): void {
    if (call.activeRecording === name) call.activeRecording = null;
    this.ari({ op: "stopRecording", callId: call.id, name });
  }

  // ---- ending -------------------------------------------------------------------------------

  /** Hangs up every remaining leg and stops recordings; the call ends once all are gone. */
  private endCall(call: Call, reason: HangupReason): void {
    call.phase = "ending";
    call.waitingForAgent = false;
    for (const leg of call.legs.values()) this.hangupLeg(call, leg, reason);
    if (call.unfinishedRecordings.size > 0) {
      for (const name of call.unfinishedRecordings) this.stopRecording(call, name);
      this.out.push({
        kind: "timer",
        callId: call.id,
        timer: "recordingWait",
        delayMs: this.options.recordingWaitMs,
      });
    }
    this.tryFinish(call);
  }

  private tryFinish(call: Call): void {
    if (call.legs.size > 0 || call.unfinishedRecordings.size > 0) return;
    const first = call.firstHangup;
    this.emit(call, {
      type: "call.ended",
      outcome: this.outcome(call),
      durationSeconds:
        call.answeredAt === null ? 0 : Math.max(0, Math.round((this.now - call.answeredAt) / 1000)),
      hangupCause: first?.cause ?? 0,
      hangupCauseText: first?.causeText ?? "Unknown",
      hangupBy: first?.party ?? "system",
    });
    if (call.bridgeId) this.ari({ op: "destroyBridge", callId: call.id, bridgeId: call.bridgeId });
    for (const name of call.unfinishedRecordings) this.recordings.delete(name);
    this.calls.delete(call.id);
    const wrapUpMs = this.options.router.wrapUpSecondsFor(call.queue) * 1000;
    for (const extension of call.talkedExtensions) {
      this.wrapUpUntil.set(extension, this.now + wrapUpMs);
    }
  }

  private noteTalking(call: Call, legId: string | null): void {
    const extension = legId ? call.legs.get(legId)?.extension : null;
    if (extension) call.talkedExtensions.add(extension);
  }

  private outcome(call: Call): CallOutcome {
    if (call.answeredAt !== null) return "answered";
    if (call.failedOutcome) return call.failedOutcome;
    if (call.direction === "inbound") return call.agentRung ? "missed" : "abandoned";
    return "no_answer";
  }

  // ---- commands -----------------------------------------------------------------------------

  private onCommand(command: Command): CommandOutcome | null {
    if (command.action === "originate") {
      if (this.calls.has(command.callId)) return invalid(`call ${command.callId} already exists`);
      this.startClickToCall(command);
      return null;
    }
    const call = this.calls.get(command.callId);
    if (!call || call.phase === "ending") {
      return { ok: false, code: "CALL_NOT_FOUND", message: `no active call ${command.callId}` };
    }
    switch (command.action) {
      case "hangup":
        call.firstHangup ??= { party: "system", channelId: null, cause: null, causeText: null };
        this.endCall(call, "normal");
        return null;
      case "hold":
      case "resume":
        return this.holdCommand(call, command.action === "hold");
      case "transfer":
        return this.transferCommand(call, command.to);
      case "start_recording":
        if (call.phase !== "answered") return invalid("call is not answered");
        if (call.activeRecording) return invalid("call is already being recorded");
        this.startRecording(call);
        return null;
      case "stop_recording":
        if (!call.activeRecording) return invalid("call is not being recorded");
        this.stopRecording(call, call.activeRecording);
        return null;
    }
  }

  private holdCommand(call: Call, hold: boolean): CommandOutcome | null {
    if (call.phase !== "answered" || !call.customerLegId) return invalid("call is not answered");
    if (call.held === hold) return null;
    this.ari({ op: hold ? "hold" : "unhold", callId: call.id, channelId: call.customerLegId });
    return null;
  }

  private transferCommand(call: Call, to: string): CommandOutcome | null {
    if (call.phase !== "answered") return invalid("call is not answered");
    if (call.transfer) return invalid("a transfer is already in progress");
    const agent = call.agentLegId ? call.legs.get(call.agentLegId) : undefined;
    if (!agent) return invalid("call has no agent leg");
    this.startTransfer(call, agent, to);
    return null;
  }

  // ---- failed ARI operations ----------------------------------------------------------------

  private onOpFailed(op: AriOp, status: number | null): void {
    const call = op.callId === null ? undefined : this.calls.get(op.callId);
    if (!call) return;
    if (op.op === "originate" || (op.op === "hangup" && status === 404)) {
      const leg = call.legs.get(op.channelId);
      if (!leg) return;
      if (op.op === "originate" && leg.purpose === "agentDial") {
        this.removeLeg(call, leg);
        if (call.dialLegId === leg.channelId) call.dialLegId = null;
        this.waitForAgent(call);
        return;
      }
      this.legGone(leg);
      return;
    }
    if (op.op === "record") {
      call.unfinishedRecordings.delete(op.name);
      this.recordings.delete(op.name);
      if (call.activeRecording === op.name) call.activeRecording = null;
      if (call.phase === "ending") this.tryFinish(call);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private newCall(
    id: string,
    direction: CallDirection,
    party: {
      from: string;
      fromName: string | null;
      to: string;
      queue: string | null;
      extension: string | null;
    },
  ): Call {
    const call: Call = {
      id,
      direction,
      ...party,
      phase: "ringing",
      legs: new Map(),
      initialLegId: null,
      dialLegId: null,
      agentLegId: null,
      customerLegId: null,
      customerCallerId: null,
      lastRungExtension: null,
      waitingForAgent: false,
      agentRung: false,
      bridgeId: null,
      answeredAt: null,
      record: false,
      recordingCount: 0,
      activeRecording: null,
      unfinishedRecordings: new Set(),
      held: false,
      transfer: null,
      talkedExtensions: new Set(),
      firstHangup: null,
      failedOutcome: null,
    };
    this.calls.set(id, call);
    return call;
  }

  private addLeg(
    call: Call,
    channelId: string,
    purpose: LegPurpose,
    party: Party,
    extension: string | null,
  ): Leg {
    const leg: Leg = {
      channelId,
      callId: call.id,
      purpose,
      party,
      extension,
      ringing: false,
      hungUpBySystem: false,
    };
    call.legs.set(channelId, leg);
    this.legs.set(channelId, leg);
    return leg;
  }

  private removeLeg(call: Call, leg: Leg): void {
    call.legs.delete(leg.channelId);
    this.legs.delete(leg.channelId);
  }

  private callOf(leg: Leg): Call {
    const call = this.calls.get(leg.callId);
    if (!call) throw new Error(`leg ${leg.channelId} belongs to no call`);
    return call;
  }

  private hangupLeg(call: Call, leg: Leg, reason: HangupReason): void {
    leg.hungUpBySystem = true;
    this.ari({ op: "hangup", callId: call.id, channelId: leg.channelId, reason });
  }

  private originate(
    call: Call,
    channelId: string,
    endpoint: string,
    params: { callerId: string | null; timeoutSeconds: number },
  ): void {
    this.ari({
      op: "originate",
      callId: call.id,
      channelId,
      endpoint,
      appArgs: `dialed,${call.id}`,
      ...params,
    });
  }

  /**
   * Extensions that must not be offered a call: ringing, on a call or on hold; for a queue
   * call also those in wrap-up (a call for no queue rings any available, idle agent).
   */
  private extensionsInUse(withWrapUp: boolean): Set<string> {
    const inUse = new Set<string>();
    for (const leg of this.legs.values()) if (leg.extension) inUse.add(leg.extension);
    for (const [extension, until] of this.wrapUpUntil) {
      if (until <= this.now) this.wrapUpUntil.delete(extension);
      else if (withWrapUp) inUse.add(extension);
    }
    return inUse;
  }

  private endpointFor(target: string): string {
    return isExtension(target)
      ? this.extensionEndpoint(target)
      : this.options.trunkEndpoint.replaceAll("{number}", target);
  }

  private extensionEndpoint(extension: string): string {
    return this.options.extensionEndpoint.replaceAll("{extension}", extension);
  }

  private emitRinging(call: Call, extension: string | null): void {
    this.emit(call, {
      type: "call.ringing",
      direction: call.direction,
      from: call.from,
      fromName: call.fromName,
      to: call.to,
      extension,
      queue: call.queue,
    });
  }

  private emit(call: Call, event: DraftBody): void {
    const draft: CallEventDraft = {
      ...event,
      callId: call.id,
      occurredAt: new Date(this.now).toISOString(),
    };
    this.out.push({ kind: "emit", event: draft });
  }

  private ari(op: AriOp): void {
    this.out.push({ kind: "ari", op });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type DraftBody = DistributiveOmit<CallEventDraft, "callId" | "occurredAt">;

function displayName(channel: AriChannel): string | null {
  return channel.caller.name.trim().slice(0, 200) || null;
}

function wantsRecording(channel: AriChannel): boolean {
  return channel.channelvars?.SWITCHBOARD_RECORD === "yes";
}

function invalid(message: string): CommandOutcome {
  return { ok: false, code: "INVALID_STATE", message };
}
