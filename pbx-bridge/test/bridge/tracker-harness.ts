import type { AriEvent } from "../../src/ari-events";
import { CallTracker } from "../../src/call-tracker";
import type { Command, RoutingInput } from "../../src/edge-protocol";
import type { AriOp, Effect } from "../../src/effects";
import type { CallEventDraft } from "../../src/outbox";
import { Router } from "../../src/router";

/** Drives a CallTracker with a fake clock and sequential ids; records what it asks for. */
export class TrackerHarness {
  readonly router = new Router({
    fallbackExtensions: ["1001", "1002"],
    fallbackRingTimeoutSeconds: 20,
  });
  readonly tracker: CallTracker;
  events: CallEventDraft[] = [];
  ops: AriOp[] = [];
  timers: Extract<Effect, { kind: "timer" }>[] = [];
  now = Date.parse("2026-01-01T10:00:00Z");
  private nextId = 1;

  constructor(options: { recordingsUrl?: string | null } = {}) {
    this.tracker = new CallTracker({
      router: this.router,
      newId: () => this.id(this.nextId++),
      trunkEndpoint: "PJSIP/{number}@trunk",
      extensionEndpoint: "PJSIP/{extension}",
      defaultQueue: "support",
      ringTimeoutSeconds: 20,
      dialTimeoutSeconds: 60,
      queueRetryMs: 2000,
      recordingWaitMs: 5000,
      recordingUrl: (name) =>
        options.recordingsUrl === null ? null : `https://rec.example/recordings/${name}`,
    });
  }

  /** The id the harness hands out as the n-th new id (1-based). */
  id(n: number): string {
    return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  }

  routing(routing: RoutingInput): void {
    this.router.setRouting(routing);
    this.apply(this.tracker.routingChanged(this.now));
  }

  feed(...events: AriEvent[]): void {
    for (const event of events) this.apply(this.tracker.handleAriEvent(event, this.now));
  }

  command(command: Command) {
    const outcome = this.tracker.handleCommand(command, this.now);
    if (outcome.ok) this.apply(outcome.effects);
    return outcome;
  }

  succeed(op: AriOp): void {
    this.apply(this.tracker.opSucceeded(op, this.now));
  }

  fail(op: AriOp, status: number | null): void {
    this.apply(this.tracker.opFailed(op, status, this.now));
  }

  fireTimers(): void {
    const due = this.timers;
    this.timers = [];
    for (const t of due) this.apply(this.tracker.timerFired(t.callId, t.timer, this.now));
  }

  advance(seconds: number): void {
    this.now += seconds * 1000;
  }

  /** Events and ops since the last take, then clears them. */
  take(): { events: CallEventDraft[]; ops: AriOp[] } {
    const taken = { events: this.events, ops: this.ops };
    this.events = [];
    this.ops = [];
    return taken;
  }

  types(): string[] {
    return this.take().events.map((e) => e.type);
  }

  lastOp(kind: AriOp["op"]): AriOp {
    const op = [...this.ops].reverse().find((o) => o.op === kind);
    if (!op) throw new Error(`no ${kind} op in ${JSON.stringify(this.ops)}`);
    return op;
  }

  apply(effects: Effect[]): void {
    for (const effect of effects) {
      if (effect.kind === "emit") this.events.push(effect.event);
      else if (effect.kind === "ari") this.ops.push(effect.op);
      else this.timers.push(effect);
    }
  }
}

export function opSummary(ops: AriOp[]): string[] {
  return ops.map((op) => {
    switch (op.op) {
      case "originate":
        return `originate ${op.endpoint}`;
      case "hangup":
        return `hangup ${op.channelId} ${op.reason}`;
      case "createBridge":
      case "destroyBridge":
        return op.op;
      case "addChannel":
        return `addChannel ${op.channelId}`;
      case "record":
      case "stopRecording":
        return `${op.op} ${op.name}`;
      default:
        return `${op.op} ${op.channelId}`;
    }
  });
}
