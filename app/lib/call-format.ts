import type { AgentStatus, CallOutcome, CallStatus } from "../../shared/telephony";
import type { CallView } from "../../worker/calls/call-view";
import { formatDuration } from "./call-basics";

export { formatAnswerRate, formatDuration, formatTalkTime, otherNumber } from "./call-basics";

/*
 * How telephony numbers read on every screen (call bar, call log, queues, settings, dashboard).
 * Plain functions: safe on the server and in the browser.
 */

/** How long ago, coarsely: "just now", "42s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 5) return "just now";
  if (whole < 60) return `${whole}s ago`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ago`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)} h ago`;
  return `${Math.floor(whole / 86_400)} d ago`;
}

/** Whole seconds from `iso` to `now` (milliseconds), never negative. */
export function secondsBetween(iso: string, now: number): number {
  const then = new Date(iso).getTime();
  return Number.isNaN(then) ? 0 : Math.max(0, Math.floor((now - then) / 1000));
}

export const AGENT_STATUS_LABELS: Record<AgentStatus, string> = {
  available: "Available",
  busy: "Busy",
  on_call: "On call",
  away: "Away",
};

/** Badge tones (see `Badge` in app/components/ui.tsx) for agent statuses. */
export const AGENT_STATUS_TONES = {
  available: "success",
  busy: "warning",
  on_call: "accent",
  away: "neutral",
} as const satisfies Record<AgentStatus, string>;

/** Who is calling, as people read it: the contact, else the caller's name, else the number. */
export function callerLabel(
  call: Pick<CallView, "contact" | "fromName" | "fromNumber" | "customerNumber">,
): string {
  return call.contact?.name ?? call.fromName ?? call.customerNumber ?? call.fromNumber;
}

export type { CallView };

export const DIRECTION_LABELS: Record<CallView["direction"], string> = {
  inbound: "Inbound",
  outbound: "Outbound",
  internal: "Internal",
};

/** What the call bar and the badges say for each call status. */
export const STATUS_LABELS: Record<CallStatus, string> = {
  ringing: "Ringing",
  answered: "Answered",
  held: "On hold",
  ended: "Ended",
  missed: "Missed",
  busy: "Busy",
  failed: "Failed",
};

export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  answered: "Answered",
  missed: "Missed",
  abandoned: "Abandoned",
  busy: "Busy",
  failed: "Failed",
  no_answer: "No answer",
};

export const HANGUP_PARTY_LABELS: Record<string, string> = {
  caller: "The caller",
  callee: "The callee",
  agent: "The agent",
  customer: "The customer",
  system: "The phone system",
};

/** The statuses an agent picks (on_call is set by the phone system). */
export const SELECTABLE_AGENT_STATUSES = ["available", "busy", "away"] as const;
export type SelectableAgentStatus = (typeof SELECTABLE_AGENT_STATUSES)[number];

export const AGENT_STATUS_DOTS: Record<AgentStatus, string> = {
  available: "bg-emerald-500",
  busy: "bg-amber-500",
  on_call: "bg-red-500",
  away: "bg-slate-400",
};

/** The wrap-up dispositions (stored as these values in the call's `disposition`). */
export const DISPOSITIONS = [
  { value: "interested", label: "Interested" },
  { value: "callback", label: "Call back" },
  { value: "not_interested", label: "Not interested" },
  { value: "wrong_number", label: "Wrong number" },
  { value: "voicemail", label: "Voicemail" },
  { value: "other", label: "Other" },
] as const;

export function dispositionLabel(value: string | null): string {
  if (!value) return "";
  return DISPOSITIONS.find((option) => option.value === value)?.label ?? value;
}

export type BadgeTone = "neutral" | "accent" | "success" | "warning" | "danger";

export function statusTone(status: CallStatus): BadgeTone {
  switch (status) {
    case "ringing":
      return "warning";
    case "answered":
      return "success";
    case "held":
      return "accent";
    case "missed":
    case "busy":
    case "failed":
      return "danger";
    default:
      return "neutral";
  }
}

/** The badge of a call in a list: its live state, or how it ended. */
export function callResult(call: CallView): { label: string; tone: BadgeTone } {
  if (call.endedAt === null || !call.outcome) {
    return { label: STATUS_LABELS[call.status], tone: statusTone(call.status) };
  }
  return {
    label: OUTCOME_LABELS[call.outcome],
    tone: call.outcome === "answered" ? "neutral" : "danger",
  };
}

export function isLive(call: CallView): boolean {
  return call.endedAt === null;
}

/** "Inbound call from +14155550199", "Outbound call to +14155550199". */
export function callTitle(call: CallView): string {
  const direction = DIRECTION_LABELS[call.direction];
  if (call.direction === "internal") {
    return `Internal call ${call.fromNumber} → ${call.toNumber}`;
  }
  return call.direction === "inbound"
    ? `${direction} call from ${call.fromNumber}`
    : `${direction} call to ${call.toNumber}`;
}

/**
 * Seconds the call has been going at `now`: talk time once answered (from answeredAt),
 * ringing time before; an ended call's recorded duration.
 */
export function elapsedSeconds(call: CallView, now: number): number {
  if (call.endedAt !== null) {
    if (call.durationSeconds !== null) return call.durationSeconds;
    const from = Date.parse(call.answeredAt ?? call.startedAt);
    return Math.max(0, Math.round((Date.parse(call.endedAt) - from) / 1000));
  }
  const from = Date.parse(call.answeredAt ?? call.startedAt);
  return Math.max(0, Math.floor((now - from) / 1000));
}

/** The newer of two versions of the same call. */
export function newerCall(current: CallView | undefined, incoming: CallView): CallView {
  return current && current.version >= incoming.version ? current : incoming;
}

const text = (value: unknown): string | null =>
  typeof value === "string" && value ? value : typeof value === "number" ? String(value) : null;

/** One line for an event of the call's history (`data` is the bridge event's payload). */
export function describeCallEvent(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case "call.ringing": {
      const extension = text(data.extension);
      if (extension) return `Ringing at extension ${extension}`;
      const queue = text(data.queue);
      const from = text(data.from);
      const to = text(data.to);
      const route = from && to ? ` from ${from} to ${to}` : "";
      return queue ? `Call came in${route}, waiting in queue ${queue}` : `Call started${route}`;
    }
    case "call.answered": {
      const extension = text(data.extension);
      return extension ? `Answered at extension ${extension}` : "Answered";
    }
    case "call.held":
      return "Put on hold";
    case "call.resumed":
      return "Taken off hold";
    case "call.transferred": {
      const from = text(data.fromExtension);
      return `Transferred${from ? ` by extension ${from}` : ""} to ${text(data.to) ?? "another phone"}`;
    }
    case "call.ended": {
      const outcome = text(data.outcome);
      const label =
        outcome && outcome in OUTCOME_LABELS ? OUTCOME_LABELS[outcome as CallOutcome] : null;
      const cause = hangupCause(text(data.hangupCauseText), text(data.hangupCause));
      const by = text(data.hangupBy);
      const who = by ? (HANGUP_PARTY_LABELS[by] ?? by) : null;
      return [
        `Ended${label ? `: ${label.toLowerCase()}` : ""}`,
        cause,
        who ? `${who} hung up` : null,
      ]
        .filter(Boolean)
        .join(" · ");
    }
    case "call.recording_ready": {
      const seconds = Number(data.durationSeconds);
      return `Recording ready${Number.isFinite(seconds) && seconds > 0 ? ` (${formatDuration(seconds)})` : ""}`;
    }
    default:
      return type;
  }
}

/** "Normal Clearing (16)". */
export function hangupCause(
  causeText: string | null,
  cause: string | number | null,
): string | null {
  if (!causeText && (cause === null || cause === "")) return null;
  if (!causeText) return `Cause ${cause}`;
  return cause === null || cause === "" ? causeText : `${causeText} (${cause})`;
}
