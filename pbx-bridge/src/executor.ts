import { type AriClient, AriError } from "./ari-client";
import type { CallTracker } from "./call-tracker";
import type { AriOp, Effect } from "./effects";
import type { Logger } from "./logger";
import type { CallEventDraft } from "./outbox";

/*
 * Carries out the tracker's effects: emits events (synchronously, in order), runs ARI
 * operations (one call's operations strictly in order, different calls concurrently), arms
 * timers, and feeds every operation's outcome back to the tracker.
 */

export type AriOperations = Pick<
  AriClient,
  | "originate"
  | "hangup"
  | "answer"
  | "ring"
  | "hold"
  | "unhold"
  | "createBridge"
  | "addChannel"
  | "destroyBridge"
  | "recordBridge"
  | "stopRecording"
>;

export interface OpFailure {
  op: AriOp;
  status: number | null;
  message: string;
}

export interface ExecutorOptions {
  ari: AriOperations;
  tracker: CallTracker;
  emit: (event: CallEventDraft) => void;
  now: () => number;
  log: Logger;
}

const STRAY_CHAIN = "stray";

export class EffectExecutor {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: ExecutorOptions) {}

  /** Runs the effects; resolves with the ARI operations among them that failed. */
  run(effects: Effect[]): Promise<OpFailure[]> {
    const ops: AriOp[] = [];
    for (const effect of effects) {
      if (effect.kind === "emit") this.options.emit(effect.event);
      else if (effect.kind === "timer") this.arm(effect);
      else ops.push(effect.op);
    }
    const byChain = new Map<string, AriOp[]>();
    for (const op of ops) {
      const key = op.callId ?? STRAY_CHAIN;
      byChain.set(key, [...(byChain.get(key) ?? []), op]);
    }
    const runs = [...byChain].map(([key, chainOps]) => this.enqueue(key, chainOps));
    return Promise.all(runs).then((failures) => failures.flat());
  }

  /** Clears timers; operations already under way finish, no new ones start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.chains.values()]);
  }

  private enqueue(key: string, ops: AriOp[]): Promise<OpFailure[]> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.runSequence(ops));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async runSequence(ops: AriOp[]): Promise<OpFailure[]> {
    const failures: OpFailure[] = [];
    for (const op of ops) {
      const failure = await this.perform(op);
      if (failure) failures.push(failure);
    }
    return failures;
  }

  private async perform(op: AriOp): Promise<OpFailure | null> {
    const { tracker, now } = this.options;
    if (this.stopped) return { op, status: null, message: "bridge is stopping" };
    try {
      await performOp(this.options.ari, op);
    } catch (error) {
      const status = error instanceof AriError ? error.status : null;
      const message = (error as Error).message;
      this.options.log.warn("ari operation failed", { op: op.op, status, error: message });
      void this.run(tracker.opFailed(op, status, now()));
      return { op, status, message };
    }
    void this.run(tracker.opSucceeded(op, now()));
    return null;
  }

  private arm(effect: Extract<Effect, { kind: "timer" }>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const { tracker, now } = this.options;
      void this.run(tracker.timerFired(effect.callId, effect.timer, now()));
    }, effect.delayMs);
    this.timers.add(timer);
  }
}

function performOp(ari: AriOperations, op: AriOp): Promise<void> {
  switch (op.op) {
    case "originate":
      return ari.originate({
        endpoint: op.endpoint,
        channelId: op.channelId,
        appArgs: op.appArgs,
        callerId: op.callerId,
        timeoutSeconds: op.timeoutSeconds,
      });
    case "hangup":
      return ari.hangup(op.channelId, op.reason);
    case "answer":
      return ari.answer(op.channelId);
    case "ring":
      return ari.ring(op.channelId);
    case "hold":
      return ari.hold(op.channelId);
    case "unhold":
      return ari.unhold(op.channelId);
    case "createBridge":
      return ari.createBridge(op.bridgeId, `switchboard-${op.callId}`);
    case "addChannel":
      return ari.addChannel(op.bridgeId, op.channelId);
    case "destroyBridge":
      return ari.destroyBridge(op.bridgeId);
    case "record":
      return ari.recordBridge(op.bridgeId, op.name);
    case "stopRecording":
      return ari.stopRecording(op.name);
  }
}
