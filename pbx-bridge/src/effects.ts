import type { HangupReason } from "./ari-client";
import type { CallEventDraft } from "./outbox";

/*
 * What the call tracker asks the runtime to do. The tracker is pure: it never talks to ARI
 * or the clock itself, it returns these effects and is told how the ARI operations went.
 */

export type AriOp =
  | {
      op: "originate";
      callId: string;
      channelId: string;
      endpoint: string;
      appArgs: string;
      callerId: string | null;
      timeoutSeconds: number;
    }
  /** callId null: a channel that belongs to no call (a stray StasisStart). */
  | { op: "hangup"; callId: string | null; channelId: string; reason: HangupReason }
  | { op: "answer"; callId: string; channelId: string }
  | { op: "ring"; callId: string; channelId: string }
  | { op: "hold"; callId: string; channelId: string }
  | { op: "unhold"; callId: string; channelId: string }
  | { op: "createBridge"; callId: string; bridgeId: string }
  | { op: "addChannel"; callId: string; bridgeId: string; channelId: string }
  | { op: "destroyBridge"; callId: string; bridgeId: string }
  | { op: "record"; callId: string; bridgeId: string; name: string }
  | { op: "stopRecording"; callId: string; name: string };

export type TimerName = "route" | "recordingWait";

export type Effect =
  | { kind: "emit"; event: CallEventDraft }
  | { kind: "ari"; op: AriOp }
  | { kind: "timer"; callId: string; timer: TimerName; delayMs: number };
