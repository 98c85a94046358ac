import type { AgentStatus } from "../../pbx-bridge/src/edge-protocol";
import type { CallView } from "../../worker/calls/call-view";

/*
 * How telephony numbers read on every screen (call bar, call log, queues, settings, dashboard).
 * Plain functions: safe on the server and in the browser.
 */

const pad = (value: number) => String(value).padStart(2, "0");

/** Seconds as a clock: 185 is "3:05", 3723 is "1:02:03"; null is an em dash. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
}

/** A total of talk time in words: "45s", "12m 05s", "3h 20m". */
export function formatTalkTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(whole % 60)}s`;
}

/** A rate between 0 and 1 (as the API gives it) in percent: 0.874 is "87%"; null is "—". */
export function formatAnswerRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return "—";
  return `${Math.round(rate * 100)}%`;
}

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
