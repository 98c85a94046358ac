import {
  type CallEvent,
  type CallOutcome,
  DEFAULT_WRAP_UP_SECONDS,
} from "../../pbx-bridge/src/edge-protocol";
import type { CallStatus } from "../../shared/telephony";
import type { calls } from "../db/telephony-schema";

/*
 * What one bridge event does to its call row, as a pure function: the batch ingest
 * (ingest.ts) reads the rows of a batch's calls once, folds the batch's events over them in
 * order here, and writes each changed row once. The rules are the ones the per-event
 * statements had: an event that finds its call in a state it does not apply to changes
 * nothing (and does not count as a change).
 */

export type CallRow = typeof calls.$inferSelect;

/** What the fold needs to know about the organization (read once per batch). */
export interface TransitionContext {
  /** Extension -> user id of the agent at it. */
  agentsByExtension: ReadonlyMap<string, string>;
  /** Queue name -> its wrap-up seconds. */
  wrapUpSecondsByQueue: ReadonlyMap<string, number>;
}

/** The row after the event, with `version` + 1, or null when the event changes nothing. */
export function applyTransition(
  context: TransitionContext,
  call: CallRow,
  event: CallEvent,
): CallRow | null {
  const live = call.endedAt === null;
  const agentOf = (extension: string | null) =>
    extension ? (context.agentsByExtension.get(extension) ?? null) : null;
  const touched = (change: Partial<CallRow>): CallRow => ({
    ...call,
    ...change,
    version: call.version + 1,
  });
  switch (event.type) {
    case "call.ringing":
      // The call rings another extension (a queue moved on): who is rung now.
      if (
        !live ||
        call.status !== "ringing" ||
        event.extension === null ||
        event.extension === call.extension
      )
        return null;
      return touched({
        extension: event.extension,
        agentId: agentOf(event.extension) ?? call.agentId,
      });
    case "call.answered":
      if (!live) return null;
      return touched({
        status: "answered",
        answeredAt: call.answeredAt ?? new Date(event.occurredAt),
        extension: event.extension ?? call.extension,
        agentId: agentOf(event.extension) ?? call.agentId,
      });
    case "call.held":
      return call.status === "answered" ? touched({ status: "held" }) : null;
    case "call.resumed":
      return call.status === "held" ? touched({ status: "answered" }) : null;
    case "call.transferred":
      return live ? touched({}) : null;
    case "call.ended": {
      if (!live) return null;
      const endedAt = new Date(event.occurredAt);
      // A call its agent talked on (or placed) waits for their wrap-up, which closes itself
      // after its queue's wrap-up time (the default for calls that named no queue).
      const needsWrapUp =
        call.agentId !== null && (call.answeredAt !== null || call.direction !== "inbound");
      const wrapUpSeconds =
        (call.queue === null ? undefined : context.wrapUpSecondsByQueue.get(call.queue)) ??
        DEFAULT_WRAP_UP_SECONDS;
      return touched({
        status: statusOfOutcome(event.outcome),
        outcome: event.outcome,
        endedAt,
        durationSeconds: event.durationSeconds,
        hangupCause: event.hangupCause,
        hangupCauseText: event.hangupCauseText,
        hangupBy: event.hangupBy,
        wrapUpStatus: needsWrapUp ? "pending" : null,
        wrapUpDueAt: needsWrapUp ? new Date(endedAt.getTime() + wrapUpSeconds * 1000) : null,
      });
    }
    case "call.recording_ready":
      return touched({ recordingName: event.recordingName, recordingUrl: event.url });
    default:
      return event satisfies never;
  }
}

export function statusOfOutcome(outcome: CallOutcome): CallStatus {
  switch (outcome) {
    case "answered":
      return "ended";
    case "missed":
    case "abandoned":
    case "no_answer":
      return "missed";
    case "busy":
      return "busy";
    case "failed":
      return "failed";
    default:
      return outcome satisfies never;
  }
}
